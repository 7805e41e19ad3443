// Iteration state that survives a checkpoint. `for…of` loops of instrumented
// code iterate through these instead of a native iterator (whose position
// cannot be read): arrays by a live index, so elements pushed during the loop
// are visited as natively; other built-in iterables (Map, Set, strings, native
// iterators) through a live native iterator plus a count of steps taken, so a
// restored loop re-creates the iterator and skips what it had consumed.

import { lookLikePlatform, programProperties } from './platform-look.js';
import { functions } from './functions.js';
import { intrinsic } from './heap/intrinsics.js';
import { Generator, GeneratorIter } from './generators.js';
import { callNoSave, callNoSave1 } from './no-save.js';
import { ITER_LIVE, ITER_SOURCE, ITER_KIND, ITER_INDEXED, ITER_N, ITER_TAG } from './hidden-fields.js';

interface Step {
  value: unknown;
  done: boolean;
}

// The loops of instrumented code read a step's `done` and `value` once,
// right after `next()`, and never hand the step to the program: so these
// iterators are their own step objects (no allocation per element).

export class ArrayIter implements Step {
  value: unknown = undefined;
  done = false;
  constructor(
    public a: ArrayLike<unknown>,
    public i = 0,
  ) {}
  next(): Step {
    const a = this.a;
    if (this.i < a.length) {
      this.value = a[this.i++];
      return this;
    }
    this.i = Infinity;
    this.value = undefined;
    this.done = true;
    return this;
  }
}

/** Marks fields the heap does not save (heap/writer.ts savedKeys). */
const TRANSIENT = Symbol.for('introspect.transient');

export class LiveIter implements Step {
  /** The native iterator: not saved, re-created after a restore. */
  live: Iterator<unknown> | undefined = undefined;
  value: unknown = undefined;
  done = false;
  constructor(
    public source: Iterable<unknown>,
    public n = 0,
  ) {}
  next(): Step {
    const r = (this.live ?? this.resync()).next();
    if (!r.done) this.n++;
    this.value = r.value;
    this.done = !!r.done;
    return this;
  }

  /**
   * Re-created after a restore, before the program goes on (a deletion it
   * makes next must find the iterator where it was): skip what was consumed.
   */
  resync(): Iterator<unknown> {
    return (this.live = advanced(this.source[Symbol.iterator](), this.n));
  }

  /** Before a checkpoint saves the position (see settledCount). */
  settle(): void {
    if (this.live !== undefined && (this.source instanceof Map || this.source instanceof Set)) {
      [this.n, this.live] = settledCount(this.live, this.source, () => this.source[Symbol.iterator]());
    }
  }
}

/**
 * A Map or Set iterator's position as the count a fresh iterator must skip:
 * the entries it has still to give are the last ones of the collection as it
 * is now (entries are visited in insertion order, new ones are appended), so
 * the count is the size minus those. Steps taken is not it once the loop has
 * deleted entries. Drains the live iterator and gives a fresh one at the
 * same place, for the program to go on with.
 */
function settledCount(live: Iterator<unknown>, source: Map<unknown, unknown> | Set<unknown>, fresh: () => Iterator<unknown>): [number, Iterator<unknown>] {
  let left = 0;
  while (!live.next().done) left++;
  const n = source.size - left;
  return [n, advanced(fresh(), n)];
}

/** A fresh iterator with `n` steps taken. */
function advanced(it: Iterator<unknown>, n: number): Iterator<unknown> {
  for (let k = 0; k < n; k++) it.next();
  return it;
}

type IterKind = 'keys' | 'values' | 'entries';
const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as Record<string, unknown>;

/**
 * What `xs.keys()/values()/entries()` return in instrumented code when `xs`
 * is an array, typed array, Map or Set: the same sequence as the native
 * iterator, but its position is plain data. Arrays are read by live index
 * (as natively); Maps and Sets through a live native iterator plus a count,
 * re-created and advanced after a restore.
 */
export class CollectionIter {
  /** The native iterator of a Map or Set: not saved, re-created after a restore. */
  [ITER_LIVE]: Iterator<unknown> | undefined = undefined;
  [ITER_SOURCE]: any;
  [ITER_KIND]: IterKind;
  [ITER_INDEXED]: boolean;
  [ITER_N]: number;
  /** The native iterator's tag where it is not the source's (a string's, matchAll's). */
  [ITER_TAG]: string | undefined;
  constructor(source: any, kind: IterKind, indexed: boolean, n = 0, tag: string | undefined = undefined) {
    this[ITER_SOURCE] = source;
    this[ITER_KIND] = kind;
    this[ITER_INDEXED] = indexed;
    this[ITER_N] = n;
    this[ITER_TAG] = tag;
  }
  next(): Step {
    if (this[ITER_INDEXED]) {
      const i = this[ITER_N];
      if (i < this[ITER_SOURCE].length) {
        this[ITER_N]++;
        return { value: this[ITER_KIND] === 'keys' ? i : this[ITER_KIND] === 'values' ? this[ITER_SOURCE][i] : [i, this[ITER_SOURCE][i]], done: false };
      }
      this[ITER_N] = Infinity;
      return { value: undefined, done: true };
    }
    // Done once is done for good, as natively (an entry added later is not
    // seen): n is then Infinity, as an array's, and no iterator is kept.
    if (this[ITER_N] === Infinity) return { value: undefined, done: true };
    // (the engine's result is fresh, as ours would be: given as it is)
    const r = (this[ITER_LIVE] ?? this.resync()).next();
    if (r.done) {
      this[ITER_N] = Infinity;
      this[ITER_LIVE] = undefined;
      return r as Step;
    }
    this[ITER_N]++;
    return r as Step;
  }

  /** See LiveIter.resync (an array's is read by index, and a finished one reads nothing: nothing to make). */
  resync(): Iterator<unknown> {
    if (this[ITER_INDEXED] || this[ITER_N] === Infinity) return this as unknown as Iterator<unknown>;
    return (this[ITER_LIVE] = advanced(this[ITER_SOURCE][this[ITER_KIND]]() as Iterator<unknown>, this[ITER_N]));
  }

  /** Before a checkpoint saves the position (see settledCount). */
  settle(): void {
    if (!this[ITER_INDEXED] && this[ITER_LIVE] !== undefined && this[ITER_N] !== Infinity) [this[ITER_N], this[ITER_LIVE]] = settledCount(this[ITER_LIVE], this[ITER_SOURCE], () => this[ITER_SOURCE][this[ITER_KIND]]());
  }
  [Symbol.iterator](): this {
    return this;
  }
  get [Symbol.toStringTag](): string {
    return this[ITER_TAG] ?? (this[ITER_INDEXED] ? 'Array Iterator' : this[ITER_SOURCE] instanceof Map ? 'Map Iterator' : 'Set Iterator');
  }
}

// As the native iterators do, they inherit %IteratorPrototype%.
Object.setPrototypeOf(CollectionIter.prototype, intrinsic.iteratorPrototype);

// Printed as Node prints the native iterators: a Map's or Set's with the
// entries still to come, the others as an empty object of their tag.
lookLikePlatform(CollectionIter.prototype, (self, show) => {
  const it = self as CollectionIter;
  const tag = it[Symbol.toStringTag];
  if (it[ITER_INDEXED]) return `Object [${tag}] ${show(programProperties(it))}`;
  const rest: unknown[] = [];
  if (it[ITER_N] !== Infinity) {
    it.settle(); // (its count of steps is not its place once entries were deleted)
    const native = advanced(it[ITER_SOURCE][it[ITER_KIND]]() as Iterator<unknown>, it[ITER_N]);
    for (let r = native.next(); !r.done; r = native.next()) rest.push(r.value);
  }
  const title = it[ITER_KIND] === 'entries' ? tag.replace('Iterator', 'Entries') : tag;
  return `[${title}] { ${rest.map(show).join(', ')} }`;
});

/**
 * `o[name]()` for name in keys/values/entries, savable when `o` is a built-in
 * collection; also `o[Symbol.iterator]()` (name `@@iterator`) of an array,
 * typed array, Map, Set or string, and `s.matchAll(re)` of a string (its
 * matches, taken at once: the string cannot change, and matchAll works on a
 * copy of the RegExp).
 */
export function collectionIterator(o: any, name: IterKind | '@@iterator' | 'matchAll', arg?: unknown): unknown {
  if (name === '@@iterator') return ownIterator(o);
  if (name === 'matchAll') {
    if (typeof o === 'string' && o.matchAll === String.prototype.matchAll) return new CollectionIter(Array.from(o.matchAll(arg as RegExp)), 'values', true, 0, 'RegExp String Iterator');
    return o.matchAll(arg);
  }
  if (o != null) {
    const method = o[name];
    if (Array.isArray(o) && method === Array.prototype[name]) return new CollectionIter(o, name, true);
    if (ArrayBuffer.isView(o) && !(o instanceof DataView) && method === typedArrayProto[name]) return new CollectionIter(o, name, true);
    if ((o instanceof Map && method === Map.prototype[name]) || (o instanceof Set && method === Set.prototype[name])) return new CollectionIter(o, name, false);
  }
  return o[name]();
}

function ownIterator(o: any): unknown {
  const method = o[Symbol.iterator];
  if (Array.isArray(o) && method === Array.prototype[Symbol.iterator]) return new CollectionIter(o, 'values', true);
  if (ArrayBuffer.isView(o) && !(o instanceof DataView) && method === typedArrayProto[Symbol.iterator as unknown as string]) return new CollectionIter(o, 'values', true);
  if (o instanceof Map && method === Map.prototype[Symbol.iterator]) return new CollectionIter(o, 'entries', false);
  if (o instanceof Set && method === Set.prototype[Symbol.iterator]) return new CollectionIter(o, 'values', false);
  if (typeof o === 'string' && method === String.prototype[Symbol.iterator]) return new CollectionIter(Array.from(o), 'values', true, 0, 'String Iterator');
  return Reflect.apply(method, o, []);
}

const MAP_ENTRIES = Map.prototype[Symbol.iterator];
const SET_VALUES = Set.prototype[Symbol.iterator];
const nativeIteratorTags = new Set(['[object Array Iterator]', '[object Map Iterator]', '[object Set Iterator]', '[object String Iterator]', '[object RegExp String Iterator]']);
const arrayValues = Array.prototype[Symbol.iterator];

/**
 * What a for…of walks by index (the transform's fast path): an array with the
 * built-in iteration, a typed array, or a string's code points; else
 * undefined, and the loop goes through `iterate`.
 */
export function indexable(x: any): ArrayLike<unknown> | undefined {
  if (Array.isArray(x)) return x[Symbol.iterator] === arrayValues ? x : undefined;
  if (typeof x === 'string') return Array.from(x);
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return x as unknown as ArrayLike<unknown>;
  return undefined;
}

export function iterate(x: any): { next(): Step } {
  if (x == null) throw new TypeError(`${x} is not iterable`);
  const indexed = indexable(x);
  if (indexed !== undefined) return new ArrayIter(indexed);
  // A Map or Set iterated by the engine's own iterator (a subclass's own `[Symbol.iterator]` is the program's, below).
  if ((x instanceof Map && x[Symbol.iterator] === MAP_ENTRIES) || (x instanceof Set && x[Symbol.iterator] === SET_VALUES)) return new LiveIter(x);
  if (x instanceof Generator && x[Symbol.iterator] === Generator.prototype[Symbol.iterator]) return new GeneratorIter(x);
  // One of ours (`xs.values()` and co.): iterated in place, so what the loop leaves stays in it.
  if (x instanceof CollectionIter && x[Symbol.iterator] === CollectionIter.prototype[Symbol.iterator]) return x;
  if (nativeIteratorTags.has(Object.prototype.toString.call(x))) return new ArrayIter(Array.from(x));
  // The program's own `[Symbol.iterator]()` runs as a no-save region: the
  // loop's resume point is after this call, not inside it.
  const method = x[Symbol.iterator];
  const it = typeof method === 'function' ? callNoSave(method, x) : x[Symbol.iterator]();
  if (it === null || (typeof it !== 'object' && typeof it !== 'function')) throw new TypeError('Result of the Symbol.iterator method is not an object');
  return it;
}


