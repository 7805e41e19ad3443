// node:timers on an engine without Node, for the restart bundle
// (cli/platform/bundle.ts resolves `node:timers` and `timers` here). A
// program's named imports of the module are the runtime's timers already
// (pass 0b, transformer/platform-globals.ts); what is left is a namespace or
// default import (`timers.setTimeout(...)`), which on Node calls the
// platform's timers, and here calls the engine's globals (the boot defines
// those the engine lacks: timer-globals.ts), looked up at each call; the
// callback gets its arguments from here, as an engine's own may pass none.
// Imports nothing from a platform.

type Timer = (...args: unknown[]) => unknown;

const globalTimer = (name: string): Timer => (globalThis as unknown as Record<string, Timer>)[name]!;

/** A setter that passes the callback its arguments itself: an engine's own (the wasm runner's) may take only (fn, ms). */
const setter = (name: string, immediate: boolean): Timer =>
  ({
    [name]: (callback: unknown, ...rest: unknown[]): unknown => {
      if (typeof callback !== 'function') return globalTimer(name)(callback, ...rest);
      const args = immediate ? rest : rest.slice(1);
      return immediate ? globalTimer(name)(() => callback(...args)) : globalTimer(name)(() => callback(...args), rest[0]);
    },
  })[name]!;
const clearer = (name: string): Timer => ({ [name]: (handle: unknown): unknown => globalTimer(name)(handle) })[name]!;

export const setTimeout = setter('setTimeout', false);
export const clearTimeout = clearer('clearTimeout');
export const setInterval = setter('setInterval', false);
export const clearInterval = clearer('clearInterval');
export const setImmediate = setter('setImmediate', true);
export const clearImmediate = clearer('clearImmediate');

export default { setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate };
