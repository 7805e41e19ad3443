// The heap writer/reader and the checkpoint container, driven by tables:
// `roundtrips` (value → writeHeap → encodeCheckpoint → decodeCheckpoint →
// readHeap → check), `captureFailures` (values that must be refused with a
// path) and `refusals` (malformed files and images, each with its error).

import { setFlagsFromString } from 'node:v8';
import { CLOSURE, type ClosureInfo, type FunctionTable } from '../runtime/functions.js';
import {
  CaptureError, decodeNodes, readHeap, RestoreError, writeHeap, type HeapContext, type HeapImage,
} from '../runtime/heap/index.js';
import { flatImage } from '../runtime/heap/image.js';
import { testHeader } from './harness/test-header.js';
import { swapViews } from '../runtime/heap/byteorder.js';
import { nodeHash } from '../runtime/plugins/node/host.js';
import { pooledBufferTest } from '../runtime/plugins/node/buffer-pool.js';
import { nativeBind } from '../runtime/heap/bound.js';
import { Kind, Shape, Tag } from '../runtime/heap/layout.js';
import { ByteWriter, zigzag } from '../runtime/heap/stream.js';
import {
  decodeCheckpoint, describeHeap, encodeCheckpoint, encodeCheckpointParts, FormatError, portableHash, readHeader, type ByteSource, type CheckpointHeader,
} from '../runtime/format/index.js';

// ── a fake program: a function table with a few static functions and factories ──

class FakeTable implements FunctionTable {
  private readonly ids = new Map<Function, string>();
  private readonly byId = new Map<string, Function>();
  private readonly factories = new Map<string, (...envs: any[]) => Function>();

  static(id: string, fn: Function): void {
    this.ids.set(fn, id);
    this.byId.set(id, fn);
  }
  factory(id: string, make: (...envs: any[]) => Function): void {
    this.factories.set(id, make);
  }
  staticId(fn: Function): string | undefined {
    return this.ids.get(fn);
  }
  staticFunction(id: string): Function | undefined {
    return this.byId.get(id);
  }
  closureOf(fn: Function): ClosureInfo | undefined {
    if (!Object.prototype.hasOwnProperty.call(fn, CLOSURE)) return undefined;
    const tag = (fn as any)[CLOSURE] as unknown[];
    return { factory: tag[0] as string, envs: tag.slice(1) };
  }
  makeClosure(factory: string, envs: unknown[]): Function {
    const make = this.factories.get(factory);
    if (make === undefined) throw new Error(`no factory ${factory}`);
    return make(...envs);
  }
}

class Point {
  constructor(public x: number, public y: number) {}
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
  get sum(): number {
    return this.x + this.y;
  }
}
class Point3 extends Point {
  z = 0;
}
class Stack extends Array<number> {}
class Registry extends Map<string, number> {}
class AppError extends Error {
  override name = 'AppError';
  code = 42;
}
function helper(): number {
  return 1;
}
function getX(this: { _x: number }): number {
  return this._x;
}
function setX(this: { _x: number }, v: number): void {
  this._x = v;
}
function* counterGen(): Generator<number> {
  yield 1;
}

/** A closure factory as the transformer would emit it: envs in, tagged function out. */
function makeCounter(env: { count: number }): Function {
  const next = function next(): number {
    return ++env.count;
  };
  Object.defineProperty(next, CLOSURE, { value: ['main.ts#makeCounter/next', env], enumerable: false });
  return next;
}
/** A closure that is a class: its prototype is made fresh by the factory. */
function makeLocalClass(env: { label: string }): Function {
  class Local {
    describe(): string {
      return env.label;
    }
  }
  Object.defineProperty(Local, CLOSURE, { value: ['main.ts#makeLocalClass/Local', env], enumerable: false });
  // the transformer tags a closure class's methods too: they are closures over the same env
  Object.defineProperty(Local.prototype.describe, CLOSURE, { value: ['main.ts#makeLocalClass/Local.describe', env], enumerable: false });
  return Local;
}

function programTable(): FakeTable {
  const table = new FakeTable();
  table.static('main.ts#Point', Point);
  table.static('main.ts#Point.norm', Point.prototype.norm);
  table.static('main.ts#Point.get sum', Object.getOwnPropertyDescriptor(Point.prototype, 'sum')!.get!);
  table.static('main.ts#Point3', Point3);
  table.static('main.ts#Stack', Stack);
  table.static('main.ts#Registry', Registry);
  table.static('main.ts#AppError', AppError);
  table.static('main.ts#helper', helper);
  table.static('main.ts#getX', getX);
  table.static('main.ts#setX', setX);
  table.static('main.ts#counterGen', counterGen);
  table.factory('main.ts#makeCounter/next', (env) => makeCounter(env));
  table.factory('main.ts#makeLocalClass/Local', (env) => makeLocalClass(env));
  table.factory('main.ts#makeLocalClass/Local.describe', (env) => (makeLocalClass(env) as any).prototype.describe);
  return table;
}

const header = testHeader;

function roundtrip(value: unknown, ctx: HeapContext = { functions: programTable() }): unknown {
  const image = writeHeap(value, ctx);
  const file = encodeCheckpoint(header, image);
  const decoded = decodeCheckpoint(file);
  expect(decoded.header.program.entry).toBe('main.ts');
  describeHeap(decoded.heap); // the raw view must accept every image we write
  return readHeap(decoded.heap, ctx);
}

const descriptorsOf = (o: object) => Object.getOwnPropertyDescriptors(o);

// ── round trips ─────────────────────────────────────────────────────────

interface Row {
  name: string;
  value: () => unknown;
  check: (restored: any, original: any) => void;
}

