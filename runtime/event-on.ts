// `on(emitter, name)` of node:events, the runtime's. Node's returns an async
// iterator whose queues live in closures no checkpoint can read, so a
// program suspended inside `for await (… of on(…))` could not be saved.
// Pass 0b points the program's named import of `on` here
// (platform-globals.ts), as it does for `once` (event-once.ts): the iterator
// is an instance of a registered class, its listeners are bound functions of
// registered ones over it, and its promises are the runtime's, so a pending
// iteration is data. It behaves as Node 20's: events not yet asked for are
// queued (their arguments as an array), a `next()` before any event waits,
// an `error` event rejects the first waiting `next()` or the next one to
// come and ends the iteration, `return()` ends it and settles every waiting
// `next()` as done, and the `close` option names events that end it. The
// `highWaterMark`/`lowWaterMark` options pause and resume the emitter. An
// EventTarget is followed through addEventListener, with no `error` event.
// A `signal` option (an AbortSignal) is followed like the emitter: its
// abort ends the iteration with Node's AbortError (the waiting `next()`, or
// the next one, rejects with it); one already aborted throws at the call.
// A call on anything else goes to Node's own `on`.

import { abortError, asSignal, type Emitter, type Listener, listen, type Signal, sourceKind, type Target, unlisten } from './event-sources.js';
import { functions } from './functions.js';
import { IntroPromise } from './promises.js';
import { callNoSave } from './no-save.js';

interface Waiter {
  resolve: (value: IteratorResult<unknown[]>) => void;
  reject: (reason: unknown) => void;
}

interface OnOptions {
  close?: readonly (string | symbol)[];
  highWaterMark?: number;
  lowWaterMark?: number;
  highWatermark?: number;
  lowWatermark?: number;
  signal?: unknown;
}

type Step = Promise<IteratorResult<unknown[]>>;

const done = (): IteratorResult<unknown[]> => ({ value: undefined, done: true });

class EventIterator {
  /** Events nobody asked for yet, oldest first. */
  readonly unconsumed: unknown[][] = [];
  /** `next()` calls waiting for an event, oldest first. */
  readonly waiting: Waiter[] = [];
  /** [name, listener] pairs to remove when the iteration ends. */
  readonly listeners: [string | symbol, Listener][] = [];
  error: unknown = undefined;
  /** The `signal` option and the listener on it, removed when the iteration ends. */
  signal: Signal | undefined = undefined;
  abort: Listener | undefined = undefined;
  failed = false;
  finished = false;
  paused = false;

  constructor(
    readonly emitter: Emitter | Target,
    readonly target: boolean,
    readonly highWaterMark: number,
    readonly lowWaterMark: number,
  ) {}

  next(): Step {
    if (this.unconsumed.length > 0) {
      const value = this.unconsumed.shift()!;
      if (this.paused && this.unconsumed.length < this.lowWaterMark) {
        // The program's stream, maybe: called where no resume point is (this `next` is not re-entered).
        const resume = (this.emitter as Emitter).resume;
        if (typeof resume === 'function') callNoSave(resume, this.emitter);
        this.paused = false;
      }
      return IntroPromise.resolve({ value, done: false }) as Step;
    }
    if (this.failed) {
      const error = this.error;
      this.failed = false;
      this.error = undefined;
      return IntroPromise.reject(error) as Step;
    }
    if (this.finished) return close(this);
    return new IntroPromise<IteratorResult<unknown[]>>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
    }) as unknown as Step;
  }

  return(): Step {
    return close(this);
  }

  throw(error: unknown): void {
    if (!(error instanceof Error)) throw new TypeError('The "EventEmitter.AsyncIterator" property must be an instance of Error.');
    onError(this, error);
  }

  [Symbol.asyncIterator](): EventIterator {
    return this;
  }
}

function onEvent(it: EventIterator, ...args: unknown[]): void {
  const waiter = it.waiting.shift();
  if (waiter !== undefined) return waiter.resolve({ value: args, done: false });
  it.unconsumed.push(args);
  if (!it.paused && it.unconsumed.length > it.highWaterMark) {
    it.paused = true;
    const pause = (it.emitter as Emitter).pause;
    if (typeof pause === 'function') callNoSave(pause, it.emitter);
  }
}

function onError(it: EventIterator, error: unknown): void {
  const waiter = it.waiting.shift();
  if (waiter !== undefined) waiter.reject(error);
  else {
    it.error = error;
    it.failed = true;
  }
  void close(it);
}

function onAbort(it: EventIterator): void {
  onError(it, abortError(it.signal!));
}

function close(it: EventIterator): Step {
  for (const [name, listener] of it.listeners.splice(0)) unlisten(it.emitter, it.target, name, listener);
  if (it.abort !== undefined) unlisten(it.signal!, true, 'abort', it.abort);
  it.abort = undefined;
  it.finished = true;
  for (const waiter of it.waiting.splice(0)) waiter.resolve(done());
  return IntroPromise.resolve(done()) as Step;
}

function follow(it: EventIterator, name: string | symbol, listener: Listener): void {
  it.listeners.push([name, listener]);
  listen(it.emitter, it.target, name, listener);
}

function eventsOn(native: Function, emitter: unknown, name: string | symbol, ...rest: unknown[]): unknown {
  const options = rest[0] as OnOptions | undefined;
  const kind = sourceKind(emitter, name);
  const given = typeof options === 'object' && options !== null ? options.signal : undefined;
  const signal = asSignal(given);
  const plainOptions = options === undefined || (typeof options === 'object' && options !== null && (given === undefined || signal !== undefined));
  if (rest.length > 1 || !plainOptions || kind === undefined) return Reflect.apply(native, undefined, [emitter, name, ...rest]);
  if (signal?.aborted) throw abortError(signal);
  const high = options?.highWaterMark ?? options?.highWatermark ?? Number.MAX_SAFE_INTEGER;
  const low = options?.lowWaterMark ?? options?.lowWatermark ?? 1;
  const it = new EventIterator(emitter as Emitter | Target, kind === 'target', high, low);
  follow(it, name, onEvent.bind(undefined, it));
  if (name !== 'error' && kind === 'emitter') follow(it, 'error', onError.bind(undefined, it) as Listener);
  for (const closing of options?.close ?? []) follow(it, closing, close.bind(undefined, it) as Listener);
  if (signal !== undefined) {
    it.signal = signal;
    it.abort = onAbort.bind(undefined, it) as Listener;
    listen(signal, true, 'abort', it.abort);
  }
  return it;
}

// Like Node's, the iterator inherits from %AsyncIteratorPrototype%.
const asyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}.prototype)) as object;
Object.setPrototypeOf(EventIterator.prototype, asyncIteratorPrototype);

/** `$R.eon(nodeOn)`: the program's `on`, falling back to Node's own where this one does not apply. */
export function runtimeOn(native: Function): Function {
  return eventsOn.bind(undefined, native);
}

functions.registerClassMembers('introspect:EventIterator', EventIterator);
functions.registerStatic('introspect:onEvent', onEvent);
functions.registerStatic('introspect:onError', onError);
functions.registerStatic('introspect:onClose', close);
functions.registerStatic('introspect:onAbort', onAbort);
functions.registerStatic('introspect:eventsOn', eventsOn);
