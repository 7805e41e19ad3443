// Callbacks of Array.prototype's iteration methods, where a checkpoint can
// land. Natively, `arr.map(f)` runs `f` from inside the engine: a checkpoint
// in `f` would have to be deferred until `map` returns (its loop state is the
// engine's). The transform turns `o.map(f, t)` into `$R.acMap(o, f, t)`
// (one entry per common method) and the rest of its kin into
// `$R.ac(o, "flatMap", f, t)`; for a plain array with the built-in method, the
// runtime runs the same loop itself, keeping its state (index, accumulator,
// result) in an object, and a capture in `f` records a `walkFrame` holding
// that object, between the caller's frame and `f`'s. The restore re-enters
// `f` through it and the loop goes on from the same index. Anything else (a
// typed array, a subclass, an object with its own `map`) gets the call as
// written. A Map's or Set's `forEach` is walked the same way, its position
// kept by the runtime's live iterator (iterators.ts).

import { ARRAY_CALLBACK_METHODS, type ArrayCallbackMethod } from './callback-methods.js';
import { functions } from './functions.js';
import { LiveIter } from './iterators.js';
import type { Runtime } from './runtime.js';
import { toLength } from './walks/array-from.js';
import { callThroughWalk, NOT_WALKED } from './walks/index.js';
import { isProxyValue, isWalkableArray } from './walkable.js';

let rt: Runtime;

export function bindArrayCallbacks(runtime: Runtime): void {
  rt = runtime;
}

/** 'from': Array.from(arrayLike or plain array, mapFn), walked as a map that visits holes and passes (value, index). */
type Method = ArrayCallbackMethod | 'from';
const BUILTIN = new Map<string, Function>();
for (const m of ARRAY_CALLBACK_METHODS) {
  const fn = (Array.prototype as unknown as Record<string, unknown>)[m];
  if (typeof fn === 'function') BUILTIN.set(m, fn);
}

/** A walk's state: what a checkpoint inside the callback saves. */
interface Walk {
  o: unknown[];
  m: Method;
  fn: Function;
  t: unknown;
  /** Current index, end (exclusive), direction (1 up, -1 down). */
  i: number;
  end: number;
  d: number;
  /** The element passed to the call in progress (filter, find keep it). */
  v: unknown;
  acc: unknown;
  out: unknown[] | undefined;
}

/**
 * `$R.ac1(o, name, fn)` and `$R.ac2(o, name, fn, second)`: the methods
 * without an entry of their own (`flatMap`, `findLast`, `reduceRight`,
 * `sort`, …; the common ones have `$R.acMap` and kin, below), with one or
 * two arguments as written.
 */
export function arrayCall1(o: unknown, name: string, fn: unknown): unknown {
  return arrayCall(o, name, fn);
}

export function arrayCall2(o: unknown, name: string, fn: unknown, second: unknown): unknown {
  return arrayCall(o, name, fn, second);
}

/*
 * `$R.acMap(o, f, t)` and kin (callback-methods.ts ARRAY_LOOP_ENTRIES): one
 * entry per method, each small enough that once the calling function is
 * optimized, the engine inlines it and the method's loop there, so the
 * callback is called from the caller's own copy of the loop and can be
 * inlined into it, as the engine does with its own `map`. A dispatch on the
 * method's name in one shared entry was too big to inline (a `map` of
 * three elements in a hot function cost ~4.7× the engine's). Anything but a
 * plain array with the built-in method goes the general way, with the
 * arguments as written (`n`: how many).
 */
export function acMap(o: unknown, fn: unknown, t?: unknown): unknown {
  if (typeof fn === 'function' && isPlainArray(o) && (o as unknown[]).map === nativeMethods.map) return mapLoop(o as unknown[], fn, t);
  return general(o, 'map', fn, t, arguments.length);
}

export function acForEach(o: unknown, fn: unknown, t?: unknown): unknown {
  if (typeof fn === 'function') {
    if (isPlainArray(o)) {
      if ((o as unknown[]).forEach === nativeMethods.forEach) return forEachLoop(o as unknown[], fn, t);
    } else if (!Array.isArray(o) && !isProxyValue(o) && isPlainCollection(o)) return collectionLoop(o as Map<unknown, unknown> | Set<unknown>, fn, t);
  }
  return general(o, 'forEach', fn, t, arguments.length);
}

export function acFilter(o: unknown, fn: unknown, t?: unknown): unknown {
  if (typeof fn === 'function' && isPlainArray(o) && (o as unknown[]).filter === nativeMethods.filter) return filterLoop(o as unknown[], fn, t);
  return general(o, 'filter', fn, t, arguments.length);
}

