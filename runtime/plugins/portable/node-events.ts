// node:events on an engine without Node. The restart bundle gives the
// program the `events` package in its place (events-module.ts), whose
// emitters keep Node's fields, and whose `emitter.once` binds its own
// `onceWrapper` to the same state object as Node's. A once-listener that a
// checkpoint taken on Node holds is saved as Node's `onceWrapper` by name
// (plugins/node/host.ts); this names the package's the same, so it goes on
// here. Imports nothing from a platform.

import EventEmitter from 'events/events.js';
import { boundParts } from '../../heap/bound.js';

/** Host.namedLazily entries: read when a restore meets the name. */
export function eventInternals(): Record<string, () => object | undefined> {
  return {
    'node:events.onceWrapper': () => {
      const probe = new EventEmitter();
      probe.once('probe', () => {});
      const wrapper = probe.rawListeners('probe')[0];
      return typeof wrapper === 'function' ? boundParts(wrapper)?.target : undefined;
    },
  };
}
