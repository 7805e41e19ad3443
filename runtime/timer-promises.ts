// The promise versions of the timers (Node's timers-promises module) for the
// program: setTimeout, setImmediate, setInterval and scheduler that promise
// through the runtime's own promises and timers; no platform API is used
// (pass 0b points the module's imports here, and the runtime's
// setTimeout/setImmediate carry `util.promisify.custom` pointing here, as
// Node's do). So an `await setTimeout(20)` in flight is data a checkpoint
// saves, a Timer whose callback is the resolve function of a program
// promise, and it fires in order with the program's other timers. Node's
// own versions would settle a platform promise on the platform's timeline:
// out of order with ours, and lost by a restart.
//
// An AbortSignal passed in `options.signal` cancels as in Node; the
// program's signals are the runtime's (event-target.ts), so a pending delay
// and its abort listener are saved like the rest.

import { CLOSURE, functions } from './functions.js';
import { newInternalPromise, resolvingFunctions, type IntroPromise } from './promises.js';
import type { Runtime } from './runtime.js';
import type { Timer } from './timers.js';

let rt: Runtime;

export function bindTimerPromises(runtime: Runtime): void {
  rt = runtime;
}

interface TimerOptions {
  signal?: {
    aborted: boolean;
    reason?: unknown;
    addEventListener(type: string, fn: () => void, o?: unknown): void;
    removeEventListener?(type: string, fn: unknown): void;
  };
  ref?: boolean;
}

function abortError(reason: unknown): Error {
  const e = new Error('The operation was aborted', { cause: reason }) as Error & { code: string };
  e.name = 'AbortError';
  e.code = 'ABORT_ERR';
  return e;
}

function settleLater(immediate: boolean, ms: unknown, value: unknown, options: TimerOptions | undefined): IntroPromise {
  const p = newInternalPromise();
  const { resolve, reject } = resolvingFunctions(p);
  const signal = options?.signal;
  if (signal?.aborted) {
    reject(abortError(signal.reason));
    return p;
  }
  let timer: Timer;
  if (signal === undefined) timer = immediate ? rt.setImmediate(resolve, value) : rt.setTimeout(resolve, ms, value);
  else {
    // All data, and closures of registered functions: saved while pending.
    const pending: Pending = { resolve, reject, value, signal, timer: undefined, onAbort: undefined };
    pending.onAbort = abortHandlerOf(pending);
    timer = pending.timer = immediate ? rt.setImmediate(settleWithSignal, pending) : rt.setTimeout(settleWithSignal, ms, pending);
    signal.addEventListener('abort', pending.onAbort, { once: true });
  }
  if (options?.ref === false) timer.unref();
  return p;
}

interface Pending {
  resolve: (v?: unknown) => void;
  reject: (r?: unknown) => void;
  value: unknown;
  signal: NonNullable<TimerOptions['signal']>;
  timer: Timer | undefined;
  onAbort: (() => void) | undefined;
}

function settleWithSignal(pending: Pending): void {
  pending.signal.removeEventListener?.('abort', pending.onAbort);
  pending.resolve(pending.value);
}

function abortHandlerOf(pending: Pending): () => void {
  const fn = () => {
    rt.timers.clear(pending.timer);
    pending.reject(abortError(pending.signal.reason));
  };
  (fn as unknown as Record<symbol, unknown>)[CLOSURE] = [ABORT_HANDLER, pending];
  return fn;
}
const ABORT_HANDLER = 'introspect:timerPromises.onAbort';

/** `setTimeout(ms, value, options)` of the timers-promises module. */
export function delay(ms?: unknown, value?: unknown, options?: TimerOptions): IntroPromise {
  return settleLater(false, ms, value, options);
}

/** `setImmediate(value, options)` of the timers-promises module. */
export function immediate(value?: unknown, options?: TimerOptions): IntroPromise {
  return settleLater(true, 0, value, options);
}

/**
 * `setInterval(ms, value, options)` of the timers-promises module: an async
 * iterator whose `next()` settles at each tick; ticks nobody was waiting for
 * are counted and served at once, as Node does. `options.ref: false` unrefs
 * its timer; an abort of `options.signal` stops it, rejects a waiting
 * `next()` with an AbortError (or the next one, once the counted ticks are
 * served) and ends it, as Node's async generator does. Its state is plain data.
 */
