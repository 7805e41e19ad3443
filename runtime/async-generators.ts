// Async generators and `for await`. Pass 0c turns `async function* g() { BODY }`
// into `function g() { return $R.agen(() => { BODY' }) }`, where BODY' has its
// own `await x` as `yield $R.aw(x)` and its `yield v` unchanged: one generator
// body whose yields are either awaits (an AwaitSignal) or real yields. The
// AsyncGen object serves the requests of next/return/throw in order
// (ECMA-262 §27.6: a queue of requests, each with its promise), resumes the
// body for the first one, waits (as a task does) at each await, and answers
// the request at each yield. Suspended or waiting, it is plain data.
//
// `for await (x of it)` is lowered by the transform to a loop over
// `$R.ai(it)` (the async iterator, or a wrapper of the sync one) that awaits
// each `next()` and closes the iterator with `$R.aret` when left early.

import { functions } from './functions.js';
import { lookLikePlatform, programProperties } from './platform-look.js';
import { Generator, RAW_YIELD, type ResumeMode, type Step } from './generators.js';
import { iterate } from './iterators.js';
import { callNoSave, callNoSave1 } from './no-save.js';
import { fulfill, IntroPromise, newInternalPromise, promiseResolve, reject } from './promises.js';
import type { Runtime } from './runtime.js';
import { type Awaiter, awaitValue } from './tasks.js';
import { GEN_STATE, AG_BODY, AG_QUEUE, AG_BUSY, AG_DONE, AG_WAITING } from './hidden-fields.js';

let rt: Runtime;

export function bindAsyncGenerators(runtime: Runtime): void {
  rt = runtime;
}

/** What an async generator's body yields for an `await`. */
export class AwaitSignal {
  constructor(public v: unknown) {}
}

interface Request {
  mode: ResumeMode;
  value: unknown;
  p: IntroPromise;
}

/** What the body yields for a value its `yield*` passes on from an async delegate: answered as it is, not awaited. */
export class DelegatedValue {
  constructor(public v: unknown) {}
}

/** What the generator waits for while `busy` and not running: an await of the body, a yielded value, or a returned one. */
const IN_BODY = 0;
const YIELDED_VALUE = 1;
const RETURNED_VALUE = 2;
/** A `return(v)` request to a body suspended at a yield: v is awaited there first (ECMA-262 AsyncGeneratorYield). */
const RETURN_AT_YIELD = 3;

export class AsyncGen implements Awaiter {
  [AG_QUEUE]: Request[] = [];
  /** The body runs or waits: requests queue up. */
  [AG_BUSY] = false;
  [AG_DONE] = false;
  [AG_WAITING] = IN_BODY;
  [AG_BODY]: Generator;
  constructor(g: Generator) {
    this[AG_BODY] = g;
  }

  next(value?: unknown): IntroPromise {
    return this.request('next', value);
  }

  return(value?: unknown): IntroPromise {
    return this.request('return', value);
  }

