// The built-ins the runtime provides on a restart where the engine lacks them
// and the checkpoint lists them as the program's
// (runtime/later-builtins.ts), as this engine would be without them: each is
// removed, provided, checked against the specified results and, where this
// Node has the method natively, against the native one on the same inputs.
// The fixture `later-builtins` checks the ES2023 ones end to end on Node 18
// and gjs (npm run test:platforms).
import { nativeLaterBuiltins, provideLaterBuiltins } from '../runtime/later-builtins.js';
import { nativeWeakSymbolKeys, provideWeakSymbolKeys, WEAK_SYMBOL_KEYS } from '../runtime/weak-symbol-keys.js';
import { intrinsic } from '../runtime/heap/intrinsics.js';

type Holder = Record<string, unknown>;
const typedArrayPrototype = Object.getPrototypeOf(Int8Array.prototype) as Holder;
const TARGETS: [string, Holder, string[]][] = [
  ['Array.prototype', Array.prototype as unknown as Holder, ['toReversed', 'toSorted', 'toSpliced', 'with', 'findLast', 'findLastIndex']],
  ['%TypedArray%.prototype', typedArrayPrototype, ['toReversed', 'toSorted', 'with', 'findLast', 'findLastIndex']],
  ['Object', Object as unknown as Holder, ['groupBy']],
  ['Map', Map as unknown as Holder, ['groupBy']],
  ['Promise', Promise as unknown as Holder, ['withResolvers']],
  ['String.prototype', String.prototype as unknown as Holder, ['isWellFormed', 'toWellFormed']],
  ['Set.prototype', Set.prototype as unknown as Holder, ['union', 'intersection', 'difference', 'symmetricDifference', 'isSubsetOf', 'isSupersetOf', 'isDisjointFrom']],
];

/** The engine's own methods, taken away for these tests and given back after. */
const natives = new Map<string, [Holder, string, PropertyDescriptor]>();

beforeAll(() => {
  for (const [owner, target, names] of TARGETS) {
    for (const name of names) {
      const descriptor = Object.getOwnPropertyDescriptor(target, name);
      if (descriptor !== undefined) natives.set(`${owner}.${name}`, [target, name, descriptor]);
      delete target[name];
    }
  }
  provideLaterBuiltins();
});

afterAll(() => {
  for (const [, target, names] of TARGETS) for (const name of names) delete target[name];
  for (const [target, name, descriptor] of natives.values()) Object.defineProperty(target, name, descriptor);
});

/** Calls `owner.name` as provided and, if this engine has one, natively; both must agree (value, or error class). */
function both(owner: string, name: string, self: unknown, ...args: unknown[]): unknown {
  const [, target] = TARGETS.find(([o]) => o === owner)!;
  const run = (fn: Function): { value?: unknown; error?: string } => {
    try {
      return { value: fn.apply(self, args) };
    } catch (e) {
      return { error: (e as Error).constructor.name };
    }
  };
  const ours = run(target[name] as Function);
  const native = natives.get(`${owner}.${name}`);
  if (native !== undefined) {
    const theirs = run(native[2].value as Function);
    expect(normalize(ours)).toEqual(normalize(theirs));
  }
  if (ours.error !== undefined) throw new Error(ours.error);
  return ours.value;
}

/** What `toEqual` can compare across kinds: typed arrays and sets as [kind, elements]. */
function normalize(result: { value?: unknown; error?: string }): unknown {
  const v = result.value;
  if (ArrayBuffer.isView(v)) return [v.constructor.name, Array.from(v as unknown as ArrayLike<unknown>)];
  if (v instanceof Set || v instanceof Map) return [v.constructor.name, [...v]];
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return [Object.getPrototypeOf(v), { ...v }];
  return result;
}

