// The script engines' node:util and node:assert (runtime/plugins/portable/
// util-module.ts, deep-equal.ts, assert-module.ts) answer as Node's own:
// deep equality both ways, inspect with its options, promisify and the
// types checks.

import * as nodeAssert from 'node:assert';
import * as nodeUtil from 'node:util';
import * as ourAssert from '../runtime/plugins/portable/assert-module.js';
import { isDeepEqual } from '../runtime/plugins/portable/deep-equal.js';
import * as util from '../runtime/plugins/portable/util-module.js';

class Point {
  constructor(public x: number, public y: number) {}
}
class Point3 extends Point {}

function pairs(): [unknown, unknown][] {
  const cycleA: Record<string, unknown> = { n: 1 };
  cycleA.self = cycleA;
  const cycleB: Record<string, unknown> = { n: 1 };
  cycleB.self = cycleB;
  const sym = Symbol('s');
  const holes: unknown[] = [1, , 3];
  const withExtra = Object.assign([1, 2], { tag: 'x' });
  const err1 = new Error('boom');
  const err2 = new Error('boom');
  const re = /a/g;
  const re2 = /a/g;
  re2.lastIndex = 1;
  return [
    [1, 1], [1, '1'], [NaN, NaN], [0, -0], [null, undefined], [null, null], [undefined, 0], ['a', 'a'], [true, 1], [1n, 1],
    [{}, {}], [{ a: 1 }, { a: 1 }], [{ a: 1 }, { a: 1, b: undefined }], [{ a: 1, b: 2 }, { b: 2, a: 1 }], [{ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }],
    [{ a: [1, { b: 2 }] }, { a: [1, { b: '2' }] }], [[1, 2, 3], [1, 2, 3]], [[1, 2, 3], [1, 2]], [[1, 2], { 0: 1, 1: 2, length: 2 }], [holes, [1, undefined, 3]],
    [withExtra, [1, 2]], [withExtra, Object.assign([1, 2], { tag: 'x' })], [new Point(1, 2), { x: 1, y: 2 }], [new Point(1, 2), new Point(1, 2)], [new Point(1, 2), new Point3(1, 2)],
    [new Date(0), new Date(0)], [new Date(0), new Date(1)], [/a/g, /a/g], [/a/g, /a/i], [re, re2], [err1, err2], [err1, new TypeError('boom')], [err1, new Error('other')],
    [Object(1), Object(1)], [Object(1), Object(2)], [Object('a'), Object('a')], [new Uint8Array([1, 2]), new Uint8Array([1, 2])], [new Uint8Array([1, 2]), new Int8Array([1, 2])],
    [new Uint8Array([1, 2]), new Uint8Array([1, 3])], [new Float64Array([0]), new Float64Array([-0])], [new Float64Array([NaN]), new Float64Array([NaN])], [new ArrayBuffer(2), new ArrayBuffer(2)],
    [new Set([1, 2, 3]), new Set([3, 2, 1])], [new Set([1, 2]), new Set([1, '2'])], [new Set([{ a: 1 }, { b: 2 }]), new Set([{ b: 2 }, { a: 1 }])], [new Set([{ a: 1 }]), new Set([{ a: 2 }])],
    [new Map([[1, 'a'], [2, 'b']]), new Map([[2, 'b'], [1, 'a']])], [new Map([[1, 'a']]), new Map([[1, 'b']])], [new Map([[{ k: 1 }, 'v']]), new Map([[{ k: 1 }, 'v']])], [new Map([[1, 'a']]), new Map([['1', 'a']])],
    [cycleA, cycleB], [{ [sym]: 1 }, { [sym]: 1 }], [{ [sym]: 1 }, {}], [Object.create(null), {}], [[1, [2, [3, [4]]]], [1, [2, [3, [4]]]]], [[1, [2, [3, [4]]]], [1, [2, [3, [5]]]]],
    [() => 1, () => 1], [{ f: Math.max }, { f: Math.max }], [new WeakMap(), new WeakMap()], [[new Date(5)], [new Date(5)]],
  ];
}

