// What the runtime's `once` and `on` of node:events (event-once.ts,
// event-on.ts) listen on, as Node's do: an EventEmitter (`on` /
// `removeListener`, any event name) or an EventTarget (`addEventListener` /
// `removeEventListener`, string names only, no `error` event).

import { callNoSave2 } from './no-save.js';

export type Listener = (...args: unknown[]) => void;

export interface Emitter {
  on(name: string | symbol, listener: Listener): unknown;
  removeListener(name: string | symbol, listener: Listener): unknown;
  pause?(): unknown;
  resume?(): unknown;
}

export interface Target {
  addEventListener(name: string, listener: Listener): unknown;
  removeEventListener(name: string, listener: Listener): unknown;
}

/** Which kind of source `source` is for events named `name`; undefined: neither (Node's own function handles it). */
export function sourceKind(source: unknown, name: string | symbol): 'emitter' | 'target' | undefined {
  const s = source as Partial<Emitter & Target> | null | undefined;
  if (typeof s?.on === 'function' && typeof s.removeListener === 'function') return 'emitter';
  if (typeof s?.addEventListener === 'function' && typeof s.removeEventListener === 'function' && typeof name === 'string') return 'target';
  return undefined;
}

// The source may be the program's own (an emitter whose `on` it overrides):
// its methods run as no-save regions, since the runtime calls them several
// at a time, from places that are no resume points.
export function listen(source: Emitter | Target, target: boolean, name: string | symbol, listener: Listener): void {
  if (target) callNoSave2((source as Target).addEventListener, source, name, listener);
  else callNoSave2((source as Emitter).on, source, name, listener);
}

export function unlisten(source: Emitter | Target, target: boolean, name: string | symbol, listener: Listener): void {
  if (target) callNoSave2((source as Target).removeEventListener, source, name, listener);
  else callNoSave2((source as Emitter).removeListener, source, name, listener);
}

/** A `signal` option `once` and `on` can follow: an AbortSignal (the program's are the runtime's, event-target.ts). */
export interface Signal extends Target {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

export function asSignal(value: unknown): Signal | undefined {
  return sourceKind(value, 'abort') === 'target' && typeof (value as Partial<Signal>).aborted === 'boolean' ? (value as Signal) : undefined;
}

/** Node's error for an aborted `signal` option: its name, code and message, the signal's reason as its cause. */
export function abortError(signal: Signal): Error {
  const error = new Error('The operation was aborted', { cause: signal.reason });
  Object.defineProperty(error, 'name', { value: 'AbortError', writable: true, configurable: true });
  Object.defineProperty(error, 'code', { value: 'ABORT_ERR', writable: true, enumerable: true, configurable: true });
  return error;
}
