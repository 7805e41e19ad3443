// The job queue of the program's promises and microtasks, and the driver that
// runs it. Jobs are data ({reaction, value} and the like, promises.ts), kept in
// one FIFO queue that a single platform microtask drains; so the jobs queued
// at a checkpoint are saved with the heap and queued again on restore, in the
// same order.
//
// The drain is a driver, like the one of module bodies: a checkpoint taken in
// a job unwinds to it through a `runJob` frame, is written, and the job is
// rewound (checkpoint and continue) or the process ends; a restore rewinds the
// job, then drains the rest of the queue.
//
// `process.nextTick` callbacks are jobs of a second queue with Node's
// priority: the drain runs every tick, then every promise job (ticks they
// queue wait), then the ticks queued meanwhile, and so on
// (processTicksAndRejections). Both queues, and which of the two the drain
// was in, are saved.
//
// Rejections nobody handled by the end of a drain are handed to the platform
// as rejections of its own promises, so it reports them as it always does.

import type { Frame } from './frames.js';
import { UNWIND } from './frames.js';
import { functions } from './functions.js';
import { IntroPromise, isPlatformPromise, MICROTASK_JOB, perform, reject, REACTION_JOB, type Reaction, resolveWith, resolvingFunctions, setExecutorCaller, THENABLE_JOB, TICK_JOB } from './promises.js';
import type { Runtime } from './runtime.js';
import { noteOutcome } from './platform-promises.js';
import { PROMISE_RESULT, HANDLED } from './hidden-fields.js';

export type Job =
  | { k: typeof REACTION_JOB; re: Reaction; v: unknown; rej: boolean }
  | { k: typeof THENABLE_JOB; p: IntroPromise; th: unknown; then: Function }
  | { k: typeof MICROTASK_JOB; fn: Function }
  | { k: typeof TICK_JOB; fn: Function; args: unknown[] };

const NativePromise = Promise;
const nativeResolved = NativePromise.resolve();
const nativeThen = NativePromise.prototype.then;

/** What the checkpoint keeps of the scheduler. */
export interface SchedulerState {
  jobs: Job[];
  /** `process.nextTick` callbacks not run yet (absent in files of before it). */
  ticks?: Job[];
  /** The drain was running promise jobs (ticks queued meanwhile wait for the queue to empty). */
  inJobs?: boolean;
  /** Rejected promises no handler has been attached to yet. */
  rejected: IntroPromise[];
}

let rt: Runtime;

/**
 * A FIFO of jobs that a drain may keep taking from for the whole program
 * (promise code with no timers): what it has run is dropped now and then, so
 * it stays as short as its backlog.
 */
class JobQueue {
  private items: Job[] = [];
  private head = 0;

  push(job: Job): void {
    this.items.push(job);
  }

  get empty(): boolean {
    return this.head >= this.items.length;
  }

  /** The next job (the queue must not be empty). */
  take(): Job {
    const job = this.items[this.head++]!;
    if (this.head >= 1024) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return job;
  }

  /** The jobs not run yet, in order. */
  pending(): Job[] {
    return this.items.slice(this.head);
  }

  reset(jobs: readonly Job[] = []): void {
    this.items = [...jobs];
    this.head = 0;
  }
}

export class Scheduler {
  private readonly queue = new JobQueue();
  private readonly ticks = new JobQueue();
  /** The drain is in its promise-jobs phase. */
  private inJobs = false;
  private scheduled = false;
  private readonly rejected = new Set<IntroPromise>();
  /** Subscriptions to promises of the platform (or of libraries) not settled yet. */
  foreign = 0;
  /**
   * A platform may run microtasks inside a synchronous call: Deno does when a
   * lazy global is first read (it loads a module), and the heap writer reads
   * them in the middle of a checkpoint. The drain must not run jobs inside
   * another driver then (the checkpoint would save their effects with the
   * stack from before them); it waits for the outermost driver to end. It
   * cannot queue itself again: that nested microtask run would take it again
   * at once.
   */
  private readonly drain = (): void => {
    if (rt.driving > 0) {
      this.scheduled = false;
      this.heldBack = true;
      return;
    }
    this.__introspect_drive__();
  };
  private heldBack = false;

  /** Called when the outermost driver ends (Runtime.leaveDrive). */
  afterDrive(): void {
    if (!this.heldBack) return;
    this.heldBack = false;
    if (!this.scheduled && !this.idle) this.schedule();
  }

  constructor(runtime: Runtime) {
    rt = runtime;
  }

  enqueue(job: Job): void {
    this.queue.push(job);
    if (!this.scheduled) this.schedule();
  }

