// Generator objects of instrumented generator functions. Pass 0b turns
// `function* g() { BODY }` into `function g() { return $R.gen(function* () { BODY }) }`
// and the later passes make BODY's yields resume points. The body stays a
// native generator, so a running program pays a native yield per yield; its
// frame becomes data only when a checkpoint needs it:
//
// - suspended at a yield, the body is asked for it: `settle` resumes it with
//   the CAPTURE marker, and the code at every yield answers by yielding its
//   frame record (pc, values) and suspending again at the same yield;
// - restored from a checkpoint, the body is primed from that frame on its
//   first resumption: a one-frame rewind (as a restore's) lands at the yield,
//   which suspends there (`$R.pr()`), ready for the value sent in.
//
// A checkpoint can also be taken while a generator runs: the unwind returns
// out of the body (the native generator is finished) and passes through
// `run`, which records a frame of `resumeGenerator` (mode, value, phase)
// between the caller's frame and the body's; on restore the caller's router
// calls it, and it takes the body that the rewind made again (a new native
// generator running from the saved frame), or, if the point was the
// resumption itself (phase 0), performs the resumption, or (phase 2)
// re-enters the delegate of a `yield*` it was forwarding to.

import type { Frame } from './frames.js';
import { functions } from './functions.js';
import { intrinsic } from './heap/intrinsics.js';
import { GEN_BODY, GEN_DELEGATE, GEN_FRAME, GEN_NATIVE, GEN_RAW, GEN_STATE } from './hidden-fields.js';
import { callNoSave } from './no-save.js';
import { lookLikePlatform, programProperties } from './platform-look.js';
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

/** The engine's generator object that runs an instrumented body. */
export type NativeBody = { next(v?: unknown): Step; throw(e: unknown): Step };

/** What re-entering a body's frame gives the `resumeGenerator` frame below it: the new native body and its first step. */
export class ReenteredBody {
  constructor(
    public native: NativeBody,
    public step: Step,
  ) {}
}

/** A body frame re-entered by a rewind: a new native body runs from the frame (its prologue takes it) to its next stop. */
export function reenterBody(fn: Function): ReenteredBody {
  const native = (fn as () => NativeBody)();
  return new ReenteredBody(native, native.next());
}

/** How the yield a body last stopped at is special (`rt.yk`, set by the yield's operand). */
export const PLAIN_YIELD = 0;
/** `yield*`'s yield (`$R.yd`): the generator forwards to the delegate `rt.ydel`. */
export const DELEGATE_YIELD = 1;
/** An async `yield*`'s value (`$R.dy`): resumed with the mode in `$R.sm`, never thrown into. */
export const RAW_YIELD = 2;

export class Generator {
  [GEN_STATE] = START;
  /** The suspended body as data: restored from a checkpoint (primed on resumption), or settled for one. */
  [GEN_FRAME]: Frame | undefined = undefined;
  /** Suspended in a `yield*`: the iterator every resumption goes to until it is done. */
  [GEN_DELEGATE]: unknown = undefined;
  /** Suspended at an async `yield*`'s value yield (RAW_YIELD). */
  [GEN_RAW] = false;
  /** The live body (not saved: `frame` is, see `settle`). */
  [GEN_NATIVE]: NativeBody | undefined = undefined;
  [GEN_BODY]: Function | undefined;
  constructor(body: Function | undefined) {
    this[GEN_BODY] = body;
  }

  /**
   * A generator whose body is already made (an async function's task): its
   * function, needed only for a frame, comes with the frame (`$R.yf`, `$R.fb`).
   */
  static ofNative(native: NativeBody): Generator {
    const g = new Generator(undefined);
    g[GEN_NATIVE] = native;
    return g;
  }

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
    if (this[GEN_STATE] === RUNNING) throw new TypeError('Generator is already running');
    if (this[GEN_STATE] === DONE || (this[GEN_STATE] === START && mode !== 'next')) {
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
    return this[GEN_DELEGATE] === undefined ? this.run(mode, value) : this.forward(mode, value, false);
  }

  /**
   * A resumption of a body suspended in `yield*`: it goes to the delegate;
   * the body is re-entered only when the delegate is done (its value is the
   * value of `yield*`, or the body returns it if it finished a `return`) or
   * threw (the body gets the throw at its `yield*`). Restoring a checkpoint
   * taken inside the delegate, `rewinding` re-enters the delegate's frames.
   */
  forward(mode: ResumeMode, value: unknown, rewinding: boolean): Step {
    this[GEN_STATE] = RUNNING;
    let result: unknown;
    try {
      const step = rewinding ? (rt.resume() as Step) : delegateStep(this[GEN_DELEGATE], mode, value);
      if (rt.u) return rt.f(resumeGenerator, this, undefined, 1, [mode, value, 2]) as Step;
      if (!step.done) {
        this[GEN_STATE] = SUSPENDED;
        // The delegate's own result object, as a native `yield*` passes it on.
        return step;
      }
      result = step.value;
    } catch (e) {
      this[GEN_STATE] = SUSPENDED;
      this[GEN_DELEGATE] = undefined;
      return this.run('throw', e);
    }
    this[GEN_STATE] = SUSPENDED;
    this[GEN_DELEGATE] = undefined;
    return this.run(mode === 'return' ? 'return' : 'next', result);
  }

  /**
   * Runs the body from its start or its last yield; or, `intoCapture`, takes
   * the body the restore re-entered where it was running at the checkpoint.
   */
  run(mode: ResumeMode, value: unknown, intoCapture = false): Step {
    const from = this[GEN_STATE];
    this[GEN_STATE] = RUNNING;
    let step: Step;
    try {
      if (intoCapture) {
        const reentered = rt.resume() as ReenteredBody;
        this[GEN_NATIVE] = reentered.native;
        step = reentered.step;
      } else if (from === START) {
        const native = this[GEN_NATIVE] ?? (this[GEN_NATIVE] = (this[GEN_BODY] as () => NativeBody)());
        step = native.next();
      } else {
        const native = this[GEN_NATIVE] ?? this.prime();
        if (this[GEN_RAW]) {
          // An async yield*'s loop reads how it was resumed and forwards it.
          this[GEN_RAW] = false;
          rt.sm = mode;
          step = native.next(value);
        } else if (mode === 'next') step = native.next(value);
        else if (mode === 'throw') step = native.throw(value);
        else {
          // The body's own `return` (after `if ($t === $R.RT)`) runs its finally blocks as the program's code.
          rt.rv = value;
          step = native.next(rt.RT);
        }
      }
    } catch (e) {
      this.close();
      throw e;
    }
    return this.stepped(step, mode, value);
  }

  /**
   * `next(value)` driven from a resume point of the program (a for…of's
   * step, `it.next(v)`): where the body waits at a plain yield and no point
   * is due at the resumption, the body is resumed without the dispatch on
   * state and mode of `stepAt` and `run`; anything else takes that path.
   */
  nextFromProgram(value: unknown): Step {
    const native = this[GEN_NATIVE];
    if (this[GEN_STATE] !== SUSPENDED || native === undefined || this[GEN_DELEGATE] !== undefined || this[GEN_RAW] || rt.c <= 0) return this.stepAt('next', value);
    // the resumption's point, as stepAt counts it (c > 0: none due here)
    rt.c--;
    this[GEN_STATE] = RUNNING;
    let step: Step;
    try {
      step = native.next(value);
    } catch (e) {
      this.close();
      throw e;
    }
    return this.stepped(step, 'next', value);
  }

  /** After the body ran: it finished, unwound for a capture, or suspended at a yield of some kind. */
  private stepped(step: Step, mode: ResumeMode, value: unknown): Step {
    if (step.done) {
      if (rt.u) {
        // Unwinding: the body returned its frame record; the rewind makes a new body.
        this[GEN_NATIVE] = undefined;
        return rt.f(resumeGenerator, this, undefined, 1, [mode, value, 1]) as Step;
      }
      this.close();
      return step;
    }
    this[GEN_STATE] = SUSPENDED;
    if (rt.yk !== PLAIN_YIELD) {
      if (rt.yk === DELEGATE_YIELD) {
        this[GEN_DELEGATE] = rt.ydel;
        rt.ydel = undefined;
        rt.yk = PLAIN_YIELD;
        // The delegate's result object (`$R.yd($d, $s)`), passed on as it is.
        return step.value as Step;
      }
      rt.yk = PLAIN_YIELD;
      this[GEN_RAW] = true;
    }
    return step;
  }

  /** A body restored as data (`frame`) runs again up to its yield, where it waits for the resumption. */
  private prime(): NativeBody {
    const frame = this[GEN_FRAME]!;
    this[GEN_FRAME] = undefined;
    rt.resumeSuspended(frame);
    const native = (frame.fn as () => NativeBody)();
    const primed = native.next();
    if (primed.done || primed.value !== rt.PRIMED) throw new Error('introspect: a restored generator did not resume at its yield');
    this[GEN_NATIVE] = native;
    return native;
  }

  /**
   * A checkpoint is being written: a live body suspended at a yield gives its
   * frame as data (it stays suspended there, and goes on unchanged).
   */
  settle(): boolean {
    const native = this[GEN_NATIVE];
    // (Running with a delegate, the body waits at its `yield*`'s yield while the delegate runs.)
    if (native === undefined || (this[GEN_STATE] !== SUSPENDED && this[GEN_DELEGATE] === undefined)) return false;
    const answer = native.next(rt.CAPTURE);
    const record = answer.value as { pc: number; values: unknown[]; fn: Function };
    this[GEN_FRAME] = { fn: record.fn, self: undefined, nt: undefined, pc: record.pc, values: record.values };
    return true;
  }

  /** After the checkpoint: a live body needs no copy of its frame. */
  unsettle(): void {
    if (this[GEN_NATIVE] !== undefined) this[GEN_FRAME] = undefined;
  }

  private close(): void {
    this[GEN_STATE] = DONE;
    this[GEN_BODY] = undefined;
    this[GEN_FRAME] = undefined;
    this[GEN_NATIVE] = undefined;
  }
}

// The live body is saved as its frame (settle).
Object.defineProperty(Generator.prototype, Symbol.for('introspect.transient'), { value: [GEN_NATIVE], writable: true, configurable: true });
// as natively, a generator object inherits %IteratorPrototype% (ES2025's helpers, a method the program adds there)
Object.setPrototypeOf(Generator.prototype, intrinsic.iteratorPrototype);
lookLikePlatform(Generator.prototype, (self, show) => `Object [Generator] ${show(programProperties(self))}`);

const GENERATOR_NEXT = Generator.prototype.next;
const GENERATOR_RETURN = Generator.prototype.return;
const GENERATOR_THROW = Generator.prototype.throw;
const apply = Reflect.apply;

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
 *
 * The method is read once, as the call as written reads it, and whether it
 * is one of our generator methods is what tells a generator step: `next`
 * takes the fast path (`nextFromProgram`, a direct step), `return` and
 * `throw` get `rt.direct`, which the step they begin consumes. No
 * `instanceof Generator`: V8 does not fold it here (~80 instructions a
 * call), and most objects with a `next` are the program's own iterators and
 * random generators, called at the price of a plain call. (Calling the fast
 * path as a method, not through `Reflect.apply` or `.call` of the function,
 * is what lets V8 inline it: ~30 instructions a step.)
 */
export function drive0(o: any, method: string): unknown {
  const f = o[method];
  if (f === GENERATOR_NEXT) return o.nextFromProgram(undefined);
  if (f === GENERATOR_RETURN || f === GENERATOR_THROW) rt.direct = true;
  // (not a function: the call as written, for the engine's TypeError)
  return typeof f === 'function' ? apply(f, o, []) : o[method]();
}

export function drive1(o: any, method: string, value: unknown): unknown {
  const f = o[method];
  if (f === GENERATOR_NEXT) return o.nextFromProgram(value);
  if (f === GENERATOR_RETURN || f === GENERATOR_THROW) rt.direct = true;
  return typeof f === 'function' ? apply(f, o, [value]) : o[method](value);
}

/** for…of over a generator in instrumented code: each step is driven from the loop's resume point. */
export class GeneratorIter {
  constructor(public g: Generator) {}
  next(): Step {
    const g = this.g;
    if (g.next === GENERATOR_NEXT) return g.nextFromProgram(undefined);
    rt.direct = true;
    return g.next();
  }
  return(value?: unknown): Step {
    return this.g.return(value);
  }
}

/**
 * `yield*`: one step of the delegate, forwarding how the outer generator was
 * resumed. Each method is read once (ECMA-262's GetMethod, then Call); one
 * of our generator methods is driven from the body's resume point (the
 * fast `next`, or `rt.direct`), as in `drive1`.
 */
export function delegateStep(it: any, mode: ResumeMode, value: unknown): Step {
  if (mode === 'next') {
    const next = it.next;
    if (next === GENERATOR_NEXT) return it.nextFromProgram(value);
    return typeof next === 'function' ? apply(next, it, [value]) : it.next(value);
  }
  if (mode === 'throw') {
    const thrower = it.throw;
    if (typeof thrower === 'function') {
      if (thrower === GENERATOR_THROW) rt.direct = true;
      return apply(thrower, it, [value]);
    }
    // Cleanup before the TypeError: no resume point is here, and a capture would be lost in the throw.
    if (typeof it.return === 'function') callNoSave(it.return, it);
    throw new TypeError('The iterator does not provide a \'throw\' method');
  }
  const returner = it.return;
  if (typeof returner !== 'function') return { value, done: true };
  if (returner === GENERATOR_RETURN) rt.direct = true;
  return apply(returner, it, [value]);
}

functions.registerClassMembers('introspect:Generator', Generator);
functions.registerStatic('introspect:resumeGenerator', resumeGenerator);
functions.registerClassMembers('introspect:GeneratorIter', GeneratorIter);
