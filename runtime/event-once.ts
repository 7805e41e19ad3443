// `once(emitter, name)` of node:events, the runtime's. Node's returns a
// promise of the platform that only the program's own `emit` settles, so a
// checkpoint could neither save it nor wait for it (the program is paused).
// Pass 0b points the program's named import of `once` here
// (platform-globals.ts): the same promise, made by the runtime's Promise,
// settled by listeners that are bound functions of registered ones over a
// plain state object, so a pending `once` is data a checkpoint saves — in
// the emitter's listener table, in the promise's reactions, in the frames
// awaiting it. Like Node's: the first `name` event fulfills it with the
// event's arguments as an array, an `error` event first rejects it, and both
// listeners are removed either way. An EventTarget (the program's are the
// runtime's, event-target.ts) is waited on through addEventListener, with no
// `error` event, as Node does. A `signal` option (an AbortSignal) is
// followed the same way: its abort rejects the promise with Node's
// AbortError and removes the listeners; one already aborted rejects at once.
// Anything else goes to Node's own `once`.

import { abortError, asSignal, type Emitter, type Listener, listen, type Signal, sourceKind, type Target, unlisten } from './event-sources.js';
import { functions } from './functions.js';
import { IntroPromise } from './promises.js';

/** What one pending `once` shares with its two listeners. */
class OnceWait {
  event: Listener | undefined = undefined;
  error: Listener | undefined = undefined;
  signal: Signal | undefined = undefined;
  abort: Listener | undefined = undefined;
  constructor(
    public emitter: Emitter | Target,
    public name: string | symbol,
    /** An EventTarget (addEventListener), not an EventEmitter. */
    public target: boolean,
    public resolve: (value: unknown) => void,
    public reject: (reason: unknown) => void,
  ) {}
}

function detach(wait: OnceWait): void {
  unlisten(wait.emitter, wait.target, wait.name, wait.event!);
  if (wait.error !== undefined) unlisten(wait.emitter, false, 'error', wait.error);
  if (wait.abort !== undefined) unlisten(wait.signal!, true, 'abort', wait.abort);
}

function onceAbort(wait: OnceWait): void {
  detach(wait);
  wait.reject(abortError(wait.signal!));
}

function onceEvent(wait: OnceWait, ...args: unknown[]): void {
  detach(wait);
  wait.resolve(args);
}

function onceError(wait: OnceWait, error: unknown): void {
  detach(wait);
  wait.reject(error);
}

function eventsOnce(native: Function, emitter: unknown, name: string | symbol, ...options: unknown[]): unknown {
  const kind = sourceKind(emitter, name);
  const signal = signalOption(options);
  if ((options.length > 0 && signal === undefined) || kind === undefined) return Reflect.apply(native, undefined, [emitter, name, ...options]);
  const isTarget = kind === 'target';
  if (signal?.aborted) return IntroPromise.reject(abortError(signal));
  return new IntroPromise((resolve, reject) => {
    const wait = new OnceWait(emitter as Emitter | Target, name, isTarget, resolve, reject);
    if (signal !== undefined) {
      wait.signal = signal;
      wait.abort = onceAbort.bind(undefined, wait) as Listener;
      listen(signal, true, 'abort', wait.abort);
    }
    wait.event = onceEvent.bind(undefined, wait);
    listen(wait.emitter, isTarget, name, wait.event);
    if (!isTarget && name !== 'error') {
      wait.error = onceError.bind(undefined, wait) as Listener;
      listen(wait.emitter, false, 'error', wait.error);
    }
  });
}

/** The `signal` of `[{ signal }]`, the one options object this `once` takes. */
function signalOption(options: unknown[]): Signal | undefined {
  if (options.length !== 1) return undefined;
  const o = options[0] as { signal?: unknown } | null;
  if (typeof o !== 'object' || o === null || Object.keys(o).some((k) => k !== 'signal')) return undefined;
  return asSignal(o.signal);
}

/** `$R.eonce(nodeOnce)`: the program's `once`, falling back to Node's own where this one does not apply. */
export function runtimeOnce(native: Function): Function {
  return eventsOnce.bind(undefined, native);
}

functions.registerClassMembers('introspect:OnceWait', OnceWait);
functions.registerStatic('introspect:onceEvent', onceEvent);
functions.registerStatic('introspect:onceError', onceError);
functions.registerStatic('introspect:onceAbort', onceAbort);
functions.registerStatic('introspect:eventsOnce', eventsOnce);