  private schedule(): void {
    this.scheduled = true;
    Reflect.apply(nativeThen, nativeResolved, [this.drain]);
  }

  /** `process.nextTick(fn, ...args)` of the program. */
  nextTick(fn: unknown, args: unknown[]): void {
    if (typeof fn !== 'function') throw new TypeError(`The "callback" argument must be of type function. Received ${fn === null ? 'null' : typeof fn}`);
    this.ticks.push({ k: TICK_JOB, fn, args });
    if (!this.scheduled) this.schedule();
  }

  /**
   * The program's ES modules are evaluated inside the platform's microtask
   * processing (Node evaluates ESM from a promise job), so ticks their
   * top-level code queues run only once the promise jobs are done: the
   * drain that follows starts with them. Without one to follow, the next
   * drain (after a macrotask) starts with the ticks again.
   */
  evaluatingModules(begins: boolean): void {
    if (begins) this.inJobs = true;
    else if (!this.scheduled) this.inJobs = false;
  }

  /** `queueMicrotask(fn)` of the program. */
  queueMicrotask(fn: unknown): void {
    if (typeof fn !== 'function') throw new TypeError(`The "callback" argument must be of type function. Received ${fn === null ? 'null' : typeof fn}`);
    this.enqueue({ k: MICROTASK_JOB, fn });
  }

  unhandled(p: IntroPromise): void {
    this.rejected.add(p);
    // Reported when the jobs are done (as Node does after its microtasks),
    // even when no job follows: a drain of nothing still reports.
    if (!this.scheduled) this.schedule();
  }

  handled(p: IntroPromise): void {
    this.rejected.delete(p);
    // already reported: a handler on the platform's stand-in makes Node emit 'rejectionHandled'
    const standIn = this.reported.get(p);
    if (standIn !== undefined) {
      this.reported.delete(p);
      Reflect.apply(nativeThen, standIn, [undefined, () => {}]);
    }
  }

  /** The platform promise each reported rejection was handed to the platform as (not saved: a restart reports anew). */
  private readonly reported = new WeakMap<IntroPromise, Promise<never>>();

  /** Runs `fn` where no checkpoint may be taken (program code called by runtime code that has no frame). */
  noSave<T>(fn: () => T): T {
    return rt.nsv(fn);
  }

  /** Runs the queued jobs now (between two timer callbacks, as Node does), if there are any. */
  drainNow(): void {
    if (!this.idle) this.__introspect_drive__();
  }

  // ---- the driver ----------------------------------------------------------------------

  /** Drains the queue; restoring, first rewinds the job the checkpoint was taken in. */
  __introspect_drive__(resume?: Frame[]): void {
    rt.driving++;
    try {
      if (resume) this.run(undefined, resume);
      for (;;) {
        if (!this.inJobs) while (!this.ticks.empty) this.run(this.ticks.take(), undefined);
        this.inJobs = true;
        while (!this.queue.empty) this.run(this.queue.take(), undefined);
        this.inJobs = false;
        if (this.ticks.empty) break;
      }
    } finally {
      this.queue.reset();
      this.ticks.reset();
      this.inJobs = false;
      this.scheduled = false;
      rt.leaveDrive();
    }
    this.reportUnhandled();
  }

  private run(job: Job | undefined, resume: Frame[] | undefined): void {
    let frames = resume;
    for (;;) {
      let returned = false;
      try {
        if (frames !== undefined) rt.rewind(frames);
        else runJob.call(job!);
        returned = true;
        if (rt.u) throw UNWIND;
        return;
      } catch (e) {
        if (e !== UNWIND) {
          // A microtask that threw: reported by the platform, as natively; the queue goes on (on Node until the report ends the process).
          if (rt.host?.uncaught !== undefined) rt.host.uncaught(e);
          Reflect.apply(nativeThen, nativeResolved, [() => { throw e; }]);
          return;
        }
        frames = rt.takeUnwound(returned);
        rt.captureAt('jobs', frames, undefined);
      }
    }
  }

  private reportUnhandled(): void {
    if (this.rejected.size === 0) return;
    const list = [...this.rejected];
    this.rejected.clear();
    for (const p of list) {
      if (p[HANDLED]) continue;
      if (rt.host?.uncaught !== undefined) rt.host.uncaught(p[PROMISE_RESULT]);
      const standIn = NativePromise.reject(p[PROMISE_RESULT]) as Promise<never>;
      this.reported.set(p, standIn);
    }
  }

  // ---- checkpoint ------------------------------------------------------------------------

  capture(): SchedulerState {
    return { jobs: this.queue.pending(), ticks: this.ticks.pending(), inJobs: this.inJobs, rejected: [...this.rejected] };
  }

