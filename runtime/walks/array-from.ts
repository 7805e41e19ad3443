// `Array.from(items, mapFn, thisArg)` as a walk (driver.ts), so a checkpoint
// can land inside the map function. Iterables are read through the runtime's
// savable iterators (iterators.ts: arrays by live index, built-in iterators
// by position, instrumented generators as themselves), one `next()` then one
// call, as natively; array-likes by index up to the length read once. An
// iterable is closed if the map function throws.

import { closeIterator, iterate } from '../iterators.js';
import { ask, defineWalk, type WalkState } from './driver.js';

interface FromState extends WalkState {
  items: unknown;
  mapFn: Function;
  thisArg: unknown;
  it: { next(): { value: unknown; done?: boolean } } | undefined;
  len: number;
  k: number;
  out: unknown[];
  /** The element being mapped (an iterator step not yet done, for the close). */
  v: unknown;
}

// Phase 0: start.
const STEPPED = 1, MAPPED = 2;

export function arrayFromWalk(items: unknown, mapFn: Function, thisArg: unknown): FromState {
  if (items == null) throw new TypeError(`${items} is not iterable`);
  const usesIterator = (items as { [Symbol.iterator]?: unknown })[Symbol.iterator] != null;
  const it = usesIterator ? iterate(items) : undefined;
  const len = usesIterator ? 0 : toLength((items as { length?: unknown }).length);
  return { w: 'array.from', p: 0, fn: undefined, self: undefined, args: undefined, result: undefined, items, mapFn, thisArg, it, len, k: 0, out: usesIterator ? [] : new Array(len), v: undefined };
}

/** ToLength: a length read from an array-like. */
export function toLength(x: unknown): number {
  const n = Math.trunc(Number(x)) || 0;
  return Math.min(Math.max(n, 0), Number.MAX_SAFE_INTEGER);
}

function step(st: FromState, r: unknown): boolean {
  if (st.p === MAPPED) {
    Reflect.defineProperty(st.out, st.k, { value: r, writable: true, enumerable: true, configurable: true });
    st.k++;
    st.v = undefined;
  }
  if (st.it !== undefined) {
    // The iterator's `next` is a call of its own: an instrumented generator stops inside it.
    if (st.p !== STEPPED) return ask(st, STEPPED, st.it.next, st.it, []);
    const s = r as { value: unknown; done?: boolean };
    if (s === null || typeof s !== 'object') throw new TypeError(`Iterator result ${String(s)} is not an object`);
    if (s.done) {
      st.it = undefined;
      st.out.length = st.k;
      st.result = st.out;
      return false;
    }
    st.v = s;
    return ask(st, MAPPED, st.mapFn, st.thisArg, [s.value, st.k]);
  }
  if (st.k < st.len) return ask(st, MAPPED, st.mapFn, st.thisArg, [(st.items as ArrayLike<unknown>)[st.k], st.k]);
  st.result = st.out;
  return false;
}

defineWalk('array.from', step, (st) => {
  if (st.it !== undefined && st.v !== undefined) closeIterator(st.it, st.v as { value: unknown; done: boolean });
});
