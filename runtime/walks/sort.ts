// `arr.sort(cmp)` and `arr.toSorted(cmp)` as a walk (driver.ts), so a
// checkpoint can land inside the comparator. Same element collection and
// write-back as ECMA-262 (holes dropped, undefineds last, the array untouched
// if the comparator throws) and V8's TimSort for the comparisons: a run is
// counted (a strictly descending one reversed) and extended to the minimum
// run length by binary insertion, so below 64 elements the comparator sees
// exactly V8's calls in V8's order. Runs are then merged pairwise, stably,
// without galloping: for longer arrays the result is the same for any
// consistent comparator, but the calls differ, so index.ts leaves arrays of
// 64 elements or more to the engine's sort (a no-save region).

import { ask, defineWalk, order, type WalkState } from './driver.js';

interface SortState extends WalkState {
  /** The array sorted in place; undefined for toSorted. */
  o: unknown[] | undefined;
  cmp: Function;
  /** The defined elements, being sorted. */
  a: unknown[];
  /** Length read at the start, undefined elements seen (they go last). */
  len: number;
  undef: number;
  minRun: number;
  /** The run being built: its start, what is left after it, its length so far. */
  low: number;
  rem: number;
  runLen: number;
  desc: boolean;
  idx: number;
  prev: unknown;
  /** Binary insertion: the element being placed and the search window. */
  start: number;
  hi: number;
  left: number;
  right: number;
  mid: number;
  pivot: unknown;
  /** Runs found, [base, length] pairs; the merge pass in progress. */
  runs: number[];
  next: number[];
  mi: number;
  /** The merge in progress: the left run copied out, cursors into it and the right run, the write cursor. */
  tmp: unknown[];
  ai: number;
  bj: number;
  bEnd: number;
  dk: number;
}

const START = 0, RUN = 1, RUN_FIRST = 2, RUN_NEXT_ASK = 3, RUN_NEXT = 4, RUN_DONE = 5, BIS_OUTER = 6, BIS_SEARCH = 7, BIS_CMP = 8, RUN_PUSH = 9, MERGE_NEXT = 10, MERGE_ASK = 11, MERGE_CMP = 12;

export function sortWalk(o: unknown[], cmp: Function, inPlace: boolean): SortState {
  const { a, undef, len } = collect(o, inPlace);
  return {
    w: 'sort',
    p: 0,
    fn: undefined,
    self: undefined,
    args: undefined,
    result: undefined,
    o: inPlace ? o : undefined,
    cmp,
    a,
    len,
    undef,
    minRun: 0,
    low: 0,
    rem: 0,
    runLen: 0,
    desc: false,
    idx: 0,
    prev: undefined,
    start: 0,
    hi: 0,
    left: 0,
    right: 0,
    mid: 0,
    pivot: undefined,
    runs: [],
    next: [],
    mi: 0,
    tmp: [],
    ai: 0,
    bj: 0,
    bEnd: 0,
    dk: 0,
  };
}

/** The elements to sort: sort skips holes, toSorted reads them as undefined. Undefineds are counted, not sorted. */
function collect(o: unknown[], inPlace: boolean): { a: unknown[]; undef: number; len: number } {
  const len = o.length;
  const a: unknown[] = [];
  let undef = 0;
  for (let i = 0; i < len; i++) {
    if (inPlace && !(i in o)) continue;
    const v = o[i];
    if (v === undefined) undef++;
    else a.push(v);
  }
  return { a, undef, len };
}

function minRunLength(n: number): number {
  let r = 0;
  while (n >= 64) {
    r |= n & 1;
    n >>= 1;
  }
  return n + r;
}