test('every method is provided with the standard name, length and attributes, and none is replaced once there', () => {
  for (const [, target, names] of TARGETS) {
    for (const name of names) {
      const d = Object.getOwnPropertyDescriptor(target, name)!;
      expect(typeof d.value).toBe('function');
      expect([d.enumerable, d.writable, d.configurable]).toEqual([false, true, true]);
      expect((d.value as Function).name).toBe(name);
      expect('prototype' in (d.value as object)).toBe(false);
    }
  }
  expect([[].toSorted.length, [].toSpliced.length, [].with.length, [].findLast.length]).toEqual([1, 2, 2, 1]);
  const lengthOf = (target: Holder, name: string): number => (target[name] as Function).length;
  expect([lengthOf(Object as unknown as Holder, 'groupBy'), lengthOf(Set.prototype as unknown as Holder, 'union'), lengthOf(Promise as unknown as Holder, 'withResolvers')]).toEqual([2, 1, 0]);
  const mine = Array.prototype.toReversed;
  provideLaterBuiltins();
  expect(Array.prototype.toReversed).toBe(mine);
});

test('a restart provides only those its checkpoint lists (what the program had at its start), none the list lacks', () => {
  const taken = ['Object.groupBy', 'Set.prototype.union', 'Promise.withResolvers'];
  const holders = taken.map((name) => [name, ...TARGETS.find(([owner]) => name.startsWith(`${owner}.`))!] as const);
  const others: [Holder, string][] = [[Map as unknown as Holder, 'groupBy'], [Set.prototype as unknown as Holder, 'intersection']];
  try {
    for (const [name, owner, target] of holders) delete target[name.slice(owner.length + 1)];
    for (const [target, name] of others) delete target[name];
    expect(nativeLaterBuiltins().filter((name) => taken.includes(name) || name === 'Map.groupBy' || name === 'Set.prototype.intersection')).toEqual([]);
    provideLaterBuiltins(['Object.groupBy', 'Set.prototype.union', 'Promise.withResolvers']);
    expect(holders.map(([name, owner, target]) => typeof target[name.slice(owner.length + 1)])).toEqual(['function', 'function', 'function']);
    expect(others.map(([target, name]) => typeof target[name])).toEqual(['undefined', 'undefined']);
    expect(nativeLaterBuiltins()).toEqual(expect.arrayContaining(taken));
    provideLaterBuiltins([]);
    expect(others.map(([target, name]) => typeof target[name])).toEqual(['undefined', 'undefined']);
  } finally {
    provideLaterBuiltins();
  }
  expect(others.map(([target, name]) => typeof target[name])).toEqual(['function', 'function']);
  expect(nativeLaterBuiltins()).toHaveLength(TARGETS.reduce((n, [, , names]) => n + names.length, 0));
});

test('change-array-by-copy on arrays: copies, relative indices, holes read as undefined, array-likes', () => {
  const a = [3, 1, 2];
  expect(both('Array.prototype', 'toSorted', a)).toEqual([1, 2, 3]);
  expect(a).toEqual([3, 1, 2]);
  expect(both('Array.prototype', 'toSorted', [10, 9, undefined, 1, 100])).toEqual([1, 10, 100, 9, undefined]);
  expect(both('Array.prototype', 'toSorted', [3, 1, 2], (x: number, y: number) => y - x)).toEqual([3, 2, 1]);
  expect(() => both('Array.prototype', 'toSorted', [1], 'nope')).toThrow('TypeError');
  expect(both('Array.prototype', 'toReversed', [1, , 3])).toEqual([3, undefined, 1]);
  expect(Object.keys(both('Array.prototype', 'toReversed', [1, , 3]) as object)).toEqual(['0', '1', '2']);
  expect(both('Array.prototype', 'toReversed', { length: 2, 0: 'a', 1: 'b' })).toEqual(['b', 'a']);
  expect(both('Array.prototype', 'toSpliced', [1, 2, 3, 4, 5], 1, 2, 'x', 'y')).toEqual([1, 'x', 'y', 4, 5]);
  expect(both('Array.prototype', 'toSpliced', [1, 2, 3, 4, 5], -2)).toEqual([1, 2, 3]);
  expect(both('Array.prototype', 'toSpliced', [1, 2, 3])).toEqual([1, 2, 3]);
  expect(both('Array.prototype', 'toSpliced', [1, 2, 3], 1, -5, 'z')).toEqual([1, 'z', 2, 3]);
  expect(both('Array.prototype', 'toSpliced', [1, 2, 3], 1, Infinity)).toEqual([1]);
  expect(both('Array.prototype', 'with', [1, 2, 3], -1, 9)).toEqual([1, 2, 9]);
  expect(both('Array.prototype', 'with', [1, 2, 3], '1', 'b')).toEqual([1, 'b', 3]);
  expect(() => both('Array.prototype', 'with', [1, 2, 3], 3, 0)).toThrow('RangeError');
  expect(() => both('Array.prototype', 'with', [1, 2, 3], -4, 0)).toThrow('RangeError');
  expect(() => both('Array.prototype', 'toReversed', null)).toThrow('TypeError');
});