describe('deep equality as Node has it', () => {
  test.each(pairs().map((p, i) => [i, p] as const))('pair %i', (_i, [a, b]) => {
    expect(isDeepEqual(a, b, true)).toBe(nodeUtil.isDeepStrictEqual(a, b));
    expect(util.isDeepStrictEqual(b, a)).toBe(nodeUtil.isDeepStrictEqual(b, a));
  });
});

describe('util.inspect with options as Node prints it', () => {
  const nested = { level1: { level2: { level3: { level4: 'deep', list: [1, 2, 3] } } }, s: new Set(['b', 'a']), m: new Map<string, unknown>([['z', 1], ['y', { q: [1] }]]), zz: 1, aa: [3, 1] };
  const options: nodeUtil.InspectOptions[] = [
    {}, { depth: 0 }, { depth: null }, { depth: 5 }, { compact: false }, { compact: false, sorted: true, depth: 1000 }, { sorted: true }, { breakLength: 20 }, { breakLength: Infinity },
    { maxArrayLength: 2 }, { maxArrayLength: 0 }, { compact: 1 }, { compact: 0 }, { breakLength: 200, depth: null },
  ];
  const values: unknown[] = [nested, Array.from({ length: 40 }, (_, i) => i * 3), [[1, [2, [3, [4, [5]]]]]], 'text', [new Point(1, 2), { a: 'x'.repeat(30), b: 'y'.repeat(30) }]];
  test.each(options.map((o, i) => [i, o] as const))('options %i', (_i, o) => {
    for (const v of values) expect(util.inspect(v, o as never)).toBe(nodeUtil.inspect(v, o));
  });
  test('the legacy (value, showHidden, depth) form, inspect.custom, format', () => {
    expect(util.inspect(nested, false, 0)).toBe(nodeUtil.inspect(nested, false, 0));
    expect(util.inspect.custom).toBe(nodeUtil.inspect.custom);
    const custom = { [nodeUtil.inspect.custom]: () => 'Custom!' };
    expect(util.inspect({ c: custom })).toBe(nodeUtil.inspect({ c: custom }));
    expect(util.format('%s:%d:%j %O', 'a', 4.5, { b: [1] }, { c: 1 }, 'extra')).toBe(nodeUtil.format('%s:%d:%j %O', 'a', 4.5, { b: [1] }, { c: 1 }, 'extra'));
  });
});

describe('util functions as Node has them', () => {
  test('promisify: the callback result, a rejection, a custom version, properties kept', async () => {
    function legacy(this: unknown, n: number, cb: (e: Error | null, v?: number) => void): void {
      setTimeout(() => (n < 0 ? cb(new Error('neg')) : cb(null, n + 1)), 1);
    }
    (legacy as unknown as { extra: number }).extra = 7;
    const mine = util.promisify(legacy) as (n: number) => Promise<number>;
    const theirs = nodeUtil.promisify(legacy);
    expect(await mine(1)).toBe(await theirs(1));
    await expect(mine(-1)).rejects.toThrow('neg');
    expect((mine as unknown as { extra: number }).extra).toBe(7);
    expect(mine.name).toBe(theirs.name);
    const custom = Object.assign(() => {}, { [nodeUtil.promisify.custom]: () => 'c' });
    expect(util.promisify(custom)).toBe(nodeUtil.promisify(custom));
    expect(util.promisify.custom).toBe(nodeUtil.promisify.custom);
    expect(() => util.promisify(5)).toThrow(new TypeError('The "original" argument must be of type function. Received type number (5)'));
    expect(() => nodeUtil.promisify(5 as never)).toThrow('The "original" argument must be of type function. Received type number (5)');
  });
  test('types answer as Node\'s for the built-ins', () => {
    const samples: unknown[] = [new Date(), /x/, new Map(), new Set(), new WeakMap(), new Uint8Array(1), new Float32Array(1), new DataView(new ArrayBuffer(1)), new ArrayBuffer(1), Object(1), Object('s'), Object(true), Promise.resolve(), async () => {}, function* () {}, new Error(), 1, 'x', null, {}, [], new Map().keys(), new Set().values()];
    for (const name of Object.keys(util.types)) {
      const native = (nodeUtil.types as unknown as Record<string, (v: unknown) => boolean>)[name];
      if (native === undefined || name === 'isProxy') continue;
      for (const v of samples) expect([name, util.types[name]!(v)]).toEqual([name, native(v)]);
    }
  });
  test('inherits, stripVTControlCharacters, toUSVString', () => {
    function A() {}
    function B() {}
    util.inherits(B, A);
    expect(Object.getPrototypeOf(B.prototype)).toBe(A.prototype);
    expect((B as unknown as { super_: unknown }).super_).toBe(A);
    expect(util.stripVTControlCharacters('\u001b[31mred\u001b[39m')).toBe(nodeUtil.stripVTControlCharacters('\u001b[31mred\u001b[39m'));
    expect(util.toUSVString('a\ud800b')).toBe(nodeUtil.toUSVString('a\ud800b'));
  });
});

