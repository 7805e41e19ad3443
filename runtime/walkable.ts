// Which receivers the runtime may run a built-in's loop for itself
// (array-callbacks.ts, walks/). Its loop reads what the engine's reads, in
// the same order, for an ordinary array; a Proxy's traps would see the
// checks too, and an array whose `constructor` is not Array makes its
// results through its species. Takes the host's Proxy test where it has one
// (Node, Bun, Deno: `util.types.isProxy`); without a host (a built program
// run by plain node) the same test where the platform offers its built-in
// modules to feature detection (`process.getBuiltinModule`), an import of
// nothing; elsewhere (QuickJS, jsc, gjs, browsers) the program's own proxies
// are known by the record proxies.ts keeps of them, and only a proxy made by
// code we do not instrument is taken for its target. Guarantees that
// `isWalkableArray`, asked about a value `isProxyValue` has ruled out (the
// one entry, `arrayCall`, asks that first), is true only for an Array of
// this realm, with Array.prototype, whose species is Array.

import { proxyParts } from './proxies.js';

let proxyTest: ((value: unknown) => boolean) | undefined;

export function useProxyTest(test: ((value: unknown) => boolean) | undefined): void {
  proxyTest = test ?? builtinProxyTest();
}

function builtinProxyTest(): ((value: unknown) => boolean) | undefined {
  type Util = { types?: { isProxy?: (value: unknown) => boolean } };
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return (process?.getBuiltinModule?.('node:util') as Util | undefined)?.types?.isProxy;
  } catch {
    return undefined;
  }
}

export function isProxyValue(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return proxyTest !== undefined ? proxyTest(value) : proxyParts(value) !== undefined;
}

export function isWalkableArray(o: unknown): o is unknown[] {
  return Array.isArray(o) && Object.getPrototypeOf(o) === Array.prototype && (o as { constructor?: unknown }).constructor === Array;
}
