// The program's promises. Instrumented code's `Promise` is this class (the
// transform rewrites the global name, transformer/platform-globals.ts), so
// every promise the program makes is an ordinary object of the heap: its
// state, its value and its pending reactions are fields, and the jobs that
// settled promises have queued wait in the scheduler's queue
// (scheduler.ts), also as data. A checkpoint saves them with the rest; a
// restore puts them back and the program's promises carry on.
//
// It follows ECMA-262 §27.2 step by step, with one queue for its jobs, so the
// order in which a program's reactions run (and its output interleaves) is
// the one a native promise gives: `await v` takes one job, resolving with a
// thenable two more, `then` one. The functions it hands to the program
// (resolve/reject, Promise.all's element functions, finally's wrappers) are
// bound functions of registered runtime functions, which the heap saves as
// (target, bound arguments).
//
// Native promises still exist (the platform's and libraries' I/O): awaiting
// one subscribes to it; while such a subscription is pending, a checkpoint
// waits (the scheduler's quiesce rule).

import { runtimePrototype } from './heap/classify.js';
import { lookLikePlatform } from './platform-look.js';
import type { Runtime } from './runtime.js';
import { CLOSURE, functions } from './functions.js';
import type { Job, Scheduler } from './scheduler.js';
import type { Awaiter } from './tasks.js';
import { PROMISE_STATE, PROMISE_RESULT, REACTIONS, HANDLED } from './hidden-fields.js';

export const PENDING = 0;
export const FULFILLED = 1;
export const REJECTED = 2;

/** A `then` on a pending promise: who is told when it settles. */
export interface Reaction {
  /** The promise `then` returned (internal), */
  d: IntroPromise | undefined;
  /** or the capability of a subclass's constructor. */
  c: Capability | undefined;
  /** Handlers (undefined: pass the value on). */
  f: Function | undefined;
  r: Function | undefined;
  /** An async function or generator awaiting the promise (no handlers, no derived promise). */
  t: Awaiter | undefined;
}

export interface Capability {
  promise: unknown;
  resolve: Function;
  reject: Function;
}

let scheduler: Scheduler;
let rt: Runtime;

export function bindPromises(s: Scheduler, runtime: Runtime): void {
  scheduler = s;
  rt = runtime;
}

/** Constructor argument of promises made inside the runtime: no resolving functions. */
const INTERNAL = function internal(): void {};

const NativePromise = Promise;

export class IntroPromise<T = unknown> {
  /** State: PENDING, FULFILLED or REJECTED. */
  [PROMISE_STATE] = PENDING;
  /** Value or reason. */
  [PROMISE_RESULT]: unknown = undefined;
  /** Pending reactions, in registration order: none, one (most promises have one), or a list. */
  [REACTIONS]: Reaction | Reaction[] | undefined = undefined;
  /** A handler was ever attached (a rejection is then not reported). */
  [HANDLED] = false;

  constructor(executor: (resolve: (value?: T | PromiseLike<T>) => void, reject: (reason?: unknown) => void) => void) {
    if (executor === INTERNAL) return;
    // A restore re-entering a subclass's constructor calls `super()` with no
    // arguments (reenter.ts resumeOf): the executor's frame is next, and it
    // gives back the promise it was constructing, which `super()` binds.
    if (executor === undefined && rt.rs) return rt.resume() as IntroPromise<T>;
    if (typeof executor !== 'function') throw new TypeError(`Promise resolver ${describe(executor)} is not a function`);
    const { resolve, reject } = resolvingFunctions(this);
    callExecutor(this, executor, resolve, reject);
  }

  then(onFulfilled?: unknown, onRejected?: unknown): IntroPromise {
    if (!isIntroPromise(this)) throw new TypeError('Method Promise.prototype.then called on incompatible receiver');
    const C = speciesConstructor(this);
    if (C === IntroPromise) {
      const d = new IntroPromise(INTERNAL);
      perform(this, onFulfilled, onRejected, d, undefined);
      return d;
    }
    const cap = newCapability(C);
    perform(this, onFulfilled, onRejected, undefined, cap);
    return cap.promise as IntroPromise;
  }

  catch(onRejected?: unknown): unknown {
    return (this as any).then(undefined, onRejected);
  }

