// No-save regions for the runtime's own helpers. A helper that calls the
// program's code (a `[Symbol.iterator]()`, an iterator's `return()`, an
// emitter's `on`) from a place that is no resume point of the program — the
// call `$R.iter(x)` is not followed by a test of the unwind flag — must not
// let a checkpoint be taken inside: the unwind would come back into the
// helper, and through it into a caller that goes on as if nothing happened.
// So the call runs with the runtime's no-save count raised (`rt.ns`), and a
// point reached inside waits until it returns (runtime.ts whyNotHere).

/** What the no-save count lives on: the runtime. */
export interface NoSave {
  ns: number;
}

/** A stand-in until the runtime is made (index.ts binds it). */
let bound: NoSave = { ns: 0 };

export function bindNoSave(rt: NoSave): void {
  bound = rt;
}

/** `fn.call(self)` as a no-save region (no closure made per call). */
export function callNoSave(fn: Function, self: unknown): unknown {
  bound.ns++;
  try {
    return fn.call(self);
  } finally {
    bound.ns--;
  }
}

/** `fn.call(self, arg)` as a no-save region. */
export function callNoSave1(fn: Function, self: unknown, arg: unknown): unknown {
  bound.ns++;
  try {
    return fn.call(self, arg);
  } finally {
    bound.ns--;
  }
}

/** `fn.call(self, a, b)` as a no-save region. */
export function callNoSave2(fn: Function, self: unknown, a: unknown, b: unknown): unknown {
  bound.ns++;
  try {
    return fn.call(self, a, b);
  } finally {
    bound.ns--;
  }
}

/** `fn.call(self, a, b, c)` as a no-save region. */
export function callNoSave3(fn: Function, self: unknown, a: unknown, b: unknown, c: unknown): unknown {
  bound.ns++;
  try {
    return fn.call(self, a, b, c);
  } finally {
    bound.ns--;
  }
}

/** `fn.call(self, a, b, c, d)` as a no-save region. */
export function callNoSave4(fn: Function, self: unknown, a: unknown, b: unknown, c: unknown, d: unknown): unknown {
  bound.ns++;
  try {
    return fn.call(self, a, b, c, d);
  } finally {
    bound.ns--;
  }
}
