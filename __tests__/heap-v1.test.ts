// Files of format version 1 stay readable (docs/FORMAT.md §7: a build reads
// every version it ever wrote). The checkpoint below was written by the
// version 1 writer (commit 24771ed) from this value:
//
//   const sym = Symbol('u'); const shared = { n: 1 };
//   const o = { z: 1, a: 'two', 10: 'ten', neg: -0, big: -(2n ** 70n), f: 1.5, shared, again: shared,
//               [sym]: sym, [Symbol.for('k')]: Symbol.iterator };   // + hidden (non-enumerable), self
//   const arr = [1, , 'x', [shared]]; arr.extra = true;
//   buffer(16) with Float32Array(buf, 4, 2) [0.5, 0] and DataView(buf, 12, 4) int16 -2
//   { o, arr, map: Map {shared => 'm', 'k' => arr}, set: Set {1, shared}, date: Date(0), bad: Date(NaN),
//     re: /a+/gy (lastIndex 3), err: RangeError('bad', { cause: shared }), f32, dv,
//     frozen: freeze({ q: 1 }), nul: null-prototype { p: 2 }, boxed: [Object(1), Object('s'), Object(2n)],
//     max: Math.max, wm: new WeakMap() }

import { decodeCheckpoint, describeHeap, formatVersionOf } from '../runtime/format/index.js';
import type { FunctionTable } from '../runtime/functions.js';
import { readHeap } from '../runtime/heap/index.js';

const V1_FILE = 'iUlOVFJPU1BFQ1QNChoKAAEAAAAAAAAA5gAAAAAAAACIAgAAAAAAAJMBAAAAAAAAEAAAAAAAAAB7ImZvcm1hdFZlcnNpb24iOjEsInByb2dyYW0iOnsiZmluZ2VycHJpbnQiOiJzaGEyNTY6djEiLCJlbnRyeSI6Im1haW4udHMiLCJkaXIiOiIvYXBwIn0sImNyZWF0ZWRBdCI6IjIwMjUtMDEtMDFUMDA6MDA6MDAuMDAwWiIsInBsYXRmb3JtIjp7ImVuZ2luZSI6InY4IiwicnVudGltZSI6Im5vZGUgMjAiLCJvcyI6ImxpbnV4IiwiY3B1IjoieDY0IiwiZW5kaWFubmVzcyI6IkxFIn0sInBsdWdpbnMiOltdfQAAWyJvIiwiYXJyIiwibWFwIiwic2V0IiwiZGF0ZSIsImJhZCIsInJlIiwiZXJyIiwiZjMyIiwiZHYiLCJmcm96ZW4iLCJudWwiLCJib3hlZCIsIm1heCIsIndtIiwiT2JqZWN0LnByb3RvdHlwZSIsIjEwIiwieiIsImEiLCJuZWciLCJiaWciLCJmIiwic2hhcmVkIiwiYWdhaW4iLCJoaWRkZW4iLCJzZWxmIiwidGVuIiwidHdvIiwiLTExODA1OTE2MjA3MTc0MTEzMDM0MjQiLCJoIiwieCIsImV4dHJhIiwibSIsImsiLCJhKyIsImd5IiwibGFzdEluZGV4Iiwic3RhY2siLCJtZXNzYWdlIiwiY2F1c2UiLCJSYW5nZUVycm9yOiBiYWRcbiAgICBhdCBmaWxlOi8vL3RtcC9oZWFwYmVuY2gvbWt2MS5tanM6MTM6MTMiLCJxIiwicCIsIk1hdGgubWF4IiwibiIsInUiLCJpdGVyYXRvciIsIkFycmF5LnByb3RvdHlwZSIsIk1hcC5wcm90b3R5cGUiLCJTZXQucHJvdG90eXBlIiwiRGF0ZS5wcm90b3R5cGUiLCJSZWdFeHAucHJvdG90eXBlIiwiUmFuZ2VFcnJvci5wcm90b3R5cGUiLCJGbG9hdDMyQXJyYXkucHJvdG90eXBlIiwiRGF0YVZpZXcucHJvdG90eXBlIiwicyIsIjIiLCJXZWFrTWFwLnByb3RvdHlwZSIsIkFycmF5QnVmZmVyLnByb3RvdHlwZSIsIk51bWJlci5wcm90b3R5cGUiLCJTdHJpbmcucHJvdG90eXBlIiwiQmlnSW50LnByb3RvdHlwZSJdJwcAAQcBAA8HBgAHAgcGAQcDBwYCBwQHBgMHBQcGBAcGBwYFBwcHBgYHCAcGBwcJBwYIBwoHBgkHCwcGCgcMBwYLBw0HBgwHDgcGDQcPBwYOBxARDwEHAQAMBwYQBhoHBhEEAgcGEgYbBwYTBQAAAAAAAACABwYUCBwHBhUFAAAAAAAA+D8HBhYHEQcGFwcRAAYYBh0HBhkHAgcHEgcSBwcTBxQCBxUEBAQCCQYeBxYAAQcGHwMDBxcCBxEGIAYhBwMAAAQHGAIEAgcRAAAHBxkAAAAAAAAAAAAABwcZAAAAAAAA+H8AAAgHGiIjAAEBBiQEBgkHGwADBQYlBigFBiYGBQUGJwcRDQccBwcdBAIAAA4HHgcdDAQAAAEHAQMBAgYpBAIBAQABBwYqBAQCBxUDAwcfByAHIQAAESsFByIAAAEHAQABBwYsBAITBi0UIRUuES8CBxUBAQcRAAARMBExETIRMxE0ETULByMAEAAAABE2CgckBAIAAAoHJQY3AAAKByYIOAAAETkROhE7ETwRPQAAAAAAAAAAAAAAAD8AAAAA/v8AAMTzSouTuAun9KEnxaHVoqWyl6PRSwMJCtMHGOaCLC4G';