export class IntervalIterator {
  /** ticks that came while no `next()` waited */
  private missed = 0;
  /** the resolving functions of the `next()` calls waiting for a tick */
  private readonly waiting: { resolve: Function; reject: Function }[] = [];
  private finished = false;
  private readonly timer: ReturnType<Runtime['setInterval']> | undefined;
  private readonly signal: TimerOptions['signal'];
  private readonly onAbort: (() => void) | undefined;

  constructor(ms: unknown, private readonly value: unknown, options?: TimerOptions) {
    this.signal = options?.signal;
    if (this.signal?.aborted) return;
    this.timer = rt.setInterval(intervalTick, ms, this);
    if (options?.ref === false) this.timer.unref();
    if (this.signal !== undefined) {
      this.onAbort = intervalAbortHandlerOf(this);
      this.signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  next(): IntroPromise {
    const p = newInternalPromise();
    const { resolve, reject } = resolvingFunctions(p);
    if (this.finished) resolve({ value: undefined, done: true });
    else if (this.missed > 0) {
      this.missed--;
      resolve({ value: this.value, done: false });
    } else if (this.signal?.aborted) {
      this.finish();
      reject(abortError(this.signal.reason));
    } else this.waiting.push({ resolve, reject });
    return p;
  }

  return(): IntroPromise {
    this.finish();
    for (const { resolve } of this.waiting.splice(0)) resolve({ value: undefined, done: true });
    const p = newInternalPromise();
    resolvingFunctions(p).resolve({ value: undefined, done: true });
    return p;
  }

  /** A tick of the interval: to the oldest waiting `next()`, or counted. */
  tick(): void {
    const waiter = this.waiting.shift();
    if (waiter !== undefined) waiter.resolve({ value: this.value, done: false });
    else this.missed++;
  }

  /** The signal aborted: the timer stops; a waiting `next()` rejects, the rest are done. */
  abort(): void {
    if (this.timer !== undefined) rt.timers.clear(this.timer);
    const [first, ...rest] = this.waiting.splice(0);
    if (first === undefined) return;
    this.finish();
    first.reject(abortError(this.signal?.reason));
    for (const { resolve } of rest) resolve({ value: undefined, done: true });
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer !== undefined) rt.timers.clear(this.timer);
    if (this.onAbort !== undefined) this.signal?.removeEventListener?.('abort', this.onAbort);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

function intervalTick(it: IntervalIterator): void {
  it.tick();
}

function intervalAbortHandlerOf(it: IntervalIterator): () => void {
  const fn = () => it.abort();
  (fn as unknown as Record<symbol, unknown>)[CLOSURE] = [INTERVAL_ABORT_HANDLER, it];
  return fn;
}
const INTERVAL_ABORT_HANDLER = 'introspect:timerPromises.onIntervalAbort';

export function interval(ms?: unknown, value?: unknown, options?: TimerOptions): IntervalIterator {
  return new IntervalIterator(ms, value, options);
}

/** `scheduler.wait(ms, options)` and `scheduler.yield()`. */
export const scheduler = {
  wait: (ms?: unknown, options?: TimerOptions): IntroPromise => delay(ms, undefined, options),
  yield: (): IntroPromise => immediate(),
};

/** The whole module, as a namespace or default import of it gives the program. */
export const timerPromises = { setTimeout: delay, setImmediate: immediate, setInterval: interval, scheduler };

functions.registerStatic('introspect:timerPromises.setTimeout', delay);
functions.registerStatic('introspect:timerPromises.setImmediate', immediate);
functions.registerStatic('introspect:timerPromises.setInterval', interval);
functions.registerStatic('introspect:timerPromises.scheduler.wait', scheduler.wait);
functions.registerStatic('introspect:timerPromises.scheduler.yield', scheduler.yield);
functions.registerStatic('introspect:timerPromises.intervalTick', intervalTick);
functions.registerStatic('introspect:timerPromises.settleWithSignal', settleWithSignal);
functions.registerFactory(ABORT_HANDLER, abortHandlerOf as (...envs: any[]) => Function);
functions.registerFactory(INTERVAL_ABORT_HANDLER, intervalAbortHandlerOf as (...envs: any[]) => Function);
functions.registerClassMembers('introspect:IntervalIterator', IntervalIterator);
