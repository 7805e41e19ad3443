// EventTarget, Event, CustomEvent, AbortController and AbortSignal for the
// program (pass 0b points the global names here). The platform's keep their
// listeners and abort state in internal slots, which no checkpoint can read,
// and programs keep them everywhere: an event bus in a module constant, a
// controller cancelling a pool of async workers. These are plain classes
// whose state is fields (the listeners a list of records), so a checkpoint
// saves them, subclasses and all (`class Bus extends EventTarget`), like any
// object of the program, and they run the same on every engine.
//
// They follow the DOM Standard's dispatch for a target without a tree
// (no capture/bubble path): listeners in registration order, `once`,
// `signal`-removed listeners, `handleEvent` objects, stopImmediatePropagation,
// preventDefault on cancelable events. Listeners run as a no-save region
// (dispatch is no resume point). A listener that throws does not stop
// the others; the error is reported as uncaught, after the dispatch, as Node
// does. Node's APIs take an AbortSignal by its shape (`aborted`,
// `addEventListener`), so these signals can be passed to them.

import { CLOSURE, functions } from './functions.js';
import type { Runtime } from './runtime.js';

let rt: Runtime;

export function bindEventTargets(runtime: Runtime): void {
  rt = runtime;
}

interface EventInit {
  bubbles?: boolean;
  cancelable?: boolean;
  composed?: boolean;
}

const NONE = 0;
const AT_TARGET = 2;

export class ProgramEvent {
  readonly type: string;
  readonly bubbles: boolean;
  readonly cancelable: boolean;
  readonly composed: boolean;
  readonly isTrusted = false;
  readonly timeStamp: number;
  defaultPrevented = false;
  target: unknown = null;
  currentTarget: unknown = null;
  eventPhase = NONE;
  /** stopImmediatePropagation() was called during the dispatch. */
  stopped = false;
  /** A listener called preventDefault() while passive (ignored). */
  inPassive = false;

  constructor(type: string, init?: EventInit) {
    if (arguments.length === 0) throw new TypeError('The "type" argument must be specified');
    this.type = `${type}`;
    this.bubbles = !!init?.bubbles;
    this.cancelable = !!init?.cancelable;
    this.composed = !!init?.composed;
    this.timeStamp = rt.timers.now();
  }

  preventDefault(): void {
    if (this.cancelable && !this.inPassive) this.defaultPrevented = true;
  }

  stopImmediatePropagation(): void {
    this.stopped = true;
  }

  stopPropagation(): void {}

  composedPath(): unknown[] {
    return this.eventPhase === NONE ? [] : [this.currentTarget];
  }

  get returnValue(): boolean {
    return !this.defaultPrevented;
  }

  get cancelBubble(): boolean {
    return this.stopped;
  }

  get srcElement(): unknown {
    return this.target;
  }

  get [Symbol.toStringTag](): string {
    return 'Event';
  }
}

export class ProgramCustomEvent extends ProgramEvent {
  readonly detail: unknown;
  constructor(type: string, init?: EventInit & { detail?: unknown }) {
    super(type, init);
    this.detail = init?.detail ?? null;
  }

  override get [Symbol.toStringTag](): string {
    return 'CustomEvent';
  }
}

interface Listener {
  type: string;
  callback: unknown;
  capture: boolean;
  once: boolean;
  passive: boolean;
  removed: boolean;
}

type ListenerOptions = boolean | { capture?: boolean; once?: boolean; passive?: boolean; signal?: ProgramAbortSignal };

const LISTENERS = Symbol.for('introspect.listeners');
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
type Inspect = (value: unknown, options: unknown) => string;

/** A hidden own data property: saved with the object, not shown by console.log or Object.keys. */
function hidden(o: object, key: symbol, value: unknown): void {
  Object.defineProperty(o, key, { value, writable: true, configurable: true });
}

export class ProgramEventTarget {
  /** Registered listeners, in order (a hidden field, saved with the target). */
  declare [LISTENERS]: Listener[];

  constructor() {
    hidden(this, LISTENERS, []);
  }

  /** As Node shows an EventTarget: its class name and nothing of its state. */
  [INSPECT](_depth: number, options: unknown, inspect: Inspect): string {
    return `${this.constructor.name} ${inspect({}, options)}`;
  }

