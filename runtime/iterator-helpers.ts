// The iterator helpers of ES2025 (`Iterator.prototype.map` and co.,
// `Iterator.from`) as objects a checkpoint can save. The engine's own helper
// keeps the iterator it wraps, its counter and its place in internal slots no
// program can read, so a checkpoint taken while one was alive could not be
// written; ours keep them in fields. Takes nothing; guarantees that, once
// installed, every helper the program makes is one of ours, behaving as
// ECMA-262 specifies (argument checks, closing the underlying iterator on an
// early exit or an error, the counter passed to callbacks), and that the
// program's callbacks and the iterators it wraps run as no-save regions (they
// are called from here, no resume point of the program). Installed where
// the engine has its own helpers (run and restart, before the pristine view
// is recorded, so that they count as the engine's), and on a restart where
// it lacks them if the program had them at its start (a checkpoint of Node
// 22 restarted on Node 20 or QuickJS; not one of Node 20: the rule and the
// list of names are in later-builtins.ts).
// Imports nothing from a platform.

import { functions } from './functions.js';
import { intrinsic } from './heap/intrinsics.js';
import { collectionIterator } from './iterators.js';
import { callNoSave, callNoSave2, callNoSave3 } from './no-save.js';
import { lookLikePlatform } from './platform-look.js';
import { IH_STATE, IH_INNER, IH_INNER_NEXT, IH_KIND, IH_IT, IH_NEXT, IH_FN, IH_N, WI_IT, WI_NEXT } from './hidden-fields.js';

interface Step {
  value: unknown;
  done: boolean;
}

type Kind = 'map' | 'filter' | 'take' | 'drop' | 'flatMap';

export const ITERATOR_PROTOTYPE = intrinsic.iteratorPrototype as Record<string, unknown>;

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

function requireObject(value: unknown, method: string): asserts value is object {
  if (!isObject(value)) throw new TypeError(`${method} called on non-object`);
}

/** IteratorStepValue: the next value, or DONE. */
const DONE: unique symbol = Symbol('done');

function stepValue(it: object, next: unknown): unknown {
  if (typeof next !== 'function') throw new TypeError(`${String(next)} is not a function`);
  const result = callNoSave(next, it);
  if (!isObject(result)) throw new TypeError(`Iterator result ${String(result)} is not an object`);
  return (result as Step).done ? DONE : (result as Step).value;
}

/** IteratorClose after a normal exit: the iterator's `return`, whose result must be an object. */
function closeNormally(it: object): void {
  const close = (it as { return?: unknown }).return;
  if (close === undefined || close === null) return;
  if (typeof close !== 'function') throw new TypeError('The iterator\'s return is not a function');
  const result = callNoSave(close, it);
  if (!isObject(result)) throw new TypeError(`Iterator result ${String(result)} is not an object`);
}

/** IteratorClose after an error: the error wins over whatever `return` does. */
function closeAfterError(it: object, error: unknown): never {
  try {
    const close = (it as { return?: unknown }).return;
    if (typeof close === 'function') callNoSave(close, it);
  } catch {
    // the first error is the one thrown
  }
  throw error;
}

/** A callback's call (value, counter), closing the underlying iterator if it throws. */
function callClosing(it: object, fn: Function, value: unknown, counter: number): unknown {
  try {
    return callNoSave2(fn, undefined, value, counter);
  } catch (e) {
    closeAfterError(it, e);
  }
}

function requireCallable(it: object, fn: unknown): asserts fn is Function {
  if (typeof fn !== 'function') closeAfterError(it, new TypeError(`${String(fn)} is not a function`));
}

/** take/drop's limit: a non-negative integer or Infinity. */
function toLimit(it: object, limit: unknown): number {
  let n: number;
  try {
    n = Number(limit);
  } catch (e) {
    closeAfterError(it, e);
  }
  if (Number.isNaN(n)) closeAfterError(it, new RangeError(`${String(limit)} must be positive`));
  const integer = Number.isFinite(n) ? Math.trunc(n) : n;
  if (integer < 0) closeAfterError(it, new RangeError(`${String(limit)} must be positive`));
  return integer;
}