const roundtrips: Row[] = [
  {
    name: 'primitives at the root',
    value: () => [undefined, null, true, false, 0, 1, -1, 2 ** 31, -(2 ** 31), 2 ** 53, 0.1, Number.MIN_VALUE, Number.MAX_VALUE],
    check: (r, o) => expect(r).toEqual(o),
  },
  { name: 'a bare number root', value: () => 42.5, check: (r) => expect(r).toBe(42.5) },
  { name: 'an undefined root', value: () => undefined, check: (r) => expect(r).toBeUndefined() },
  {
    name: '-0, NaN, ±Infinity',
    value: () => ({ negZero: -0, nan: NaN, inf: Infinity, ninf: -Infinity, zero: 0 }),
    check: (r) => {
      expect(Object.is(r.negZero, -0)).toBe(true);
      expect(Object.is(r.zero, 0)).toBe(true);
      expect(r.nan).toBeNaN();
      expect(r.inf).toBe(Infinity);
      expect(r.ninf).toBe(-Infinity);
    },
  },
  {
    name: 'strings: unicode, astral, lone surrogates, empty, long',
    value: () => ['', 'héllo', '日本語', '😀 family 👨‍👩‍👧', '\ud800', 'a\udfffb', '\u0000\u001f"\\', 'x'.repeat(100_000)],
    check: (r, o) => expect(r).toEqual(o),
  },
  {
    name: 'BigInt',
    value: () => ({ a: 0n, b: -123n, c: 2n ** 200n, d: -(2n ** 64n) }),
    check: (r, o) => expect(r).toEqual(o),
  },
  {
    name: 'symbols: registered, unique (identity kept), well-known, as keys',
    value: () => {
      const unique = Symbol('mine');
      const o: any = { reg: Symbol.for('app.key'), u1: unique, u2: unique, wk: Symbol.iterator, anon: Symbol() };
      o[unique] = 'by unique';
      o[Symbol.for('app.key')] = 'by registered';
      return o;
    },
    check: (r) => {
      expect(r.reg).toBe(Symbol.for('app.key'));
      expect(r.wk).toBe(Symbol.iterator);
      expect(typeof r.u1).toBe('symbol');
      expect(r.u1).toBe(r.u2);
      expect(r.u1.description).toBe('mine');
      expect(r.anon.description).toBeUndefined();
      expect(r[r.u1]).toBe('by unique');
      expect(r[Symbol.for('app.key')]).toBe('by registered');
    },
  },
  {
    name: 'identity and cycles',
    value: () => {
      const shared = { n: 1 };
      const a: any = { shared, again: shared };
      const b: any = { a };
      a.b = b;
      a.self = a;
      return a;
    },
    check: (r) => {
      expect(r.shared).toBe(r.again);
      expect(r.self).toBe(r);
      expect(r.b.a).toBe(r);
    },
  },
  {
    name: 'property order, integer-like keys, __proto__ as an own key',
    value: () => {
      const o: any = { z: 1, a: 2, 10: 'ten', 2: 'two', 'with space': 3 };
      Object.defineProperty(o, '__proto__', { value: 'own', enumerable: true, writable: true, configurable: true });
      return { o, parsed: JSON.parse('{"__proto__": {"polluted": true}, "k": 1}') };
    },
    check: (r, o) => {
      expect(Reflect.ownKeys(r.o)).toEqual(Reflect.ownKeys(o.o));
      expect(Object.getPrototypeOf(r.o)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(r.o, '__proto__')!.value).toBe('own');
      expect(Object.getPrototypeOf(r.parsed)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(r.parsed, '__proto__')!.value).toEqual({ polluted: true });
      expect(({} as any).polluted).toBeUndefined();
    },
  },
  {
    name: 'property attributes: non-enumerable, read-only, accessors',
    value: () => {
      const o: any = { _x: 5 };
      Object.defineProperty(o, 'hidden', { value: 1, enumerable: false, writable: true, configurable: true });
      Object.defineProperty(o, 'fixed', { value: 2, enumerable: true, writable: false, configurable: false });
      Object.defineProperty(o, 'x', { get: getX, set: setX, enumerable: true, configurable: true });
      Object.defineProperty(o, 'onlyGet', { get: getX, enumerable: false, configurable: false });
      return o;
    },
    check: (r, o) => {
      expect(descriptorsOf(r)).toEqual(descriptorsOf(o));
      r.x = 9;
      expect(r._x).toBe(9);
      expect(r.onlyGet).toBe(9);
    },
  },
  {
    name: 'frozen, sealed and non-extensible objects and arrays',
    value: () => ({
      frozen: Object.freeze({ a: 1, nested: { b: 2 } }),
      sealed: Object.seal({ a: 1 }),
      closed: Object.preventExtensions({ a: 1 }),
      frozenArray: Object.freeze([1, 2, 3]),
      frozenLong: Object.freeze(Array.from({ length: 1000 }, (_, i) => i)),
    }),
    check: (r) => {
      expect(Object.isFrozen(r.frozen)).toBe(true);
      expect(Object.isFrozen(r.frozen.nested)).toBe(false);
      expect(Object.isSealed(r.sealed) && !Object.isFrozen(r.sealed)).toBe(true);
      expect(Object.isExtensible(r.closed)).toBe(false);
      expect(Object.isSealed(r.closed)).toBe(false);
      expect(Object.isFrozen(r.frozenArray)).toBe(true);
      expect(r.frozenArray).toEqual([1, 2, 3]);
      expect(Object.isFrozen(r.frozenLong)).toBe(true);
      expect(r.frozenLong[999]).toBe(999);
    },
  },
  {
    name: 'null-prototype objects',
    value: () => Object.assign(Object.create(null), { a: 1, toString: 'not a method' }),
    check: (r) => {
      expect(Object.getPrototypeOf(r)).toBeNull();
      expect(r.a).toBe(1);
      expect(r.toString).toBe('not a method');
    },
  },
  {
    name: 'arrays: holes, trailing holes, extra properties, nesting',
    value: () => {
      const a: any = [1, , 3, [4, [5]], , ];
      a.extra = 'yes';
      a[Symbol.for('tag')] = 't';
      const sparse: any[] = [];
      sparse[1000] = 'far';
      return { a, sparse, empty: [], long: new Array(7) };
    },
    check: (r, o) => {
      expect(r.a.length).toBe(o.a.length);
      expect(1 in r.a).toBe(false);
      expect(4 in r.a).toBe(false);
      expect(r.a[3]).toEqual([4, [5]]);
      expect(r.a.extra).toBe('yes');
      expect(r.a[Symbol.for('tag')]).toBe('t');
      expect(r.sparse.length).toBe(1001);
      expect(Object.keys(r.sparse)).toEqual(['1000']);
      expect(r.long.length).toBe(7);
      expect(Object.keys(r.long)).toEqual([]);
      expect(Array.isArray(r.empty)).toBe(true);
    },
  },
  {
    name: 'a long array (element by element) with holes and symbols',
    value: () => {
      const a: any[] = Array.from({ length: 10_000 }, (_, i) => (i % 3 === 0 ? { i } : i * 0.5));
      delete a[5];
      (a as any)[Symbol.for('meta')] = 'm';
      return a;
    },
    check: (r, o) => {
      expect(r.length).toBe(o.length);
      expect(5 in r).toBe(false);
      expect(r[9999]).toEqual(o[9999]);
      expect(r[3]).toEqual({ i: 3 });
      expect(r[Symbol.for('meta')]).toBe('m');
    },
  },
  {
    name: 'a long array keeps its named properties (Object.assign(rows, { columns }), non-enumerable, read-only length)',
    value: () => {
      const rows = Object.assign(Array.from({ length: 1000 }, (_, i) => ({ i })), { columns: ['i'] });
      Object.defineProperty(rows, 'total', { value: 1000, enumerable: false });
      const fixed = Array.from({ length: 500 }, (_, i) => i);
      Object.defineProperty(fixed, 'length', { writable: false });
      return { rows, fixed };
    },
    check: (r) => {
      expect(r.rows.length).toBe(1000);
      expect(r.rows.columns).toEqual(['i']);
      expect(Object.getOwnPropertyDescriptor(r.rows, 'total')).toEqual({ value: 1000, writable: false, enumerable: false, configurable: false });
      expect(Object.keys(r.rows).slice(-2)).toEqual(['999', 'columns']);
      expect(Object.getOwnPropertyDescriptor(r.fixed, 'length')!.writable).toBe(false);
      expect(r.fixed[499]).toBe(499);
    },
  },
  {
    name: 'a huge sparse array is saved by its elements, not its length',
    value: () => {
      const a: unknown[] = [];
      a[5] = 'five';
      a[4_000_000_000] = 'far';
      return a;
    },
    check: (r) => {
      expect(r.length).toBe(4_000_000_001);
      expect(Object.keys(r)).toEqual(['5', '4000000000']);
      expect(r[4_000_000_000]).toBe('far');
    },
  },
  {
    name: 'an array with an accessor element and non-writable length',
    value: () => {
      const a: any = [1, 2, 3];
      Object.defineProperty(a, 1, { get: getX, enumerable: true, configurable: true });
      a._x = 'got';
      Object.defineProperty(a, 'length', { writable: false });
      return a;
    },
    check: (r, o) => {
      expect(descriptorsOf(r)).toEqual(descriptorsOf(o));
      expect(r[1]).toBe('got');
    },
  },
  {
    name: 'class instances keep the program\'s prototypes; prototype additions survive',
    value: () => {
      (Point.prototype as any).added = 'on the prototype';
      return { p: new Point(3, 4), q: new Point3(1, 2), proto: Point.prototype };
    },
    check: (r) => {
      expect(Object.getPrototypeOf(r.p)).toBe(Point.prototype);
      expect(r.p.norm()).toBe(5);
      expect(r.p.sum).toBe(7);
      expect(r.q).toBeInstanceOf(Point3);
      expect(r.q.z).toBe(0);
      expect(r.proto).toBe(Point.prototype);
      expect((Point.prototype as any).added).toBe('on the prototype');
      delete (Point.prototype as any).added;
    },
  },
  {
    name: 'instances of built-in subclasses are exotic objects of the base kind',
    value: () => {
      const s = new Stack();
      s.push(1, 2);
      const m = new Registry([['a', 1]]);
      const e = new AppError('bad');
      return { s, m, e };
    },
    check: (r) => {
      expect(Array.isArray(r.s)).toBe(true);
      expect(r.s).toBeInstanceOf(Stack);
      expect([...r.s]).toEqual([1, 2]);
      expect(r.m).toBeInstanceOf(Registry);
      expect(r.m.get('a')).toBe(1);
      expect(r.e).toBeInstanceOf(AppError);
      expect(Object.prototype.toString.call(r.e)).toBe('[object Error]');
      expect(r.e.message).toBe('bad');
      expect(r.e.code).toBe(42);
      expect(r.e.name).toBe('AppError');
    },
  },
  {
    name: 'Map and Set keep insertion order and object keys',
    value: () => {
      const k1 = { k: 1 };
      const k2 = [2];
      const map = new Map<unknown, unknown>([['z', 1], [k1, 'obj'], [2, k2], [NaN, 'nan'], [-0, 'zero']]);
      const set = new Set<unknown>([3, k1, 'a', k2]);
      return { map, set, k1, k2 };
    },
    check: (r, o) => {
      expect([...r.map.keys()].map(String)).toEqual([...o.map.keys()].map(String));
      expect(r.map.get(r.k1)).toBe('obj');
      expect(r.map.get(2)).toBe(r.k2);
      expect(r.map.get(NaN)).toBe('nan');
      expect([...r.set]).toEqual([3, r.k1, 'a', r.k2]);
      expect(r.set.has(r.k1)).toBe(true);
    },
  },
  {
    name: 'WeakMap/WeakSet keep the entries whose keys are reachable (ephemerons), drop the others',
    value: () => {
      const a = { name: 'a' };
      const b = { name: 'b' };
      const onlyViaValue = { name: 'reached through a weak value' };
      const sym = Symbol('weak key');
      const wm = new WeakMap<object | symbol, unknown>([[a, 'A'], [{ gone: true }, 'unreachable'], [sym, 'by symbol']]);
      const chain = new WeakMap<object, unknown>([[a, onlyViaValue], [onlyViaValue, 'second hop']]);
      const ws = new WeakSet([a, b, {}]);
      const fnKey = new WeakMap<Function, unknown>([[helper, 'fn key'], [Math.max, 'builtin key']]);
      return { wm, chain, ws, a, b, sym, fnKey, fns: [helper, Math.max], frozen: Object.freeze(new WeakMap([[b, 1]])) };
    },
    check: (r) => {
      expect(r.wm).toBeInstanceOf(WeakMap);
      expect(r.wm.get(r.a)).toBe('A');
      expect(r.wm.get(r.sym)).toBe('by symbol');
      const hop = r.chain.get(r.a);
      expect(hop).toEqual({ name: 'reached through a weak value' });
      expect(r.chain.get(hop)).toBe('second hop');
      expect(r.ws.has(r.a) && r.ws.has(r.b)).toBe(true);
      expect(r.fnKey.get(helper)).toBe('fn key');
      expect(r.fnKey.get(Math.max)).toBe('builtin key');
      expect(Object.isFrozen(r.frozen) && r.frozen.get(r.b) === 1).toBe(true);
    },
  },
  {
    name: 'WeakRef: the target keeps its identity; a target only the WeakRef holds is kept too',
    value: () => {
      const target = { big: 'data' };
      return { target, ref: new WeakRef(target), lonely: new WeakRef({ only: 'here' }), again: null as unknown };
    },
    check: (r) => {
      expect(r.ref).toBeInstanceOf(WeakRef);
      expect(r.ref.deref()).toBe(r.target);
      expect(r.lonely.deref()).toEqual({ only: 'here' });
    },
  },
  {
    name: 'Date, including an invalid one',
    value: () => ({ d: new Date(Date.UTC(2024, 1, 29, 12)), bad: new Date(NaN) }),
    check: (r, o) => {
      expect(r.d.getTime()).toBe(o.d.getTime());
      expect(r.d).toBeInstanceOf(Date);
      expect(r.bad.getTime()).toBeNaN();
    },
  },
  {
    name: 'RegExp: source, flags, lastIndex',
    value: () => {
      const re = /a(b+)c/gimsuy;
      re.lastIndex = 7;
      return { re, plain: /x/, slash: new RegExp('a/b') };
    },
    check: (r, o) => {
      expect(r.re.source).toBe(o.re.source);
      expect(r.re.flags).toBe(o.re.flags);
      expect(r.re.lastIndex).toBe(7);
      expect(r.slash.test('a/b')).toBe(true);
    },
  },
  {
    name: 'Errors: message, stack text, cause, own properties, subclasses',
    value: () => {
      const cause = new RangeError('inner');
      const e: any = new TypeError('outer', { cause });
      e.extra = { detail: 1 };
      return { e, agg: new AggregateError([cause], 'many') };
    },
    check: (r, o) => {
      expect(r.e).toBeInstanceOf(TypeError);
      expect(r.e.message).toBe('outer');
      expect(r.e.stack).toBe(o.e.stack);
      expect(r.e.cause).toBeInstanceOf(RangeError);
      expect(r.e.cause).toBe(r.agg.errors[0]);
      expect(r.e.extra).toEqual({ detail: 1 });
      expect(descriptorsOf(r.e).message).toEqual(descriptorsOf(o.e).message);
    },
  },
  {
    name: 'boxed primitives',
    value: () => {
      const s: any = new String('hey');
      s.extra = 1;
      return [new Number(-0), s, new Boolean(false), Object(10n), Object(Symbol.for('boxed'))];
    },
    check: (r) => {
      expect(typeof r[0]).toBe('object');
      expect(Object.is(r[0].valueOf(), -0)).toBe(true);
      expect(r[1].valueOf()).toBe('hey');
      expect(r[1].extra).toBe(1);
      expect(r[1].length).toBe(3);
      expect(r[2].valueOf()).toBe(false);
      expect(r[3].valueOf()).toBe(10n);
      expect(r[4].valueOf()).toBe(Symbol.for('boxed'));
    },
  },
  {
    name: 'typed arrays sharing one buffer with offsets, a DataView on it, BigInt64Array',
    value: () => {
      const buffer = new ArrayBuffer(64);
      const f64 = new Float64Array(buffer, 8, 3);
      const u8 = new Uint8Array(buffer);
      const i16 = new Int16Array(buffer, 40, 4);
      const view = new DataView(buffer, 48, 16);
      f64.set([1.5, -0, NaN]);
      i16.set([-1, 2, -3, 4]);
      view.setUint32(0, 0xdeadbeef, true);
      (f64 as any).label = 'weights';
      const big = new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n]);
      const all = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigUint64Array]
        .map((C: any) => new C(C === BigUint64Array ? [1n, 2n] : [1, 2, 255]));
      return { buffer, f64, u8, i16, view, big, all };
    },
    check: (r, o) => {
      expect(r.f64.buffer).toBe(r.buffer);
      expect(r.u8.buffer).toBe(r.buffer);
      expect(r.view.buffer).toBe(r.buffer);
      expect(r.f64.byteOffset).toBe(8);
      expect(r.f64.length).toBe(3);
      expect(Object.is(r.f64[1], -0)).toBe(true);
      expect(r.f64.label).toBe('weights');
      expect(r.f64[2]).toBeNaN();
      expect([...r.i16]).toEqual([-1, 2, -3, 4]);
      expect(r.view.byteOffset).toBe(48);
      expect(r.view.getUint32(0, true)).toBe(0xdeadbeef);
      r.u8[15] = 0;
      expect(r.f64[0]).not.toBe(o.f64[0]); // really one buffer
      expect([...r.big]).toEqual([-(2n ** 63n), 2n ** 63n - 1n]);
      r.all.forEach((a: any, i: number) => {
        expect(a.constructor).toBe(o.all[i].constructor);
        expect([...a]).toEqual([...o.all[i]]);
      });
    },
  },
  {
    name: 'SharedArrayBuffer and a resizable ArrayBuffer',
    value: () => {
      const shared = new SharedArrayBuffer(8);
      new Int32Array(shared)[1] = 77;
      const resizable = new (ArrayBuffer as any)(4, { maxByteLength: 32 });
      new Uint8Array(resizable).set([1, 2, 3, 4]);
      return { shared, ints: new Int32Array(shared), resizable };
    },
    check: (r) => {
      expect(r.shared).toBeInstanceOf(SharedArrayBuffer);
      expect(r.ints.buffer).toBe(r.shared);
      expect(r.ints[1]).toBe(77);
      expect(r.resizable.resizable).toBe(true);
      expect(r.resizable.maxByteLength).toBe(32);
      expect([...new Uint8Array(r.resizable)]).toEqual([1, 2, 3, 4]);
    },
  },
  {
    name: 'a detached ArrayBuffer (transferred away) comes back empty, next to the buffer it went to',
    value: () => {
      const gone = new ArrayBuffer(16);
      new Uint8Array(gone).fill(9);
      const moved = structuredClone(gone, { transfer: [gone] });
      return { gone, moved, view: new Uint8Array(moved) };
    },
    check: (r) => {
      expect(r.gone).toBeInstanceOf(ArrayBuffer);
      expect(r.gone.byteLength).toBe(0);
      expect(r.moved.byteLength).toBe(16);
      expect([...r.view]).toEqual(new Array(16).fill(9));
    },
  },
  {
    name: 'a Node Buffer is a Uint8Array with the Buffer prototype',
    value: () => ({ buf: Buffer.from('hi') }),
    check: (r) => {
      expect(Buffer.isBuffer(r.buf)).toBe(true);
      expect(r.buf.toString()).toBe('hi');
    },
  },
  {
    name: 'built-in functions and objects by their well-known path',
    value: () => ({
      max: Math.max, stringify: JSON.stringify, log: console.log, push: Array.prototype.push,
      iter: Array.prototype[Symbol.iterator], objProto: Object.prototype, mapProto: Map.prototype,
      typedArray: Object.getPrototypeOf(Int8Array), math: Math, global: globalThis,
    }),
    check: (r) => {
      expect(r.max).toBe(Math.max);
      expect(r.stringify).toBe(JSON.stringify);
      expect(r.log).toBe(console.log);
      expect(r.push).toBe(Array.prototype.push);
      expect(r.iter).toBe(Array.prototype[Symbol.iterator]);
      expect(r.objProto).toBe(Object.prototype);
      expect(r.mapProto).toBe(Map.prototype);
      expect(r.typedArray).toBe(Object.getPrototypeOf(Int8Array));
      expect(r.math).toBe(Math);
      expect(r.global).toBe(globalThis);
    },
  },
  {
    name: 'bound functions: target, this and arguments (program and built-in targets, bound twice)',
    value: () => {
      const self = { _x: 7 };
      const readX = getX.bind(self);
      const add = (helper as Function).bind(null, 1, { arg: true });
      const atLeast10 = Math.max.bind(null, 10);
      const twice = (add as Function).bind(undefined, 2);
      (readX as any).memo = { hits: 1 };
      const counter = makeCounter({ count: 0 }).bind(null);
      return { self, readX, add, atLeast10, twice, counter };
    },
    check: (r, o) => {
      expect(r.readX()).toBe(7);
      r.self._x = 8;
      expect(r.readX()).toBe(8); // `this` is the restored object, not a copy
      expect(r.readX.name).toBe('bound getX');
      expect(r.readX.length).toBe(o.readX.length);
      expect(r.readX.memo).toEqual({ hits: 1 });
      expect(r.add()).toBe(1);
      expect(r.atLeast10(3, 4)).toBe(10);
      expect(r.atLeast10(30)).toBe(30);
      expect(r.twice.name).toBe('bound bound helper');
      expect(r.counter()).toBe(1);
      expect(r.counter()).toBe(2);
    },
  },
  {
    name: 'built-in functions by path re-link to this platform; methods taken off prototypes',
    value: () => ({
      keys: Object.keys, resolve: Promise.resolve, log: console.log, push: Array.prototype.push,
      slice: String.prototype.slice, norm: Point.prototype.norm, sumGetter: Object.getOwnPropertyDescriptor(Point.prototype, 'sum')!.get,
      parse: JSON.parse, now: Date.now, bind: Function.prototype.bind,
    }),
    check: (r) => {
      expect(r.keys).toBe(Object.keys);
      expect(r.resolve).toBe(Promise.resolve);
      expect(r.log).toBe(console.log);
      expect(r.push).toBe(Array.prototype.push);
      expect(r.slice).toBe(String.prototype.slice);
      expect(r.norm).toBe(Point.prototype.norm);
      expect(r.norm.call({ x: 3, y: 4 })).toBe(5);
      expect(r.sumGetter.call({ x: 1, y: 2 })).toBe(3);
      expect(r.parse).toBe(JSON.parse);
      expect(r.now).toBe(Date.now);
      expect(r.bind).toBe(Function.prototype.bind);
    },
  },
  {
    name: 'property descriptors on functions, objects and arrays in one shape table',
    value: () => {
      const mk = (i: number) => ({ id: i, name: `n${i}`, tags: ['t'] });
      const list: any[] = Array.from({ length: 50 }, (_, i) => mk(i));
      Object.defineProperty(list[10], 'id', { value: 10, writable: false, enumerable: true, configurable: true });
      Object.defineProperty(list[11], 'id', { value: 11, writable: true, enumerable: false, configurable: true });
      list[12] = Object.freeze(mk(12));
      list[13][Symbol.for('k')] = 'symbol-keyed';
      list[14] = { name: 'n14', id: 14, tags: ['t'] }; // same keys, other order
      return list;
    },
    check: (r, o) => {
      for (let i = 0; i < o.length; i++) {
        expect(Reflect.ownKeys(r[i])).toEqual(Reflect.ownKeys(o[i]));
        expect(descriptorsOf(r[i])).toEqual(descriptorsOf(o[i]));
        expect(Object.isFrozen(r[i])).toBe(Object.isFrozen(o[i]));
      }
    },
  },
  {
    name: 'arbitrary prototypes: another heap object, a chain of them, a null-prototype parent',
    value: () => {
      const base = Object.create(null);
      base.greet = 'hello';
      const mid = Object.create(base, { level: { value: 'mid', enumerable: true } });
      const leaf = Object.create(mid);
      leaf.own = 1;
      const arrayLike = Object.setPrototypeOf([1, 2], mid);
      return { leaf, mid, base, arrayLike };
    },
    check: (r) => {
      expect(Object.getPrototypeOf(r.leaf)).toBe(r.mid);
      expect(Object.getPrototypeOf(r.mid)).toBe(r.base);
      expect(Object.getPrototypeOf(r.base)).toBeNull();
      expect(r.leaf.greet).toBe('hello');
      expect(r.leaf.level).toBe('mid');
      expect(Array.isArray(r.arrayLike) && Object.getPrototypeOf(r.arrayLike) === r.mid).toBe(true);
    },
  },
  {
    name: 'static functions keep their identity and own properties',
    value: () => {
      (helper as any).cache = { hits: 3 };
      return { helper, gen: counterGen, genProto: counterGen.prototype };
    },
    check: (r) => {
      expect(r.helper).toBe(helper);
      expect(r.helper.cache).toEqual({ hits: 3 });
      expect(r.gen).toBe(counterGen);
      expect(r.genProto).toBe(counterGen.prototype);
      delete (helper as any).cache;
    },
  },
  {
    name: 'closures: rebuilt by their factory, sharing one environment',
    value: () => {
      const env = { count: 10 };
      const a = makeCounter(env);
      const b = makeCounter(env);
      (a as any).label = 'first';
      return { a, b, env };
    },
    check: (r) => {
      expect(r.a).not.toBe(r.b);
      expect(r.a()).toBe(11);
      expect(r.b()).toBe(12);
      expect(r.env.count).toBe(12);
      expect(r.a.label).toBe('first');
    },
  },
  {
    name: 'a closure class: instances point at the rebuilt class\'s prototype',
    value: () => {
      const Local = makeLocalClass({ label: 'local' }) as any;
      return { Local, one: new Local(), two: new Local() };
    },
    check: (r) => {
      expect(Object.getPrototypeOf(r.one)).toBe(r.Local.prototype);
      expect(Object.getPrototypeOf(r.two)).toBe(r.Local.prototype);
      expect(r.one.describe()).toBe('local');
    },
  },
  {
    name: 'an environment whose prototype is its own closure class\'s prototype (a cycle broken at the prototype)',
    value: () => {
      const env: any = { label: 'env' };
      const Local = makeLocalClass(env) as any;
      Object.setPrototypeOf(env, Local.prototype);
      return { env, Local };
    },
    check: (r) => {
      expect(Object.getPrototypeOf(r.env)).toBe(r.Local.prototype);
      expect(r.env.describe()).toBe('env');
    },
  },
  {
    name: 'a 1,000,000-long linked list (no recursion in writer or reader)',
    value: () => {
      let head: { value: number; next: unknown } | null = null;
      for (let i = 0; i < 1_000_000; i++) head = { value: i, next: head };
      return head;
    },
    check: (r) => {
      let n = 0;
      let last = -1;
      for (let at = r; at !== null; at = at.next) {
        last = at.value;
        n++;
      }
      expect(n).toBe(1_000_000);
      expect(last).toBe(0);
    },
  },
];