  finally(onFinally?: unknown): unknown {
    const C = speciesConstructor(this);
    if (typeof onFinally !== 'function') return (this as any).then(onFinally, onFinally);
    return (this as any).then(thenFinally.bind(undefined, C, onFinally), catchFinally.bind(undefined, C, onFinally));
  }

  get [Symbol.toStringTag](): string {
    return 'Promise';
  }

  static get [Symbol.species](): unknown {
    return this;
  }

  /** `x instanceof Promise` holds for the platform's promises too, as it did before the transform. */
  static [Symbol.hasInstance](x: unknown): boolean {
    if (this !== IntroPromise) return Function.prototype[Symbol.hasInstance].call(this, x);
    return x instanceof NativePromise || isIntroPromise(x);
  }

  static resolve(x: unknown): unknown {
    return promiseResolve(this, x);
  }

  static reject(r: unknown): unknown {
    if (this === IntroPromise) {
      const p = new IntroPromise(INTERNAL);
      reject(p, r);
      return p;
    }
    const cap = newCapability(this);
    cap.reject(r);
    return cap.promise;
  }

  static withResolvers(): Capability {
    return newCapability(this);
  }

  static all(iterable: unknown): unknown {
    return combine(this, iterable, ALL);
  }

  static allSettled(iterable: unknown): unknown {
    return combine(this, iterable, ALL_SETTLED);
  }

  static any(iterable: unknown): unknown {
    return combine(this, iterable, ANY);
  }

  static race(iterable: unknown): unknown {
    return combine(this, iterable, RACE);
  }
}
Object.defineProperty(IntroPromise, 'name', { value: 'Promise' });

/**
 * `Promise.withResolvers` (ES2024) is the program's only where the engine's
 * own Promise had it when the program started (later-builtins.ts: the rule,
 * and a checkpoint's list for a restart): Node 20's has none. Called once,
 * at the start, before the program's first statement.
 */
export function programPromiseHas(withResolvers: boolean): void {
  if (!withResolvers) delete (IntroPromise as { withResolvers?: unknown }).withResolvers;
}

/** Node's util.inspect shows it as it shows a native promise. */
lookLikePlatform(IntroPromise.prototype, (self, show) => {
  const p = self as IntroPromise;
  if (p[PROMISE_STATE] === PENDING) return 'Promise { <pending> }';
  return `Promise { ${p[PROMISE_STATE] === REJECTED ? '<rejected> ' : ''}${show(p[PROMISE_RESULT])} }`;
});

const isPrototypeOf = Object.prototype.isPrototypeOf;

/** A promise of this class or a subclass (not `instanceof`, which also accepts the platform's). */
export function isIntroPromise(x: unknown): x is IntroPromise {
  return typeof x === 'object' && x !== null && isPrototypeOf.call(IntroPromise.prototype, x);
}

/** A promise of the platform's (a library's, Node's I/O): `instanceof` the engine's Promise, and not ours. */
export function isPlatformPromise(x: unknown): x is Promise<unknown> {
  return x instanceof NativePromise && !isIntroPromise(x) && x !== IntroPromise.prototype;
}

// A library (uninstrumented) asks `x instanceof Promise` of the engine's
// Promise to tell an async callback's result from a value (zod's async
// refinements, p-limit, many more): the program's promises are, as they were
// before the transform. The heap saves them as the runtime's objects they are
// (classify.ts), not as the platform's promises it cannot save.
Object.setPrototypeOf(IntroPromise.prototype, NativePromise.prototype);
runtimePrototype(IntroPromise.prototype);

export function newInternalPromise(): IntroPromise {
  return new IntroPromise(INTERNAL);
}

function describe(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x);
  if (x !== null && typeof x === 'object') return '#<Object>';
  return String(x);
}

function speciesConstructor(p: object): Function {
  const C = (p as { constructor?: unknown }).constructor;
  if (C === undefined || C === IntroPromise) return IntroPromise;
  if (C === null || (typeof C !== 'object' && typeof C !== 'function')) throw new TypeError('The .constructor property is not an object');
  const S = (C as Record<symbol, unknown>)[Symbol.species];
  if (S === undefined || S === null) return IntroPromise;
  if (typeof S !== 'function') throw new TypeError('object.constructor[Symbol.species] is not a constructor');
  return S;
}

// ---- settling ----------------------------------------------------------------------