test('findLast and findLastIndex visit from the end, holes included, with thisArg', () => {
  const seen: number[] = [];
  const found = both('Array.prototype', 'findLast', [1, , 3, 4], function (this: { odd: number }, x: number | undefined, i: number) {
    seen.push(i);
    return x !== undefined && x % 2 === this.odd;
  }, { odd: 1 });
  expect(found).toBe(3);
  expect(seen.slice(0, 2)).toEqual([3, 2]);
  expect(both('Array.prototype', 'findLastIndex', [1, 2, 3], (x: number) => x > 5)).toBe(-1);
  expect(both('Array.prototype', 'findLast', [], () => true)).toBeUndefined();
  expect(() => both('Array.prototype', 'findLast', [1], 'nope')).toThrow('TypeError');
});

test('typed arrays: results of the receiver\'s own kind, numeric default order, coerced values', () => {
  const ta = '%TypedArray%.prototype';
  const sorted = both(ta, 'toSorted', new Float64Array([3.5, -1, NaN, 0, -0])) as Float64Array;
  expect(sorted).toBeInstanceOf(Float64Array);
  expect(Array.from(sorted)).toEqual([-1, -0, 0, 3.5, NaN]);
  class Sub extends Int16Array {}
  const reversed = both(ta, 'toReversed', new Sub([1, 2, 3])) as Int16Array;
  expect(reversed.constructor).toBe(Int16Array);
  expect(Array.from(reversed)).toEqual([3, 2, 1]);
  expect(Array.from(both(ta, 'with', new Uint8Array([1, 2, 3]), 0, 300) as Uint8Array)).toEqual([44, 2, 3]);
  expect(Array.from(both(ta, 'with', new BigInt64Array([1n, 2n]), -1, 5n) as BigInt64Array)).toEqual([1n, 5n]);
  expect(() => both(ta, 'with', new Uint8Array([1]), 1, 0)).toThrow('RangeError');
  expect(() => both(ta, 'with', new BigInt64Array([1n]), 0, 1)).toThrow('TypeError');
  expect(both(ta, 'findLast', new Int32Array([5, 8, 13, 21]), (x: number) => x % 2 === 0)).toBe(8);
  expect(both(ta, 'findLastIndex', new Int32Array([5, 8]), (x: number) => x > 100)).toBe(-1);
  expect(() => both(ta, 'toReversed', [1, 2])).toThrow('TypeError');
});

test('Object.groupBy and Map.groupBy', () => {
  const grouped = both('Object', 'groupBy', null, [1, 2, 3, 4, 5], (n: number, i: number) => (n % 2 ? 'odd' : `even${i % 2}`)) as Record<string, number[]>;
  expect(Object.getPrototypeOf(grouped)).toBeNull();
  expect(Object.keys(grouped)).toEqual(['odd', 'even1']);
  expect(grouped.odd).toEqual([1, 3, 5]);
  const byKey = both('Map', 'groupBy', null, [-0, 0, 'a', 1], (x: unknown) => (typeof x === 'number' ? x : 'text')) as Map<unknown, unknown[]>;
  expect([...byKey]).toEqual([[0, [-0, 0]], ['text', ['a']], [1, [1]]]);
  expect(Object.is([...byKey.keys()][0], 0)).toBe(true);
  expect(() => both('Object', 'groupBy', null, null, () => 1)).toThrow('TypeError');
  expect(() => both('Map', 'groupBy', null, [1], 'nope')).toThrow('TypeError');
});