/** GetIteratorFlattenable: an object's iterator (by its @@iterator, else itself); strings only where allowed. */
function flattenable(value: unknown, strings: boolean): object {
  if (!isObject(value) && !(strings && typeof value === 'string')) throw new TypeError(`${String(value)} is not an object`);
  const method = (value as Record<symbol, unknown>)[Symbol.iterator];
  let it: unknown;
  if (method === undefined || method === null) it = value;
  else if (typeof method !== 'function') throw new TypeError(`${String(method)} is not a function`);
  // the built-in collections' iterators as savable ones (iterators.ts), the program's own as a no-save call
  else it = isNativeIteration(value, method) ? collectionIterator(value, '@@iterator') : callNoSave(method, value);
  if (!isObject(it)) throw new TypeError(`${String(it)} is not an object`);
  return it;
}

const NATIVE_ITERATION = new Set<unknown>([Array.prototype[Symbol.iterator], Map.prototype[Symbol.iterator], Set.prototype[Symbol.iterator], String.prototype[Symbol.iterator], Object.getPrototypeOf(Int8Array).prototype[Symbol.iterator]]);

function isNativeIteration(value: unknown, method: unknown): boolean {
  return NATIVE_ITERATION.has(method) && (typeof value === 'string' || Array.isArray(value) || value instanceof Map || value instanceof Set || ArrayBuffer.isView(value));
}

const START = 0;
const SUSPENDED = 1;
const RUNNING = 2;
const DONE_STATE = 3;

/** What `it.map(fn)`, `filter`, `take`, `drop` and `flatMap` return. */
export class IteratorHelper {
  [IH_STATE] = START;
  /** flatMap: the inner iterator being flattened, and its next method. */
  [IH_INNER]: object | undefined = undefined;
  [IH_INNER_NEXT]: unknown = undefined;
  [IH_KIND]: Kind;
  /** The iterator it wraps, and its `next` as read once when made. */
  [IH_IT]: object;
  [IH_NEXT]: unknown;
  /** The callback (map, filter, flatMap), or the limit left (take, drop). */
  [IH_FN]: unknown;
  /** The callbacks' counter. */
  [IH_N]: number;
  constructor(kind: Kind, it: object, next: unknown, fn: unknown, n = 0) {
    this[IH_KIND] = kind;
    this[IH_IT] = it;
    this[IH_NEXT] = next;
    this[IH_FN] = fn;
    this[IH_N] = n;
  }

  next(): Step {
    if (!(this instanceof IteratorHelper)) throw new TypeError('Iterator Helper.prototype.next called on an incompatible receiver');
    if (this[IH_STATE] === RUNNING) throw new TypeError('Generator is already running');
    if (this[IH_STATE] === DONE_STATE) return { value: undefined, done: true };
    this[IH_STATE] = RUNNING;
    let value: unknown;
    try {
      value = this.produce();
    } catch (e) {
      this[IH_STATE] = DONE_STATE;
      throw e;
    }
    if (value === DONE) {
      this[IH_STATE] = DONE_STATE;
      return { value: undefined, done: true };
    }
    this[IH_STATE] = SUSPENDED;
    return { value, done: false };
  }

  return(): Step {
    if (!(this instanceof IteratorHelper)) throw new TypeError('Iterator Helper.prototype.return called on an incompatible receiver');
    if (this[IH_STATE] === RUNNING) throw new TypeError('Generator is already running');
    if (this[IH_STATE] === DONE_STATE) return { value: undefined, done: true };
    const inner = this[IH_INNER];
    this[IH_STATE] = DONE_STATE;
    this[IH_INNER] = undefined;
    if (inner !== undefined) {
      // flatMap suspended inside its inner iterator: that one is closed first
      try {
        closeNormally(inner);
      } catch (e) {
        closeAfterError(this[IH_IT], e);
      }
    }
    closeNormally(this[IH_IT]);
    return { value: undefined, done: true };
  }