describe('heap round trips', () => {
  test.each(roundtrips.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    const original = row.value();
    const restored = roundtrip(original);
    row.check(restored, original);
  });

  test('value strings stay deduplicated when the string cache grows (at 256 strings), and strings that differ only in the middle get their own slots', () => {
    const distinct = Array.from({ length: 3000 }, (_, i) => `name-${i}`);
    const twice = [...distinct, ...distinct.map((s) => s.split('').join(''))];
    const image = writeHeap(twice, { functions: programTable() });
    // direct-mapped, so a collision may add a repeat (~200 here); losing the first cache's entries,
    // or a hash of a few characters only (`name-1042`, `name-1942`), would add thousands
    expect(image.strings.length).toBeLessThan(3300);
    expect(readHeap(image, { functions: programTable() })).toEqual(twice);
  });
});

// ── capture failures ────────────────────────────────────────────────────

interface CaptureRow {
  name: string;
  value: () => unknown;
  path: string;
  what: RegExp;
}

class NativeLike {
  handle = 1;
}

const captureFailures: CaptureRow[] = [
  {
    name: 'an uninstrumented function, with the path to it',
    value: () => ({ server: { _handle: { onread: () => 1 } } }),
    path: 'frame main › .server › ._handle › .onread',
    what: /function onread/,
  },
  {
    name: 'a Promise',
    value: () => ({ pending: [Promise.resolve(1)] }),
    path: 'frame main › .pending › [0]',
    what: /promise of the platform/,
  },
  {
    name: 'a generator object',
    value: () => ({ it: counterGen() }),
    path: 'frame main › .it',
    what: /generator/,
  },
  {
    name: 'a FinalizationRegistry inside a Map value',
    value: () => ({ cache: new Map([['k', new FinalizationRegistry(() => {})]]) }),
    path: 'frame main › .cache › .get("k")',
    what: /FinalizationRegistry/,
  },
  {
    name: 'an unsaveable value held by a WeakMap entry (reached in the ephemeron pass)',
    value: () => {
      const key = new Point(1, 2);
      return { key, meta: new WeakMap([[key, { socket: () => 0 }]]) };
    },
    path: 'frame main › .meta › .get(Point {…}) › .socket',
    what: /function socket/,
  },
  {
    name: 'an unsaveable value bound as `this`',
    value: () => ({ handler: helper.bind({ native: new NativeLike() }) }),
    path: 'frame main › .handler › (bound this) › .native › [[Prototype]]',
    what: /class NativeLike/,
  },
  {
    name: 'a function bound before the runtime loaded (its parts were never recorded)',
    value: () => ({ early: Reflect.apply(nativeBind, helper, [null]) }),
    path: 'frame main › .early',
    what: /bound helper.*bound before Introspect's runtime was loaded/,
  },
  {
    name: 'an object of a class outside the program',
    value: () => ({ conn: new NativeLike() }),
    path: 'frame main › .conn › [[Prototype]]',
    what: /class NativeLike/,
  },
  {
    name: 'a native iterator in a closure environment',
    value: () => ({ next: makeCounter({ it: [1][Symbol.iterator]() } as any) }),
    path: 'frame main › .next › (closure environment 0) › .it',
    what: /array iterator/,
  },
  {
    name: 'an instance of a platform class (URL keeps its state in internal slots)',
    value: () => ({ link: new URL('https://example.com/') }),
    path: 'frame main › .link',
    what: /platform class URL/,
  },
  {
    name: 'eval or the Function constructor (a checkpoint never carries code evaluators)',
    value: () => ({ tools: { run: eval } }),
    path: 'frame main › .tools › .run',
    what: /eval .*never saved/,
  },
];

