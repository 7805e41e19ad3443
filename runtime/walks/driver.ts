// The runtime's own loops for built-ins that call back into the program
// (sort's comparator, JSON's reviver and replacer, a replace function,
// Array.from's map function). Natively the engine runs the loop, so a
// checkpoint inside the callback could only be deferred until the built-in
// returns. Here each built-in is a step function over a plain state object:
// it advances the state and either asks for one call (fn, this, args) or
// finishes with a result. The driver makes the calls; a capture inside one
// records a `builtinWalkFrame` holding the state, and the restore re-enters
// the callback through it and lets the step function consume its result as
// if the call had just returned. Every walk's state is heap data (arrays,
// objects, the callback itself), so it is saved with the checkpoint.

import { functions } from '../functions.js';
import type { Runtime } from '../runtime.js';

let rt: Runtime;

export function bindWalks(runtime: Runtime): void {
  rt = runtime;
}

/**
 * What every walk's state carries for the driver. Each walk writes its
 * state as one object literal, these fields first: not `{ ...fields(),
 * more }`, whose copy then extension costs V8 (Node 20) microseconds per
 * object, more than a small sort or a short replace takes natively.
 */
export interface WalkState {
  /** Which walk (the key of its step function). */
  w: string;
  /** Its phase: what the next step does with the result of the call just made. */
  p: number;
  /** The call asked for; cleared while it runs (its frames hold what it needs). */
  fn: Function | undefined;
  self: unknown;
  args: unknown[] | undefined;
  /** The built-in's return value, once done. */
  result: unknown;
}

/** Advances `st` with the result `r` of the call it asked for; true: it asks for another call. */
export type Step<S extends WalkState> = (st: S, r: unknown) => boolean;

const STEPS = new Map<string, Step<any>>();
const ON_THROW = new Map<string, (st: any) => void>();

export function defineWalk<S extends WalkState>(kind: string, step: Step<S>, onThrow?: (st: S) => void): void {
  STEPS.set(kind, step);
  if (onThrow) ON_THROW.set(kind, onThrow);
}

/** A step function's way of asking for a call; returns true for `return ask(...)`. */
export function ask(st: WalkState, phase: number, fn: Function, self: unknown, args: unknown[]): true {
  st.p = phase;
  st.fn = fn;
  st.self = self;
  st.args = args;
  return true;
}

/** Runs a walk to its end; `resuming`: re-enter the call that was in progress at the checkpoint. */
export function runWalk(st: WalkState, resuming: boolean): unknown {
  const step = STEPS.get(st.w);
  if (step === undefined) throw new Error(`introspect: unknown built-in walk '${st.w}' (the checkpoint comes from another runtime version)`);
  try {
    let more = resuming || guarded(step, st, undefined);
    while (more) {
      let r: unknown;
      if (resuming) {
        resuming = false;
        r = rt.resume();
      } else {
        const { fn, self, args } = st;
        st.fn = st.self = st.args = undefined;
        r = Reflect.apply(fn!, self, args!);
      }
      if (rt.u) return rt.f(builtinWalkFrame, st, undefined, 1, []);
      more = guarded(step, st, r);
    }
  } catch (e) {
    ON_THROW.get(st.w)?.(st);
    throw e;
  }
  const out = st.result;
  st.result = undefined;
  return out;
}

/**
 * A step may run program code without asking (a getter, an iterator's
 * `next`): a checkpoint due there waits for the next point, since the step
 * in progress has no frame to resume.
 */
function guarded(step: Step<WalkState>, st: WalkState, r: unknown): boolean {
  rt.ns++;
  try {
    return step(st, r);
  } finally {
    rt.ns--;
  }
}

/** The frame a walk leaves in a captured stack. */
function builtinWalkFrame(this: WalkState): unknown {
  rt.enter();
  return runWalk(this, true);
}

functions.registerStatic('introspect:builtinWalkFrame', builtinWalkFrame);

/** ToNumber of a comparator's result, NaN read as 0 (ECMA-262 SortCompare). */
export function order(r: unknown): number {
  const v = +(r as number);
  return v !== v ? 0 : v;
}