  addEventListener(type: string, callback: unknown, options?: ListenerOptions): void {
    if (callback === null || callback === undefined) return;
    const o = typeof options === 'object' && options !== null ? options : { capture: !!options };
    const capture = !!o.capture;
    const signal = typeof options === 'object' && options !== null ? options.signal : undefined;
    if (signal?.aborted) return;
    const list = this[LISTENERS];
    if (list.some((l) => l.type === `${type}` && l.callback === callback && l.capture === capture)) return;
    const listener: Listener = { type: `${type}`, callback, capture, once: !!o.once, passive: !!o.passive, removed: false };
    list.push(listener);
    if (signal !== undefined) signal.addEventListener('abort', removerOf(this, listener), { once: true });
  }

  removeEventListener(type: string, callback: unknown, options?: boolean | { capture?: boolean }): void {
    const capture = typeof options === 'object' && options !== null ? !!options.capture : !!options;
    const list = this[LISTENERS];
    const i = list.findIndex((l) => l.type === `${type}` && l.callback === callback && l.capture === capture);
    if (i >= 0) {
      list[i]!.removed = true;
      list.splice(i, 1);
    }
  }

  dispatchEvent(event: ProgramEvent): boolean {
    if (!(event instanceof ProgramEvent)) throw new TypeError('The "event" argument must be an instance of Event');
    if (event.eventPhase !== NONE) throw new Error('The event is already being dispatched');
    event.target = this;
    event.currentTarget = this;
    event.eventPhase = AT_TARGET;
    const errors: unknown[] = [];
    // The listeners run as a no-save region: this loop is no resume point
    // (a checkpoint due meanwhile is taken at the next point after it).
    rt.ns++;
    try {
      for (const l of this[LISTENERS].slice()) {
        if (event.stopped) break;
        if (l.removed || l.type !== event.type) continue;
        if (l.once) this.removeEventListener(l.type, l.callback, { capture: l.capture });
        event.inPassive = l.passive;
        try {
          const cb = l.callback as { handleEvent?: unknown };
          if (typeof cb === 'function') (cb as Function).call(this, event);
          else if (typeof cb?.handleEvent === 'function') (cb.handleEvent as Function).call(cb, event);
        } catch (e) {
          errors.push(e);
        }
        event.inPassive = false;
      }
      this.onEventHandler(event, errors);
    } finally {
      rt.ns--;
      event.currentTarget = null;
      event.eventPhase = NONE;
      event.stopped = false;
    }
    // As Node: an error thrown by a listener is uncaught, reported once the dispatch is over.
    for (const e of errors) rt.nextTick(rethrow, e);
    return !event.defaultPrevented;
  }

  /** The `on<type>` handler property some targets have (AbortSignal's `onabort`). */
  protected onEventHandler(_event: ProgramEvent, _errors: unknown[]): void {}

  get [Symbol.toStringTag](): string {
    return 'EventTarget';
  }
}

const MAX_LISTENERS = Symbol.for('introspect.maxListeners');

/** node:events' getEventListeners(target, type) for the program's targets (event-helpers.ts): the callbacks, in order. */
export function programListeners(target: ProgramEventTarget, type: unknown): unknown[] {
  return target[LISTENERS].filter((l) => !l.removed && l.type === type).map((l) => l.callback);
}

/** The limit node:events' setMaxListeners(n, target) gave the target (a hidden field, saved with it); undefined: none. */
export function programMaxListeners(target: ProgramEventTarget): number | undefined {
  return (target as unknown as Record<symbol, number | undefined>)[MAX_LISTENERS];
}

export function setProgramMaxListeners(target: ProgramEventTarget, n: number): void {
  hidden(target, MAX_LISTENERS, n);
}

function rethrow(e: unknown): never {
  throw e;
}

/** The listener removal a `signal` option arms: a closure of a registered factory, so it is saved. */
function removerOf(target: ProgramEventTarget, listener: Listener): () => void {
  const fn = () => target.removeEventListener(listener.type, listener.callback, { capture: listener.capture });
  (fn as unknown as Record<symbol, unknown>)[CLOSURE] = [REMOVER, target, listener];
  return fn;
}

const REMOVER = 'introspect:event-target.remover';

/** A DOMException where the engine has one (Node, Deno, Bun, browsers), else an Error that reads the same. */
function domException(message: string, name: string): unknown {
  const D = (globalThis as { DOMException?: new (message: string, name: string) => unknown }).DOMException;
  if (typeof D === 'function') return new D(message, name);
  const e = new Error(message);
  e.name = name;
  return e;
}

const abortError = (): unknown => domException('This operation was aborted', 'AbortError');
const timeoutError = (): unknown => domException('The operation was aborted due to timeout', 'TimeoutError');

const ABORT_STATE = Symbol.for('introspect.abortState');