/**
 * The iterator a `yield*` delegates to: a generator of ours itself (its
 * return/throw are forwarded to), otherwise what `for…of` iterates, so that
 * a generator suspended in a `yield*` over an array, a Map or a string can
 * be saved (a native iterator cannot).
 */
export function delegateOf(source: any): unknown {
  if (source instanceof Generator && source[Symbol.iterator] === Generator.prototype[Symbol.iterator]) return source;
  return iterate(source);
}

/**
 * A for…of loop left before its iterator was done: close it (its `return`),
 * as ECMA-262 IteratorClose does. Left by break or return, what `return`
 * throws is the loop's completion, and a result that is not an object is a
 * TypeError; left by an exception (`thrown`), that exception stays the
 * loop's completion whatever `return` does.
 */
export function closeIterator(it: any, step: Step | undefined, thrown = false): void {
  if (step === undefined || step.done || it === undefined) return;
  let result: unknown;
  try {
    const close = it.return;
    if (close === undefined || close === null) return;
    if (typeof close !== 'function') throw new TypeError(`${typeof close} is not a function (the iterator's return)`);
    result = close.call(it);
  } catch (error) {
    if (thrown) return;
    throw error;
  }
  if (!thrown && (typeof result !== 'object' || result === null) && typeof result !== 'function') {
    throw new TypeError(`Iterator result ${String(result)} is not an object`);
  }
}

/** Iterator methods of built-ins whose iteration runs no program code. */
const NATIVE_ITERATE = new Set<unknown>([Array.prototype[Symbol.iterator], Map.prototype[Symbol.iterator], Set.prototype[Symbol.iterator], Object.getPrototypeOf(Int8Array).prototype[Symbol.iterator]]);


/**
 * The operand of a spread or of array destructuring, which the engine
 * iterates with no call site of ours between: an iterator of the program's
 * own is stepped in no-save regions (`rt.ns`). Arrays, strings, Maps, Sets
 * and the runtime's own iterators run no program code and pass as they are.
 */
export function engineIterable(x: unknown): unknown {
  if (x === null || x === undefined || typeof x === 'string') return x;
  const method = (x as Record<symbol, unknown>)[Symbol.iterator];
  if (typeof method !== 'function' || NATIVE_ITERATE.has(method) || x instanceof Generator || x instanceof CollectionIter) return x;
  return new NoSaveIterator(callNoSave(method, x) as Iterator<unknown>);
}


class NoSaveIterator {
  constructor(private readonly it: Iterator<unknown>) {}
  [Symbol.iterator](): this {
    return this;
  }
  next(value?: unknown): IteratorResult<unknown> {
    return callNoSave1(this.it.next, this.it, value) as IteratorResult<unknown>;
  }
  get return(): ((value?: unknown) => IteratorResult<unknown>) | undefined {
    const close = this.it.return;
    if (typeof close !== 'function') return undefined;
    return (value?: unknown) => callNoSave1(close, this.it, value) as IteratorResult<unknown>;
  }
}

/** The keys a `for…in` loop visits, taken when the loop starts. */
export function forInKeys(o: unknown): string[] {
  const out: string[] = [];
  for (const k in o as object) out.push(k);
  return out;
}

functions.registerClassMembers('introspect:ArrayIter', ArrayIter);
Object.defineProperty(LiveIter.prototype, TRANSIENT, { value: ['live'], writable: true, configurable: true });
Object.defineProperty(CollectionIter.prototype, TRANSIENT, { value: [ITER_LIVE], writable: true, configurable: true });
functions.registerClassMembers('introspect:LiveIter', LiveIter);
functions.registerClassMembers('introspect:CollectionIter', CollectionIter);