test('Promise.withResolvers settles the promise it returns, for subclasses too', async () => {
  const withResolvers = (Promise as unknown as Holder).withResolvers as Function;
  const { promise, resolve } = withResolvers.call(Promise) as { promise: Promise<number>; resolve: (value: number) => void };
  resolve(7);
  await expect(promise).resolves.toBe(7);
  class Tracked<T> extends Promise<T> {}
  const made = withResolvers.call(Tracked) as { promise: Promise<string>; reject: (e: unknown) => void };
  expect(made.promise).toBeInstanceOf(Tracked);
  made.reject(new Error('no'));
  await expect(made.promise).rejects.toThrow('no');
});

test('isWellFormed and toWellFormed find lone surrogates only', () => {
  const s = 'String.prototype';
  expect(both(s, 'isWellFormed', 'abc 😀')).toBe(true);
  expect(both(s, 'isWellFormed', 'a\ud800')).toBe(false);
  expect(both(s, 'isWellFormed', '\udc00x')).toBe(false);
  expect(both(s, 'toWellFormed', 'a\ud800b\udc00😀\ud83d')).toBe('a\ufffdb\ufffd😀\ufffd');
  expect(both(s, 'toWellFormed', 42)).toBe('42');
  expect(() => both(s, 'isWellFormed', undefined)).toThrow('TypeError');
});

test('Set methods: results in the specified order, set-likes read through size, has and keys', () => {
  const s = 'Set.prototype';
  const a = new Set([1, 2, 3, 4]);
  const b = new Set([5, 4, 3]);
  expect([...(both(s, 'union', a, b) as Set<number>)]).toEqual([1, 2, 3, 4, 5]);
  expect([...(both(s, 'intersection', a, b) as Set<number>)]).toEqual([4, 3]);
  expect([...(both(s, 'intersection', new Set([3, 4]), b) as Set<number>)]).toEqual([3, 4]);
  expect([...(both(s, 'difference', a, b) as Set<number>)]).toEqual([1, 2]);
  expect([...(both(s, 'difference', new Set([3, 9]), b) as Set<number>)]).toEqual([9]);
  expect([...(both(s, 'symmetricDifference', a, b) as Set<number>)]).toEqual([1, 2, 5]);
  expect(both(s, 'isSubsetOf', new Set([3, 4]), b)).toBe(true);
  expect(both(s, 'isSubsetOf', a, b)).toBe(false);
  expect(both(s, 'isSupersetOf', a, new Set([1, 4]))).toBe(true);
  expect(both(s, 'isSupersetOf', a, b)).toBe(false);
  expect(both(s, 'isDisjointFrom', a, new Set([7, 8]))).toBe(true);
  expect(both(s, 'isDisjointFrom', new Set([9, 8, 7, 6, 5]), b)).toBe(false);
  const calls: string[] = [];
  const setLike = {
    size: 2,
    has: (x: number) => (calls.push(`has ${x}`), x === 1 || x === 7),
    keys: () => (calls.push('keys'), [1, 7][Symbol.iterator]()),
  };
  expect([...(both(s, 'union', a, setLike) as Set<number>)]).toEqual([1, 2, 3, 4, 7]);
  expect([...(both(s, 'intersection', a, setLike) as Set<number>)]).toEqual([1]);
  expect(calls.filter((c) => c === 'keys').length).toBeGreaterThan(0);
  expect(() => both(s, 'union', a, [1, 2])).toThrow('TypeError');
  expect(() => both(s, 'union', a, { size: -1, has: () => true, keys: () => [][Symbol.iterator]() })).toThrow('RangeError');
  expect(() => both(s, 'union', [1], b)).toThrow('TypeError');
});

