// Frames as data. A capture sets the runtime's `u`; every instrumented
// function, returning at once, appends one Frame (top of the stack first). A Frame
// holds no closure of its own: `fn` is the program's function value, saved
// like any other value (static id or factory + environments).

/**
 * What an unwinding frame returns; thrown only by a constructor a subclass's
 * `super()` called (runtime.ts `f`). Never an Error: no stack trace is taken.
 */
export const UNWIND: object = Object.freeze({ introspect: 'unwind' });

export interface Frame {
  /** The function this frame runs (re-entered on restore). */
  fn: Function;
  /** Its `this` (constructors: the object under construction). */
  self: unknown;
  /** `new.target` of a constructor frame, else undefined. */
  nt: Function | undefined;
  /** The resume point: 1 = entry, then the function's sites in source order. */
  pc: number;
  /** Parameters then locals, in the order of the function table. */
  values: unknown[];
  /** A generator body's frame (runtime `fb`): re-entered by running a new native body from it. */
  body?: true;
}