interface AbortState {
  aborted: boolean;
  reason: unknown;
  onabort: unknown;
}

export class ProgramAbortSignal extends ProgramEventTarget {
  declare [ABORT_STATE]: AbortState;

  constructor() {
    super();
    hidden(this, ABORT_STATE, { aborted: false, reason: undefined, onabort: null });
  }

  get aborted(): boolean {
    return this[ABORT_STATE].aborted;
  }

  get reason(): unknown {
    return this[ABORT_STATE].reason;
  }

  get onabort(): unknown {
    return this[ABORT_STATE].onabort;
  }

  set onabort(handler: unknown) {
    this[ABORT_STATE].onabort = typeof handler === 'function' || (typeof handler === 'object' && handler !== null) ? handler : null;
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }

  /** Aborts the signal (the controller's `abort`). */
  signalAbort(reason: unknown): void {
    const state = this[ABORT_STATE];
    if (state.aborted) return;
    state.aborted = true;
    state.reason = reason === undefined ? abortError() : reason;
    this.dispatchEvent(new ProgramEvent('abort'));
  }

  protected override onEventHandler(event: ProgramEvent, errors: unknown[]): void {
    const handler = this.onabort;
    if (event.type !== 'abort' || typeof handler !== 'function' || event.stopped) return;
    try {
      handler.call(this, event);
    } catch (e) {
      errors.push(e);
    }
  }

  override [INSPECT](_depth: number, options: unknown, inspect: Inspect): string {
    return `${this.constructor.name} ${inspect({ aborted: this.aborted }, options)}`;
  }

  static abort(reason?: unknown): ProgramAbortSignal {
    const s = new ProgramAbortSignal();
    s.signalAbort(reason);
    return s;
  }

  /** Aborted after `ms` by a timer of the runtime's (saved with the others). */
  static timeout(ms: number): ProgramAbortSignal {
    const s = new ProgramAbortSignal();
    rt.setTimeout(abortByTimeout, ms, s).unref();
    return s;
  }

  static any(signals: Iterable<ProgramAbortSignal>): ProgramAbortSignal {
    const s = new ProgramAbortSignal();
    const list = [...signals];
    const already = list.find((x) => x.aborted);
    if (already !== undefined) {
      s.signalAbort(already.reason);
      return s;
    }
    for (const x of list) x.addEventListener('abort', followerOf(s, x), { once: true });
    return s;
  }

  override get [Symbol.toStringTag](): string {
    return 'AbortSignal';
  }
}

function abortByTimeout(s: ProgramAbortSignal): void {
  s.signalAbort(timeoutError());
}

/** For AbortSignal.any: aborts `follower` with `source`'s reason. */
function followerOf(follower: ProgramAbortSignal, source: ProgramAbortSignal): () => void {
  const fn = () => follower.signalAbort(source.reason);
  (fn as unknown as Record<symbol, unknown>)[CLOSURE] = [FOLLOWER, follower, source];
  return fn;
}
const FOLLOWER = 'introspect:abort-signal.follower';

const SIGNAL = Symbol.for('introspect.signal');

export class ProgramAbortController {
  declare [SIGNAL]: ProgramAbortSignal;

  constructor() {
    hidden(this, SIGNAL, new ProgramAbortSignal());
  }

  get signal(): ProgramAbortSignal {
    return this[SIGNAL];
  }

  abort(reason?: unknown): void {
    this[SIGNAL].signalAbort(reason);
  }

  [INSPECT](_depth: number, options: unknown, inspect: Inspect): string {
    return `${this.constructor.name} ${inspect({ signal: this.signal }, options)}`;
  }

  get [Symbol.toStringTag](): string {
    return 'AbortController';
  }
}

// Each class under the name the program's code and console.log see.
for (const [C, name] of [[ProgramEvent, 'Event'], [ProgramCustomEvent, 'CustomEvent'], [ProgramEventTarget, 'EventTarget'], [ProgramAbortSignal, 'AbortSignal'], [ProgramAbortController, 'AbortController']] as const) {
  Object.defineProperty(C, 'name', { value: name, configurable: true });
  functions.registerClassMembers(`introspect:${name}`, C);
}
functions.registerStatic('introspect:event-target.rethrow', rethrow);
functions.registerStatic('introspect:abort-signal.byTimeout', abortByTimeout);
functions.registerFactory(REMOVER, removerOf as (...envs: any[]) => Function);
functions.registerFactory(FOLLOWER, followerOf as (...envs: any[]) => Function);
