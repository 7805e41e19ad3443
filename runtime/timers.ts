// The program's timers: setTimeout, setInterval, setImmediate and their
// clear functions (the transform points the global names here). Each timer
// is a `Timer` object of the heap holding its callback, arguments, period and
// due time. The runtime keeps its own timeline: the pending timers ordered by
// (due time, creation), ONE platform timer armed for the earliest, and a FIFO
// of immediates behind one platform immediate. Firing, it runs every timer
// that is due, in that order, with the program's microtasks drained after each
// callback (as Node runs them between timers); on a platform with
// `process.nextTick` the pass also lets the platform's own microtasks and
// ticks run before the next callback (a library's promises: p-limit starts
// its next job there), going on from a tick queued behind them. So the order
// in which timers fire is the runtime's to keep, whatever the platform does:
//
//   - a checkpoint saves the active timers with the clock reading; a restore
//     puts each back for the time it had left (relative time: a timer due in
//     40 ms at the checkpoint fires 40 ms after the restart, however long the
//     file waited), in the same order;
//   - a checkpoint the program goes on after is a pause of the same kind: the
//     timeline moves by the time the write took.
//
// A callback that throws is the platform's to report (Node's
// 'uncaughtException'); the timers and immediates due after it run in the
// next wake, and an interval that threw goes on, as on Node.
//
// A timer callback runs under a driver, as a job does: a checkpoint inside it
// unwinds to `__introspect_drive__` through a `runTimer` frame. Its firing is
// a suspension point of its own (K counts it), before the callback runs.

import type { Frame } from './frames.js';
import { UNWIND } from './frames.js';
import { functions } from './functions.js';
import type { Runtime } from './runtime.js';

// The engine's clock, taken at load: a program may put a fake one in Date.now.
const dateNow = Date.now;
/**
 * Node's turn between two timer callbacks (Bun and Deno have it too): a tick
 * queued from a microtask runs once the microtask queue is empty, before the
 * event loop goes on. Taken at load, before the program could replace them.
 */
const nativeQueueMicrotask = (globalThis as { queueMicrotask?: (fn: () => void) => void }).queueMicrotask;
const nativeProcess = (globalThis as { process?: { nextTick?: (fn: () => void) => void } }).process;
const nativeNextTick = nativeProcess?.nextTick;

/** The platform's clock as it was at load: the program may replace performance.now (a fake clock), and a restore does. */
const nativePerformanceNow = (globalThis as { performance?: { now?: () => number } }).performance?.now;

/** Node's bound: longer or invalid delays become 1 ms, as there. */
const TIMEOUT_MAX = 2 ** 31 - 1;
/** A straight-line tail this long did real work (pauseAfterStraightTail); a preemption is shorter (a Linux time slice is a few ms). */
const STRAIGHT_TAIL_MAX_MS = 50;

/** Where a host's wrapper of a global timer function keeps the platform's own (plugins/node/library-timers.ts). */
const NATIVE_TIMER = Symbol.for('introspect.nativeTimer');

/** The platform's timer services (Host.timers); the globals where the host gives none. */
export interface PlatformTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
  /**
   * The platform's timers cannot be unref'd and every pending one keeps the
   * process (the QuickJS, jsc and gjs shells): while only unref'd timers are
   * pending, none is armed, so that the program ends as it would on Node.
   */
  noUnref?: boolean;
  immediate?(fn: () => void): unknown;
  clearImmediate?(handle: unknown): void;
  now?(): number;
  /**
   * Runs `fn` once the platform's pending microtasks and ticks have run (those
   * of libraries: the program's are the runtime's), still before the
   * platform's next timer, immediate or I/O callback; absent where the
   * platform has no such turn (a pass then runs its callbacks back to back).
   */
  afterPlatformJobs?(fn: () => void): void;
}

let rt: Runtime;

