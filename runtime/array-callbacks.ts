// Callbacks of Array.prototype's iteration methods, where a checkpoint can
// land. Natively, `arr.map(f)` runs `f` from inside the engine: a checkpoint
// in `f` would have to be deferred until `map` returns (its loop state is the
// engine's). The transform turns `o.map(f, t)` and its kin into
// `$R.ac(o, "map", f, t)`; for a plain array with the built-in method, the
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
 * `$R.ac1(o, name, fn)` and `$R.ac2(o, name, fn, second)`: the same call
 * with one or two arguments, as nearly every one is. The common case — a
 * plain array, the built-in method of a loop that walks up, a function —
 * runs its loop here, with no rest array and no state object unless a
 * capture needs one: on arrays of a few elements, that was most of what a
 * call cost (a `map` of three elements took ~8× the engine's).
 */
export function arrayCall1(o: unknown, name: string, fn: unknown): unknown {
  const mode = fastMode(o, name, fn);
  // (a reduce without an initial value starts from the first present element: the general way)
  return mode === undefined || mode === REDUCE ? arrayCall(o, name, fn) : fastLoop(o as unknown[], name as Method, mode, fn as Function, undefined);
}

export function arrayCall2(o: unknown, name: string, fn: unknown, second: unknown): unknown {
  const mode = fastMode(o, name, fn);
  return mode === undefined ? arrayCall(o, name, fn, second) : fastLoop(o as unknown[], name as Method, mode, fn as Function, second);
}

/**
 * The fast loop's mode for `o[name](fn, …)`, if `o` is a plain array (asked
 * in the order `arrayCall` asks: a Proxy first, its traps would see the
 * rest) with the built-in method, and `fn` a function.
 */
function fastMode(o: unknown, name: string, fn: unknown): number | undefined {
  if (typeof fn !== 'function' || !Array.isArray(o) || isProxyValue(o) || Object.getPrototypeOf(o) !== Array.prototype || (o as { constructor?: unknown }).constructor !== Array) return undefined;
  const mode = FAST_MODES[name];
  return mode !== undefined && (o as unknown as Record<string, unknown>)[name] === FAST_BUILTINS[mode] ? mode : undefined;
}

/**
 * The fast loop: the position and accumulator are locals, and the state is
 * made only when a capture passes. `second` is the this-argument, or
 * reduce's accumulator; `from`, where a reduce without an initial value
 * starts (after the first present element, its accumulator).
 */
function fastLoop(o: unknown[], m: Method, mode: number, fn: Function, second: unknown, from = 0): unknown {
  const end = o.length;
  let i = from;
  if (mode === REDUCE) {
    let acc = second;
    for (; i < end; i++) {
      if (!(i in o)) continue;
      const v = o[i];
      const r = fn.call(undefined, acc, v, i, o);
      if (rt.u) return captured({ o, m, fn, t: undefined, i, end, d: 1, v: undefined, acc, out: undefined }, i, v);
      acc = r;
    }
    return acc;
  }
  const out = mode === MAP ? new Array(end) : mode === FILTER ? [] : undefined;
  for (; i < end; i++) {
    if (mode < FIND && !(i in o)) continue;
    const v = o[i];
    const r = fn.call(second, v, i, o);
    if (rt.u) return captured({ o, m, fn, t: second, i, end, d: 1, v: undefined, acc: undefined, out }, i, v);
    if (mode === MAP) out![i] = r;
    else if (mode === FILTER) {
      if (r) out!.push(v);
    } else if (mode === SOME) {
      if (r) return true;
    } else if (mode === EVERY) {
      if (!r) return false;
    } else if (mode !== FOR_EACH && r) return mode === FIND ? v : i;
  }
  return fastResult(mode, out);
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
  const mode = FAST_MODES[st.m];
  if (mode === undefined) return walkGeneral.call(st, false);
  return fastLoop(st.o, st.m, mode, st.fn, mode === REDUCE ? st.acc : st.t, st.i);
}

/** What a fast loop that ran to its end returns. */
function fastResult(mode: number, out: unknown[] | undefined): unknown {
  switch (mode) {
    case MAP:
    case FILTER:
      return out;
    case SOME:
      return false;
    case EVERY:
      return true;
    case FIND_INDEX:
      return -1;
    default:
      return undefined;
  }
}

const FOR_EACH = 0, MAP = 1, FILTER = 2, SOME = 3, EVERY = 4, FIND = 5, FIND_INDEX = 6, REDUCE = 7;
/** The methods the fast loop runs, by name; a mode is also the index of its built-in in FAST_BUILTINS. */
const FAST_MODES: Record<string, number | undefined> = Object.assign(Object.create(null) as Record<string, number>, {
  forEach: FOR_EACH, map: MAP, filter: FILTER, some: SOME, every: EVERY, find: FIND, findIndex: FIND_INDEX, reduce: REDUCE,
});
const FAST_BUILTINS: Function[] = Object.keys(FAST_MODES).map((m) => (Array.prototype as unknown as Record<string, Function>)[m]);

/** A capture passing a fast loop records the walk's position (the element in progress) and its frame. */
function captured(st: Walk, i: number, v: unknown): unknown {
  st.i = i;
  st.v = v;
  return rt.f(walkFrame, st, undefined, 1, []);
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
