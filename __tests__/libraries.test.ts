// The lower half (runtime/libraries.ts): values of uninstrumented modules are
// saved by specifier + export path and found again in a fresh copy of the
// module; primitive settings on exports are saved and set again.

import { describe, expect, test } from '@jest/globals';
import { Libraries } from '../runtime/libraries.js';

/** A stand-in for a library module, made afresh like a second import in a restarted process. */
function makeLibrary() {
  class Money {
    static precision = 20;
    static table = { unsaved: true };
    static templateSettings = { interpolate: /<%=([\s\S]+?)%>/g, variable: '' };
    static onError: ((e: unknown) => void) | undefined = undefined;
    static cache: object | undefined = undefined;
    constructor(public cents: number) {}
    plus(other: Money): Money {
      return new Money(this.cents + other.cents);
    }
  }
  const visit = Object.assign(() => 0, { BREAK: Symbol('break'), SKIP: Symbol('skip') });
  const helpers = { format: (m: Money) => `${m.cents / 100}`, nested: { deep: () => 1 } };
  return { default: Money, Money, helpers, visit, EMPTY: Symbol('empty'), version: '1.0' };
}

describe('library values by name', () => {
  const first = new Libraries();
  const lib1 = makeLibrary();
  first.register('money-lib', lib1);
  const second = new Libraries();
  const lib2 = makeLibrary();
  second.register('money-lib', lib2);

  const rows: [string, (l: ReturnType<typeof makeLibrary>) => object][] = [
    ['the default export (a class)', (l) => l.default],
    ["a class's prototype (what its instances point to)", (l) => l.Money.prototype],
    ['a method taken off the prototype', (l) => l.Money.prototype.plus],
    ['a function inside an exported object', (l) => l.helpers.format],
    ['a nested object', (l) => l.helpers.nested],
  ];
  test.each(rows)('%s is named in one process and found in the other', (_what, get) => {
    const path = first.pathOf(get(lib1));
    expect(path).toMatch(/^lib:\["money-lib",/);
    expect(second.resolve(path!)).toBe(get(lib2));
  });

  // (yaml's visit.BREAK: a visitor returns it, and the library compares it by identity)
  test.each([['an exported symbol', (l: ReturnType<typeof makeLibrary>) => l.EMPTY], ["a symbol on an export's property", (l: ReturnType<typeof makeLibrary>) => l.visit.BREAK]] as const)('%s the library made is named and found again', (_what, get) => {
    const path = first.pathOf(get(lib1));
    expect(path).toMatch(/^lib:\["money-lib",/);
    expect(second.resolve(path!)).toBe(get(lib2));
    expect(first.pathOf(Symbol.iterator)).toBeUndefined();
    expect(first.pathOf(Symbol.for('registered'))).toBeUndefined();
  });

  test('values not reachable from an export have no name', () => {
    expect(first.pathOf({})).toBeUndefined();
    expect(first.pathOf(() => 0)).toBeUndefined();
    expect(second.resolve('lib:["other-lib","x"]')).toBeUndefined();
    expect(second.resolve('not a library path')).toBeUndefined();
  });

  test('primitive settings on exports travel; objects do not', () => {
    lib1.Money.precision = 30;
    const saved = first.captureSettings();
    expect(saved).toContainEqual(['money-lib', 'default', 'precision', 30]);
    expect(saved.some((r) => r[2] === 'table')).toBe(false);
    second.restoreSettings(saved);
    expect(lib2.Money.precision).toBe(30);
  });

  test("settings one level down, and settings the program replaced by values of its own, travel; what the library made stays the fresh import's", () => {
    const a = new Libraries();
    const libA = makeLibrary();
    a.register('money-lib', libA);
    const b = new Libraries();
    const libB = makeLibrary();
    b.register('money-lib', libB);
    // (lodash's `_.templateSettings.interpolate = /{{([\s\S]+?)}}/g`, an error hook)
    const mustache = /{{([\s\S]+?)}}/g;
    const onError = (e: unknown) => void e;
    libA.Money.templateSettings.interpolate = mustache;
    libA.Money.templateSettings.variable = 'data';
    libA.Money.onError = onError;
    libA.Money.cache = new (class Cache {})(); // a library's own lazily made object
    const saved = a.captureSettings((fn) => fn === onError);
    expect(saved).toContainEqual(['money-lib', 'default', 'templateSettings', mustache, 'interpolate']);
    expect(saved).toContainEqual(['money-lib', 'default', 'templateSettings', 'data', 'variable']);
    expect(saved).toContainEqual(['money-lib', 'default', 'onError', onError]);
    expect(saved.some((r) => r[2] === 'cache' || r[2] === 'table')).toBe(false);
    b.restoreSettings(saved);
    expect(libB.Money.templateSettings.interpolate).toBe(mustache);
    expect(libB.Money.templateSettings.variable).toBe('data');
    expect(libB.Money.onError).toBe(onError);
    expect(libB.Money.cache).toBeUndefined();
    // the old rows (four entries) still restore
    const c = new Libraries();
    const libC = makeLibrary();
    c.register('money-lib', libC);
    c.restoreSettings([['money-lib', 'Money', 'precision', 12]]);
    expect(libC.Money.precision).toBe(12);
  });
});

describe('a library that exports a built-in', () => {
  test("the built-in's properties are not the library's settings (global-changes saves them)", () => {
    const libraries = new Libraries();
    const lib = { M: Math, JSONish: { parse: JSON.parse }, options: { depth: 1 } };
    libraries.register('re-exports', lib);
    const random = Math.random;
    const mine = () => 0.5;
    try {
      Math.random = mine;
      lib.JSONish.parse = mine as never;
      lib.options.depth = 2;
      const saved = libraries.captureSettings((fn) => fn === mine);
      expect(saved.some((r) => r[1] === 'M')).toBe(false);
      expect(saved).toContainEqual(['re-exports', 'JSONish', 'parse', mine]);
      expect(saved).toContainEqual(['re-exports', 'options', 'depth', 2]);
    } finally {
      Math.random = random;
    }
  });
});

describe("a host's own module object (Host.libraries)", () => {
  test('is indexed and searched without calling its getters (Node 24 warns when fs.F_OK is read)', () => {
    let reads = 0;
    class Stats {}
    const fsLike = { Stats, constants: { F_OK: 0 } };
    Object.defineProperty(fsLike, 'F_OK', { get: () => ++reads, enumerable: true });
    Object.defineProperty(fsLike, 'promises', { get: () => (reads++, { stat() {} }), enumerable: true });
    const libs = new Libraries();
    libs.register('host:node:fs', fsLike, { getters: false });
    const path = libs.pathOf(Stats.prototype);
    expect(path).toBeDefined();
    expect(libs.resolve(path!)).toBe(Stats.prototype);
    expect(libs.resolve('lib:["host:node:fs","promises"]')).toBeUndefined();
    libs.captureSettings(() => true);
    expect(reads).toBe(0);
  });
});
