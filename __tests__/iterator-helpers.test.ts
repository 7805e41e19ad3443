// ES2025's iterator helpers as the runtime installs them
// (runtime/iterator-helpers.ts): on this engine, whether or not it has its
// own. Each check states ECMA-262's result; where this Node has native
// helpers, the native ones must give the same on the same inputs. A helper
// taken in mid-iteration goes through the heap writer and reader and goes on
// where it was. The platform test carries one program through a real
// checkpoint on Node 22 and its restart here (platforms.test.ts).
import { encodeCheckpoint, decodeCheckpoint } from '../runtime/format/index.js';
import { testHeader } from './harness/test-header.js';
import { functions } from '../runtime/functions.js';
import { readHeap, writeHeap } from '../runtime/heap/index.js';
import { collectionIterator } from '../runtime/iterators.js';
import { installIteratorHelpers, ITERATOR_PROTOTYPE, IteratorHelper } from '../runtime/iterator-helpers.js';

type Holder = Record<string, unknown>;
const NAMES = ['map', 'filter', 'take', 'drop', 'flatMap', 'reduce', 'toArray', 'forEach', 'some', 'every', 'find'];
const proto = ITERATOR_PROTOTYPE as Holder;
const global = globalThis as Holder;

/** The engine's own, taken before ours are installed and given back after. */
const natives = new Map<string, PropertyDescriptor>();
const nativeIterator = Object.getOwnPropertyDescriptor(globalThis, 'Iterator');
const nativeFrom = nativeIterator ? Object.getOwnPropertyDescriptor(nativeIterator.value, 'from') : undefined;
const nativeTag = Object.getOwnPropertyDescriptor(proto, Symbol.toStringTag);

beforeAll(() => {
  for (const name of NAMES) {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (d !== undefined) natives.set(name, d);
  }
  installIteratorHelpers(true);
});

afterAll(() => {
  for (const name of NAMES) delete proto[name];
  for (const [name, d] of natives) Object.defineProperty(proto, name, d);
  if (nativeIterator === undefined) delete global.Iterator;
  else if (nativeFrom !== undefined) Object.defineProperty(nativeIterator.value, 'from', nativeFrom);
  if (nativeTag === undefined) delete (proto as Record<symbol, unknown>)[Symbol.toStringTag];
});

/** A program-style iterator over `values` that records what is done to it. */
function recording(values: unknown[], log: string[] = []): { it: Iterator<unknown> & { log: string[] }; log: string[] } {
  let i = 0;
  const it = Object.create(ITERATOR_PROTOTYPE, {
    log: { value: log },
    next: {
      value() {
        log.push(`next${i}`);
        return i < values.length ? { value: values[i++], done: false } : { value: undefined, done: true };
      },
    },
    return: {
      value() {
        log.push('return');
        return { value: undefined, done: true };
      },
    },
  });
  return { it, log };
}

const call = (name: string, self: unknown, ...args: unknown[]): any => (proto[name] as Function).apply(self, args);

/** Ours, and the native one on a fresh copy of the same input where this engine has it: same values, same effects. */
function both(name: string, values: unknown[], args: unknown[], finish: (result: any) => unknown = (r) => r): { result: unknown; log: string[] } {
  const run = (fn: Function): { result: unknown; log: string[]; error?: string } => {
    const { it, log } = recording(values);
    try {
      return { result: finish(fn.apply(it, args)), log };
    } catch (e) {
      return { result: undefined, log, error: (e as Error).constructor.name };
    }
  };
  const ours = run(proto[name] as Function);
  const native = natives.get(name);
  if (native !== undefined) expect(ours).toEqual(run(native.value as Function));
  if (ours.error !== undefined) throw new Error(ours.error);
  return ours;
}

const drain = (h: Iterator<unknown>): unknown[] => {
  const out: unknown[] = [];
  for (let r = h.next(); !r.done; r = h.next()) out.push(r.value);
  return out;
};

test('each is a method of %IteratorPrototype% with the standard name, length and attributes', () => {
  const lengths = NAMES.map((n) => (proto[n] as Function).length);
  expect(lengths).toEqual([1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1]);
  for (const name of NAMES) {
    const d = Object.getOwnPropertyDescriptor(proto, name)!;
    expect([d.enumerable, d.writable, d.configurable, (d.value as Function).name]).toEqual([false, true, true, name]);
  }
  expect((global.Iterator as { prototype: unknown }).prototype).toBe(ITERATOR_PROTOTYPE);
  expect((global.Iterator as { from: Function }).from.length).toBe(1);
  expect(() => new (global.Iterator as new () => unknown)()).toThrow(TypeError);
});

test('lazy helpers: values, the counter, and how far the underlying iterator is read', () => {
  const seen: unknown[] = [];
  const mapped = both('map', [5, 6, 7], [(v: number, i: number) => (seen.push(i), v * 10)], drain);
  expect(mapped.result).toEqual([50, 60, 70]);
  expect(seen.slice(0, 3)).toEqual([0, 1, 2]); // (then the native run's, where there is one)
  expect(both('filter', [1, 2, 3, 4, 5], [(v: number) => v % 2 === 1], drain).result).toEqual([1, 3, 5]);
  // take(2) reads two, then closes the underlying iterator instead of reading a third
  const taken = both('take', [1, 2, 3, 4], [2], drain);
  expect(taken.result).toEqual([1, 2]);
  expect(taken.log).toEqual(['next0', 'next1', 'return']);
  expect(both('drop', [1, 2, 3, 4], [3], drain).result).toEqual([4]);
  expect(both('drop', [1, 2], [Infinity], drain).result).toEqual([]);
  expect(both('flatMap', [1, 2, 3], [(v: number) => (v === 2 ? [] : [v, v * 10])], drain).result).toEqual([1, 10, 3, 30]);
  // a helper reads nothing until its first next()
  const { it, log } = recording([1, 2]);
  call('map', it, (v: number) => v);
  expect(log).toEqual([]);
});

