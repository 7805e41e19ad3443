// node:timers on an engine without Node, for the restart bundle
// (cli/platform/bundle.ts resolves `node:timers` and `timers` here). A
// program's named imports of the module are the runtime's timers already
// (pass 0b, transformer/platform-globals.ts); what is left is a namespace or
// default import (`timers.setTimeout(...)`), which on Node calls the
// platform's timers, and here calls the engine's (the boot defines those
// the engine lacks: timer-globals.ts), looked up at each call; the
// callback gets its arguments from here, as an engine's own may pass none.
// Imports nothing from a platform.

type Timer = (...args: unknown[]) => unknown;

/**
 * The engine's timer functions by their free names, not as properties of the global object: the
 * gjs runner passes the bundle its own setTimeout family as parameters (it keeps its main loop
 * running while one is pending), and gjs's global ones do not keep it.
 */
const TIMERS: Record<string, () => Timer> = {
  setTimeout: () => setTimeout as unknown as Timer,
  clearTimeout: () => clearTimeout as unknown as Timer,
  setInterval: () => setInterval as unknown as Timer,
  clearInterval: () => clearInterval as unknown as Timer,
  setImmediate: () => setImmediate as unknown as Timer,
  clearImmediate: () => clearImmediate as unknown as Timer,
};
const globalTimer = (name: string): Timer => TIMERS[name]!();

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

// (Local names of their own: an export named setTimeout would be what `setTimeout` above reads.)
const setTimeout_ = setter('setTimeout', false);
const clearTimeout_ = clearer('clearTimeout');
const setInterval_ = setter('setInterval', false);
const clearInterval_ = clearer('clearInterval');
const setImmediate_ = setter('setImmediate', true);
const clearImmediate_ = clearer('clearImmediate');

export {
  setTimeout_ as setTimeout,
  clearTimeout_ as clearTimeout,
  setInterval_ as setInterval,
  clearInterval_ as clearInterval,
  setImmediate_ as setImmediate,
  clearImmediate_ as clearImmediate,
};

export default { setTimeout: setTimeout_, clearTimeout: clearTimeout_, setInterval: setInterval_, clearInterval: clearInterval_, setImmediate: setImmediate_, clearImmediate: clearImmediate_ };