function reverse(a: unknown[], from: number, to: number): void {
  for (let i = from, j = to - 1; i < j; i++, j--) {
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

function step(st: SortState, r: unknown): boolean {
  const a = st.a;
  for (;;) {
    switch (st.p) {
      case START: {
        if (a.length < 2) return finish(st);
        st.minRun = minRunLength(a.length);
        st.low = 0;
        st.rem = a.length;
        st.p = RUN;
        continue;
      }
      case RUN:
        if (st.rem === 0) {
          st.p = MERGE_NEXT;
          continue;
        }
        if (st.rem === 1) {
          st.runLen = 1;
          st.desc = false;
          st.p = RUN_DONE;
          continue;
        }
        return ask(st, RUN_FIRST, st.cmp, undefined, [a[st.low + 1], a[st.low]]);
      case RUN_FIRST:
        st.desc = order(r) < 0;
        st.prev = a[st.low + 1];
        st.runLen = 2;
        st.idx = st.low + 2;
        st.p = RUN_NEXT_ASK;
        continue;
      case RUN_NEXT_ASK:
        if (st.idx < st.low + st.rem) return ask(st, RUN_NEXT, st.cmp, undefined, [a[st.idx], st.prev]);
        st.p = RUN_DONE;
        continue;
      case RUN_NEXT: {
        const ord = order(r);
        if (st.desc ? ord >= 0 : ord < 0) {
          st.p = RUN_DONE;
          continue;
        }
        st.prev = a[st.idx];
        st.runLen++;
        st.idx++;
        st.p = RUN_NEXT_ASK;
        continue;
      }
      case RUN_DONE:
        st.prev = undefined;
        if (st.desc) reverse(a, st.low, st.low + st.runLen);
        if (st.runLen < st.minRun) {
          const forced = Math.min(st.minRun, st.rem);
          st.start = st.low + st.runLen;
          st.hi = st.low + forced;
          st.runLen = forced;
          st.p = BIS_OUTER;
        } else st.p = RUN_PUSH;
        continue;
      case BIS_OUTER:
        if (st.start < st.hi) {
          st.left = st.low;
          st.right = st.start;
          st.pivot = a[st.start];
          st.p = BIS_SEARCH;
        } else st.p = RUN_PUSH;
        continue;
      case BIS_SEARCH:
        if (st.left < st.right) {
          st.mid = st.left + ((st.right - st.left) >> 1);
          return ask(st, BIS_CMP, st.cmp, undefined, [st.pivot, a[st.mid]]);
        }
        for (let p = st.start; p > st.left; --p) a[p] = a[p - 1];
        a[st.left] = st.pivot;
        st.pivot = undefined;
        st.start++;
        st.p = BIS_OUTER;
        continue;
      case BIS_CMP:
        if (order(r) < 0) st.right = st.mid;
        else st.left = st.mid + 1;
        st.p = BIS_SEARCH;
        continue;
      case RUN_PUSH:
        st.runs.push(st.low, st.runLen);
        st.low += st.runLen;
        st.rem -= st.runLen;
        st.p = RUN;
        continue;
      case MERGE_NEXT: {
        const runs = st.runs;
        if (runs.length <= 2 && st.mi === 0) return finish(st);
        if (st.mi + 2 < runs.length) {
          // Merge runs mi/2 and mi/2 + 1: the left one is copied out, the right one is read in place.
          const base = runs[st.mi], lenA = runs[st.mi + 1], lenB = runs[st.mi + 3];
          st.tmp = a.slice(base, base + lenA);
          st.ai = 0;
          st.bj = base + lenA;
          st.bEnd = base + lenA + lenB;
          st.dk = base;
          st.next.push(base, lenA + lenB);
          st.mi += 4;
          st.p = MERGE_ASK;
          continue;
        }
        // The pass is over (an odd run out carries over).
        if (st.mi < runs.length) st.next.push(runs[st.mi], runs[st.mi + 1]);
        st.runs = st.next;
        st.next = [];
        st.mi = 0;
        continue;
      }
      case MERGE_ASK:
        if (st.ai < st.tmp.length && st.bj < st.bEnd) return ask(st, MERGE_CMP, st.cmp, undefined, [a[st.bj], st.tmp[st.ai]]);
        while (st.ai < st.tmp.length) a[st.dk++] = st.tmp[st.ai++];
        st.tmp = [];
        st.p = MERGE_NEXT;
        continue;
      case MERGE_CMP:
        if (order(r) < 0) a[st.dk++] = a[st.bj++];
        else a[st.dk++] = st.tmp[st.ai++];
        st.p = MERGE_ASK;
        continue;
    }
  }
}

/** Writes the sorted elements back (sort) or into a new array (toSorted): sorted, then undefineds, then holes removed. */
function finish(st: SortState): false {
  const a = st.a;
  const out = st.o ?? new Array(st.len);
  let i = 0;
  for (; i < a.length; i++) out[i] = a[i];
  for (let u = 0; u < st.undef; u++, i++) out[i] = undefined;
  for (; i < st.len; i++) delete out[i];
  st.result = out;
  return false;
}

defineWalk('sort', step);