export function acSome(o: unknown, fn: unknown, t?: unknown): unknown {
  if (typeof fn === 'function' && isPlainArray(o) && (o as unknown[]).some === nativeMethods.some) return someLoop(o as unknown[], fn, t);
  return general(o, 'some', fn, t, arguments.length);
}

export function acEvery(o: unknown, fn: unknown, t?: unknown): unknown {
  if (typeof fn === 'function' && isPlainArray(o) && (o as unknown[]).every === nativeMethods.every) return everyLoop(o as unknown[], fn, t);
  return general(o, 'every', fn, t, arguments.length);
}

export function acFind(o: unknown, fn: unknown, t?: unknown): unknown {
  if (typeof fn === 'function' && isPlainArray(o) && (o as unknown[]).find === nativeMethods.find) return findLoop(o as unknown[], fn, t);
  return general(o, 'find', fn, t, arguments.length);
}

export function acFindIndex(o: unknown, fn: unknown, t?: unknown): unknown {
  if (typeof fn === 'function' && isPlainArray(o) && (o as unknown[]).findIndex === nativeMethods.findIndex) return findIndexLoop(o as unknown[], fn, t);
  return general(o, 'findIndex', fn, t, arguments.length);
}

/** `o.reduce(f)`: the first present element is the initial value. */
export function acReduce(o: unknown, fn: unknown): unknown {
  if (typeof fn === 'function' && isPlainArray(o) && (o as unknown[]).reduce === nativeMethods.reduce) {
    const a = o as unknown[];
    let i = 0;
    while (i < a.length && !(i in a)) i++;
    if (i === a.length) throw new TypeError('Reduce of empty array with no initial value');
    return reduceLoop(a, fn, a[i], i + 1);
  }
  return arrayCall(o, 'reduce', fn);
}

/** `o.reduce(f, initial)`. */
export function acReduceFrom(o: unknown, fn: unknown, initial: unknown): unknown {
  if (typeof fn === 'function' && isPlainArray(o) && (o as unknown[]).reduce === nativeMethods.reduce) return reduceLoop(o as unknown[], fn, initial, 0);
  return arrayCall(o, 'reduce', fn, initial);
}

function general(o: unknown, name: string, fn: unknown, t: unknown, n: number): unknown {
  return n < 3 ? arrayCall(o, name, fn) : arrayCall(o, name, fn, t);
}

/** A plain array, asked in the order `arrayCall` asks: a Proxy first, its traps would see the rest. */
function isPlainArray(o: unknown): boolean {
  return Array.isArray(o) && !isProxyValue(o) && Object.getPrototypeOf(o) === Array.prototype && (o as { constructor?: unknown }).constructor === Array;
}

/** The loop for `a[name]`, if it is one of the built-ins with a loop of their own. */
function fastLoop(a: unknown[], name: string): FastLoop | undefined {
  switch (name) {
    case 'map':
      return a.map === nativeMethods.map ? mapLoop : undefined;
    case 'forEach':
      return a.forEach === nativeMethods.forEach ? forEachLoop : undefined;
    case 'filter':
      return a.filter === nativeMethods.filter ? filterLoop : undefined;
    case 'reduce':
      return a.reduce === nativeMethods.reduce ? reduceLoop : undefined;
    case 'some':
      return a.some === nativeMethods.some ? someLoop : undefined;
    case 'every':
      return a.every === nativeMethods.every ? everyLoop : undefined;
    case 'find':
      return a.find === nativeMethods.find ? findLoop : undefined;
    case 'findIndex':
      return a.findIndex === nativeMethods.findIndex ? findIndexLoop : undefined;
    default:
      return undefined;
  }
}

const nativeMethods = {
  map: Array.prototype.map,
  forEach: Array.prototype.forEach,
  filter: Array.prototype.filter,
  reduce: Array.prototype.reduce,
  some: Array.prototype.some,
  every: Array.prototype.every,
  find: Array.prototype.find,
  findIndex: Array.prototype.findIndex,
};

/*
 * One loop per common method. Each keeps its position and result in locals
 * and makes the walk's state only when a capture passes (`captured`). Each
 * has its own call site for the callbacks of that method (one loop for all
 * made one megamorphic site: a program with many callbacks spent 14 % of
 * its time in it), and each is small enough to be inlined with its entry
 * into the caller. `second`: the this-argument, or reduce's accumulator;
 * `from`: where a reduce starts.
 */
type FastLoop = (o: unknown[], fn: Function, second: unknown, from: number) => unknown;

