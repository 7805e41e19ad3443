// node:events on an engine without Node, for the restart bundle
// (cli/platform/bundle.ts resolves `node:events` and `events` here): the
// `events` package (what browserify and webpack give a page), whose
// emitters keep Node's fields (`_events`, `_eventsCount`, `_maxListeners`),
// so an emitter saved on Node goes on with it, and the rest of Node's
// exports by their names, so that what the program holds of the module is
// found again. `once` and `on` of the program are the runtime's already
// (runtime/event-once.ts, event-on.ts); this `on` is what they fall back to
// for a source that is neither an emitter nor an EventTarget. Imports
// nothing from a platform.

import EventEmitter from 'events/events.js';

type Listener = (...args: unknown[]) => unknown;
type Emitter = InstanceType<typeof EventEmitter>;

export function on(emitter: unknown, name: string | symbol): never {
  throw new TypeError(`introspect: events.on(${String(name)}) on this platform takes an EventEmitter or an EventTarget, not ${typeof emitter}`);
}

export function getEventListeners(emitter: Emitter, name: string | symbol): Listener[] {
  return emitter.listeners(name) as Listener[];
}

export function getMaxListeners(emitter: Emitter): number {
  return emitter.getMaxListeners();
}

export function setMaxListeners(n: number, ...emitters: Emitter[]): void {
  if (emitters.length === 0) EventEmitter.defaultMaxListeners = n;
  for (const e of emitters) e.setMaxListeners(n);
}

export function listenerCount(emitter: Emitter, name: string | symbol): number {
  return emitter.listenerCount(name);
}

export const errorMonitor = Symbol('events.errorMonitor');
export const captureRejectionSymbol = Symbol.for('nodejs.rejection');
export const usingDomains = false;
export const once = EventEmitter.once;
export const defaultMaxListeners = EventEmitter.defaultMaxListeners;

Object.assign(EventEmitter, { on, getEventListeners, getMaxListeners, setMaxListeners, listenerCount, errorMonitor, captureRejectionSymbol, usingDomains });

export { EventEmitter };
export default EventEmitter;