  /** The helper's next value, or DONE (ECMA-262 27.1.2.1's closures, as a step). */
  private produce(): unknown {
    const it = this[IH_IT];
    switch (this[IH_KIND]) {
      case 'map': {
        const value = stepValue(it, this[IH_NEXT]);
        if (value === DONE) return DONE;
        return callClosing(it, this[IH_FN] as Function, value, this[IH_N]++);
      }
      case 'filter':
        for (;;) {
          const value = stepValue(it, this[IH_NEXT]);
          if (value === DONE) return DONE;
          if (callClosing(it, this[IH_FN] as Function, value, this[IH_N]++)) return value;
        }
      case 'take': {
        const left = this[IH_FN] as number;
        if (left === 0) {
          closeNormally(it);
          return DONE;
        }
        if (left !== Infinity) this[IH_FN] = left - 1;
        return stepValue(it, this[IH_NEXT]);
      }
      case 'drop':
        for (let left = this[IH_FN] as number; left > 0; ) {
          if (left !== Infinity) this[IH_FN] = --left;
          if (stepValue(it, this[IH_NEXT]) === DONE) return DONE;
        }
        return stepValue(it, this[IH_NEXT]);
      case 'flatMap':
        for (;;) {
          if (this[IH_INNER] !== undefined) {
            let value: unknown;
            try {
              value = stepValue(this[IH_INNER], this[IH_INNER_NEXT]);
            } catch (e) {
              this[IH_INNER] = undefined;
              closeAfterError(it, e);
            }
            if (value !== DONE) return value;
            this[IH_INNER] = undefined;
          }
          const value = stepValue(it, this[IH_NEXT]);
          if (value === DONE) return DONE;
          const mapped = callClosing(it, this[IH_FN] as Function, value, this[IH_N]++);
          try {
            const inner = flattenable(mapped, false);
            this[IH_INNER_NEXT] = (inner as { next?: unknown }).next;
            this[IH_INNER] = inner;
          } catch (e) {
            closeAfterError(it, e);
          }
        }
    }
  }
}

/** What `Iterator.from(o)` returns for an iterator that does not inherit from %IteratorPrototype%. */
export class WrappedIterator {
  [WI_IT]: object;
  [WI_NEXT]: unknown;
  constructor(it: object, next: unknown) {
    this[WI_IT] = it;
    this[WI_NEXT] = next;
  }
  next(): unknown {
    if (!(this instanceof WrappedIterator)) throw new TypeError('next called on an incompatible receiver');
    return callNoSave(this[WI_NEXT] as Function, this[WI_IT]);
  }
  return(): unknown {
    if (!(this instanceof WrappedIterator)) throw new TypeError('return called on an incompatible receiver');
    const close = (this[WI_IT] as { return?: unknown }).return;
    if (close === undefined || close === null) return { value: undefined, done: true };
    return callNoSave(close as Function, this[WI_IT]);
  }
}

function helper(kind: Kind, self: unknown, arg: unknown): IteratorHelper {
  requireObject(self, `Iterator.prototype.${kind}`);
  if (kind === 'take' || kind === 'drop') return new IteratorHelper(kind, self, (self as { next?: unknown }).next, toLimit(self, arg));
  requireCallable(self, arg);
  return new IteratorHelper(kind, self, (self as { next?: unknown }).next, arg);
}

/**
 * The eager helpers' walk: calls `fn` with each value and its index, and
 * `stop` with what it returned and the value; where `stop` says so, closes
 * the iterator and ends.
 */
function walk(self: unknown, method: string, fn: unknown, stop: (result: unknown, value: unknown) => boolean): void {
  requireObject(self, `Iterator.prototype.${method}`);
  requireCallable(self, fn);
  const next = (self as { next?: unknown }).next;
  for (let i = 0; ; i++) {
    const value = stepValue(self, next);
    if (value === DONE) return;
    if (stop(callClosing(self, fn, value, i), value)) {
      closeNormally(self);
      return;
    }
  }
}

const methods: Record<string, Function> = {
  map(this: unknown, mapper: unknown) {
    return helper('map', this, mapper);
  },
  filter(this: unknown, predicate: unknown) {
    return helper('filter', this, predicate);
  },
  take(this: unknown, limit: unknown) {
    return helper('take', this, limit);
  },
  drop(this: unknown, limit: unknown) {
    return helper('drop', this, limit);
  },
  flatMap(this: unknown, mapper: unknown) {
    return helper('flatMap', this, mapper);
  },
  reduce(this: unknown, reducer: unknown, ...initial: unknown[]) {
    requireObject(this, 'Iterator.prototype.reduce');
    requireCallable(this, reducer);
    const self = this;
    const next = (self as { next?: unknown }).next;
    let acc: unknown;
    let i = 0;
    if (initial.length > 0) acc = initial[0];
    else {
      acc = stepValue(self, next);
      if (acc === DONE) throw new TypeError('Reduce of empty iterator with no initial value');
      i = 1;
    }
    for (; ; i++) {
      const value = stepValue(self, next);
      if (value === DONE) return acc;
      try {
        acc = callNoSave3(reducer, undefined, acc, value, i);
      } catch (e) {
        closeAfterError(self, e);
      }
    }
  },
  toArray(this: unknown) {
    requireObject(this, 'Iterator.prototype.toArray');
    const next = (this as { next?: unknown }).next;
    const out: unknown[] = [];
    for (let value = stepValue(this, next); value !== DONE; value = stepValue(this, next)) out.push(value);
    return out;
  },
  forEach(this: unknown, fn: unknown) {
    walk(this, 'forEach', fn, () => false);
  },
  some(this: unknown, predicate: unknown) {
    let found = false;
    walk(this, 'some', predicate, (result) => (found = !!result));
    return found;
  },
  every(this: unknown, predicate: unknown) {
    let all = true;
    walk(this, 'every', predicate, (result) => !(all = !!result));
    return all;
  },
  find(this: unknown, predicate: unknown) {
    let found: unknown;
    walk(this, 'find', predicate, (result, value) => !!result && ((found = value), true));
    return found;
  },
};

