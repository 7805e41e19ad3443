// `getEventListeners`, `getMaxListeners` and `setMaxListeners` of
// node:events (and Bun's and Deno's) for the program's EventTargets and
// AbortSignals. Those are the runtime's (event-target.ts), which the
// platform's functions do not know: `events.setMaxListeners(50,
// controller.signal)`, the usual way to quiet the leak warning, threw
// ERR_INVALID_ARG_TYPE ("must be an instance of EventEmitter or
// EventTarget. Received an instance of AbortSignal"). Takes the module as
// the program's import registers it (`$R.lib`, libraries.ts), before the
// library registry reads it; guarantees that its exports object (Node's
// EventEmitter, what require('events') gives libraries too) holds wrappers
// that answer for the program's targets (their listeners; a limit kept in
// a hidden field, saved with the target) and call the platform's own for
// anything else, with its errors. Returns true when it changed the
// exports: syncBuiltinExports then lets ES-module imports of built-ins see
// it (Host.syncBuiltinExports); where it cannot (Bun), the program's own
// imports are bound to the wrappers by the transform (programTargetHelper).
// Imports nothing from a platform.

import { functions } from './functions.js';
import { ProgramEventTarget, programListeners, programMaxListeners, setProgramMaxListeners } from './event-target.js';

const WRAPPED = Symbol.for('introspect.programTargets');

type Fn = ((...args: unknown[]) => unknown) & { [WRAPPED]?: true };
type EventsModule = Record<string, unknown> & { defaultMaxListeners?: number };

const HELPERS = ['getEventListeners', 'getMaxListeners', 'setMaxListeners'] as const;
type Helper = (typeof HELPERS)[number];

/** The platform's own functions, as the program's import gave them (set again at every load, a restart's too). */
const natives: Partial<Record<Helper, Fn>> = {};
/** The module whose exports hold the wrappers (its `defaultMaxListeners`). */
let eventsModule: EventsModule | undefined;

/** A stand-in the platform's setMaxListeners accepts (an emitter): checks `n` the platform's way, sets nothing. */
const NOTHING = { setMaxListeners(): void {} };

function platform(key: Helper): Fn {
  const f = natives[key];
  if (f === undefined) throw new TypeError(`node:events' ${key} is not available here`);
  return f;
}

const defaultMax = (): number => (typeof eventsModule?.defaultMaxListeners === 'number' ? eventsModule.defaultMaxListeners : 10);

// One function each, saved by its runtime id (not by a library path, which
// names the platform's own where ES-module bindings of built-ins cannot be
// updated: Bun), so a checkpoint restarts with the same on every platform.
const wrappers: Record<Helper, Fn> = {
  getEventListeners: function getEventListeners(this: unknown, emitterOrTarget: unknown, type: unknown) {
    if (emitterOrTarget instanceof ProgramEventTarget) return programListeners(emitterOrTarget, type);
    return platform('getEventListeners').call(this, emitterOrTarget, type);
  } as Fn,
  getMaxListeners: function getMaxListeners(this: unknown, emitterOrTarget: unknown) {
    if (emitterOrTarget instanceof ProgramEventTarget) return programMaxListeners(emitterOrTarget) ?? defaultMax();
    return platform('getMaxListeners').call(this, emitterOrTarget);
  } as Fn,
  setMaxListeners: function setMaxListeners(this: unknown, ...args: unknown[]) {
    const targets = args.slice(1);
    const native = platform('setMaxListeners');
    if (!targets.some((t) => t instanceof ProgramEventTarget)) return native.apply(this, args);
    const n = args[0] === undefined ? defaultMax() : args[0];
    native.call(this, n, NOTHING);
    for (const t of targets) {
      if (t instanceof ProgramEventTarget) setProgramMaxListeners(t, n as number);
      else native.call(this, n, t);
    }
    return undefined;
  } as Fn,
};
for (const key of HELPERS) {
  Object.defineProperty(wrappers[key], WRAPPED, { value: true });
  functions.registerStatic(`introspect:events.${key}`, wrappers[key]);
}

/**
 * After recognizeProgramTargets changed the exports: ES-module imports of
 * built-ins see it too, through the host where it has the hook, else where
 * the platform offers its built-in modules to feature detection
 * (`process.getBuiltinModule`: a built program run by plain node), an
 * import of nothing.
 */
export function syncBuiltinExports(host: { syncBuiltinExports?(): void } | undefined): void {
  if (host?.syncBuiltinExports !== undefined) return host.syncBuiltinExports();
  type NodeModule = { syncBuiltinESMExports?: () => void };
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    (process?.getBuiltinModule?.('node:module') as NodeModule | undefined)?.syncBuiltinESMExports?.();
  } catch {
    // no such module here: only the exports object has them
  }
}

/**
 * `$R.egl`, `$R.egm`, `$R.esm` (pass 0b'', transformer/library-helpers.ts):
 * the program's named import of a helper, or its read from the module's
 * namespace, is bound to the wrapper. Where the platform cannot update the
 * ES-module bindings of built-ins (Bun), those still hold its own function.
 */
export function programTargetHelper(key: Helper): (native: unknown) => unknown {
  return (native) => {
    if (typeof native !== 'function') return native;
    if (!(native as Fn)[WRAPPED]) natives[key] ??= native as Fn;
    return wrappers[key];
  };
}

/** For a library the program imports: makes node:events' listener helpers know the program's EventTargets. True when it changed the module's exports. */
export function recognizeProgramTargets(spec: string, ns: unknown): boolean {
  const name = spec.startsWith('node:') ? spec.slice(5) : spec;
  if (name !== 'events' || ns === null || (typeof ns !== 'object' && typeof ns !== 'function')) return false;
  // ES-module import: the namespace, whose default is the exports object; require(): the exports object itself.
  const events = (typeof ns === 'function' ? ns : (ns as { default?: unknown }).default) as EventsModule | undefined;
  if (typeof events !== 'function' && (typeof events !== 'object' || events === null)) return false;
  for (const key of HELPERS) {
    const f = events[key] as Fn | undefined;
    if (typeof f !== 'function' || f[WRAPPED]) return false;
  }
  eventsModule = events;
  let changed = false;
  for (const key of HELPERS) {
    natives[key] = events[key] as Fn;
    try {
      events[key] = wrappers[key];
      changed = true;
    } catch {
      // frozen exports: the platform's own stay
    }
  }
  return changed;
}
