// Generator objects of instrumented generator functions. Pass 0b turns
// `function* g() { BODY }` into `function g() { return $R.gen(() => { BODY }) }`
// and the later passes make BODY's yields resume points. This object runs the
// body: a yield returns (or unwinds) out of it leaving its frame here as data
// (fn, pc, values); `next(v)` re-enters the body by the same one-frame rewind
// a restore uses, landing at the yield with `v`. A suspended generator is so
// an ordinary object of the heap, saved and restored with the rest.
//
// A checkpoint can also be taken while a generator runs: the unwind passes
// through `run`, which records a frame of `resumeGenerator` (mode, value,
// phase) between the caller's frame and the body's; on restore the caller's
// router calls it, and it re-enters the body, or, if the point was the
// resumption itself (phase 0), performs the resumption, or (phase 2)
// re-enters the delegate of a `yield*` it was forwarding to.

import type { Frame } from './frames.js';
import { functions } from './functions.js';
import type { Runtime } from './runtime.js';

const START = 0;
const SUSPENDED = 1;
const RUNNING = 2;
const DONE = 3;

export type ResumeMode = 'next' | 'throw' | 'return';

let rt: Runtime;

export function bindGenerators(runtime: Runtime): void {
  rt = runtime;
}

export interface Step {
  value: unknown;
  done: boolean;
}

export class Generator {
  state = START;
  frame: Frame | undefined = undefined;
  /** Suspended in a `yield*`: the iterator every resumption goes to until it is done. */
  delegate: unknown = undefined;
  constructor(public body: Function | undefined) {}

  next(value?: unknown): Step {
    return this.step('next', value);
  }

  return(value?: unknown): Step {
    return this.step('return', value);
  }

  throw(error?: unknown): Step {
    return this.step('throw', error);
  }

  [Symbol.iterator](): this {
    return this;
  }

  get [Symbol.toStringTag](): string {
    return 'Generator';
  }

  private step(mode: ResumeMode, value: unknown): Step {
    // Driven from a resume point of instrumented code (`$R.gn0/gn1`, for…of,
    // yield*), a checkpoint inside can be restored through the caller's frame.
    // Driven by anything else (a spread, destructuring, a built-in, code we
    // do not instrument), the caller has no frame to resume: no checkpoint
    // while it runs.
    if (rt.direct) {
      rt.direct = false;
      return this.stepAt(mode, value);
    }
    rt.ns++;
    try {
      return this.stepAt(mode, value);
    } finally {
      rt.ns--;
    }
  }

  /** A step taken by a driver of the runtime (an async task's job): a checkpoint can pass through it. */
  stepFromDriver(mode: ResumeMode, value: unknown): Step {
    return this.stepAt(mode, value);
  }

  private stepAt(mode: ResumeMode, value: unknown): Step {
    if (this.state === RUNNING) throw new TypeError('Generator is already running');
    if (this.state === DONE || (this.state === START && mode !== 'next')) {
      this.close();
      if (mode === 'throw') throw value;
      return { value: mode === 'return' ? value : undefined, done: true };
    }
    // Every resumption is a suspension point.
    if (--rt.c < 0) {
      rt.point();
      if (rt.u) return rt.f(resumeGenerator, this, undefined, 1, [mode, value, 0]) as Step;
    }
    return this.resumeWith(mode, value);
  }

  /** A resumption: into the body, or to the delegate of the `yield*` it is suspended in. */
  resumeWith(mode: ResumeMode, value: unknown): Step {
    return this.delegate === undefined ? this.run(mode, value) : this.forward(mode, value, false);
  }

