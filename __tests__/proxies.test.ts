// The program's proxies (runtime/proxies.ts) behave as the engine's: the
// traps the program's handler has run, the ones it lacks are the engine's
// own default (no trap, so no invariant checks calling through the target
// again), a handler may gain or lose traps later, and a trap that is not a
// function throws. The oracle checks that such proxies are saved
// (fixtures/proxy-handlers, proxy-arrays).
import { ProgramProxy } from '../runtime/proxies.js';

/** An engine proxy at the bottom of a chain, counting what reaches it. */
function countingBottom(counts: Record<string, number>): object {
  const count = (name: string): void => void (counts[name] = (counts[name] ?? 0) + 1);
  return new Proxy({ x: 1 }, {
    get: (t, k, r) => (count('get'), Reflect.get(t, k, r)),
    getOwnPropertyDescriptor: (t, k) => (count('getOwnPropertyDescriptor'), Reflect.getOwnPropertyDescriptor(t, k)),
    isExtensible: (t) => (count('isExtensible'), Reflect.isExtensible(t)),
    has: (t, k) => (count('has'), Reflect.has(t, k)),
  });
}

/** `depth` proxies over the bottom, each with a handler of only a `get` trap, made by `P`; what one read and one `in` reach the bottom with. */
function nestedReads(P: ProxyConstructor, depth: number): Record<string, number> {
  const counts: Record<string, number> = {};
  const handler = { get: (t: object, k: PropertyKey, r: unknown) => Reflect.get(t, k, r) };
  let p = countingBottom(counts);
  for (let i = 0; i < depth; i++) p = new P(p, handler);
  const before = { ...counts };
  void (p as { x: number }).x;
  void ('x' in p);
  for (const [k, v] of Object.entries(before)) counts[k]! -= v;
  return counts;
}

test('nested proxies reach their target as the engine\'s do: no trap the handler lacks, no extra invariant checks', () => {
  for (const depth of [1, 3, 8]) expect(nestedReads(ProgramProxy, depth)).toEqual(nestedReads(Proxy, depth));
});

test('a handler\'s traps are read at each operation: added, removed, or not a function', () => {
  const handler: ProxyHandler<{ a: number }> = {};
  const p = new ProgramProxy({ a: 1 }, handler);
  expect(p.a).toBe(1);
  handler.get = () => 42;
  expect(p.a).toBe(42);
  delete handler.get;
  expect(p.a).toBe(1);
  (handler as Record<string, unknown>).has = 'nope';
  expect(() => 'a' in p).toThrow(TypeError);
  const seen: unknown[] = [];
  const withThis = { get(this: unknown) { seen.push(this); return 0; } };
  void new ProgramProxy({ a: 1 }, withThis).a;
  expect(seen).toEqual([withThis]);
});