function mapLoop(o: unknown[], fn: Function, t: unknown): unknown[] {
  const end = o.length;
  const out = new Array(end);
  for (let i = 0; i < end; i++) {
    if (!(i in o)) continue;
    const v = o[i];
    const r = fn.call(t, v, i, o);
    if (rt.u) return captured(o, 'map', fn, t, i, end, v, undefined, out) as unknown[];
    out[i] = r;
  }
  return out;
}

function forEachLoop(o: unknown[], fn: Function, t: unknown): undefined {
  const end = o.length;
  for (let i = 0; i < end; i++) {
    if (!(i in o)) continue;
    const v = o[i];
    fn.call(t, v, i, o);
    if (rt.u) return captured(o, 'forEach', fn, t, i, end, v, undefined, undefined) as undefined;
  }
  return undefined;
}

function filterLoop(o: unknown[], fn: Function, t: unknown): unknown[] {
  const end = o.length;
  const out: unknown[] = [];
  for (let i = 0; i < end; i++) {
    if (!(i in o)) continue;
    const v = o[i];
    const r = fn.call(t, v, i, o);
    if (rt.u) return captured(o, 'filter', fn, t, i, end, v, undefined, out) as unknown[];
    if (r) out.push(v);
  }
  return out;
}

function reduceLoop(o: unknown[], fn: Function, acc: unknown, from: number): unknown {
  const end = o.length;
  for (let i = from; i < end; i++) {
    if (!(i in o)) continue;
    const v = o[i];
    const r = fn(acc, v, i, o);
    if (rt.u) return captured(o, 'reduce', fn, undefined, i, end, v, acc, undefined);
    acc = r;
  }
  return acc;
}

function someLoop(o: unknown[], fn: Function, t: unknown): unknown {
  const end = o.length;
  for (let i = 0; i < end; i++) {
    if (!(i in o)) continue;
    const v = o[i];
    const r = fn.call(t, v, i, o);
    if (rt.u) return captured(o, 'some', fn, t, i, end, v, undefined, undefined);
    if (r) return true;
  }
  return false;
}

function everyLoop(o: unknown[], fn: Function, t: unknown): unknown {
  const end = o.length;
  for (let i = 0; i < end; i++) {
    if (!(i in o)) continue;
    const v = o[i];
    const r = fn.call(t, v, i, o);
    if (rt.u) return captured(o, 'every', fn, t, i, end, v, undefined, undefined);
    if (!r) return false;
  }
  return true;
}

/** find and findIndex visit holes (as undefined). */
function findLoop(o: unknown[], fn: Function, t: unknown): unknown {
  const end = o.length;
  for (let i = 0; i < end; i++) {
    const v = o[i];
    const r = fn.call(t, v, i, o);
    if (rt.u) return captured(o, 'find', fn, t, i, end, v, undefined, undefined);
    if (r) return v;
  }
  return undefined;
}

function findIndexLoop(o: unknown[], fn: Function, t: unknown): unknown {
  const end = o.length;
  for (let i = 0; i < end; i++) {
    const v = o[i];
    const r = fn.call(t, v, i, o);
    if (rt.u) return captured(o, 'findIndex', fn, t, i, end, v, undefined, undefined);
    if (r) return i;
  }
  return -1;
}

/**
 * A capture passing a fast loop: the walk's state at the element in
 * progress, and its frame (the restore resumes the callback, then the
 * general loop goes on from the next element).
 */
function captured(o: unknown[], m: Method, fn: Function, t: unknown, i: number, end: number, v: unknown, acc: unknown, out: unknown[] | undefined): unknown {
  const st: Walk = { o, m, fn, t, i, end, d: 1, v, acc, out };
  return rt.f(walkFrame, st, undefined, 1, []);
}

