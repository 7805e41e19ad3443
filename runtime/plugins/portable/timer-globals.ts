// Node's timer globals for the script engines that lack some of them
// (QuickJS has none, the jsc shell no clearTimeout or setInterval, gjs and
// the browsers no setImmediate), made from the host's timers. The program's
// own timers are the runtime's (pass 0b points its globals there); these are
// for the code the transform leaves alone, a library in node_modules that
// schedules through the globals (`_.delay`, a poller, a `setImmediate`
// yield), which failed with a ReferenceError after a restart there
// (fixtures/lib-native-timers). Ids are numbers, as a browser's are; a
// cleared timer's callback that the host can no longer take back is
// skipped. Only missing names are defined. Imports nothing from a platform.

import type { PlatformTimers } from '../../timers.js';

type Callback = (...args: unknown[]) => void;

export function provideTimerGlobals(timers: PlatformTimers | undefined): void {
  const g = globalThis as Record<string, unknown>;
  // The engine's own setTimeout where there is one: a host's timers may call
  // the global by name (jsc), which may become the one defined below.
  const native = typeof g.setTimeout === 'function' ? (g.setTimeout as (fn: () => void, ms: number) => unknown) : undefined;
  const nativeClear = typeof g.clearTimeout === 'function' ? (g.clearTimeout as (handle: unknown) => void) : undefined;
  if (native === undefined && timers === undefined) return;
  const set = native ?? ((fn: () => void, ms: number) => timers!.set(fn, ms));
  const cancel = nativeClear ?? ((handle: unknown) => timers?.clear(handle));
  const live = new Map<number, unknown>();
  let nextId = 1;
  const arm = (id: number, fn: () => void, ms: number | undefined): void => {
    live.set(id, set(() => {
      if (live.has(id)) fn();
    }, Math.max(0, Number(ms) || 0)));
  };
  const clearBy = (undo: (handle: unknown) => void) => (id: unknown): void => {
    const handle = live.get(id as number);
    if (!live.delete(id as number)) return;
    try {
      undo(handle);
    } catch {
      /* a host that cannot take a timer back (jsc): the callback is skipped instead */
    }
  };
  const put = (name: string, value: Function): void => {
    Object.defineProperty(g, name, { value, writable: true, enumerable: false, configurable: true });
  };
  const clear = clearBy(cancel);
  // Without both one-shot functions, ids are ours, so intervals are ours too.
  const oneShot = native === undefined || nativeClear === undefined;
  if (oneShot) {
    put('setTimeout', (fn: Callback, ms?: number, ...args: unknown[]): number => {
      const id = nextId++;
      arm(id, () => (live.delete(id), fn(...args)), ms);
      return id;
    });
    put('clearTimeout', clear);
  }
  if (oneShot || typeof g.setInterval !== 'function' || typeof g.clearInterval !== 'function') {
    put('setInterval', (fn: Callback, ms?: number, ...args: unknown[]): number => {
      const id = nextId++;
      const tick = (): void => {
        arm(id, tick, ms); // the next tick first: the callback may clear it
        fn(...args);
      };
      arm(id, tick, ms);
      return id;
    });
    put('clearInterval', clear);
  }
  const immediate = timers?.immediate?.bind(timers);
  const clearImmediate = timers?.clearImmediate?.bind(timers);
  if (typeof g.setImmediate !== 'function') {
    put('setImmediate', (fn: Callback, ...args: unknown[]): number => {
      const id = nextId++;
      const run = (): void => {
        if (live.delete(id)) fn(...args);
      };
      live.set(id, immediate ? immediate(run) : set(run, 0));
      return id;
    });
  }
  if (typeof g.clearImmediate !== 'function') put('clearImmediate', immediate && clearImmediate ? clearBy(clearImmediate) : clear);
}
