// Async functions. Pass 0b turns `async function f(a) { BODY }` into
// `function f(a) { return $R.task(() => { BODY' }) }`, BODY' being BODY with
// every `await e` a `yield e`; the later passes make those yields resume
// points as in any generator body. A task is that body's generator and the
// promise the call returned: `task` runs the body up to its first await (in
// the caller, as natively), and each await subscribes the task to the awaited
// promise; when that settles, a job of the scheduler resumes the body with the
// value, or throws the reason into it. Suspended, a task is plain data: its
// generator (saved as a frame, generators.ts) and the promise, held by the
// reaction of the promise it waits for.
//
// A checkpoint can be taken in the synchronous part of the call: the unwind
// records a `resumeStart` frame between the caller's frame and the body's, so
// the restore comes back through it and the task's promise is the one the
// caller gets.

import { functions } from './functions.js';
import { Generator, type NativeBody, type ResumeMode, type Step } from './generators.js';
import { awaitPrimitive, awaitPromise, awaitReaction, IntroPromise, newInternalPromise, promiseResolve, type Reaction, reject, resolveWith } from './promises.js';
import type { Runtime } from './runtime.js';

let rt: Runtime;

export function bindTasks(runtime: Runtime): void {
  rt = runtime;
}

/** What an awaiting reaction resumes: an async function's task, or an async generator. */
export interface Awaiter {
  resume(mode: ResumeMode, value: unknown, restoring: boolean): void;
}

export class Task implements Awaiter, Reaction {
  // A task is its own reaction to the promise it awaits (one await at a
  // time): no Reaction object per await.
  d = undefined;
  c = undefined;
  f = undefined;
  r = undefined;
  t: Awaiter = this;
  constructor(
    public g: Generator,
    public p: IntroPromise,
  ) {}

  /**
   * A job resumes the task (the awaited promise settled). Or, restoring a
   * checkpoint taken inside it, re-enters the frames below (`restoring`).
   */
  resume(mode: ResumeMode, value: unknown, restoring: boolean): void {
    let step: Step;
    try {
      step = restoring ? (rt.resume() as Step) : this.g.stepFromDriver(mode, value);
    } catch (e) {
      reject(this.p, e);
      return;
    }
    if (rt.u) return;
    afterStep(this, step);
  }
}

/**
 * `$R.task(body)`: the call of an async function. The program's calls pass
 * the body's native generator, already made (`$R.task($g(void 0, envs))`):
 * the body makes its own closure only when a checkpoint needs its frame
 * (scopes.ts nestedFunction), so a call allocates no closure. A module body
 * with top-level await passes the function.
 */
export function startTask(body: Function | NativeBody): IntroPromise {
  const g = typeof body === 'function' ? new Generator(body) : Generator.ofNative(body);
  const t = new Task(g, newInternalPromise());
  let step: Step;
  try {
    step = t.g.run('next', undefined);
  } catch (e) {
    reject(t.p, e);
    return t.p;
  }
  if (rt.u) {
    rt.f(resumeStart, t, undefined, 1, []);
    return t.p;
  }
  afterStep(t, step);
  return t.p;
}

/** The frame a task left in a stack captured in its synchronous part. */
function resumeStart(this: Task): IntroPromise {
  rt.enter();
  let step: Step;
  try {
    step = rt.resume() as Step;
  } catch (e) {
    reject(this.p, e);
    return this.p;
  }
  if (rt.u) {
    rt.f(resumeStart, this, undefined, 1, []);
    return this.p;
  }
  afterStep(this, step);
  return this.p;
}

/**
 * `$R.ptask(body)`: the call of an async function with no await of its own
 * (generators.ts). Its body is a plain instrumented function, so the call
 * needs no generator and no task: it runs the body to its end and settles
 * the promise with what it returned or threw. A checkpoint inside the body
 * leaves a `resumePlainStart` frame holding the promise, as `resumeStart` does.
 */
export function startPlainTask(body: () => unknown): IntroPromise {
  return settlePlain(newInternalPromise(), body);
}

/** The frame a plain task left in a stack captured in its body. */
function resumePlainStart(this: IntroPromise): IntroPromise {
  rt.enter();
  return settlePlain(this, () => rt.resume());
}

/** Runs a plain task's body (or its restored frames) and settles its promise, unless a capture unwinds. */
function settlePlain(p: IntroPromise, run: () => unknown): IntroPromise {
  let value: unknown;
  try {
    value = run();
  } catch (e) {
    reject(p, e);
    return p;
  }
  if (rt.u) {
    rt.f(resumePlainStart, p, undefined, 1, []);
    return p;
  }
  resolveWith(p, value);
  return p;
}

/** The body stopped: at an await (wait for the value) or at its end (settle the promise). */
export function afterStep(t: Task, step: Step): void {
  if (step.done) resolveWith(t.p, step.value);
  else awaitWith(t, step.value);
}

/** `await value` of an awaiter: it is resumed by a job once the value settles. */
export function awaitValue(who: Awaiter, value: unknown): void {
  awaitWith(who instanceof Task ? who : awaitReaction(who), value);
}

function awaitWith(re: Reaction, value: unknown): void {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return awaitPrimitive(re, value);
  // Most awaits are of the program's own promises (an async call's): PromiseResolve gives them back as they are.
  const p = getPrototypeOf(value) === INTRO_PROTO && (value as IntroPromise).constructor === IntroPromise ? (value as IntroPromise) : (promiseResolve(IntroPromise, value) as IntroPromise);
  awaitPromise(p, re);
}

const getPrototypeOf = Object.getPrototypeOf;
const INTRO_PROTO: object = IntroPromise.prototype;


functions.registerClassMembers('introspect:Task', Task);
functions.registerStatic('introspect:resumeStart', resumeStart);
functions.registerStatic('introspect:resumePlainStart', resumePlainStart);