const LENGTHS: Record<string, number> = { map: 1, filter: 1, take: 1, drop: 1, flatMap: 1, reduce: 1, toArray: 0, forEach: 1, some: 1, every: 1, find: 1 };

function from(o: unknown): object {
  const it = flattenable(o, true);
  if (ITERATOR_PROTOTYPE.isPrototypeOf.call(ITERATOR_PROTOTYPE, it)) return it;
  return new WrappedIterator(it, (it as { next?: unknown }).next);
}

/** ES2025's abstract `Iterator`, for an engine that has none. */
function Iterator(this: unknown): void {
  if (new.target === undefined || new.target === (Iterator as unknown)) throw new TypeError('Abstract class Iterator not directly constructable');
}

function defineMethod(target: object, name: string, fn: Function, length: number): void {
  Object.defineProperty(fn, 'name', { value: name, configurable: true });
  Object.defineProperty(fn, 'length', { value: length, configurable: true });
  Object.defineProperty(target, name, { value: fn, writable: true, enumerable: false, configurable: true });
}

/** The name in a checkpoint's list of later built-ins (later-builtins.ts) that says the program had the helpers: all of them go together. */
export const ITERATOR_HELPERS = 'Iterator.prototype.map';

/** The helpers this engine has now, by name (`Iterator.prototype.map`, `Iterator.from`): asked before any are installed. */
export function nativeIteratorHelpers(): string[] {
  const names = Object.keys(methods).filter((name) => typeof ITERATOR_PROTOTYPE[name] === 'function').map((name) => `Iterator.prototype.${name}`);
  const global = (globalThis as Record<string, unknown>).Iterator;
  if (typeof global === 'function' && typeof (global as { from?: unknown }).from === 'function') names.push('Iterator.from');
  return names;
}

/**
 * Puts ours in place of the engine's helpers where it has them; where it has
 * none, provides them only for a restart of a program that had them
 * (`provideMissing`), as the engine's own: a program run on such an engine
 * behaves as it does natively.
 */
export function installIteratorHelpers(provideMissing: boolean): void {
  const native = typeof ITERATOR_PROTOTYPE.map === 'function';
  if (!native && !provideMissing) return;
  for (const name of Object.keys(methods)) defineMethod(ITERATOR_PROTOTYPE, name, methods[name]!, LENGTHS[name]!);
  const global = globalThis as Record<string, unknown>;
  if (typeof global.Iterator !== 'function') {
    Object.defineProperty(Iterator, 'prototype', { value: ITERATOR_PROTOTYPE, writable: false, enumerable: false, configurable: false });
    if (!Object.prototype.hasOwnProperty.call(ITERATOR_PROTOTYPE, Symbol.toStringTag)) Object.defineProperty(ITERATOR_PROTOTYPE, Symbol.toStringTag, { value: 'Iterator', writable: true, enumerable: false, configurable: true });
    Object.defineProperty(global, 'Iterator', { value: Iterator, writable: true, enumerable: false, configurable: true });
  }
  defineMethod(global.Iterator as object, 'from', from, 1);
}

Object.setPrototypeOf(IteratorHelper.prototype, ITERATOR_PROTOTYPE);
Object.defineProperty(IteratorHelper.prototype, Symbol.toStringTag, { value: 'Iterator Helper', configurable: true });
Object.setPrototypeOf(WrappedIterator.prototype, ITERATOR_PROTOTYPE);
lookLikePlatform(IteratorHelper.prototype, () => 'Object [Iterator Helper] {}');
lookLikePlatform(WrappedIterator.prototype, () => 'Object [Iterator] {}');
functions.registerClassMembers('introspect:IteratorHelper', IteratorHelper);
functions.registerClassMembers('introspect:WrappedIterator', WrappedIterator);
for (const name of Object.keys(methods)) functions.registerStatic(`introspect:Iterator.prototype.${name}`, methods[name]!);
functions.registerStatic('introspect:Iterator.from', from);