  throw(error?: unknown): IntroPromise {
    return this.request('throw', error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  get [Symbol.toStringTag](): string {
    return 'AsyncGenerator';
  }

  private request(mode: ResumeMode, value: unknown): IntroPromise {
    const p = newInternalPromise();
    this[AG_QUEUE].push({ mode, value, p });
    if (!this[AG_BUSY]) {
      // The body runs inside the caller's next(): no frame of ours to restore through.
      rt.ns++;
      try {
        this.serve();
      } finally {
        rt.ns--;
      }
    }
    return p;
  }

  /** AsyncGeneratorResumeNext: serves queued requests until the body is busy. */
  private serve(): void {
    while (!this[AG_BUSY] && this[AG_QUEUE].length > 0) {
      const req = this[AG_QUEUE][0];
      if (this[AG_DONE] || (this[AG_BODY][GEN_STATE] === 0 && req.mode !== 'next')) {
        this[AG_DONE] = true;
        if (req.mode === 'next') this.answer(undefined, true);
        else if (req.mode === 'throw') {
          this[AG_QUEUE].shift();
          reject(req.p, req.value);
        } else this.wait(RETURNED_VALUE, req.value);
        continue;
      }
      if (req.mode === 'return') this.wait(RETURN_AT_YIELD, req.value);
      else {
        this[AG_BUSY] = true;
        this.drive(req.mode, req.value, false);
      }
    }
  }

  private answer(value: unknown, done: boolean): void {
    const req = this[AG_QUEUE].shift()!;
    fulfill(req.p, { value, done });
  }

  private wait(what: number, value: unknown): void {
    this[AG_BUSY] = true;
    this[AG_WAITING] = what;
    awaitValue(this, value);
  }

  /** Awaiter: what it waited for settled (or a restore re-enters the body). */
  resume(mode: ResumeMode, value: unknown, restoring: boolean): void {
    const what = this[AG_WAITING];
    this[AG_WAITING] = IN_BODY;
    if (what === IN_BODY || (what === YIELDED_VALUE && mode === 'throw')) this.drive(mode, value, restoring);
    else if (what === RETURN_AT_YIELD) this.drive(mode === 'throw' ? 'throw' : 'return', value, restoring);
    else {
      this[AG_BUSY] = false;
      if (mode === 'throw') reject(this[AG_QUEUE].shift()!.p, value);
      else this.answer(value, what === RETURNED_VALUE);
    }
    if (!this[AG_BUSY]) this.serve();
  }

  private drive(mode: ResumeMode, value: unknown, restoring: boolean): void {
    let step: Step;
    try {
      step = restoring ? (rt.resume() as Step) : this[AG_BODY].stepFromDriver(mode, value);
    } catch (e) {
      this[AG_DONE] = true;
      this[AG_BUSY] = false;
      reject(this[AG_QUEUE].shift()!.p, e);
      return;
    }
    if (rt.u) return;
    if (step.done) {
      this[AG_DONE] = true;
      // Its value was awaited already: by the body's `return x` (pass 0c), or
      // at the yield a `return(v)` resumed (RETURN_AT_YIELD).
      this[AG_BUSY] = false;
      this.answer(step.value, true);
    } else if (step.value instanceof AwaitSignal) awaitValue(this, step.value.v);
    else if (step.value instanceof DelegatedValue) {
      this[AG_BUSY] = false;
      this.answer(step.value.v, false);
    } else this.wait(YIELDED_VALUE, step.value);
  }
}

/** `$R.agen(body)`: the call of an async generator function. */
export function startAsyncGenerator(body: Function): AsyncGen {
  return new AsyncGen(new Generator(body));
}

/** `$R.aw(x)`: an await inside an async generator's body. */
export function awaitSignal(value: unknown): AwaitSignal {
  return new AwaitSignal(value);
}

/** `$R.dy(v)`: a value an async `yield*` passes on. */
export function delegatedValue(value: unknown): DelegatedValue {
  // Its resumption is the loop's to forward (generators.ts RAW_YIELD).
  rt.yk = RAW_YIELD;
  return new DelegatedValue(value);
}

/** `$R.ads(it, mode, value)`: one step of an async `yield*`'s delegate (awaited by the body), forwarding how the generator was resumed. */
export function asyncDelegateStep(it: any, mode: ResumeMode, value: unknown): unknown {
  // Not a resume point (the body resumes at the await of what this returns):
  // the delegate's methods, the program's own, run as no-save regions.
  if (mode === 'next') return typeof it.next === 'function' ? callNoSave1(it.next, it, value) : it.next(value);
  if (mode === 'throw') {
    if (typeof it.throw === 'function') return callNoSave1(it.throw, it, value);
    if (typeof it.return === 'function') callNoSave(it.return, it);
    throw new TypeError("The iterator does not provide a 'throw' method");
  }
  if (typeof it.return !== 'function') return { value, done: true };
  return callNoSave1(it.return, it, value);
}

// ---- for await ----------------------------------------------------------------------------

/** GetIterator(obj, async): its async iterator, or its sync iterator wrapped (CreateAsyncFromSyncIterator). */
export function asyncIteratorOf(obj: unknown): unknown {
  if (obj === null || obj === undefined) throw new TypeError(`${obj} is not async iterable`);
  const o = obj as Record<symbol, unknown>;
  const method = o[Symbol.asyncIterator];
  if (method !== undefined && method !== null) {
    // The program's own methods run as no-save regions: the loop resumes after these calls, never inside.
    const it = callNoSave(method as Function, obj);
    if (it === null || (typeof it !== 'object' && typeof it !== 'function')) throw new TypeError('Result of the Symbol.asyncIterator method is not an object');
    return it;
  }
  const sync = o[Symbol.iterator];
  if (typeof sync !== 'function') throw new TypeError(`${typeof obj === 'object' ? 'object' : String(obj)} is not async iterable`);
  // Arrays, strings, Maps and Sets get the runtime's iterators, which a checkpoint can save.
  return new AsyncFromSyncIterator(obj instanceof Generator ? sync.call(obj) : (iterate(obj) as Iterator<unknown>));
}

/** `$R.ais(r)`: an iterator result must be an object. */
export function checkIterResult(r: unknown): unknown {
  if (r === null || (typeof r !== 'object' && typeof r !== 'function')) throw new TypeError(`Iterator result ${String(r)} is not an object`);
  return r;
}

/** What closing an iterator without a `return` gives: an object, so `$R.ais` lets it pass. */
const NO_RETURN = Object.freeze({});

/**
 * `$R.aret(it)`: close an async iterator left early (its `return`, if it has
 * one). A loop left by break or return awaits it and checks the result
 * (`$R.ais`), as ECMA-262 AsyncIteratorClose; one left by an exception
 * ignores both.
 */
export function closeAsyncIterator(it: unknown): unknown {
  const ret = (it as { return?: unknown }).return;
  if (ret === undefined || ret === null) return NO_RETURN;
  return callNoSave(ret as Function, it);
}

class AsyncFromSyncIterator {
  constructor(public it: Iterator<unknown>) {}

  // The sync iterator's steps are no-save regions: the loop resumes at the
  // await of what they return, never inside them.
  next(value?: unknown): unknown {
    return this.continue(rt.nsv(() => this.it.next(value)));
  }

  return(value?: unknown): unknown {
    const ret = this.it.return;
    if (ret === undefined || ret === null) return promiseResolve(IntroPromise, { value, done: true });
    return this.continue(rt.nsv(() => ret.call(this.it, value)));
  }

  private continue(result: IteratorResult<unknown>): unknown {
    checkIterResult(result);
    return (promiseResolve(IntroPromise, result.value) as IntroPromise).then(iterResult.bind(undefined, !!result.done));
  }
}

function iterResult(done: boolean, value: unknown): unknown {
  return { value, done };
}

lookLikePlatform(AsyncGen.prototype, (self, show) => `Object [AsyncGenerator] ${show(programProperties(self))}`);

functions.registerClassMembers('introspect:AsyncGen', AsyncGen);
functions.registerClassMembers('introspect:AwaitSignal', AwaitSignal);
functions.registerClassMembers('introspect:DelegatedValue', DelegatedValue);
functions.registerClassMembers('introspect:AsyncFromSyncIterator', AsyncFromSyncIterator);
functions.registerStatic('introspect:iterResult', iterResult);