export class Timer {
  refed = true;
  /** Cleared by the program: a later refresh() does not bring it back (one that fired, it does). */
  cleared = false;
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
    rt.timers.schedule();
    return this;
  }

  unref(): this {
    this.refed = false;
    rt.timers.schedule();
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

/** What the checkpoint keeps of the timers. */
export interface TimerState {
  active: Timer[];
  nextId: number;
  /** The clock when the checkpoint was taken: due times are relative to it. */
  now: number;
}

export class Timers {
  private readonly active = new Map<number, Timer>();
  /** Pending timeouts and intervals, by (due, id). */
  private queue: Timer[] = [];
  private immediates: Timer[] = [];
  private nextId = 1;
  private platform: PlatformTimers | undefined;
  /** The one platform timer (and the due time it is armed for), and the one platform immediate. */
  private wake: unknown = undefined;
  private wakeAt = Infinity;
  private wakeRefed = true;
  private immediateWake: unknown = undefined;

  constructor(runtime: Runtime) {
    rt = runtime;
  }

  use(platform: PlatformTimers | undefined): void {
    this.platform = platform;
    // virtual time from the start, so that a program that arms nothing is seen to end too
    if (platform === undefined && typeof (globalThis as { setTimeout?: unknown }).setTimeout !== 'function') this.services();
  }

  private services(): PlatformTimers {
    if (this.platform) return this.platform;
    const g = globalThis as unknown as Record<string, (...a: unknown[]) => unknown>;
    if (typeof g.setTimeout !== 'function') return (this.platform = virtualTimers(() => rt.jobs.idle, rt.host?.ended?.bind(rt.host)));
    const perf = (globalThis as { performance?: { now?: () => number } }).performance;
    // (the platform's own functions where a host tracks the ones libraries set: plugins/node/library-timers.ts)
    const native = (name: string) => (g[name] as { [NATIVE_TIMER]?: (...a: unknown[]) => unknown } | undefined)?.[NATIVE_TIMER] ?? g[name];
    const [set, clear, immediate, clearImmediate] = ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'].map(native);
    this.platform = {
      set: (fn, ms) => set!.call(g, fn, ms),
      clear: (h) => clear!.call(g, h),
      immediate: typeof immediate === 'function' ? (fn) => immediate.call(g, fn) : undefined,
      clearImmediate: typeof clearImmediate === 'function' ? (h) => clearImmediate.call(g, h) : undefined,
      now: typeof nativePerformanceNow === 'function' ? () => Reflect.apply(nativePerformanceNow, perf, []) as number : undefined,
      afterPlatformJobs:
        typeof nativeQueueMicrotask === 'function' && typeof nativeNextTick === 'function'
          ? (fn) => Reflect.apply(nativeQueueMicrotask, globalThis, [() => Reflect.apply(nativeNextTick, nativeProcess, [fn])])
          : undefined,
    };
    return this.platform;
  }

  /** A platform timer of the runtime's own (not the program's), that does not keep the program alive. */
  watchdog(fn: () => void, ms: number): void {
    const h = this.services().set(fn, ms);
    (h as { unref?: () => void } | undefined)?.unref?.();
  }

  now(): number {
    return this.services().now?.() ?? dateNow();
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
    this.settle();
    const t = new Timer(this.nextId++, cb, args, delay, repeat, immediate, this.now() + delay);
    this.active.set(t.id, t);
    if (immediate) this.pushImmediate(t);
    else this.insert(t);
    return t;
  }

  clear(t: unknown): void {
    const timer = t instanceof Timer ? t : typeof t === 'number' || typeof t === 'string' ? this.active.get(Number(t)) : undefined;
    if (!timer) return;
    timer.cleared = true;
    // Node's Immediate says it holds the loop no more, once cleared or run (a Timeout still says it does).
    if (timer.immediate) timer.refed = false;
    if (this.active.get(timer.id) !== timer) return;
    this.active.delete(timer.id);
    if (timer.immediate) this.immediates = this.immediates.filter((x) => x !== timer);
    else this.remove(timer);
    this.schedule();
  }

  refresh(t: Timer): void {
    if (t.immediate || t.cleared) return;
    this.settle();
    if (this.active.get(t.id) === t) this.remove(t);
    else this.active.set(t.id, t); // it fired: refresh() arms it again, as Node's does
    t.due = this.now() + t.ms;
    this.insert(t);
  }

  // ---- the timeline ----------------------------------------------------------------------------

  private insert(t: Timer): void {
    const q = this.queue;
    let i = q.length;
    while (i > 0 && (q[i - 1].due > t.due || (q[i - 1].due === t.due && q[i - 1].id > t.id))) i--;
    q.splice(i, 0, t);
    // The platform timer changes when t comes first, or when it must now
    // keep the process alive (armed unref'd for an earlier unref'd timer).
    if (i === 0 || !t.refed || !this.wakeRefed) this.schedule();
  }

  private remove(t: Timer): void {
    const i = this.queue.indexOf(t);
    if (i >= 0) this.queue.splice(i, 1);
  }

  private pushImmediate(t: Timer): void {
    this.immediates.push(t);
    this.armImmediates();
  }

  /** The one platform immediate, for the queued immediates (armed once). */
  private armImmediates(): void {
    if (this.immediateWake === undefined && this.immediates.length > 0) {
      const s = this.services();
      const run = () => this.runImmediates();
      this.immediateWake = s.immediate ? s.immediate(run) : s.set(run, 0);
    }
  }

  /**
   * While a rewind re-enters saved frames, the timeline pauses and resumes
   * once per frame (Runtime.rewind), and no timer can fire before it ends.
   * Moving every armed timer and re-arming the platform timer at each resume
   * would itself take time the timeline counts as the program's (microseconds
   * per frame, tens of milliseconds for a deep stack), so meanwhile a resume
   * only adds up the pause (`owed`), settled on the armed timers before a
   * timer is set or refreshed, a capture, or when the rewind ends; the
   * platform timer is armed once, then.
   */
  private armingHeld = 0;
  /** Time the timeline stood still that the timers with ids below `owedBefore` have not moved by yet. */
  private owed = 0;
  private owedBefore = 0;

  holdArming(): void {
    this.armingHeld++;
  }

  releaseArming(): void {
    if (--this.armingHeld > 0) return;
    this.settle();
    this.schedule();
  }

  private settle(): void {
    this.tailMoved = true;
    if (this.owed <= 0) return;
    const owed = this.owed;
    this.owed = 0;
    for (const t of this.active.values()) if (t.id < this.owedBefore && !t.immediate) t.due += owed;
    this.queue.sort((a, b) => a.due - b.due || a.id - b.id);
    this.schedule();
  }

  /** Arms the one platform timer for the earliest pending timer (unref'd when no pending timer is ref'd). */
  schedule(): void {
    if (this.armingHeld > 0) return;
    const first = this.queue[0];
    const refed = this.queue.some((t) => t.refed);
    if (first !== undefined && first.due === this.wakeAt && refed === this.wakeRefed && this.wake !== undefined) return;
    const s = this.services();
    if (this.wake !== undefined) s.clear(this.wake);
    this.wake = undefined;
    this.wakeAt = Infinity;
    if (first === undefined) return;
    if (!refed && s.noUnref) return;
    this.wakeAt = first.due;
    this.wakeRefed = refed;
    this.wake = s.set(() => this.onWake(), Math.max(0, first.due - this.now()));
    if (!refed) (this.wake as { unref?: () => void } | undefined)?.unref?.();
  }

  /** The platform timer fired: every timer due by now, in order, each with the microtasks it queued. */
  private onWake(): void {
    this.wake = undefined;
    this.wakeAt = Infinity;
    // Immediates queued before this pass belong to the check phase before it:
    // on Node they always run first. The platform may wake the timer first
    // (a restart arms both at once; a loaded machine), so they run here.
    if (this.immediates.length > 0) {
      const s = this.services();
      if (this.immediateWake !== undefined) {
        if (s.immediate) s.clearImmediate?.(this.immediateWake);
        else s.clear(this.immediateWake);
      }
      this.runImmediates(() => this.runDue());
    } else this.runDue();
  }

  /** The timers due when the pass began (one a callback adds for "now" waits for the next pass, as natively). */
  private runDue(): void {
    const now = this.now();
    const due: Timer[] = [];
    while (this.queue.length > 0 && this.queue[0].due <= now) due.push(this.queue.shift()!);
    this.each(
      due,
      (t, i) => {
        if (this.active.get(t.id) !== t) return;
        if (t.due > now) {
          // refresh()ed by a callback of this pass (or moved by a checkpoint's pause): not due any more
          if (!this.queue.includes(t)) this.insert(t);
          return;
        }
        try {
          this.fire(t, undefined);
        } catch (e) {
          // A callback that threw: the platform reports it (Node's
          // 'uncaughtException'), and the timers due after it still run, in
          // the next wake, as Node's go on after its handler.
          for (const rest of due.slice(i + 1)) if (this.active.get(rest.id) === rest && !this.queue.includes(rest)) this.insert(rest);
          this.schedule();
          throw e;
        }
      },
      () => this.schedule(),
    );
  }

  /**
   * Runs `step` for each item in order, the program's jobs after each; where
   * the platform has the turn (afterPlatformJobs), the next item waits for
   * the platform's microtasks and ticks too, as Node's do between two
   * callbacks of a pass. Then `done`.
   */
  private each(items: Timer[], step: (t: Timer, i: number) => void, done: () => void, from = 0): void {
    for (let i = from; i < items.length; i++) {
      step(items[i]!, i);
      rt.jobs.drainNow();
      const after = this.services().afterPlatformJobs;
      if (after !== undefined && i + 1 < items.length) return after(() => this.each(items, step, done, i + 1));
    }
    done();
  }

  private runImmediates(then?: () => void): void {
    this.immediateWake = undefined;
    const batch = this.immediates;
    this.immediates = [];
    this.each(
      batch,
      (t, i) => {
        if (this.active.get(t.id) !== t) return;
        t.refed = false;
        try {
          this.fire(t, undefined);
        } catch (e) {
          // as a timer's (onWake): the rest of the batch runs next, before immediates queued since
          this.immediates = [...batch.slice(i + 1), ...this.immediates];
          this.armImmediates();
          throw e;
        }
      },
      () => then?.(),
    );
  }

  /** Runs one timer's callback; restoring, rewinds the callback the checkpoint was taken in instead. */
  private fire(t: Timer, resume: Frame[] | undefined): void {
    if (!resume) {
      if (t.repeat) t.due = this.now() + t.ms;
      else this.active.delete(t.id);
    }
    try {
      this.__introspect_drive__(t, resume);
    } finally {
      // an interval whose callback threw goes on, as Node's
      if (t.repeat && this.active.get(t.id) === t && !this.queue.includes(t)) this.insert(t);
    }
  }

  /** The driver of timer callbacks (named so for the stack check of runtime.ts). */
  __introspect_drive__(t: Timer, resume?: Frame[]): void {
    rt.driving++;
    let enter: () => unknown = resume ? () => rt.rewind(resume) : () => runTimer.call(t);
    try {
      for (;;) {
        let returned = false;
        try {
          enter();
          returned = true;
          if (rt.u) throw UNWIND;
          break;
        } catch (e) {
          if (e !== UNWIND) throw e;
          const frames = rt.takeUnwound(returned);
          rt.captureAt('timer', frames, t);
          enter = () => rt.rewind(frames);
        }
      }
    } finally {
      rt.leaveDrive();
    }
  }

  /** Restoring a checkpoint taken in timer `t`'s callback: finish it, then the timeline goes on. */
  resumeIn(t: Timer, frames: Frame[]): void {
    this.fire(t, frames);
    rt.jobs.drainNow();
    this.schedule();
  }

  // ---- checkpoint --------------------------------------------------------------------------------

  /** The timeline moves by the time since `since` (see pause). */
  private shiftAfterPause(since: number, before: number): void {
    const paused = this.now() - since;
    if (paused <= 0) return;
    // every armed timer, also an interval whose callback is running (it is
    // queued again when the callback returns, for the due time it has now)
    for (const t of this.active.values()) if (t.id < before && !t.immediate) t.due += paused;
    this.queue.sort((a, b) => a.due - b.due || a.id - b.id);
    this.schedule();
  }

  capture(): TimerState {
    this.settle();
    // while the timeline stands still, its time is when it stopped
    return { active: [...this.active.values()], nextId: this.nextId, now: this.pausedAt ?? this.now() };
  }

  /** Since when the program's timeline stands still (pause), or undefined while it runs. */
  private pausedAt: number | undefined = undefined;

  /**
   * The program stops for the runtime: a capture begins (its unwind, the
   * write, the rewind after it), or a restore puts the saved timers back and
   * rewinds the stack. None of that time is the program's; on a cold or
   * loaded engine it is milliseconds, and a timer the resumed code sets right
   * away would otherwise fire late against the ones already armed.
   */
  pause(): void {
    if (this.pausedAt !== undefined) return;
    this.pausedAt = this.now();
    this.pausedBefore = this.nextId;
    this.tailResumedAt = undefined;
  }

  /**
   * A rewind re-entered a frame whose tail, since the resume, ran only
   * straight-line code: no point passed, so no loop turned and no
   * instrumented function that has one was called. Natively that is
   * nanoseconds; here the window between the resume and this pause is
   * mostly the runtime's returns, and on a loaded machine a preemption that
   * lands in one of thousands of such windows moved the timers by tens of
   * milliseconds (fixtures/timer-rewind-deep: 20 ms counted across 2,500
   * frames, against 2.5 ms idle). So the pause reaches back to the resume,
   * unless the tail set or refreshed a timer (its due time was taken from
   * the running timeline) or ran as long as real work may (a native call:
   * a sort, a parse, a blocking read).
   */
  pauseAfterStraightTail(): void {
    const since = this.tailResumedAt;
    if (this.pausedAt !== undefined || since === undefined || this.tailMoved || this.now() - since > STRAIGHT_TAIL_MAX_MS) return this.pause();
    this.owed -= this.tailOwed;
    this.owedBefore = this.tailOwedBefore;
    this.pausedAt = since - this.tailOwed;
    this.pausedBefore = this.nextId;
  }

  /** Where the pause before the running tail ended, and what it added to `owed` (pauseAfterStraightTail takes it back to merge the two). */
  private tailResumedAt: number | undefined = undefined;
  private tailOwed = 0;
  private tailOwedBefore = 0;
  /** A timer was set or refreshed (or the owed time settled) since the tail began. */
  private tailMoved = true;

  /** Timers set from here on were set by the program after the pause: they do not move. */
  private pausedBefore = 0;

  /** The program goes on: the timers armed before the pause move by the time it stood still. */
  resume(): void {
    if (this.pausedAt === undefined) return;
    const since = this.pausedAt;
    this.pausedAt = undefined;
    if (this.armingHeld > 0) {
      // pauses add up with one `owedBefore`: a timer set in between settles them first
      const now = this.now();
      this.tailOwed = Math.max(0, now - since);
      this.tailOwedBefore = this.owedBefore;
      this.tailResumedAt = now;
      this.tailMoved = false;
      this.owed += this.tailOwed;
      this.owedBefore = this.pausedBefore;
      return;
    }
    this.settle();
    this.shiftAfterPause(since, this.pausedBefore);
  }

  /**
   * Puts the saved timers back for the time each had left, in the same
   * order. One already overdue at the checkpoint (the program was busy past
   * its time) stays overdue by as much, so the overdue fire in the order of
   * their due times, as Node fires expired timers, not in the order they
   * were set.
   */
  restore(state: TimerState | undefined): void {
    if (!state) return;
    this.nextId = state.nextId;
    const now = this.now();
    this.pause();
    for (const t of [...state.active].sort((a, b) => a.id - b.id)) {
      this.active.set(t.id, t);
      t.due = now + (t.due - state.now);
      if (t.immediate) this.pushImmediate(t);
      else this.insert(t);
    }
    this.schedule();
  }

  get pending(): number {
    return this.active.size;
  }
}

/** A timer's callback, as a frame; see the file comment. */
function runTimer(this: Timer): void {
  const restoring = rt.rs;
  const phase = restoring ? (rt.enter() as [number, number])[1] : 0;
  if (phase === 1) rt.resume();
  else {
    if (!restoring && --rt.c < 0) {
      rt.point();
      if (rt.u) return void rt.f(runTimer, this, undefined, 1, [0]);
    }
    Reflect.apply(this.cb, this, this.args);
  }
  if (rt.u) rt.f(runTimer, this, undefined, 1, [1]);
}

functions.registerClassMembers('introspect:Timer', Timer);
functions.registerStatic('introspect:runTimer', runTimer);

/**
 * Timers for an engine that has none (QuickJS embedded without its std
 * loop, as the qjs-wasm runner runs it): time is virtual. The earliest
 * timer fires once the program has nothing else to do — no job of the
 * runtime's queue left, checked from a native promise job queued behind
 * them — and the clock jumps to its due time. The order of events is the
 * one real timers give; only the waiting is skipped.
 */
function virtualTimers(jobsIdle: () => boolean, ended?: () => void): PlatformTimers {
  interface Pending {
    fn: () => void;
    at: number;
    id: number;
  }
  let clock = dateNow();
  let ids = 0;
  let pumping = false;
  const pending: Pending[] = [];
  if (ended !== undefined) {
    // Nothing outside can wake a program in virtual time: once no timer is
    // pending and its jobs have run, it has ended.
    const settle = (): void => {
      if (pending.length > 0 || pumping || !jobsIdle()) void Promise.resolve().then(settle);
      else ended();
    };
    void Promise.resolve().then(settle);
  }
  const pump = (): void => {
    pumping = false;
    if (pending.length === 0) return;
    if (!jobsIdle()) return arm();
    pending.sort((a, b) => a.at - b.at || a.id - b.id);
    const next = pending.shift()!;
    clock = Math.max(clock, next.at);
    try {
      next.fn();
    } finally {
      if (pending.length > 0) arm();
    }
  };
  const arm = (): void => {
    if (pumping) return;
    pumping = true;
    void Promise.resolve().then(pump);
  };
  return {
    set(fn, ms) {
      const t: Pending = { fn, at: clock + Math.max(0, ms), id: ++ids };
      pending.push(t);
      arm();
      return t;
    },
    clear(h) {
      const i = pending.indexOf(h as Pending);
      if (i >= 0) pending.splice(i, 1);
    },
    now() {
      clock = Math.max(clock, dateNow());
      return clock;
    },
  };
}
