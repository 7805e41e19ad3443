// The exit code of a natural end on the script engines. On Node a program
// that sets `process.exitCode = n` and then simply runs out of work exits
// with n; the QuickJS, jsc and gjs shells and a browser page end with 0
// when nothing is left to run. Takes the host and the `process` of
// process.ts; counts the timers armed through the host (or, where the
// runtime uses the engine's globals, through those), and one macrotask after
// the count falls to zero — so that the jobs the last callback queued have
// run and armed theirs — ends through `host.exit(exitCode)` if the program
// set one; in virtual time (no timers at all), once the runtime says the
// program has nothing left (Host.ended). Nothing changes for a program that
// leaves exitCode at 0. Timers
// a library arms through the engine's own globals, where the host has its
// own, are not counted. Imports nothing from a platform.

import type { Host } from '../../host.js';
import type { PlatformTimers } from '../../timers.js';

interface ExitCodeHolder {
  exitCode?: number | string | undefined;
}

/** Ends the program with `proc.exitCode` once no counted timer is pending. */
export function exitWithCodeAtEnd(host: Host, proc: ExitCodeHolder): void {
  const g = globalThis as Record<string, unknown>;
  let armed = 0;
  let arm: (fn: () => void) => void = () => {};
  let due = false;
  // one macrotask after the count fell to zero: the jobs of the last callback have armed theirs
  const idle = (): void => {
    if (armed !== 0 || due) return;
    due = true;
    arm(() => {
      due = false;
      if (armed === 0) exitWith(host, proc);
    });
  };
  const count = <H>(set: (fn: () => void, ms: number) => H, clear: (handle: H) => void): { set(fn: () => void, ms: number): H; clear(handle: H): void } => {
    const live = new Set<H>();
    return {
      set(fn, ms) {
        armed++;
        const handle: H = set(() => {
          if (live.delete(handle)) armed--;
          try {
            fn();
          } finally {
            idle();
          }
        }, ms);
        live.add(handle);
        return handle;
      },
      clear(handle) {
        clear(handle);
        if (live.delete(handle)) {
          armed--;
          idle();
        }
      },
    };
  };
  if (host.timers !== undefined) {
    const own: PlatformTimers = host.timers;
    const counted = count((fn, ms) => own.set(fn, ms), (h) => own.clear(h));
    host.timers = { ...own, set: counted.set, clear: counted.clear, immediate: undefined, clearImmediate: undefined };
    if (own.immediate !== undefined) {
      const immediate = count((fn) => own.immediate!(fn), (h) => own.clearImmediate?.(h));
      host.timers.immediate = (fn) => immediate.set(fn, 0);
      host.timers.clearImmediate = (h) => immediate.clear(h);
    }
    arm = (fn) => void own.set(fn, 0);
  } else if (typeof g.setTimeout === 'function' && typeof g.clearTimeout === 'function') {
    const set = g.setTimeout as (fn: () => void, ms: number) => unknown;
    const clear = g.clearTimeout as (handle: unknown) => void;
    const counted = count((fn, ms) => set.call(g, fn, ms), (h) => clear.call(g, h));
    g.setTimeout = (fn: (...args: unknown[]) => void, ms: number, ...args: unknown[]) => counted.set(() => fn(...args), ms);
    g.clearTimeout = (h: unknown) => counted.clear(h);
    arm = (fn) => void set.call(g, fn, 0);
  } else {
    // virtual time: the runtime runs every timer itself and says when nothing is left
    host.ended = () => exitWith(host, proc);
    return;
  }
  idle(); // a program that arms nothing after its restart
}

function exitWith(host: Host, proc: ExitCodeHolder): void {
  const code = Number(proc.exitCode ?? 0) || 0;
  if (code === 0) return;
  try {
    host.exit(code);
  } catch {
    // a host that exits by throwing (a page, gjs): the throw is the exit
  }
}
