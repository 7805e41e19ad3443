// Node's `onceWrapper`, found where `once` binds it. `emitter.once` of
// node:events stores `onceWrapper.bind(state)`, so an emitter with a pending
// once-listener holds that internal function, which no path reaches: a
// checkpoint names it `node:events.onceWrapper` (Host.named), and each host
// gives the name to its own: Node's (plugins/node/host.ts), or on an engine
// without Node the `events` package's, whose `once` binds its wrapper to the
// same state (boot.ts, events-module.ts). Imports nothing from a platform.

import { boundParts } from '../../heap/bound.js';

interface OnceEmitter {
  once(name: string, listener: () => void): unknown;
  rawListeners(name: string): unknown[];
}

/**
 * The function `probe.once` binds its wrapper from, or undefined where it
 * makes the wrapper otherwise (Bun: a closure). Leaves one once-listener
 * for `probe` on it.
 */
export function onceWrapperOf(probe: OnceEmitter): Function | undefined {
  probe.once('probe', () => {});
  const wrapper = probe.rawListeners('probe')[0];
  return typeof wrapper === 'function' ? boundParts(wrapper)?.target : undefined;
}