  /** Puts saved jobs back; `drainNow` false when the restore drains them itself (it resumes a job first). */
  restore(state: SchedulerState | undefined, drainNow: boolean): void {
    this.queue.reset(state?.jobs);
    this.ticks.reset(state?.ticks);
    this.inJobs = state?.inJobs ?? false;
    for (const p of state?.rejected ?? []) this.rejected.add(p);
    if (drainNow && (!this.idle || this.rejected.size > 0)) this.schedule();
    else if (!drainNow) this.scheduled = true;
  }

  /** No job is queued. */
  get idle(): boolean {
    return this.queue.empty && this.ticks.empty;
  }

}

/**
 * One job, as a frame: a checkpoint taken inside it records this frame below
 * the frames of the code it called; the restore calls it again, and it
 * re-enters them (`rt.resume()`) instead of calling the handler afresh.
 */
function runJob(this: Job): void {
  const restoring = rt.rs;
  if (restoring) rt.enter();
  if (this.k === REACTION_JOB) react(this.re, this.v, this.rej, restoring);
  else if (this.k === THENABLE_JOB) adoptThenable(this.p, this.th, this.then, restoring);
  else if (restoring) rt.resume();
  else if (this.k === TICK_JOB) this.fn(...this.args);
  else this.fn();
  if (rt.u) rt.f(runJob, this, undefined, 1, []);
}

/** PromiseReactionJob (§27.2.2.1). */
function react(re: Reaction, value: unknown, rejected: boolean, restoring: boolean): void {
  if (re.t !== undefined) return re.t.resume(rejected ? 'throw' : 'next', value, restoring);
  const handler = rejected ? re.r : re.f;
  let result = value;
  let threw = rejected;
  if (handler !== undefined) {
    threw = false;
    try {
      result = restoring ? rt.resume() : handler(value);
    } catch (e) {
      result = e;
      threw = true;
    }
    if (rt.u) return;
  }
  if (re.d !== undefined) {
    if (threw) reject(re.d, result);
    else resolveWith(re.d, result);
  } else if (re.c !== undefined) {
    // A subclass's capability: its functions are the program's to run.
    Reflect.apply(threw ? re.c.reject : re.c.resolve, undefined, [result]);
  }
}

/** PromiseResolveThenableJob (§27.2.2.2): `p` follows a thenable it was resolved with. */
function adoptThenable(p: IntroPromise, thenable: unknown, then: Function, restoring: boolean): void {
  if (!restoring && then === PROMISE_THEN && Object.getPrototypeOf(thenable) === IntroPromise.prototype) {
    // Our own promise (not a subclass's, whose `then` makes a promise of the
    // subclass, which the program sees): the reaction is data, as any other.
    const { resolve, reject: rejectFn } = resolvingFunctions(p);
    perform(thenable as IntroPromise, resolve, rejectFn, undefined, undefined);
    return;
  }
  const { resolve, reject: rejectFn } = resolvingFunctions(p);
  const foreign = isPlatformPromise(thenable);
  let settle = resolve;
  let fail = rejectFn;
  if (foreign) {
    // The platform holds these functions until it settles: a checkpoint waits
    // for that (counted since the job was queued, resolveWith).
    const s = rt.jobs;
    let open = true;
    const done = () => {
      if (open) s.foreign--;
      open = false;
    };
    settle = (v?: unknown) => (done(), noteOutcome(thenable, true, v), resolve(v));
    fail = (r?: unknown) => (done(), noteOutcome(thenable, false, r), rejectFn(r));
  }
  try {
    if (restoring) rt.resume();
    else Reflect.apply(then, thenable, [settle, fail]);
  } catch (e) {
    fail(e);
  }
}

const PROMISE_THEN: Function = IntroPromise.prototype.then;

/**
 * `new Promise(executor)`: the executor runs in the caller, and may reach a
 * checkpoint; the `resumeExecutor` frame it leaves makes the restore come back
 * through the constructor with the same promise.
 */
setExecutorCaller((p, executor, resolve, rejectFn) => {
  try {
    executor(resolve, rejectFn);
  } catch (e) {
    rejectFn(e);
  }
  if (rt.u) rt.f(resumeExecutor, p, undefined, 1, [rejectFn]);
});

function resumeExecutor(this: IntroPromise): IntroPromise {
  const [, rejectFn] = rt.enter() as [number, Function];
  try {
    rt.resume();
  } catch (e) {
    rejectFn(e);
  }
  if (rt.u) rt.f(resumeExecutor, this, undefined, 1, [rejectFn]);
  return this;
}

functions.registerStatic('introspect:runJob', runJob);
functions.registerStatic('introspect:resumeExecutor', resumeExecutor);