/** `$R.ac(o, name, ...args)`: a call of an iteration method at a resume point. */
export function arrayCall(o: unknown, name: string, ...args: unknown[]): unknown {
  // a Proxy's traps see every read: its method is read once and called, as written
  if (isProxyValue(o)) return Reflect.apply((o as Record<string, Function>)[name]!, o, args);
  if (name === 'forEach' && typeof args[0] === 'function' && isPlainCollection(o)) {
    return collectionWalk.call({ it: new LiveIter(o as Iterable<unknown>), o: o as Map<unknown, unknown> | Set<unknown>, fn: args[0] as Function, t: args[1], isSet: o instanceof Set }, false);
  }
  const builtin = BUILTIN.get(name);
  if (name === 'from' && o === Array && Array.from === nativeFrom && typeof args[1] === 'function' && isIndexed(args[0])) {
    // The common case (`Array.from({ length: n }, f)`, an array): the fast loop below, not a generic walk.
    const items = args[0] as ArrayLike<unknown>;
    const len = Array.isArray(items) ? items.length : toLength(items.length);
    return walk.call({ o: items as unknown[], m: 'from', fn: args[1] as Function, t: args[2], i: 0, end: len, d: 1, v: undefined, acc: undefined, out: new Array(len) }, false);
  }
  if (builtin === undefined) {
    const walked = callThroughWalk(o, name, args);
    if (walked !== NOT_WALKED) return walked;
  }
  // An engine older than the method (findLast before ES2023): the walk provides it for plain arrays.
  const walkable = isWalkableArray(o);
  const provided = builtin === undefined && (ARRAY_CALLBACK_METHODS as readonly string[]).includes(name) && walkable && (o as unknown as Record<string, unknown>)[name] === undefined && typeof args[0] === 'function';
  if ((!provided && builtin === undefined) || !walkable || (o as unknown as Record<string, unknown>)[name] !== builtin || typeof args[0] !== 'function') {
    if (o == null) throw new TypeError(`Cannot read properties of ${o} (reading '${name}')`);
    const method = (o as Record<string, unknown>)[name];
    if (typeof method !== 'function') throw new TypeError(`${describe(o)}.${name} is not a function`);
    return Reflect.apply(method, o, args);
  }
  const m = name as Method;
  const len = o.length;
  const down = m === 'reduceRight' || m === 'findLast' || m === 'findLastIndex';
  const st: Walk = { o, m, fn: args[0] as Function, t: args[1], i: down ? len - 1 : 0, end: down ? -1 : len, d: down ? -1 : 1, v: undefined, acc: undefined, out: undefined };
  if (m === 'map') st.out = new Array(len);
  else if (m === 'filter' || m === 'flatMap') st.out = [];
  if (m === 'reduce' || m === 'reduceRight') {
    if (args.length >= 2) st.acc = args[1];
    else {
      // No initial value: the first present element is.
      while (st.i !== st.end && !(st.i in o)) st.i += st.d;
      if (st.i === st.end) throw new TypeError('Reduce of empty array with no initial value');
      st.acc = o[st.i];
      st.i += st.d;
    }
  }
  return walk.call(st, false);
}

const nativeFrom = Array.from;
const arrayValues = Array.prototype[Symbol.iterator];

/** Read by index for Array.from: a plain array with its own iterator, or an array-like that is not iterable. */
function isIndexed(items: unknown): boolean {
  if (items === null || typeof items !== 'object') return false;
  if (Array.isArray(items)) return Object.getPrototypeOf(items) === Array.prototype && (items as unknown[])[Symbol.iterator] === arrayValues;
  return (items as { [Symbol.iterator]?: unknown })[Symbol.iterator] == null;
}

function describe(o: unknown): string {
  return o === null ? 'null' : Array.isArray(o) ? 'array' : typeof o;
}

/**
 * The loop. The common methods, walking up, run a loop whose position and
 * accumulator are locals, written to the walk's state only when a capture
 * passes (`captured`); the rest, and the rest of any loop after a restore,
 * run the general one (its per-element switch on the method's name and
 * state writes were most of what an instrumented `map` or `filter` cost).
 */
function walk(this: Walk, resuming: boolean): unknown {
  const st = this;
  if (resuming || st.d < 0) return walkGeneral.call(st, resuming);
  const loop = fastLoop(st.o, st.m);
  if (loop === reduceLoop) return reduceLoop(st.o, st.fn, st.acc, st.i);
  return loop === undefined || st.i !== 0 ? walkGeneral.call(st, false) : loop(st.o, st.fn, st.t, 0);
}

