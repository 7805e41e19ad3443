// `str.replace(pattern, fn)` and `str.replaceAll(pattern, fn)` as a walk
// (driver.ts), so a checkpoint can land inside the replacement function.
// ECMA-262 finds every match before it calls the function once per match, so
// the engine's own replace finds them (a recording function in place of the
// program's: same regex semantics, same lastIndex effects, same errors); the
// walk then calls the program's function with each recorded argument list
// and splices the results in, keeping a match only if it starts after the
// previous one ended (GetSubstitution's position rule).

import { ask, defineWalk, type WalkState } from './driver.js';

interface ReplaceState extends WalkState {
  s: string;
  replacer: Function;
  /** The argument lists of the replacement calls, in match order; the results so far. */
  calls: unknown[][];
  out: string[];
}

const CALL = 0, RESULT = 1;

export function replaceWalk(s: string, native: Function, pattern: unknown, replacer: Function): ReplaceState {
  const calls: unknown[][] = [];
  native.call(s, pattern, (...a: unknown[]) => {
    calls.push(a);
    return '';
  });
  return { w: 'string.replace', p: 0, fn: undefined, self: undefined, args: undefined, result: undefined, s, replacer, calls, out: [] };
}

function step(st: ReplaceState, r: unknown): boolean {
  if (st.p === RESULT) st.out.push(`${r as string}`);
  const i = st.out.length;
  if (i < st.calls.length) return ask(st, RESULT, st.replacer, undefined, st.calls[i]);
  st.result = splice(st.s, st.calls, st.out);
  return false;
}

function splice(s: string, calls: unknown[][], out: string[]): string {
  let result = '';
  let next = 0;
  for (let i = 0; i < calls.length; i++) {
    const a = calls[i];
    const n = a.length;
    // (matched, ...captures, position, string[, groups])
    const position = (typeof a[n - 1] === 'string' ? a[n - 2] : a[n - 3]) as number;
    if (position < next) continue;
    result += s.slice(next, position) + out[i];
    next = position + (a[0] as string).length;
  }
  return result + s.slice(next);
}

defineWalk('string.replace', step);