export function fulfill(p: IntroPromise, value: unknown): void {
  if (p[PROMISE_STATE] !== PENDING) return;
  const reactions = p[REACTIONS];
  p[PROMISE_STATE] = FULFILLED;
  p[PROMISE_RESULT] = value;
  p[REACTIONS] = undefined;
  if (reactions !== undefined) enqueueReactions(reactions, value, false);
}

export function reject(p: IntroPromise, reason: unknown): void {
  if (p[PROMISE_STATE] !== PENDING) return;
  const reactions = p[REACTIONS];
  p[PROMISE_STATE] = REJECTED;
  p[PROMISE_RESULT] = reason;
  p[REACTIONS] = undefined;
  if (!p[HANDLED]) scheduler.unhandled(p);
  if (reactions !== undefined) enqueueReactions(reactions, reason, true);
}

function enqueueReactions(reactions: Reaction | Reaction[], v: unknown, rej: boolean): void {
  if (!Array.isArray(reactions)) scheduler.enqueue({ k: REACTION_JOB, re: reactions, v, rej });
  else for (const re of reactions) scheduler.enqueue({ k: REACTION_JOB, re, v, rej });
}

function subscribe(p: IntroPromise, re: Reaction): void {
  const q = p[REACTIONS];
  if (q === undefined) p[REACTIONS] = re;
  else if (Array.isArray(q)) q.push(re);
  else p[REACTIONS] = [q, re];
}

/** The promise resolve function's steps (§27.2.1.3.2), without its already-resolved flag. */
export function resolveWith(p: IntroPromise, resolution: unknown): void {
  if (resolution === p) return reject(p, new TypeError('Chaining cycle detected for promise #<Promise>'));
  if (resolution === null || (typeof resolution !== 'object' && typeof resolution !== 'function')) return fulfill(p, resolution);
  let then: unknown;
  try {
    then = (resolution as { then?: unknown }).then;
  } catch (e) {
    return reject(p, e);
  }
  if (typeof then !== 'function') return fulfill(p, resolution);
  // A promise of the platform (a library's I/O) settles outside the program: a checkpoint waits for it from now on.
  if (isPlatformPromise(resolution)) scheduler.foreign++;
  scheduler.enqueue({ k: THENABLE_JOB, p, th: resolution, then });
}

/** PerformPromiseThen: a reaction now (settled) or later (pending). */
export function perform(p: IntroPromise, onFulfilled: unknown, onRejected: unknown, d: IntroPromise | undefined, c: Capability | undefined): void {
  const re: Reaction = {
    d,
    c,
    f: typeof onFulfilled === 'function' ? onFulfilled : undefined,
    r: typeof onRejected === 'function' ? onRejected : undefined,
    t: undefined,
  };
  if (p[PROMISE_STATE] === PENDING) subscribe(p, re);
  else {
    if (p[PROMISE_STATE] === REJECTED && !p[HANDLED]) scheduler.handled(p);
    scheduler.enqueue({ k: REACTION_JOB, re, v: p[PROMISE_RESULT], rej: p[PROMISE_STATE] === REJECTED });
  }
  p[HANDLED] = true;
}

/** The reaction of an awaiter to what it awaits: no handlers, no derived promise. */
export function awaitReaction(t: Awaiter): Reaction {
  return { d: undefined, c: undefined, f: undefined, r: undefined, t };
}

/** `perform` for an await (`re.t` resumes). */
export function awaitPromise(p: IntroPromise, re: Reaction): void {
  if (p[PROMISE_STATE] === PENDING) subscribe(p, re);
  else {
    if (p[PROMISE_STATE] === REJECTED && !p[HANDLED]) scheduler.handled(p);
    scheduler.enqueue({ k: REACTION_JOB, re, v: p[PROMISE_RESULT], rej: p[PROMISE_STATE] === REJECTED });
  }
  p[HANDLED] = true;
}

/** `perform` on a promise just fulfilled with a primitive, without making the promise: `await 1`. */
export function awaitPrimitive(re: Reaction, value: unknown): void {
  scheduler.enqueue({ k: REACTION_JOB, re, v: value, rej: false });
}