  /**
   * A resumption of a body suspended in `yield*`: it goes to the delegate;
   * the body is re-entered only when the delegate is done (its value is the
   * value of `yield*`, or the body returns it if it finished a `return`) or
   * threw (the body gets the throw at its `yield*`). Restoring a checkpoint
   * taken inside the delegate, `rewinding` re-enters the delegate's frames.
   */
  forward(mode: ResumeMode, value: unknown, rewinding: boolean): Step {
    this.state = RUNNING;
    let result: unknown;
    try {
      const step = rewinding ? (rt.resume() as Step) : delegateStep(this.delegate, mode, value);
      if (rt.u) return rt.f(resumeGenerator, this, undefined, 1, [mode, value, 2]) as Step;
      if (!step.done) {
        this.state = SUSPENDED;
        // The delegate's own result object, as a native `yield*` passes it on.
        return step;
      }
      result = step.value;
    } catch (e) {
      this.state = SUSPENDED;
      this.delegate = undefined;
      return this.run('throw', e);
    }
    this.state = SUSPENDED;
    this.delegate = undefined;
    return this.run(mode === 'return' ? 'return' : 'next', result);
  }

  /**
   * Runs the body from its start or its last yield; or, `intoCapture`, lets
   * the restore rewind into the body that was running at the checkpoint.
   */
  run(mode: ResumeMode, value: unknown, intoCapture = false): Step {
    const from = this.state;
    this.state = RUNNING;
    let result: unknown;
    try {
      if (intoCapture) result = rt.resume();
      else if (from === START) {
        const body = this.body as () => unknown;
        result = body();
      }
      else {
        const frame = this.frame!;
        this.frame = undefined;
        rt.resumeSuspended(frame, mode, value);
        const body = frame.fn as () => unknown;
        result = body();
      }
    } catch (e) {
      return this.caught(e);
    }
    if (rt.u && result !== rt.YIELDED) return rt.f(resumeGenerator, this, undefined, 1, [mode, value, 1]) as Step;
    return this.finish(result);
  }

  /** The body returned: a yield by `$R.yld`, or the generator's end. */
  finish(result: unknown): Step {
    if (result === rt.YIELDED) {
      rt.u = false;
      const value = rt.takeYield(this);
      this.state = SUSPENDED;
      return this.delegate === undefined ? { value, done: false } : (value as Step);
    }
    this.close();
    return { value: result, done: true };
  }

  /** The body threw. */
  caught(error: unknown): Step {
    this.close();
    throw error;
  }

  private close(): void {
    this.state = DONE;
    this.body = undefined;
    this.frame = undefined;
  }
}

/** The frame a running generator leaves in a captured stack; see the file comment. */
function resumeGenerator(this: Generator): Step {
  const [, mode, value, phase] = rt.enter() as [number, ResumeMode, unknown, number];
  if (phase === 2) return this.forward(mode, value, true);
  if (phase === 0) return this.resumeWith(mode, value);
  return this.run(mode, value, true);
}

/**
 * `o.next()`/`return()`/`throw()` called at a resume point of instrumented
 * code, without or with the one argument those methods take (no rest array:
 * they are on the path of every iterator the program drives by hand).
 */
export function drive0(o: any, method: string): unknown {
  if (o instanceof Generator) rt.direct = true;
  return o[method]();
}

export function drive1(o: any, method: string, value: unknown): unknown {
  if (o instanceof Generator) rt.direct = true;
  return o[method](value);
}

/** for…of over a generator in instrumented code: each step is driven from the loop's resume point. */
export class GeneratorIter {
  constructor(public g: Generator) {}
  next(): Step {
    rt.direct = true;
    return this.g.next();
  }
  return(value?: unknown): Step {
    return this.g.return(value);
  }
}

/** `yield*`: one step of the delegate, forwarding how the outer generator was resumed. */
export function delegateStep(it: any, mode: ResumeMode, value: unknown): Step {
  if (it instanceof Generator) rt.direct = true;
  if (mode === 'next') return it.next(value);
  if (mode === 'throw') {
    if (typeof it.throw === 'function') return it.throw(value);
    if (typeof it.return === 'function') it.return();
    throw new TypeError('The iterator does not provide a \'throw\' method');
  }
  if (typeof it.return !== 'function') return { value, done: true };
  return it.return(value);
}

functions.registerClassMembers('introspect:Generator', Generator);
functions.registerStatic('introspect:resumeGenerator', resumeGenerator);
functions.registerClassMembers('introspect:GeneratorIter', GeneratorIter);