describe('capture failures name the path and the remedy', () => {
  test.each(captureFailures.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    let error: unknown;
    try {
      writeHeap(row.value(), { functions: programTable() }, 'frame main');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CaptureError);
    const capture = error as CaptureError;
    expect(capture.path).toBe(row.path);
    expect(capture.message).toMatch(row.what);
    expect(capture.message).toContain(row.path);
    expect(capture.remedy).toMatch(/transient/);
  });

  test('labels start a path at the nearest labelled container', () => {
    const locals = { server: { cb: () => 0 } };
    const labels = new Map<object, string>([[locals, 'frame main › local']]);
    expect(() => writeHeap({ frames: [locals] }, { functions: programTable(), labels })).toThrow(/frame main › local › \.server › \.cb/);
    // an engine error while reading a value (a revoked Proxy) is a CaptureError with a path too
    const revocable = Proxy.revocable({ a: 1 }, {});
    revocable.revoke();
    expect(() => writeHeap({ holder: { proxy: revocable.proxy } }, { functions: programTable() }, 'state')).toThrow(CaptureError);
    expect(() => writeHeap({ holder: { proxy: revocable.proxy } }, { functions: programTable() }, 'state')).toThrow(/state › \.holder: .*revoked Proxy/);
  });

  test("a value a library's object holds is named by that object: `part of a Writable of node:stream`, with a remedy for library objects", () => {
    // a library class (its constructor is an export the program imported) whose instances hold functions the library made
    class Writable { _state: { onwrite: () => void }; constructor() { this._state = new WritableState(); } }
    class WritableState { onwrite = () => undefined; }
    const names = new Map<unknown, string>([
      [Writable, 'lib:["node:stream","Writable"]'], [Writable.prototype, 'lib:["node:stream","Writable","prototype"]'],
      [WritableState, 'lib:["node:stream","Writable","WritableState"]'], [WritableState.prototype, 'lib:["node:stream","Writable","WritableState","prototype"]'],
    ]);
    const ctx = (): HeapContext => ({ functions: programTable(), external: (v) => names.get(v) });
    const failure = (value: unknown): CaptureError => {
      try {
        writeHeap(value, ctx(), 'module main.ts');
      } catch (e) {
        return e as CaptureError;
      }
      throw new Error('saved');
    };
    // the exported class, not the inner one, names the owner
    const direct = failure({ slow: new Writable() });
    expect(direct.message).toMatch(/part of a Writable of node:stream at module main\.ts › \.slow › \._state › \.onwrite: a library object keeps state/);
    expect(direct.remedy).toMatch(/local variable of a function.*transient/);
    // an inner class alone is named when nothing exported holds it
    expect(failure({ state: new WritableState() }).message).toMatch(/part of a WritableState of node:stream/);
    // no library object on the way: the message is as before
    expect(failure({ plain: { cb: () => 0 } }).message).not.toMatch(/part of/);
  });

  test("a function a library made at run time is told from the library's exports and from native functions; a class that is the module itself is named by its name", () => {
    // decimal.js's Decimal.clone() makes a class named like the export
    const names = new Map<unknown, string>();
    const clone = (() => function Decimal(this: unknown) {})();
    const message = (value: unknown, external = (v: unknown) => names.get(v)): string => {
      try {
        writeHeap(value, { functions: programTable(), external }, 'module main.ts');
      } catch (e) {
        return (e as CaptureError).message;
      }
      throw new Error('saved');
    };
    expect(message({ Dec12: clone })).toMatch(/function Decimal \(not the program's, and not one of the exports of the libraries it imports: a function or class made by a library at run time/);
    // (a proxy of a function reads as native code)
    expect(message({ f: new Proxy(function f() {}, {}) })).toMatch(/a native function/);
    // eventemitter3's module is the class: `lib:["eventemitter3"]`, shown by the class's name
    class EE { fn = 0; }
    class EventEmitter { _events: Record<string, unknown> = { done: { fn: (() => () => 0)() } }; }
    names.set(EventEmitter, 'lib:["eventemitter3"]');
    names.set(EventEmitter.prototype, 'lib:["eventemitter3","prototype"]');
    expect(message({ bus: new EventEmitter() })).toMatch(/part of a EventEmitter of eventemitter3 at module main\.ts › \.bus › \._events/);
    // an inner class of the library (eventemitter3's EE)
    const inner = Object.assign(new EventEmitter(), { _events: { done: new EE() } });
    expect(message({ bus: inner })).toMatch(/the prototype of class EE \(the class is not the program's, nor one the exports of the libraries it imports lead to: a library's inner class; .*part of a EventEmitter of eventemitter3/);
    names.set(EventEmitter, 'lib:["p-queue","default"]');
    expect(message({ bus: new EventEmitter() })).toMatch(/part of a EventEmitter of p-queue at/);
  });

  test("an object of a class the host made in native code fails, not saved as an empty shell (node:vm's Script, below ContextifyScript)", async () => {
    const vm = await import('node:vm');
    expect(() => writeHeap({ compiled: [new vm.Script('1 + 1')] }, { functions: programTable() }, 'frame main'))
      .toThrow(/an instance of Script, a subclass of the platform class ContextifyScript .* at frame main › \.compiled › \[0\]/);
  });

  // (In a program, which registers node:crypto, the message names the handle: `part of a Hash of node:crypto at module main.ts › variable h › [Symbol(kHandle)]`.)
  test('a node:crypto Hash in progress fails, naming where it is held: OpenSSL holds its state', async () => {
    const { createHash } = await import('node:crypto');
    expect(() => writeHeap({ hash: createHash('sha256').update('part') }, { functions: programTable() }, 'frame main'))
      .toThrow(/cannot save an instance of Hash.* \(its state lives in internal slots that JavaScript cannot read\) at frame main › \.hash/);
  });

  test('an instance of a platform class the built-ins table leaves out is named by its own class (a MessagePort, not EventTarget)', () => {
    if (typeof MessageChannel !== 'function') return;
    const { port1, port2 } = new MessageChannel();
    try {
      expect(() => writeHeap({ port: port1 }, { functions: programTable() }, 'frame main')).toThrow(/an instance of (the platform class MessagePort|MessagePort, a subclass of the platform class EventTarget) /);
    } finally {
      port1.close();
      port2.close();
    }
  });

  test("an Intl.Segmenter's segments are refused, also when the writer met only plain objects and class instances before (which do not make it load ICU's break data)", async () => {
    // A fresh process: whether the writer has looked for the segments' prototypes yet is module state.
    const { execFileSync } = await import('node:child_process');
    const heap = new URL('../runtime/heap/index.js', import.meta.url).href;
    const script = `
      const { writeHeap } = await import(${JSON.stringify(heap)});
      class Point { constructor() { this.x = 1; } }
      const functions = { staticId: (f) => (f === Point ? 'main.ts#Point' : undefined), closureOf: () => undefined };
      writeHeap({ a: [1, { b: 2 }], p: new Point(), d: new Date(0), m: new Map([[1, 2]]) }, { functions });
      try {
        writeHeap({ words: new Intl.Segmenter('en', { granularity: 'word' }).segment('a b') }, { functions }, 'frame main');
        console.log('saved');
      } catch (e) {
        console.log(e.message);
      }`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(out).toMatch(/segments of an Intl\.Segmenter .* at frame main › \.words/);
  });

  test('edge labels name slots: frame main › local server › ._handle', () => {
    const values = [1, { _handle: { poll: () => 0 } }];
    const ctx: HeapContext = {
      functions: programTable(),
      labels: new Map([[values, 'frame main']]),
      edgeLabel: (container, key) => (container === values && typeof key === 'number' ? `local ${['count', 'server'][key]}` : undefined),
    };
    expect(() => writeHeap({ stack: [{ values }] }, ctx)).toThrow(/at frame main › local server › \._handle › \.poll:/);
  });

  test("a platform's own symbol is saved by its name even where that platform registered it (Bun's errorMonitor), and is the other platform's own again", () => {
    const bunErrorMonitor = Symbol.for('events.errorMonitor');
    const nodeErrorMonitor = Symbol('events.errorMonitor');
    const name = 'platform:node:events#events.errorMonitor';
    const image = writeHeap({ key: bunErrorMonitor }, { functions: programTable(), external: (v) => (v === bunErrorMonitor ? name : undefined) });
    const back = readHeap(decodeCheckpoint(encodeCheckpoint(header, image)).heap, { functions: programTable(), builtin: (path) => (path === name ? nodeErrorMonitor : undefined) }) as { key: symbol };
    expect(back.key).toBe(nodeErrorMonitor);
  });

  test('weak collections are saved without loss, so without a warning', () => {
    const image = writeHeap({ seen: new WeakSet() }, { functions: programTable() }, 'state');
    expect(image.warnings).toEqual([]);
  });
});

// ── malformed input ─────────────────────────────────────────────────────

/** A hand-made version 1 node stream: node count, root value, then raw node bytes. */
function stream(nodeCount: number, write: (w: ByteWriter) => void, strings = ['a', 'x']): HeapImage {
  const w = new ByteWriter();
  w.varint(nodeCount);
  write(w);
  return { version: 1, nodeCount, strings, nodes: w.finish(), blob: new Uint8Array(8) };
}
/** A hand-made version 2 node stream (the caller writes the ephemeron trailer too). */
function stream2(nodeCount: number, write: (w: ByteWriter) => void, strings = ['a', 'x']): HeapImage {
  return { ...stream(nodeCount, write, strings), version: 2 };
}
/** v1 object node: proto null, extensible, the given property writers */
function objectNode(w: ByteWriter, props: ((w: ByteWriter) => void)[]): void {
  w.u8(Kind.object);
  w.u8(Tag.null);
  w.u8(0);
  w.varint(props.length);
  for (const p of props) p(w);
}
const root0 = (w: ByteWriter) => w.tagged(Tag.ref, 0);
/** v2 object node: proto null, extensible, no properties */
const emptyObject2 = (w: ByteWriter) => { w.u8(Kind.object); w.u8(Tag.null); w.u8(0); w.varint(Shape.empty); };
const noEphemerons = (w: ByteWriter) => w.varint(0);

const goodFile = () => encodeCheckpoint(header, writeHeap({ a: [1, 2, 3], s: 'text' }, { functions: programTable() }));
const key = new Uint8Array([1, 2, 3, 4]);

interface RefusalRow {
  name: string;
  /** a checkpoint file (decoded with `key` when `withKey`) or a heap image (read) */
  input: () => Uint8Array | HeapImage;
  withKey?: boolean;
  error: typeof FormatError | typeof RestoreError;
  code?: string;
  message: RegExp;
}

const refusals: RefusalRow[] = [
  { name: 'a truncated file', input: () => goodFile().subarray(0, 70), error: FormatError, code: 'truncated', message: /70 bytes, expected \d+/ },
  { name: 'a file cut inside the magic', input: () => goodFile().subarray(0, 10), error: FormatError, code: 'truncated', message: /too short/ },
  { name: 'an empty file', input: () => new Uint8Array(0), error: FormatError, code: 'truncated', message: /0 bytes/ },
  {
    name: 'a flipped byte in the heap',
    input: () => {
      const f = goodFile();
      f[70] ^= 0x20;
      return f;
    },
    error: FormatError, code: 'corrupted', message: /SHA-256/,
  },
  { name: 'extra bytes at the end', input: () => Uint8Array.from([...goodFile(), 0]), error: FormatError, code: 'corrupted', message: /extra bytes/ },
  { name: 'wrong magic', input: () => new TextEncoder().encode('{"not": "a checkpoint at all"}'), error: FormatError, code: 'not-a-checkpoint', message: /not an Introspect checkpoint: byte 0/ },
  {
    name: 'a future format version',
    input: () => {
      const f = goodFile();
      f[16] = 7;
      return f;
    },
    error: FormatError, code: 'unsupported-version', message: /format version 7; this Introspect reads 1/,
  },
  { name: 'an unsigned file when a key is required', input: goodFile, withKey: true, error: FormatError, code: 'signature', message: /not signed/ },
  {
    name: 'a file signed with another key',
    input: () => encodeCheckpoint(header, writeHeap(1, { functions: programTable() }), { hmacKey: new Uint8Array([9]) }),
    withKey: true, error: FormatError, code: 'signature', message: /HMAC-SHA256 .* does not match/,
  },
  {
    name: 'a reference past the last node',
    input: () => stream(1, (w) => { root0(w); objectNode(w, [(w) => { w.u8(7); w.tagged(Tag.string, 0); w.tagged(Tag.ref, 5); }]); }),
    error: RestoreError, message: /node 0: reference to node 5, but there are 1 nodes/,
  },
  {
    name: 'an unknown node kind',
    input: () => stream(2, (w) => { root0(w); objectNode(w, []); w.u8(99); }),
    error: RestoreError, message: /node 1: unknown node kind 99/,
  },
  {
    name: 'an unknown value tag',
    input: () => stream(1, (w) => { root0(w); objectNode(w, [(w) => { w.u8(7); w.tagged(Tag.string, 0); w.u8(200); }]); }),
    error: RestoreError, message: /node 0: unknown value tag 200/,
  },
  {
    name: 'a string index out of range',
    input: () => stream(0, (w) => w.tagged(Tag.string, 9)),
    error: RestoreError, message: /string index 9 out of range/,
  },
  {
    name: 'a count larger than the stream',
    input: () => stream(1, (w) => { root0(w); w.u8(Kind.object); w.u8(Tag.null); w.u8(0); w.varint(1e9); }),
    error: RestoreError, message: /property count 1000000000 exceeds/,
  },
  {
    name: 'a node count larger than the stream',
    input: () => stream(1e7, (w) => root0(w)),
    error: RestoreError, message: /node count 10000000 is larger than the stream/,
  },
  {
    name: 'a buffer outside the blob',
    input: () => stream(1, (w) => { root0(w); w.u8(Kind.arraybuffer); w.u8(Tag.null); w.varint(0); w.varint(4096); w.varint(0); w.u8(0); w.varint(0); }),
    error: RestoreError, message: /not an aligned range of the 8-byte blob/,
  },
  {
    name: 'a typed array viewing a non-buffer',
    input: () => stream(2, (w) => {
      root0(w);
      w.u8(Kind.typedarray); w.u8(Tag.null); w.u8(1); w.tagged(Tag.ref, 1); w.varint(0); w.varint(0); w.u8(0); w.varint(0);
      objectNode(w, []);
    }),
    error: RestoreError, message: /node 0: a view's buffer is node 1, a object/,
  },
  {
    name: 'a prototype node for a built-in (prototype pollution attempt)',
    input: () => stream(2, (w) => {
      root0(w);
      w.u8(Kind.prototypeOf); w.tagged(Tag.ref, 1); w.u8(0); w.varint(1); w.u8(7); w.tagged(Tag.string, 1); w.u8(Tag.true);
      w.u8(Kind.builtin); w.varint(0);
    }, ['Object', 'polluted']),
    error: RestoreError, message: /only a program function's prototype/,
  },
  {
    name: 'a built-in path to eval (a checkpoint never hands out code evaluators)',
    input: () => stream(1, (w) => { root0(w); w.u8(Kind.builtin); w.varint(0); }, ['eval']),
    error: RestoreError, message: /built-in eval does not exist/,
  },
  {
    name: 'a function the program does not have',
    input: () => stream(1, (w) => { root0(w); w.u8(Kind.staticFunction); w.varint(1); w.u8(0); w.varint(0); }),
    error: RestoreError, message: /function x is not in this program/,
  },
  {
    name: 'a closure whose environment is itself',
    input: () => stream(1, (w) => { root0(w); w.u8(Kind.closure); w.varint(0); w.varint(1); w.tagged(Tag.ref, 0); w.u8(0); w.varint(0); }),
    error: RestoreError, message: /allocation cycle/,
  },
  {
    name: 'a bigint that is not a decimal integer',
    input: () => ({ nodeCount: 0, strings: ['0x10'], nodes: Uint8Array.from([0, Tag.bigint, 0]), blob: new Uint8Array(0) }),
    error: RestoreError, message: /bigint text "0x10"/,
  },
  {
    name: 'an integer outside 32 bits',
    input: () => stream(0, (w) => { w.u8(Tag.int); w.varint(2 ** 40); }),
    error: RestoreError, message: /int value out of the 32-bit range/,
  },
  {
    name: 'a stream that stops mid-node',
    input: () => stream(1, (w) => { root0(w); w.u8(Kind.object); w.u8(Tag.null); }),
    error: RestoreError, message: /heap stream ends inside/,
  },
  {
    name: 'v2: a property list naming a shape before it is defined',
    input: () => stream2(1, (w) => { root0(w); w.u8(Kind.object); w.u8(Tag.null); w.u8(0); w.varint(5); noEphemerons(w); }),
    error: RestoreError, message: /node 0: shape 5 is not defined before its first use/,
  },
  {
    name: 'v2: an ephemeron entry for a node that is not a weak collection',
    input: () => stream2(1, (w) => { root0(w); emptyObject2(w); w.varint(1); w.varint(0); w.tagged(Tag.ref, 0); }),
    error: RestoreError, message: /ephemeron entry 0 names node 0, which is not a WeakMap or WeakSet/,
  },
  {
    name: 'v2: a registered symbol as a WeakSet member (never a valid weak key)',
    input: () => stream2(2, (w) => {
      root0(w);
      w.u8(Kind.weakset); w.u8(Tag.null); w.u8(0); w.varint(Shape.empty);
      w.u8(Kind.registeredSymbol); w.varint(0);
      w.varint(1); w.varint(0); w.tagged(Tag.ref, 1);
    }),
    error: RestoreError, message: /node 0: cannot add an entry to this weak collection/,
  },
  {
    name: 'v2: a stream without its ephemeron trailer',
    input: () => stream2(1, (w) => { root0(w); emptyObject2(w); }),
    error: RestoreError, message: /heap stream ends inside a varint/,
  },
  {
    name: 'v2: a bound function whose target is not a function',
    input: () => stream2(2, (w) => {
      root0(w);
      w.u8(Kind.bound); w.tagged(Tag.ref, 1); w.u8(Tag.undefined); w.varint(0); w.u8(0); w.varint(Shape.empty);
      emptyObject2(w);
      noEphemerons(w);
    }),
    error: RestoreError, message: /node 0: the target of a bound function is not a function/,
  },
  {
    name: 'a v2 node kind inside a version 1 stream',
    input: () => stream(1, (w) => { root0(w); w.u8(Kind.weakref); w.u8(Tag.null); w.u8(Tag.undefined); w.u8(0); w.varint(0); }),
    error: RestoreError, message: /node kind 22 does not exist in stream version 1/,
  },
  {
    name: 'a heap image that is not one',
    input: () => ({ nodeCount: 0, strings: [1], nodes: new Uint8Array(1), blob: new Uint8Array(0) }) as unknown as HeapImage,
    error: RestoreError, message: /string table entry 0 is not a string/,
  },
];

describe('malformed input is refused with a specific error', () => {
  test.each(refusals.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    const input = row.input();
    const ctx = { functions: programTable() };
    const load = () => (input instanceof Uint8Array
      ? readHeap(decodeCheckpoint(input, row.withKey ? { hmacKey: key } : undefined).heap, ctx)
      : readHeap(input, ctx));
    let error: unknown;
    try {
      load();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(row.error);
    if (row.code !== undefined) expect((error as FormatError).code).toBe(row.code);
    expect((error as Error).message).toMatch(row.message);
  });
});

// ── container and raw view ──────────────────────────────────────────────

describe('container', () => {
  test('a signed file loads with its key; readHeader is cheap and checks the magic', () => {
    const image = writeHeap({ n: 1 }, { functions: programTable() });
    const file = encodeCheckpoint({ ...header, custom: { frames: 2 } }, image, { hmacKey: key });
    expect(readHeader(file).custom).toEqual({ frames: 2 });
    expect(readHeap(decodeCheckpoint(file, { hmacKey: key }).heap, { functions: programTable() })).toEqual({ n: 1 });
    expect(() => readHeader(new Uint8Array(32))).toThrow(FormatError);
  });

  test('a header missing a field is refused', () => {
    const bad = { ...header, program: { entry: 'main.ts' } } as unknown as CheckpointHeader;
    const file = encodeCheckpoint(bad, writeHeap(1, { functions: programTable() }));
    expect(() => decodeCheckpoint(file)).toThrow(/program.fingerprint should be a string/);
  });

  test('the blob starts 8-byte aligned and holds little-endian bytes', () => {
    const f = new Float64Array([1]);
    const image = writeHeap(f, { functions: programTable() });
    expect(Array.from(flatImage(image).blob)).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
  });

  test('a large ArrayBuffer is written from its own memory, small ones packed, shared ones copied', () => {
    const big = new Float64Array(10_001).map((_, i) => i / 3); // 80 008 bytes: its own part
    const odd = new Uint8Array(100_003).map((_, i) => i & 0xff); // not a multiple of 8: padded
    const small = [new Int32Array([1, -2, 3]), new Uint8Array([7])];
    const shared = new Int16Array(new SharedArrayBuffer(70_000)).fill(-5);
    const value = { big, small, odd, shared, alias: new DataView(big.buffer, 8, 16) };
    const image = writeHeap(value, { functions: programTable() });
    const blob = image.blob as readonly Uint8Array[];
    expect(blob.some((part) => part.buffer === big.buffer)).toBe(true);
    expect(blob.some((part) => part.buffer === odd.buffer)).toBe(true);
    expect(blob.some((part) => part.buffer === shared.buffer)).toBe(false);
    expect(blob.reduce((n, part) => n + part.length, 0) % 8).toBe(0);
    // what the file holds is what the parts held at the time of the write
    const file = encodeCheckpoint(header, image);
    // a hash without the parts methods is given one concatenated copy: the same file
    const wholeHash = { sha256: portableHash.sha256, hmacSha256: portableHash.hmacSha256 };
    const join = (parts: Uint8Array[]) => Buffer.concat(parts);
    expect(join(encodeCheckpointParts(header, image, { hmacKey: key, hash: wholeHash }))).toEqual(join(encodeCheckpointParts(header, image, { hmacKey: key })));
    const parts = encodeCheckpointParts(header, image);
    big[0] = 99;
    const back = readHeap(decodeCheckpoint(file).heap, { functions: programTable() }) as typeof value;
    expect(back.big[0]).toBe(0);
    expect(Array.from(back.big.subarray(1))).toEqual(Array.from(big.subarray(1)));
    expect(Array.from(back.odd)).toEqual(Array.from(odd));
    expect(back.small.map((a) => Array.from(a))).toEqual([[1, -2, 3], [7]]);
    expect(back.shared.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(back.shared)).toEqual(Array.from(shared));
    expect(back.alias.buffer).toBe(back.big.buffer);
    // the parts are the program's memory: written after a change, the file no longer matches its hash
    expect(() => decodeCheckpoint(join(parts))).toThrow(/does not match its contents/);
  });

  test("Node's Buffer pool: only the bytes under the Buffers held are saved, at their places; a pool the program holds itself is saved whole", () => {
    const dropped = Buffer.from('a secret the program let go');
    const kept = Buffer.from('kept');
    const part = kept.subarray(1, 3);
    const other = Buffer.from('other');
    expect(kept.buffer).toBe(dropped.buffer); // cut from one pool (Node's Buffer.poolSize arena)
    const pooledView = pooledBufferTest();
    const write = (value: unknown) => writeHeap(value, { functions: programTable(), pooledView });
    const saved = flatImage(write({ kept, part, other })).blob;
    expect(Buffer.from(saved).includes('secret')).toBe(false);
    const back = readHeap(decodeCheckpoint(encodeCheckpoint(header, write({ kept, part, other }))).heap, { functions: programTable() }) as { kept: Buffer; part: Buffer; other: Buffer };
    expect([back.kept.toString(), back.part.toString(), back.other.toString()]).toEqual(['kept', 'ep', 'other']);
    expect([back.kept.buffer.byteLength, back.kept.byteOffset, back.part.buffer === back.kept.buffer, back.other.buffer === back.kept.buffer]).toEqual([Buffer.poolSize, kept.byteOffset, true, kept.buffer === other.buffer]);
    back.part[0] = 0x45;
    expect(back.kept.toString()).toBe('kEpt');
    expect(Object.getPrototypeOf(back.kept)).toBe(Buffer.prototype);
    // held as an ArrayBuffer, through a DataView or a plain typed array: the program's data, whole
    for (const holder of [{ kept, pool: kept.buffer }, { kept, view: new DataView(kept.buffer) }, { kept, bytes: new Uint8Array(kept.buffer, 0, 1) }]) {
      expect(Buffer.from(flatImage(write(holder)).blob).includes('secret')).toBe(true);
    }
  });

  test("Node's hash (node:crypto from 8 KB, the portable one below) gives the portable hash's digests", () => {
    for (const size of [0, 100, 8 * 1024 - 1, 8 * 1024, 70_001]) {
      const bytes = new Uint8Array(size).map((_, i) => (i * 31) & 0xff);
      const parts = [bytes.subarray(0, size >> 1), bytes.subarray(size >> 1)];
      expect(Buffer.from(nodeHash.sha256Parts!(parts))).toEqual(Buffer.from(portableHash.sha256(bytes)));
      expect(Buffer.from(nodeHash.hmacSha256Parts!(key, parts))).toEqual(Buffer.from(portableHash.hmacSha256(key, bytes)));
    }
  });

  test('a file read in pieces: large buffers land in their own ArrayBuffers, every check still holds', () => {
    const big = new Float64Array(200_000).map((_, i) => i * 1.5); // a 1.6 MB blob: read in pieces
    const mid = new Uint16Array(40_000).map((_, i) => i); // 80 000 bytes: its own buffer too
    const small = new Int8Array([1, -1]);
    const growable = new (ArrayBuffer as any)(70_000, { maxByteLength: 80_000 }) as ArrayBuffer; // resizable: copied
    new Uint8Array(growable).fill(9);
    const value = { big, mid, small, growable, alias: new Float32Array(big.buffer, 16, 2) };
    const file = new Uint8Array(encodeCheckpoint(header, writeHeap(value, { functions: programTable() }), { hmacKey: key }));
    const reads: number[] = [];
    let closed = 0;
    const source = (bytes: Uint8Array): ByteSource => ({
      size: bytes.length,
      read(into, position) {
        reads.push(into.length);
        into.set(bytes.subarray(position, position + into.length));
      },
      close: () => void closed++,
    });
    const decoded = decodeCheckpoint(source(file), { hmacKey: key });
    expect(closed).toBe(1);
    expect(reads).toContain(big.byteLength);
    expect(reads).toContain(mid.byteLength);
    expect([...decoded.heap.ownBuffers!.values()].map((b) => b.byteLength).sort((a, b) => a - b)).toEqual([mid.byteLength, big.byteLength]);
    const back = readHeap(decoded.heap, { functions: programTable() }) as typeof value;
    expect(decoded.heap.ownBuffers!.size).toBe(0); // each given to its node
    expect(Array.from(back.big)).toEqual(Array.from(big));
    expect(Array.from(back.mid)).toEqual(Array.from(mid));
    expect(Array.from(back.small)).toEqual([1, -1]);
    expect((back.growable as any).resizable).toBe(true);
    expect(new Uint8Array(back.growable)[69_999]).toBe(9);
    expect(back.alias.buffer).toBe(back.big.buffer);
    expect(readHeader(source(file)).program.entry).toBe('main.ts');
    // the same refusals as a file read whole: a changed byte inside a buffer read apart, a missing key, a short file
    const damaged = file.slice();
    damaged[damaged.length - 200_000] ^= 1;
    expect(() => decodeCheckpoint(source(damaged), { hmacKey: key })).toThrow(/does not match its contents/);
    expect(() => decodeCheckpoint(source(file), { hmacKey: new Uint8Array([7]) })).toThrow(/signature is invalid/);
    expect(() => decodeCheckpoint(source(file.subarray(0, file.length - 5)))).toThrow(/truncated/);
  });
});

describe('weak entries, the construct hook', () => {
  test('a WeakMap entry whose key is unreachable is not written', () => {
    const kept = { k: 1 };
    const wm = new WeakMap<object, string>([[kept, 'kept'], [{ k: 2 }, 'dropped']]);
    const image = writeHeap({ wm, kept }, { functions: programTable() });
    const nodes = decodeNodes(image).nodes;
    const at = nodes.findIndex((n) => n.kind === 'weakmap');
    const weak = nodes[at]!;
    expect(weak.kind === 'weakmap' && weak.entries.length).toBe(1);
    expect(image.strings).not.toContain('dropped');
    expect(describeHeap(image).render(at)).toBe('WeakMap(1) {{…} => "kept"}');
  });

  test('construct(prototype) makes instances of program classes; other objects are untouched', () => {
    const made: object[] = [];
    const ctx: HeapContext = {
      functions: programTable(),
      construct: (proto) => {
        if (proto !== Point.prototype) return undefined;
        const p = Reflect.construct(Point, [0, 0]) as object;
        made.push(p);
        return p;
      },
    };
    const r = roundtrip({ p: new Point(3, 4), q: new Point3(1, 1), plain: { a: 1 } }, ctx) as any;
    expect(made).toEqual([r.p]);
    expect(r.p.x).toBe(3);
    expect(r.p.norm()).toBe(5);
    expect(r.q).toBeInstanceOf(Point3);
    expect(Object.getPrototypeOf(r.plain)).toBe(Object.prototype);
  });

  test('an object the construct hook made keeps its own properties in the saved order, and stays a fast object', () => {
    // V8 turns an object into a dictionary when a property other than its
    // newest is deleted; emptying what blank construction made must not.
    setFlagsFromString('--allow-natives-syntax');
    const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
    const ctx: HeapContext = { functions: programTable(), construct: (proto) => (proto === Point.prototype ? (Reflect.construct(Point, [0, 0]) as object) : undefined) };
    const saved = new Point(3, 4);
    Object.assign(saved, { label: 'p' });
    const r = roundtrip({ p: saved }, ctx) as { p: Point & { label: string } };
    expect(Object.keys(r.p)).toEqual(['x', 'y', 'label']);
    expect(r.p.norm()).toBe(5);
    expect(hasFastProperties(r.p)).toBe(true);
  });

  test('objects of one shape write their keys once', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ id: i, label: 'x' }));
    const image = writeHeap(many, { functions: programTable() });
    // per object: kind, proto ref (2), integrity, shape number, id (≤ 3), label (2); its reference in the array (≤ 3)
    expect(image.nodes.length).toBeLessThan(1000 * 14 + 100);
    expect(image.strings.filter((s) => s === 'label')).toHaveLength(1);
  });
});