/** PromiseResolve(C, x): x itself when it is already a promise of C. */
export function promiseResolve(C: Function, x: unknown): unknown {
  if (isIntroPromise(x) && (x as { constructor?: unknown }).constructor === C) return x;
  if (C === IntroPromise) {
    const p = new IntroPromise(INTERNAL);
    resolveWith(p, x);
    return p;
  }
  const cap = newCapability(C);
  cap.resolve(x);
  return cap.promise;
}

// ---- resolving functions -------------------------------------------------------------

interface AlreadyResolved {
  done: boolean;
}

function resolveFunction(p: IntroPromise, flag: AlreadyResolved, resolution: unknown): void {
  if (flag.done) return;
  flag.done = true;
  resolveWith(p, resolution);
}

function rejectFunction(p: IntroPromise, flag: AlreadyResolved, reason: unknown): void {
  if (flag.done) return;
  flag.done = true;
  reject(p, reason);
}

export function resolvingFunctions(p: IntroPromise): { resolve: (v?: any) => void; reject: (r?: unknown) => void } {
  const flag: AlreadyResolved = { done: false };
  return { resolve: makeResolver(p, flag, false) as (v?: any) => void, reject: makeResolver(p, flag, true) as (r?: unknown) => void };
}

/**
 * A resolve or reject function: a closure of a registered factory (saved as
 * factory + [promise, flag, which], like the program's closures), cheaper
 * than a bound function, whose parts the runtime would have to note in a
 * WeakMap on every `new Promise`.
 */
function makeResolver(p: IntroPromise, flag: AlreadyResolved, rejects: boolean): Function {
  const fn = rejects ? (reason?: unknown) => rejectFunction(p, flag, reason) : (resolution?: unknown) => resolveFunction(p, flag, resolution);
  (fn as unknown as Record<symbol, unknown>)[CLOSURE] = [RESOLVER, p, flag, rejects];
  return fn;
}
const RESOLVER = 'introspect:promise.resolver';

function newCapability(C: unknown): Capability {
  if (C === IntroPromise) {
    const promise = new IntroPromise(INTERNAL);
    const { resolve, reject } = resolvingFunctions(promise);
    return { promise, resolve, reject };
  }
  if (typeof C !== 'function') throw new TypeError('Promise capability constructor is not a constructor');
  const slots: { resolve?: unknown; reject?: unknown } = {};
  // The program's subclass constructor, called by us: no resume point, so a no-save region.
  const promise = rt.nsv(() => Reflect.construct(C, [capabilityExecutor.bind(undefined, slots)]) as unknown);
  if (typeof slots.resolve !== 'function' || typeof slots.reject !== 'function') throw new TypeError('Promise resolve or reject function is not callable');
  return { promise, resolve: slots.resolve, reject: slots.reject };
}

function capabilityExecutor(slots: { resolve?: unknown; reject?: unknown }, resolve: unknown, reject: unknown): void {
  if (slots.resolve !== undefined || slots.reject !== undefined) throw new TypeError('Promise executor has already been invoked with non-undefined arguments');
  slots.resolve = resolve;
  slots.reject = reject;
}

/** Set by the scheduler: runs the executor as a frame a checkpoint can pass through. */
export let callExecutor: (p: IntroPromise, executor: Function, resolve: Function, reject: Function) => void = (_p, executor, resolve, reject) => {
  try {
    executor(resolve, reject);
  } catch (e) {
    reject(e);
  }
};

export function setExecutorCaller(fn: typeof callExecutor): void {
  callExecutor = fn;
}

// ---- finally ------------------------------------------------------------------------------

function thenFinally(C: Function, onFinally: Function, value: unknown): unknown {
  const result = scheduler.noSave(() => onFinally());
  return (promiseResolve(C, result) as any).then(valueThunk.bind(undefined, value));
}

function catchFinally(C: Function, onFinally: Function, reason: unknown): unknown {
  const result = scheduler.noSave(() => onFinally());
  return (promiseResolve(C, result) as any).then(thrower.bind(undefined, reason));
}

function valueThunk(value: unknown): unknown {
  return value;
}

function thrower(reason: unknown): never {
  throw reason;
}

// ---- combinators (§27.2.4) --------------------------------------------------------------

const ALL = 0;
const ALL_SETTLED = 1;
const ANY = 2;
const RACE = 3;

interface Combination {
  kind: number;
  values: unknown[];
  remaining: number;
  cap: Capability;
}