/** Runs `body` on WeakMap/WeakSet methods that refuse a symbol key, as gjs 1.74's do; gives the engine's back after. */
function withoutSymbolWeakKeys(body: () => void): void {
  const saved = { ...intrinsic };
  const protos: [Record<string, Function>, string[]][] = [
    [WeakMap.prototype as unknown as Record<string, Function>, ['get', 'set', 'has', 'delete']],
    [WeakSet.prototype as unknown as Record<string, Function>, ['add', 'has', 'delete']],
  ];
  const descriptors = protos.flatMap(([proto, names]) => names.map((name) => [proto, name, Object.getOwnPropertyDescriptor(proto, name)!] as const));
  for (const [proto, name, descriptor] of descriptors) {
    const native = descriptor.value as Function;
    const refusing = function (this: object, key: unknown, ...rest: unknown[]) {
      if (typeof key === 'symbol' && (name === 'set' || name === 'add')) throw new TypeError('WeakMap key must be an object, got Symbol()');
      if (typeof key === 'symbol') return name === 'get' ? undefined : false;
      return Reflect.apply(native, this, [key, ...rest]);
    };
    proto[name] = Object.defineProperty(refusing, 'length', { value: native.length });
  }
  Object.assign(intrinsic, { weakMapSet: WeakMap.prototype.set, weakSetAdd: WeakSet.prototype.add });
  try {
    body();
  } finally {
    for (const [proto, name, descriptor] of descriptors) Object.defineProperty(proto, name, descriptor);
    Object.assign(intrinsic, saved);
  }
}

test('symbols as weak keys: recorded where the engine takes them, given to a restart that had them where it refuses them', () => {
  expect(nativeWeakSymbolKeys()).toEqual([WEAK_SYMBOL_KEYS]);
  withoutSymbolWeakKeys(() => {
    expect(nativeWeakSymbolKeys()).toEqual([]);
    provideWeakSymbolKeys([]);
    expect(() => new WeakMap<object, number>().set(Symbol('no') as unknown as object, 1)).toThrow(TypeError);
    provideWeakSymbolKeys([WEAK_SYMBOL_KEYS]);
    expect(nativeWeakSymbolKeys()).toEqual([WEAK_SYMBOL_KEYS]);
    const key = Symbol('key') as unknown as object;
    const other = Symbol('other') as unknown as object;
    const map = new WeakMap<object, string>();
    const set = new WeakSet<object>();
    const plain = {};
    expect(map.set(key, 'a').set(plain, 'p')).toBe(map);
    expect([map.get(key), map.has(key), map.get(other), map.has(other), map.get(plain)]).toEqual(['a', true, undefined, false, 'p']);
    expect(new WeakMap<object, string>().has(key)).toBe(false);
    expect([map.delete(key), map.delete(key), map.has(key)]).toEqual([true, false, false]);
    expect(set.add(key)).toBe(set);
    expect([set.has(key), set.has(other), set.delete(key), set.has(key)]).toEqual([true, false, true, false]);
    // the heap reader restores entries through the captured methods
    Reflect.apply(intrinsic.weakMapSet, map, [other, 'restored']);
    expect(map.get(other)).toBe('restored');
    // a registered symbol is refused, a non-collection fails the brand check, names and lengths are the engine's
    expect(() => map.set(Symbol.for('registered') as unknown as object, 'x')).toThrow(TypeError);
    expect(() => WeakMap.prototype.has.call(new Map() as unknown as WeakMap<object, unknown>, key)).toThrow(TypeError);
    expect([WeakMap.prototype.set.name, WeakMap.prototype.set.length, WeakSet.prototype.add.name, WeakSet.prototype.add.length]).toEqual(['set', 2, 'add', 1]);
  });
  expect(new WeakMap<object, number>().set(Symbol('native') as unknown as object, 1).has(Symbol('x') as unknown as object)).toBe(false);
});
