// Timers that code outside the program sets through the platform's globals
// (a library's `setTimeout`: lodash's `_.delay`, a retry helper's backoff,
// an emitter's debounce). The program's own timers are the runtime's
// (the transform rewrites their names) and are saved; these are the
// platform's, which no checkpoint can hold, so a checkpoint taken while one
// was pending restarted without it and its callback never ran. Takes the
// globals; guarantees that each pending, ref'd one counts as the platform's
// work in flight (Host.platformWorkInFlight), so a due checkpoint waits
// until it has fired or been cleared, as for I/O (past the quiesce timeout
// it fails, saying so). An unref'd one (housekeeping that does not keep the
// process alive) does not count. The wrappers keep the natives under
// NATIVE_TIMER, which the runtime's own timers use (timers.ts).

const NATIVE_TIMER = Symbol.for('introspect.nativeTimer');

type TimerFn = ((...args: unknown[]) => unknown) & { [NATIVE_TIMER]?: TimerFn };

const pending = new Set<object>();
let installed = false;

/**
 * Pending ref'd timers, intervals and immediates set by code outside the
 * program. A handle the platform has destroyed (Node's `_destroyed`: fired,
 * or cleared some way the wrappers do not see, `timeout.close()`) is gone.
 */
export function libraryTimersPending(): number {
  let n = 0;
  for (const handle of pending) {
    const h = handle as { hasRef?: () => boolean; _destroyed?: boolean };
    if (h._destroyed === true) pending.delete(handle);
    else if (h.hasRef?.() !== false) n++;
  }
  return n;
}

export function trackLibraryTimers(): void {
  if (installed) return;
  installed = true;
  const g = globalThis as unknown as Record<string, TimerFn>;
  const wrap = (name: string, make: (native: TimerFn) => TimerFn): void => {
    const native = g[name];
    if (typeof native !== 'function' || native[NATIVE_TIMER] !== undefined) return;
    const wrapper = make(native);
    Object.defineProperty(wrapper, 'name', { value: native.name, configurable: true });
    Object.defineProperty(wrapper, 'length', { value: native.length, configurable: true });
    Object.defineProperty(wrapper, NATIVE_TIMER, { value: native });
    // what util.promisify(setTimeout) gives, as natively
    for (const key of Reflect.ownKeys(native)) if (!Reflect.getOwnPropertyDescriptor(wrapper, key)) Object.defineProperty(wrapper, key, Reflect.getOwnPropertyDescriptor(native, key)!);
    g[name] = wrapper;
  };
  const once = (native: TimerFn): TimerFn =>
    function (this: unknown, callback: unknown, ...rest: unknown[]): unknown {
      if (typeof callback !== 'function') return Reflect.apply(native, this, [callback, ...rest]);
      let handle: object | undefined;
      const fire = function (this: unknown, ...args: unknown[]): unknown {
        if (handle !== undefined) pending.delete(handle);
        return Reflect.apply(callback, this, args);
      };
      handle = Reflect.apply(native, this, [fire, ...rest]) as object;
      if (typeof handle === 'object' && handle !== null) pending.add(handle);
      return handle;
    };
  const repeating = (native: TimerFn): TimerFn =>
    function (this: unknown, ...args: unknown[]): unknown {
      const handle = Reflect.apply(native, this, args) as unknown;
      if (typeof handle === 'object' && handle !== null) pending.add(handle);
      return handle;
    };
  const clearing = (native: TimerFn): TimerFn =>
    function (this: unknown, handle: unknown): unknown {
      if (typeof handle === 'object' && handle !== null) pending.delete(handle);
      return Reflect.apply(native, this, [handle]);
    };
  wrap('setTimeout', once);
  wrap('setImmediate', once);
  wrap('setInterval', repeating);
  for (const name of ['clearTimeout', 'clearInterval', 'clearImmediate']) wrap(name, clearing);
}