type Assert = typeof nodeAssert.strict;

/**
 * Each check that fails, written against an assert module (so both can run it).
 * (An error class of the wrong kind is left to fixtures/node-assert-portable:
 * jest's realm has its own Error, which Node's assert does not take for a class.)
 */
function failingChecks(): ((a: Assert) => unknown)[] {
  const seq = (n: number, last: unknown) => Array.from({ length: n }, (_, i) => (i + 1 === n ? last : i + 1));
  return [
    (a) => a.strictEqual(1, 2), (a) => a.strictEqual('hello world', 'hello there'), (a) => a.strictEqual('abcdefghijklmnopq', 'abcdefghijklmnopz'), (a) => a.strictEqual(1, 2, 'custom'),
    (a) => a.strictEqual(-0, 0), (a) => a.strictEqual('a\nb', 'a\nc'), (a) => a.strictEqual(1, '1'), (a) => a.strictEqual(null, undefined), (a) => a.strictEqual(NaN, 0), (a) => a.strictEqual([1], [1]),
    (a) => a.strictEqual({ a: 1 }, { a: 2 }), (a) => a.strictEqual(1234567, 1234568), (a) => a.strictEqual(1234567, 2234568), (a) => a.strictEqual('abc', 'abcdefghijklmno'), (a) => a.strictEqual(true, 'some string'),
    (a) => a.strictEqual('x'.repeat(50), 'x'.repeat(49) + 'y'), (a) => a.strictEqual(Symbol('a'), Symbol('a')),
    (a) => a.deepStrictEqual({ a: 1 }, { a: 2 }), (a) => a.deepStrictEqual([1, 2, 3], [1, 2, 4]), (a) => a.deepStrictEqual({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] }), (a) => a.deepStrictEqual(1, 2),
    (a) => a.deepStrictEqual(seq(15, 15), seq(15, 16)), ...[3, 4, 5, 6, 7, 8].map((n) => (a: Assert) => a.deepStrictEqual(seq(n, 'x'), seq(n, 'y'))),
    ...[2, 3, 4, 5, 8].map((n) => (a: Assert) => a.deepStrictEqual(['x', ...seq(n, n)], ['y', ...seq(n, n)])), ...[5, 6, 8].map((n) => (a: Assert) => a.deepStrictEqual(['x', ...seq(n, n), 'p'], ['y', ...seq(n, n), 'q'])),
    (a) => a.deepStrictEqual({ a: 1, b: 2 }, { a: 1, c: 2, d: 4 }), (a) => a.deepStrictEqual([1, 2, 3], [1, 3]), (a) => a.deepStrictEqual({ a: { b: { c: 1 } } }, { a: { b: { c: 2 } } }),
    (a) => a.deepStrictEqual(new Map([[1, { x: 1 }]]), new Map([[1, { x: 2 }]])), (a) => a.deepStrictEqual({ n: 1 }, { n: 1 }, 'same?'),
    (a) => nodeAssert.notDeepStrictEqual.call(null, 1, 1) ?? a.notDeepStrictEqual(1, 1), (a) => a.notDeepStrictEqual({ a: [1, 2] }, { a: [1, 2] }), (a) => a.notStrictEqual('a', 'a'),
    (a) => a.ok(0, 'zero'), (a) => a.ok(null, 'nul'), (a) => a.ok(false, new TypeError('own')), (a) => a.fail('boom'), (a) => a.fail(),
    (a) => a.throws(() => {}), (a) => a.throws(() => {}, TypeError), (a) => a.throws(() => {}, 'with message'), (a) => a.throws(() => { throw new Error('x'); }, /y/),
    (a) => a.throws(() => { throw new TypeError('t'); }, { message: 'u' }),
    (a) => a.throws(() => { throw new TypeError('t'); }, { name: 'TypeError', message: /q/ }),
    (a) => a.doesNotThrow(() => { throw new Error('d'); }), (a) => a.doesNotThrow(() => { throw new Error('d'); }, 'why'), (a) => a.match('abc', /x/), (a) => a.doesNotMatch('abc', /b/),
    (a) => a.ifError(new Error('if')), (a) => a.ifError('str'), (a) => a.equal(1, '2'),
  ];
}