function combine(C: unknown, iterable: unknown, kind: number): unknown {
  const cap = newCapability(C);
  try {
    if (typeof C !== 'function') throw new TypeError('Promise.all called on non-object');
    const resolve = (C as unknown as { resolve: unknown }).resolve;
    if (typeof resolve !== 'function') throw new TypeError('Promise resolve is not a function');
    const state: Combination = { kind, values: [], remaining: 1, cap };
    const own = C === IntroPromise && resolve === ORIGINAL_RESOLVE && IntroPromise[Symbol.species] === IntroPromise;
    // The iteration runs the program's iterators; no checkpoint inside.
    scheduler.noSave(() => {
      let index = 0;
      for (const value of iterable as Iterable<unknown>) {
        const next = (own ? promiseResolve(IntroPromise, value) : resolve.call(C, value)) as { then: Function };
        let onFulfilled: Function, onRejected: Function;
        if (kind === RACE) {
          onFulfilled = cap.resolve;
          onRejected = cap.reject;
        } else {
          state.values.push(undefined);
          state.remaining++;
          const called: AlreadyResolved = { done: false };
          onFulfilled = kind === ANY ? cap.resolve : makeElement(state, index, called, kind);
          onRejected = kind === ALL ? cap.reject : makeElement(state, index, called, kind === ANY ? ANY : REJECTED_ELEMENT);
          index++;
        }
        const then = next.then;
        // Our own `then` on our own promise, as V8's Promise.all does under its
        // protectors: the reaction without the derived promise nobody can see.
        // (`own`: promiseResolve gave one of ours)
        if (own && then === ORIGINAL_THEN) perform(next as IntroPromise, onFulfilled, onRejected, undefined, undefined);
        else if (typeof then === 'function') Reflect.apply(then, next, [onFulfilled, onRejected]);
        else next.then(onFulfilled, onRejected); // throws the engine's TypeError
      }
    });
    if (kind !== RACE && --state.remaining === 0) finishCombination(state);
  } catch (e) {
    cap.reject(e);
  }
  return cap.promise;
}

function finishCombination(state: Combination): void {
  if (state.kind === ANY) state.cap.reject(new AggregateError(state.values, 'All promises were rejected'));
  else state.cap.resolve(state.values);
}

const ORIGINAL_RESOLVE: Function = IntroPromise.resolve;
const ORIGINAL_THEN: Function = IntroPromise.prototype.then;

/** `Promise.allSettled`'s reject element (its resolve element is ALL_SETTLED). */
const REJECTED_ELEMENT = 4;

/**
 * The resolve (or reject) element function of one input of a combinator: a
 * closure of a registered factory (saved as factory + its arguments), not a
 * bound function, which the runtime would note in a WeakMap per input.
 */
function makeElement(state: Combination, index: number, called: AlreadyResolved, role: number): Function {
  const fn = (x?: unknown) => combinationElement(state, index, called, role, x);
  (fn as unknown as Record<symbol, unknown>)[CLOSURE] = [ELEMENT, state, index, called, role];
  return fn;
}
const ELEMENT = 'introspect:promise.element';

function combinationElement(state: Combination, index: number, called: AlreadyResolved, role: number, x: unknown): void {
  if (called.done) return;
  called.done = true;
  state.values[index] = role === ALL_SETTLED ? { status: 'fulfilled', value: x } : role === REJECTED_ELEMENT ? { status: 'rejected', reason: x } : x;
  if (--state.remaining === 0) finishCombination(state);
}

// ---- jobs --------------------------------------------------------------------------------

export const REACTION_JOB = 0;
export const THENABLE_JOB = 1;
export const MICROTASK_JOB = 2;
/** A `process.nextTick` callback: in the queue of ticks, which runs before the promise jobs. */
export const TICK_JOB = 3;

export type PromiseJob = Job;

functions.registerClassMembers('introspect:Promise', IntroPromise);
functions.registerFactory(RESOLVER, makeResolver as (...envs: any[]) => Function);
functions.registerFactory(ELEMENT, makeElement as (...envs: any[]) => Function);
for (const [id, fn] of Object.entries({ resolveFunction, rejectFunction, capabilityExecutor, thenFinally, catchFinally, valueThunk, thrower, combinationElement, internal: INTERNAL })) {
  functions.registerStatic(`introspect:promise.${id}`, fn);
}
