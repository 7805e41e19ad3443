// Node's deep equality (`util.isDeepStrictEqual`, `assert.deepStrictEqual`
// and, loose, `assert.deepEqual`) for engines without Node: the restart
// bundle's node:util and node:assert (util-module.ts, assert-module.ts).
// Takes two values; answers as Node's lib/internal/util/comparisons.js does
// for what programs compare: primitives (strict: Object.is but NaN equals
// NaN; loose: `==`), plain and class objects (strict: same prototype), own
// enumerable keys (strict: and enumerable symbols), arrays (holes),
// Date, RegExp (source, flags, lastIndex), errors (name, message), boxed
// primitives, typed arrays and ArrayBuffers (bytes), Map and Set (order
// ignored, object members matched deeply), cycles. Not: Node's checks of
// internal slots it alone can see (a WeakMap's entries, a Promise's state),
// which compare as the empty objects they look like. Imports nothing from a platform.

type Memo = Map<object, Set<object>>;

const tagOf = (v: object): string => Object.prototype.toString.call(v);

/** `util.isDeepStrictEqual(a, b)`, or with `strict` false `assert.deepEqual`'s comparison. */
export function isDeepEqual(a: unknown, b: unknown, strict = true): boolean {
  return deepEqual(a, b, strict, new Map());
}

function deepEqual(a: unknown, b: unknown, strict: boolean, memo: Memo): boolean {
  if (a === b) return a !== 0 || !strict || Object.is(a, b);
  if (strict) {
    if (typeof a !== 'object' || a === null) return typeof a === 'number' && Number.isNaN(a) && Number.isNaN(b);
    if (typeof b !== 'object' || b === null) return false;
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  } else {
    if (a === null || typeof a !== 'object') {
      if (b === null || typeof b !== 'object') return a == b || (Number.isNaN(a) && Number.isNaN(b));
      return false;
    }
    if (b === null || typeof b !== 'object') return false;
  }
  return objectEqual(a, b as object, strict, memo);
}

function objectEqual(a: object, b: object, strict: boolean, memo: Memo): boolean {
  const tag = tagOf(a);
  if (tag !== tagOf(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (!Array.isArray(b) || a.length !== bb.length) return false;
    return keysEqual(a, b, strict, memo, true);
  }
  if (tag === '[object Object]' && !(a instanceof Error) && !(a instanceof Date) && !(a instanceof RegExp)) return keysEqual(a, b, strict, memo, false);
  if (a instanceof Date) {
    if (!(b instanceof Date) || !Object.is(a.getTime(), b.getTime())) return false;
  } else if (a instanceof RegExp) {
    if (!(b instanceof RegExp) || a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) return false;
  } else if (a instanceof Error || tag === '[object Error]') {
    const ea = a as Error;
    const eb = b as Error;
    if (ea.message !== eb.message || ea.name !== eb.name) return false;
  } else if (ArrayBuffer.isView(a)) {
    if (!ArrayBuffer.isView(b) || !viewsEqual(a, b, strict)) return false;
    return keysEqual(a, b, strict, memo, true);
  } else if (a instanceof ArrayBuffer) {
    if (!(b instanceof ArrayBuffer) || !bytesEqual(new Uint8Array(a), new Uint8Array(b))) return false;
  } else if (isBoxed(a)) {
    if (!isBoxed(b) || !Object.is((a as { valueOf(): unknown }).valueOf(), (b as { valueOf(): unknown }).valueOf())) return false;
  } else if (a instanceof Set) {
    if (!(b instanceof Set) || a.size !== b.size) return false;
  } else if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
  }
  if (!keysEqual(a, b, strict, memo, false)) return false;
  if (a instanceof Set) return setEqual(a, b as Set<unknown>, strict, memo);
  if (a instanceof Map) return mapEqual(a, b as Map<unknown, unknown>, strict, memo);
  return true;
}