describe('describeHeap renders nodes without the program', () => {
  test('types, counts and short renderings', () => {
    const image = writeHeap(
      { p: new Point(1, 2), list: [1, 2, 3], m: new Map([['k', 1]]), f: helper, big: new Float64Array(4), when: new Date(0), s: Symbol.for('s') },
      { functions: programTable() },
    );
    const d = describeHeap(decodeCheckpoint(encodeCheckpoint(header, image)).heap);
    const rendered = d.nodes.map((_, i) => d.render(i));
    expect(rendered).toContain('Point {x: 1, y: 2}');
    expect(rendered).toContain('Array(3) [1, 2, 3]');
    expect(rendered).toContain('Map(1) {"k" => 1}');
    expect(rendered).toContain('fn main.ts#helper');
    expect(rendered).toContain('Float64Array(4)');
    expect(rendered).toContain('Date 1970-01-01T00:00:00.000Z');
    expect(rendered).toContain('Symbol.for("s")');
    expect(d.root).toBe('{…}');
    expect(d.byType.Point!.count).toBe(1);
    expect(d.byType.ArrayBuffer!.bytes).toBeGreaterThanOrEqual(32);
    expect(decodeNodes(image).nodes[0]!.kind).toBe('object');
  });
});

describe('byte order (big-endian hosts)', () => {
  test('views swap per element, the widest view wins where views overlap', () => {
    const bytes = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // a Float64Array over bytes 0-7 and a Uint16Array over bytes 4-9
    swapViews(bytes, [{ type: 4, byteOffset: 4, length: 3 }, { type: 8, byteOffset: 0, length: 1 }]);
    expect(Array.from(bytes)).toEqual([8, 7, 6, 5, 4, 3, 2, 1, 10, 9]);
  });

  test('swapping twice is the identity (writer on BE + reader on BE)', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i);
    const views = [{ type: 5, byteOffset: 0, length: 8 }, { type: 3, byteOffset: 6, length: 5 }];
    swapViews(bytes, views);
    swapViews(bytes, views);
    expect(Array.from(bytes)).toEqual(Array.from({ length: 32 }, (_, i) => i));
  });

  test('zigzag keeps small negative numbers short', () => {
    expect(zigzag(-1)).toBe(1);
    expect(zigzag(1)).toBe(2);
    expect(zigzag(-(2 ** 31))).toBe(2 ** 32 - 1);
  });
});
