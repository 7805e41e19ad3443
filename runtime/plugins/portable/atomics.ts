// `Atomics` where the engine has none: QuickJS built for wasm and gjs 1.74's
// SpiderMonkey lack the global, so a program restarted there stopped with
// "'Atomics' is not defined" at its first counter update. A restart bundle
// runs the program alone on one thread (no worker shares its memory), where
// each operation is the plain read-modify-write of one element; `wait` can
// only time out or find the value changed, and `notify` wakes nobody.
// Takes nothing; guarantees a global `Atomics` with the ES2017 operations on
// integer typed arrays (BigInt64Array and BigUint64Array included), checking
// their arguments as the engine's would. Imports nothing from a platform.

type IntegerArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

const INTEGER_ARRAYS = ['Int8Array', 'Uint8Array', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array'];

function integerArray(a: unknown): IntegerArray {
  if (!INTEGER_ARRAYS.includes(tagOf(a))) throw new TypeError('Atomics: the array is not an integer typed array');
  return a as IntegerArray;
}

function tagOf(a: unknown): string {
  return ArrayBuffer.isView(a) ? Object.prototype.toString.call(a).slice(8, -1) : '';
}

function indexIn(a: IntegerArray, index: unknown): number {
  const i = index === undefined ? 0 : Math.trunc(Number(index));
  if (!(i >= 0 && i < a.length)) throw new RangeError('Atomics: index out of range');
  return i;
}

/** The element type's value for `v` (a BigInt for the 64-bit arrays), as the store will coerce it. */
function operand(a: IntegerArray, v: unknown): number | bigint {
  return tagOf(a).startsWith('Big') ? BigInt(v as bigint) : Math.trunc(Number(v)) || 0;
}

/** One read-modify-write: stores `f(old, v)` and gives the old value. */
function update(f: (old: any, v: any) => any) {
  return (array: unknown, index: unknown, value: unknown): number | bigint => {
    const a = integerArray(array);
    const i = indexIn(a, index);
    const v = operand(a, value);
    const old = a[i]!;
    (a as unknown as (number | bigint)[])[i] = f(old, v);
    return old;
  };
}

const polyfill = {
  add: update((o, v) => o + v),
  sub: update((o, v) => o - v),
  and: update((o, v) => o & v),
  or: update((o, v) => o | v),
  xor: update((o, v) => o ^ v),
  exchange: update((_o, v) => v),
  compareExchange(array: unknown, index: unknown, expected: unknown, replacement: unknown): number | bigint {
    const a = integerArray(array);
    const i = indexIn(a, index);
    const want = operand(a, expected);
    const next = operand(a, replacement);
    const old = a[i]!;
    // compare as the element type holds it (an expected 256 never equals a Uint8Array's 0)
    const probe = new (a.constructor as new (n: number) => IntegerArray)(1);
    (probe as unknown as (number | bigint)[])[0] = want;
    if (old === probe[0]) (a as unknown as (number | bigint)[])[i] = next;
    return old;
  },
  load(array: unknown, index: unknown): number | bigint {
    const a = integerArray(array);
    return a[indexIn(a, index)]!;
  },
  store(array: unknown, index: unknown, value: unknown): number | bigint {
    const a = integerArray(array);
    const i = indexIn(a, index);
    const v = operand(a, value);
    (a as unknown as (number | bigint)[])[i] = v;
    return v;
  },
  isLockFree(size: unknown): boolean {
    return size === 1 || size === 2 || size === 4 || size === 8;
  },
  wait(array: unknown, index: unknown, value: unknown, timeout?: unknown): 'not-equal' | 'timed-out' {
    const a = integerArray(array);
    const i = indexIn(a, index);
    if (a[i] !== operand(a, value)) return 'not-equal';
    // no other thread can change it: waiting forever would hang the program
    if (timeout === undefined || Number(timeout) === Infinity) throw new TypeError('Atomics.wait: no other thread can wake this one on this platform');
    return 'timed-out';
  },
  notify(array: unknown, index: unknown): number {
    indexIn(integerArray(array), index);
    return 0;
  },
};

/** Installs `Atomics` where the engine has none. */
export function provideAtomics(): void {
  const g = globalThis as Record<string, unknown>;
  if (typeof g.Atomics === 'object' && g.Atomics !== null) return;
  Object.defineProperty(polyfill, Symbol.toStringTag, { value: 'Atomics', configurable: true });
  Object.defineProperty(g, 'Atomics', { value: polyfill, writable: true, configurable: true, enumerable: false });
}