function isBoxed(v: object): boolean {
  return v instanceof Number || v instanceof String || v instanceof Boolean || v instanceof BigInt || v instanceof Symbol;
}

function bytesEqual(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function viewsEqual(a: ArrayBufferView, b: ArrayBufferView, strict: boolean): boolean {
  if (a.byteLength !== b.byteLength) return false;
  // Loose: float elements by value (0 equals -0, NaN does not equal NaN), as Node's.
  if (!strict && (a instanceof Float32Array || a instanceof Float64Array)) {
    const fb = b as Float64Array;
    for (let i = 0; i < a.length; i++) if (a[i] !== fb[i]) return false;
    return true;
  }
  return bytesEqual(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
}

const isIndex = (key: string): boolean => /^(0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;

/** Own enumerable keys (strict: and symbols) the same, and their values deeply equal; `indexed`: elements first, holes kept. */
function keysEqual(a: object, b: object, strict: boolean, memo: Memo, indexed: boolean): boolean {
  const ra = a as Record<PropertyKey, unknown>;
  const rb = b as Record<PropertyKey, unknown>;
  const ownKeys = (o: object): PropertyKey[] => {
    const keys: PropertyKey[] = Object.keys(o).filter((k) => !(indexed && isIndex(k)));
    if (strict) for (const s of Object.getOwnPropertySymbols(o)) if (Object.prototype.propertyIsEnumerable.call(o, s)) keys.push(s);
    return keys;
  };
  const ka = ownKeys(a);
  const kb = ownKeys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!Object.prototype.propertyIsEnumerable.call(b, k)) return false;
  // A pair already being compared is taken as equal: the rest of the walk decides.
  let seen = memo.get(a);
  if (seen?.has(b)) return true;
  if (seen === undefined) memo.set(a, (seen = new Set()));
  seen.add(b);
  if (indexed) {
    const length = (a as ArrayLike<unknown>).length;
    if (!ArrayBuffer.isView(a)) {
      for (let i = 0; i < length; i++) {
        const hasA = Object.prototype.hasOwnProperty.call(a, i);
        if (hasA !== Object.prototype.hasOwnProperty.call(b, i)) {
          if (strict) return false;
          if (!deepEqual(ra[i], rb[i], strict, memo)) return false;
        } else if (hasA && !deepEqual(ra[i], rb[i], strict, memo)) return false;
      }
    }
  }
  for (const k of ka) if (!deepEqual(ra[k as string], rb[k as string], strict, memo)) return false;
  return true;
}

const isObjectLike = (v: unknown): v is object => (typeof v === 'object' && v !== null) || typeof v === 'function';

function setEqual(a: Set<unknown>, b: Set<unknown>, strict: boolean, memo: Memo): boolean {
  const pending: unknown[] = [];
  for (const v of a) {
    if (b.has(v)) continue;
    if (!isObjectLike(v) && strict) return false;
    pending.push(v);
  }
  if (pending.length === 0) return true;
  const candidates = [...b].filter((v) => !a.has(v));
  for (const v of pending) {
    const i = candidates.findIndex((c) => deepEqual(v, c, strict, memo));
    if (i < 0) return false;
    candidates.splice(i, 1);
  }
  return true;
}

function mapEqual(a: Map<unknown, unknown>, b: Map<unknown, unknown>, strict: boolean, memo: Memo): boolean {
  const pending: [unknown, unknown][] = [];
  for (const [k, v] of a) {
    if (b.has(k) && deepEqual(v, b.get(k), strict, memo)) continue;
    if (!isObjectLike(k) && strict) return false;
    pending.push([k, v]);
  }
  if (pending.length === 0) return true;
  const candidates = [...b].filter(([k]) => !a.has(k) || isObjectLike(k));
  for (const [k, v] of pending) {
    const i = candidates.findIndex(([ck, cv]) => deepEqual(k, ck, strict, memo) && deepEqual(v, cv, strict, memo));
    if (i < 0) return false;
    candidates.splice(i, 1);
  }
  return true;
}
