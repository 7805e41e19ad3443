// The program's timers: setTimeout, setInterval, setImmediate and their
// clear functions (the transform points the global names here). Each timer
// is a `Timer` object of the heap holding its callback, arguments, period and
// due time; only the platform timer that wakes it is transient. A checkpoint
// saves the active timers with the clock reading; a restore re-arms each one
// for the time it had left (relative time: a timer due in 40 ms at the
// checkpoint fires 40 ms after the restart, however long the file waited),
// in the order of their due times, so they fire in the same order relative to
// each other. A checkpoint the program goes on after is a pause of the
// same kind: its timers wait out the time the write took.
//
// A timer callback runs under a driver, as a job does: a checkpoint inside it
// unwinds to `__introspect_drive__` through a `runTimer` frame. Its firing is
// a suspension point of its own (K counts it), before the callback runs.

import type { Frame } from './frames.js';
import { UNWIND } from './frames.js';
import { functions } from './functions.js';
import type { Runtime } from './runtime.js';

const TRANSIENT = Symbol.for('introspect.transient');
/** Node's bound: longer or invalid delays become 1 ms, as there. */
const TIMEOUT_MAX = 2 ** 31 - 1;

/** The platform's timer services (Host.timers); the globals where the host gives none. */
export interface PlatformTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
  immediate?(fn: () => void): unknown;
  clearImmediate?(handle: unknown): void;
  now?(): number;
}

let rt: Runtime;

export class Timer {
  /** The platform timer armed for it; not saved (re-armed on restore). */
  handle: unknown = undefined;
  refed = true;
  /** Pauses (checkpoints written while it was armed) to wait out when the platform timer fires. */
  lag = 0;
  constructor(
    public id: number,
    public cb: Function,
    public args: unknown[],
    public ms: number,
    public repeat: boolean,
    public immediate: boolean,
    public due: number,
  ) {}

  ref(): this {
    this.refed = true;
    (this.handle as { ref?: () => void } | undefined)?.ref?.();
    return this;
  }

  unref(): this {
    this.refed = false;
    (this.handle as { unref?: () => void } | undefined)?.unref?.();
    return this;
  }

  hasRef(): boolean {
    return this.refed;
  }

  refresh(): this {
    rt.timers.refresh(this);
    return this;
  }

  close(): this {
    rt.timers.clear(this);
    return this;
  }

  [Symbol.toPrimitive](): number {
    return this.id;
  }
}
Object.defineProperty(Timer.prototype, TRANSIENT, { value: ['handle'], writable: true, configurable: true });

/** What the checkpoint keeps of the timers. */
export interface TimerState {
  active: Timer[];
  nextId: number;
  /** The clock when the checkpoint was taken: due times are relative to it. */
  now: number;
}

export class Timers {
  private active = new Map<number, Timer>();
  private nextId = 1;
  private platform: PlatformTimers | undefined;

  constructor(runtime: Runtime) {
    rt = runtime;
  }

  use(platform: PlatformTimers | undefined): void {
    this.platform = platform;
  }

  private services(): PlatformTimers {
    if (this.platform) return this.platform;
    const g = globalThis as unknown as Record<string, (...a: unknown[]) => unknown>;
    if (typeof g.setTimeout !== 'function') throw new Error('introspect: this platform has no timers (give the host a `timers` service)');
    this.platform = {
      set: (fn, ms) => g.setTimeout(fn, ms),
      clear: (h) => g.clearTimeout(h),
      immediate: typeof g.setImmediate === 'function' ? (fn) => g.setImmediate(fn) : undefined,
      clearImmediate: typeof g.clearImmediate === 'function' ? (h) => g.clearImmediate(h) : undefined,
    };
    return this.platform;
  }

  now(): number {
    return this.platform?.now?.() ?? Date.now();
  }

  // ---- the program's functions --------------------------------------------------------------

  setTimeout = (cb: unknown, ms?: unknown, ...args: unknown[]): Timer => this.add(cb, ms, args, false, false);
  setInterval = (cb: unknown, ms?: unknown, ...args: unknown[]): Timer => this.add(cb, ms, args, true, false);
  setImmediate = (cb: unknown, ...args: unknown[]): Timer => this.add(cb, 0, args, false, true);
  clearTimeout = (t: unknown): void => this.clear(t);
  clearInterval = (t: unknown): void => this.clear(t);
  clearImmediate = (t: unknown): void => this.clear(t);

  private add(cb: unknown, ms: unknown, args: unknown[], repeat: boolean, immediate: boolean): Timer {
    if (typeof cb !== 'function') throw new TypeError(`The "callback" argument must be of type function. Received ${cb === null ? 'null' : typeof cb}`);
    let delay = Number(ms);
    if (!(delay >= 1 && delay <= TIMEOUT_MAX)) delay = immediate ? 0 : 1;
    const t = new Timer(this.nextId++, cb, args, delay, repeat, immediate, this.now() + delay);
    this.active.set(t.id, t);
    this.arm(t, delay);
    return t;
  }