/** The loop, as a frame (see the file comment); `resuming`: re-enter the callback in progress. */
function walkGeneral(this: Walk, resuming: boolean): unknown {
  const st = this;
  const { o, m } = st;
  const skipsHoles = m !== 'find' && m !== 'findIndex' && m !== 'findLast' && m !== 'findLastIndex' && m !== 'from';
  for (; st.d > 0 ? st.i < st.end : st.i > st.end; st.i += st.d) {
    const k = st.i;
    let r: unknown;
    if (resuming) {
      resuming = false;
      r = rt.resume();
    } else {
      if (skipsHoles && !(k in o)) continue;
      st.v = o[k];
      r = m === 'reduce' || m === 'reduceRight' ? st.fn.call(undefined, st.acc, st.v, k, o) : m === 'from' ? st.fn.call(st.t, st.v, k) : st.fn.call(st.t, st.v, k, o);
    }
    if (rt.u) return rt.f(walkFrame, st, undefined, 1, []);
    switch (m) {
      case 'map':
      case 'from':
        st.out![k] = r;
        break;
      case 'filter':
        if (r) st.out!.push(st.v);
        break;
      case 'flatMap':
        if (Array.isArray(r)) for (const x of r) st.out!.push(x);
        else st.out!.push(r);
        break;
      case 'some':
        if (r) return true;
        break;
      case 'every':
        if (!r) return false;
        break;
      case 'find':
      case 'findLast':
        if (r) return st.v;
        break;
      case 'findIndex':
      case 'findLastIndex':
        if (r) return k;
        break;
      case 'reduce':
      case 'reduceRight':
        st.acc = r;
        break;
    }
    st.v = undefined;
  }
  switch (m) {
    case 'map':
    case 'from':
    case 'filter':
    case 'flatMap':
      return st.out;
    case 'some':
      return false;
    case 'every':
      return true;
    case 'findIndex':
    case 'findLastIndex':
      return -1;
    case 'reduce':
    case 'reduceRight':
      return st.acc;
    default:
      return undefined;
  }
}

// ---- Map/Set forEach ---------------------------------------------------------------------

const mapForEach = Map.prototype.forEach;
const setForEach = Set.prototype.forEach;

function isPlainCollection(o: unknown): boolean {
  if (o instanceof Map) return Object.getPrototypeOf(o) === Map.prototype && (o as Map<unknown, unknown>).forEach === mapForEach;
  if (o instanceof Set) return Object.getPrototypeOf(o) === Set.prototype && (o as Set<unknown>).forEach === setForEach;
  return false;
}

/**
 * A Map's or Set's forEach, run over the engine's own iterator; when a
 * capture passes, that iterator becomes a live iterator's (which the
 * checkpoint settles into a count of entries visited) in the walk's state.
 */
function collectionLoop(o: Map<unknown, unknown> | Set<unknown>, fn: Function, t: unknown): undefined {
  if (o instanceof Set) {
    const live = setValues.call(o);
    for (let r = live.next(); !r.done; r = live.next()) {
      fn.call(t, r.value, r.value, o);
      if (rt.u) return collectionCaptured(o, live, fn, t, true);
    }
  } else {
    const live = mapEntries.call(o);
    for (let r = live.next(); !r.done; r = live.next()) {
      const entry = r.value;
      fn.call(t, entry[1], entry[0], o);
      if (rt.u) return collectionCaptured(o, live, fn, t, false);
    }
  }
  return undefined;
}

function collectionCaptured(o: Map<unknown, unknown> | Set<unknown>, live: Iterator<unknown>, fn: Function, t: unknown, isSet: boolean): undefined {
  const it = new LiveIter(o as Iterable<unknown>);
  it.live = live;
  return void rt.f(collectionWalkFrame, { it, o, fn, t, isSet }, undefined, 1, []);
}

const mapEntries = Map.prototype.entries as (this: Map<unknown, unknown>) => Iterator<[unknown, unknown]>;
const setValues = Set.prototype.values as (this: Set<unknown>) => Iterator<unknown>;

/** A Map's or Set's forEach: the position is the runtime's live iterator (a count of entries visited). */
interface CollectionWalk {
  it: LiveIter;
  o: Map<unknown, unknown> | Set<unknown>;
  fn: Function;
  t: unknown;
  isSet: boolean;
}

function collectionWalk(this: CollectionWalk, resuming: boolean): undefined {
  const st = this;
  for (;;) {
    if (resuming) {
      resuming = false;
      rt.resume();
      if (rt.u) return void rt.f(collectionWalkFrame, st, undefined, 1, []);
      continue;
    }
    const r = st.it.next();
    if (r.done) return undefined;
    const [k, v] = st.isSet ? [r.value, r.value] : (r.value as [unknown, unknown]);
    st.fn.call(st.t, v, k, st.o);
    if (rt.u) return void rt.f(collectionWalkFrame, st, undefined, 1, []);
  }
}

function collectionWalkFrame(this: CollectionWalk): undefined {
  rt.enter();
  return collectionWalk.call(this, true);
}

/** The frame a walk leaves in a captured stack: on restore, resumes the callback in progress, then the loop. */
function walkFrame(this: Walk): unknown {
  rt.enter();
  return walk.call(this, true);
}

functions.registerStatic('introspect:walkFrame', walkFrame);
functions.registerStatic('introspect:collectionWalkFrame', collectionWalkFrame);