const loose = [(a: typeof nodeAssert) => a.equal(1, 2), (a: typeof nodeAssert) => a.notEqual(1, '1'), (a: typeof nodeAssert) => a.deepEqual({ a: 1 }, { a: 2 }), (a: typeof nodeAssert) => a.deepEqual([1, 2], [1, 3]),
  (a: typeof nodeAssert) => a.notDeepEqual([1, 2], [1, 2]), (a: typeof nodeAssert) => a.equal(1, 2, 'm'), (a: typeof nodeAssert) => a.deepEqual(1, 2)];

function outcome(check: () => unknown): unknown {
  try {
    check();
    return 'passed';
  } catch (e) {
    const err = e as Error & { code?: string; operator?: string; generatedMessage?: boolean };
    return [err.name, err.code, err.message, err.operator, err.generatedMessage];
  }
}

describe('node:assert as Node has it', () => {
  test.each(failingChecks().map((c, i) => [i, c] as const))('strict check %i fails as Node\'s', (_i, check) => {
    expect(outcome(() => check(ourAssert.strict as unknown as Assert))).toEqual(outcome(() => check(nodeAssert.strict)));
  });
  test.each(loose.map((c, i) => [i, c] as const))('loose check %i fails as Node\'s', (_i, check) => {
    expect(outcome(() => check(ourAssert.default as unknown as typeof nodeAssert))).toEqual(outcome(() => check(nodeAssert.default as unknown as typeof nodeAssert)));
  });
  test('what passes passes; rejects and doesNotReject; AssertionError by hand; the module shape', async () => {
    const a = ourAssert.default;
    a(1);
    a.ok(true);
    a.deepStrictEqual({ x: [1, { y: new Set([1]) }] }, { x: [1, { y: new Set([1]) }] });
    a.deepEqual({ x: 1 }, { x: '1' });
    a.throws(() => { throw new TypeError('t'); }, TypeError);
    a.throws(() => { throw new TypeError('t'); }, { name: 'TypeError', message: /^t$/ });
    a.throws(() => { throw new Error('abc'); }, (e: unknown) => e instanceof Error);
    a.notStrictEqual({}, {});
    const ours = async (f: () => Promise<unknown>) => f().then(() => 'passed', (e: Error & { operator?: string }) => [e.message, e.operator]);
    expect(await ours(() => a.rejects(Promise.resolve(1)))).toEqual(await ours(() => nodeAssert.rejects(Promise.resolve(1))));
    expect(await ours(() => a.rejects(Promise.reject(new Error('r')), /x/))).toEqual(await ours(() => nodeAssert.rejects(Promise.reject(new Error('r')), /x/)));
    expect(await ours(() => a.doesNotReject(Promise.reject(new Error('r'))))).toEqual(await ours(() => nodeAssert.doesNotReject(Promise.reject(new Error('r')))));
    expect(await ours(() => a.rejects(async () => { throw new RangeError('x'); }, RangeError))).toBe('passed');
    expect(String(new a.AssertionError({ message: 'hi' }))).toBe(String(new nodeAssert.AssertionError({ message: 'hi' })));
    expect(new a.AssertionError({ actual: 1, expected: 2, operator: 'strictEqual' }).message).toBe(new nodeAssert.AssertionError({ actual: 1, expected: 2, operator: 'strictEqual' }).message);
    expect((a.strict as { strict: unknown }).strict).toBe(a.strict);
    expect(Object.keys(a).filter((k) => k !== 'CallTracker').sort()).toEqual(Object.keys(nodeAssert.default).filter((k) => k !== 'CallTracker').sort());
  });
});