  clear(t: unknown): void {
    const timer = t instanceof Timer ? t : typeof t === 'number' || typeof t === 'string' ? this.active.get(Number(t)) : undefined;
    if (!timer || this.active.get(timer.id) !== timer) return;
    this.active.delete(timer.id);
    this.disarm(timer);
  }

  refresh(t: Timer): void {
    if (this.active.get(t.id) !== t) return;
    this.disarm(t);
    t.due = this.now() + t.ms;
    t.lag = 0;
    this.arm(t, t.ms);
  }

  private arm(t: Timer, delay: number): void {
    const s = this.services();
    const fire = () => this.__introspect_drive__(t);
    t.handle = t.immediate && s.immediate ? s.immediate(fire) : s.set(fire, delay);
    if (!t.refed) (t.handle as { unref?: () => void } | undefined)?.unref?.();
  }

  private disarm(t: Timer): void {
    const s = this.services();
    if (t.handle === undefined) return;
    if (t.immediate && s.clearImmediate) s.clearImmediate(t.handle);
    else s.clear(t.handle);
    t.handle = undefined;
  }

  // ---- the driver -----------------------------------------------------------------------------

  /** A timer fired: runs its callback; restoring, first rewinds the callback the checkpoint was taken in. */
  __introspect_drive__(t: Timer, resume?: Frame[]): void {
    if (!resume) {
      if (this.active.get(t.id) !== t) return;
      t.handle = undefined;
      if (t.lag > 0) {
        this.arm(t, t.lag);
        t.lag = 0;
        return;
      }
      if (t.repeat) t.due = this.now() + t.ms;
      else this.active.delete(t.id);
    }
    rt.driving++;
    let enter: () => unknown = resume ? () => rt.rewind(resume) : () => runTimer.call(t);
    try {
      for (;;) {
        try {
          enter();
          break;
        } catch (e) {
          if (e !== UNWIND) throw e;
          const frames = rt.takeCaptured();
          rt.captureAt('timer', frames, t);
          enter = () => rt.rewind(frames);
        }
      }
    } finally {
      rt.driving--;
    }
    if (t.repeat && this.active.get(t.id) === t && t.handle === undefined) this.arm(t, Math.max(0, t.due - this.now()));
  }

  // ---- checkpoint --------------------------------------------------------------------------------

  /**
   * The program went on after a checkpoint that began at `since`: the time
   * spent writing it is not the program's, so every armed timer is pushed
   * back by it (the same relative-time rule a restart follows).
   */
  shiftAfterPause(since: number): void {
    const paused = this.now() - since;
    if (paused <= 0) return;
    // Not re-armed now: a platform timer re-armed from inside a timer phase
    // can fire in that same phase, ahead of immediates it used to follow.
    // It fires when it would have, and waits out the pause then (`lag`).
    for (const t of this.active.values()) {
      if (t.handle === undefined || t.immediate) continue;
      t.due += paused;
      t.lag += paused;
    }
  }

  capture(): TimerState {
    return { active: [...this.active.values()], nextId: this.nextId, now: this.now() };
  }

  /** Re-arms the saved timers for the time each had left, earliest first. */
  restore(state: TimerState | undefined): void {
    if (!state) return;
    this.nextId = state.nextId;
    const now = this.now();
    const order = [...state.active].sort((a, b) => a.due - b.due || a.id - b.id);
    for (const t of state.active) this.active.set(t.id, t);
    for (const t of order) {
      t.lag = 0;
      const left = Math.max(0, t.due - state.now);
      t.due = now + left;
      this.arm(t, left);
    }
  }

  get pending(): number {
    return this.active.size;
  }
}

/** A timer's callback, as a frame; see the file comment. */
function runTimer(this: Timer): void {
  const restoring = rt.rs;
  const phase = restoring ? (rt.enter() as [number, number])[1] : 0;
  if (phase === 1) {
    try {
      rt.resume();
    } catch (e) {
      if (e === UNWIND) rt.f(runTimer, this, undefined, 1, [1]);
      throw e;
    }
    return;
  }
  if (!restoring && --rt.c < 0) {
    try {
      rt.point();
    } catch (e) {
      if (e === UNWIND) rt.f(runTimer, this, undefined, 1, [0]);
      throw e;
    }
  }
  try {
    Reflect.apply(this.cb, this, this.args);
  } catch (e) {
    if (e === UNWIND) rt.f(runTimer, this, undefined, 1, [1]);
    throw e;
  }
}

functions.registerClassMembers('introspect:Timer', Timer);
functions.registerStatic('introspect:runTimer', runTimer);