test('argument errors close the underlying iterator and throw the right error', () => {
  expect(() => both('map', [1], [42])).toThrow('TypeError');
  expect(() => both('take', [1], [NaN])).toThrow('RangeError');
  expect(() => both('drop', [1], [-1])).toThrow('RangeError');
  const { it, log } = recording([1]);
  expect(() => call('filter', it, 'nope')).toThrow(TypeError);
  expect(log).toEqual(['return']);
  expect(() => call('map', 42, String)).toThrow(TypeError);
  // flatMap rejects a string (it would flatten it natively into characters)
  expect(() => drain(call('flatMap', recording([1]).it, () => 'ab'))).toThrow(TypeError);
});

test('a callback that throws closes the underlying iterator; the helper is then done', () => {
  const { it, log } = recording([1, 2, 3]);
  const h = call('map', it, (v: number) => {
    if (v === 2) throw new RangeError('two');
    return v;
  });
  expect(h.next()).toEqual({ value: 1, done: false });
  expect(() => h.next()).toThrow(RangeError);
  expect(log).toEqual(['next0', 'next1', 'return']);
  expect(h.next()).toEqual({ value: undefined, done: true });
});

test('return(): before the first next, mid-way, and inside flatMap (inner closed first)', () => {
  const a = recording([1, 2]);
  expect(call('map', a.it, String).return()).toEqual({ value: undefined, done: true });
  expect(a.log).toEqual(['return']);
  const inner = recording(['x', 'y'], []);
  const outer = recording([1], inner.log);
  const h = call('flatMap', outer.it, () => inner.it);
  expect(h.next()).toEqual({ value: 'x', done: false });
  h.return();
  expect(inner.log).toEqual(['next0', 'next0', 'return', 'return']);
  expect(h.next().done).toBe(true);
  expect(Object.prototype.toString.call(h)).toBe('[object Iterator Helper]');
  expect(h instanceof (global.Iterator as Function)).toBe(true);
});

test('eager helpers: reduce, toArray, forEach, some, every, find; an early answer closes the iterator', () => {
  expect(both('reduce', [1, 2, 3], [(a: number, v: number, i: number) => a + v * i]).result).toBe(1 + 2 * 1 + 3 * 2);
  expect(both('reduce', [1, 2, 3], [(a: string, v: number, i: number) => a + v + i, '']).result).toBe('102132');
  expect(() => both('reduce', [], [(a: number) => a])).toThrow('TypeError');
  expect(both('toArray', [1, 'a'], []).result).toEqual([1, 'a']);
  const visited: unknown[] = [];
  both('forEach', ['a', 'b'], [(v: string, i: number) => visited.push(`${v}${i}`)]);
  expect(visited.slice(0, 2)).toEqual(['a0', 'b1']);
  const some = both('some', [1, 2, 3], [(v: number) => v === 2]);
  expect([some.result, some.log]).toEqual([true, ['next0', 'next1', 'return']]);
  expect(both('every', [1, 2, 3], [(v: number) => v < 3]).result).toBe(false);
  expect(both('every', [1, 2], [(v: number) => v < 3]).result).toBe(true);
  expect(both('find', [1, 2, 3], [(v: number) => v > 1]).result).toBe(2);
  expect(both('find', [1], [(v: number) => v > 1]).result).toBe(undefined);
});

test('Iterator.from: an iterator that inherits %IteratorPrototype% as it is, another wrapped, a string by code points', () => {
  const from = (global.Iterator as { from: (o: unknown) => any }).from;
  const own = recording([1]).it;
  expect(from(own)).toBe(own);
  const bare = { i: 0, next() { return this.i < 2 ? { value: this.i++, done: false } : { value: undefined, done: true }; } };
  const wrapped = from(bare);
  expect(wrapped).not.toBe(bare);
  expect(drain(wrapped.map((v: number) => v + 1))).toEqual([1, 2]);
  expect(from('a😀').toArray()).toEqual(['a', '😀']);
  expect(from([3, 4]).map((v: number) => v * 2).toArray()).toEqual([6, 8]);
});

test('a helper chain saved in mid-iteration goes on where it was after the heap round trip', () => {
  const source = collectionIterator([1, 2, 3, 4, 5, 6, 7, 8, 9], 'values') as Iterator<number>;
  // the callbacks must be functions a checkpoint can name: here built-ins (flatMap's gives [value, counter])
  const h = call('take', call('drop', call('flatMap', call('map', source, String), Array.of), 1), 9) as IteratorHelper;
  expect([h.next().value, h.next().value, h.next().value]).toEqual([0, '2', 1]);
  const image = writeHeap(h, { functions });
  const copy = readHeap(decodeCheckpoint(encodeCheckpoint(testHeader, image)).heap, { functions }) as IteratorHelper;
  expect(copy).not.toBe(h);
  expect(copy).toBeInstanceOf(IteratorHelper);
  expect(drain(copy)).toEqual(['3', 2, '4', 3, '5', 4]);
  expect(drain(h)).toEqual(['3', 2, '4', 3, '5', 4]);
});
