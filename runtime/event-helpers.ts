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
// it (Host.syncBuiltinExports). Imports nothing from a platform.

import { ProgramEventTarget, programListeners, programMaxListeners, setProgramMaxListeners } from './event-target.js';

const WRAPPED = Symbol.for('introspect.programTargets');

type Fn = ((...args: unknown[]) => unknown) & { [WRAPPED]?: true };
type EventsModule = Record<string, unknown> & { defaultMaxListeners?: number };

/** A stand-in the platform's setMaxListeners accepts (an emitter): checks `n` the platform's way, sets nothing. */
const NOTHING = { setMaxListeners(): void {} };

function wrappers(events: EventsModule, natives: Record<string, Fn>): Record<string, Fn> {
  const defaultMax = () => (typeof events.defaultMaxListeners === 'number' ? events.defaultMaxListeners : 10);
  return {
    getEventListeners(this: unknown, emitterOrTarget: unknown, type: unknown) {
      if (emitterOrTarget instanceof ProgramEventTarget) return programListeners(emitterOrTarget, type);
      return natives.getEventListeners!.call(this, emitterOrTarget, type);
    },
    getMaxListeners(this: unknown, emitterOrTarget: unknown) {
      if (emitterOrTarget instanceof ProgramEventTarget) return programMaxListeners(emitterOrTarget) ?? defaultMax();
      return natives.getMaxListeners!.call(this, emitterOrTarget);
    },
    setMaxListeners(this: unknown, ...args: unknown[]) {
      const targets = args.slice(1);
      const native = natives.setMaxListeners!;
      if (!targets.some((t) => t instanceof ProgramEventTarget)) return native.apply(this, args);
      const n = args[0] === undefined ? defaultMax() : args[0];
      native.call(this, n, NOTHING);
      for (const t of targets) {
        if (t instanceof ProgramEventTarget) setProgramMaxListeners(t, n as number);
        else native.call(this, n, t);
      }
      return undefined;
    },
  };
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

/** For a library the program imports: makes node:events' listener helpers know the program's EventTargets. True when it changed the module's exports. */
export function recognizeProgramTargets(spec: string, ns: unknown): boolean {
  const name = spec.startsWith('node:') ? spec.slice(5) : spec;
  if (name !== 'events' || ns === null || (typeof ns !== 'object' && typeof ns !== 'function')) return false;
  // ES-module import: the namespace, whose default is the exports object; require(): the exports object itself.
  const events = (typeof ns === 'function' ? ns : (ns as { default?: unknown }).default) as EventsModule | undefined;
  if (typeof events !== 'function' && (typeof events !== 'object' || events === null)) return false;
  const natives: Record<string, Fn> = {};
  for (const key of ['getEventListeners', 'getMaxListeners', 'setMaxListeners']) {
    const f = events[key] as Fn | undefined;
    if (typeof f !== 'function' || f[WRAPPED]) return false;
    natives[key] = f;
  }
  let changed = false;
  for (const [key, wrapper] of Object.entries(wrappers(events, natives))) {
    const named = { [key]: wrapper }[key]!;
    Object.defineProperty(named, 'name', { value: key, configurable: true });
    Object.defineProperty(named, 'length', { value: natives[key]!.length, configurable: true });
    Object.defineProperty(named, WRAPPED, { value: true });
    try {
      events[key] = named;
      changed = true;
    } catch {
      // frozen exports: the platform's own stay
    }
  }
  return changed;
}