const noFunctions: FunctionTable = {
  staticId: () => undefined,
  staticFunction: () => undefined,
  closureOf: () => undefined,
  makeClosure: () => {
    throw new Error('no closures in this file');
  },
};

test('a version 1 checkpoint still loads, value for value', () => {
  const bytes = Uint8Array.from(Buffer.from(V1_FILE, 'base64'));
  expect(formatVersionOf(bytes)).toBe(1);
  const { header, heap } = decodeCheckpoint(bytes);
  expect(header.formatVersion).toBe(1);
  expect(heap.version).toBe(1);
  const r = readHeap(heap, { functions: noFunctions }) as any;
  expect(Reflect.ownKeys(r.o).slice(0, 9)).toEqual(['10', 'z', 'a', 'neg', 'big', 'f', 'shared', 'again', 'hidden']);
  expect(r.o.shared).toBe(r.o.again);
  expect(r.o.self).toBe(r.o);
  expect(Object.is(r.o.neg, -0)).toBe(true);
  expect(r.o.big).toBe(-(2n ** 70n));
  expect(Object.getOwnPropertyDescriptor(r.o, 'hidden')!.enumerable).toBe(false);
  const sym = Object.getOwnPropertySymbols(r.o).find((s) => Symbol.keyFor(s) === undefined)!;
  expect(sym.description).toBe('u');
  expect(r.o[sym]).toBe(sym);
  expect(r.o[Symbol.for('k')]).toBe(Symbol.iterator);
  expect(r.arr.length).toBe(4);
  expect(1 in r.arr).toBe(false);
  expect(r.arr.extra).toBe(true);
  expect(r.arr[3][0]).toBe(r.o.shared);
  expect(r.map.get(r.o.shared)).toBe('m');
  expect(r.map.get('k')).toBe(r.arr);
  expect(r.set.has(r.o.shared)).toBe(true);
  expect(r.date.getTime()).toBe(0);
  expect(r.bad.getTime()).toBeNaN();
  expect(r.re.flags).toBe('gy');
  expect(r.re.lastIndex).toBe(3);
  expect(r.err).toBeInstanceOf(RangeError);
  expect(r.err.cause).toBe(r.o.shared);
  expect(r.f32.buffer).toBe(r.dv.buffer);
  expect([...r.f32]).toEqual([0.5, 0]);
  expect(r.dv.getInt16(0, true)).toBe(-2);
  expect(Object.isFrozen(r.frozen)).toBe(true);
  expect(Object.getPrototypeOf(r.nul)).toBeNull();
  expect(r.boxed.map((b: object) => b.valueOf())).toEqual([1, 's', 2n]);
  expect(r.max).toBe(Math.max);
  expect(r.wm).toBeInstanceOf(WeakMap);
  expect(describeHeap(heap).render(0)).toMatch(/^\{o: \{…\}, arr: Array\(4\)/);
});
