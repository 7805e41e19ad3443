// Symbols as keys of weak collections (ES2023) where the engine refuses
// them: gjs 1.74's SpiderMonkey (102) throws for a symbol WeakMap key or
// WeakSet member, so a checkpoint taken on Node holding one could not
// restart there (exit 3, "cannot add an entry to this weak
// collection"), and a program doing `weak.set(symbol, v)` after the restart
// threw. Follows the rule of later-builtins.ts: a fresh run records whether
// its engine took a symbol (`WEAK_SYMBOL_KEYS` in the checkpoint's list), and
// a restart gives the feature only to a program that had it. Takes the
// engine's WeakMap/WeakSet; guarantees then that their prototype methods (and
// the heap reader's captured `intrinsic` ones, which restore the entries)
// take a symbol that is not registered. A symbol entry lives in a side table
// per collection, itself weakly keyed by the collection: the collection
// still goes with its last reference, the symbol is held as long as the
// collection is (nothing can tell: on such an engine WeakRef and
// FinalizationRegistry refuse symbols too, and those are not absorbed). A
// registered symbol (`Symbol.for`) goes to the engine's method, which
// refuses it as the standard says. Installed before the runtime records the
// pristine built-ins, so the methods count as the engine's. Imports nothing
// from a platform.

import { intrinsic } from './heap/intrinsics.js';

type Method = (this: object, ...args: unknown[]) => unknown;

/** The name in a checkpoint's list of later built-ins that says the program's engine took symbols as weak keys. */
export const WEAK_SYMBOL_KEYS = 'WeakMap.symbolKeys';

/** True when a fresh symbol may be a WeakMap key here (ES2023 engines). */
function symbolKeysAccepted(): boolean {
  try {
    new WeakMap<object, unknown>().set(Symbol('probe') as unknown as object, 1);
    return true;
  } catch {
    return false;
  }
}

/** A symbol the standard lets a weak collection hold: any but a registered one. */
function weakSymbol(key: unknown): key is symbol {
  return typeof key === 'symbol' && Symbol.keyFor(key) === undefined;
}

/** `[WEAK_SYMBOL_KEYS]` where this engine takes symbols as weak keys: asked before anything is provided. */
export function nativeWeakSymbolKeys(): string[] {
  return symbolKeysAccepted() ? [WEAK_SYMBOL_KEYS] : [];
}

/** Lets WeakMap and WeakSet take symbols where the engine refuses them and the program had them (`had`: a restart's list of later built-ins; undefined, a checkpoint without one: yes). */
export function provideWeakSymbolKeys(had: readonly string[] | undefined): void {
  if ((had !== undefined && !had.includes(WEAK_SYMBOL_KEYS)) || symbolKeysAccepted()) return;
  const mapSymbols = new WeakMap<object, Map<symbol, unknown>>();
  const setSymbols = new WeakMap<object, Set<symbol>>();
  const mapProto = WeakMap.prototype as unknown as Record<string, Method>;
  const setProto = WeakSet.prototype as unknown as Record<string, Method>;
  // A symbol key never reaches the engine's method, so its brand check (a
  // TypeError for a `this` that is no such collection) is asked of its `has`
  // with a plain object.
  const probe = {};
  const patch = <T = Method>(proto: Record<string, Method>, name: string, onSymbol: (self: object, key: symbol, args: unknown[]) => unknown): T => {
    const native = proto[name]!;
    const nativeHas = proto.has!;
    const replaced = {
      [name](this: object, ...args: unknown[]): unknown {
        const key = args[0];
        if (!weakSymbol(key)) return Reflect.apply(native, this, args);
        Reflect.apply(nativeHas, this, [probe]);
        return onSymbol(this, key, args);
      },
    }[name]!;
    Object.defineProperty(replaced, 'length', { value: native.length });
    Object.defineProperty(proto, name, { value: replaced, writable: true, configurable: true, enumerable: false });
    return replaced as unknown as T;
  };
  const entries = <T>(table: WeakMap<object, T>, self: object, make: () => T): T => {
    let found = table.get(self);
    if (found === undefined) table.set(self, (found = make()));
    return found;
  };
  patch(mapProto, 'delete', (self, key) => mapSymbols.get(self)?.delete(key) ?? false);
  intrinsic.weakMapGet = patch(mapProto, 'get', (self, key) => mapSymbols.get(self)?.get(key));
  intrinsic.weakMapHas = patch(mapProto, 'has', (self, key) => mapSymbols.get(self)?.has(key) ?? false);
  intrinsic.weakMapSet = patch(mapProto, 'set', (self, key, args) => {
    entries(mapSymbols, self, () => new Map()).set(key, args[1]);
    return self;
  });
  patch(setProto, 'delete', (self, key) => setSymbols.get(self)?.delete(key) ?? false);
  intrinsic.weakSetHas = patch(setProto, 'has', (self, key) => setSymbols.get(self)?.has(key) ?? false);
  intrinsic.weakSetAdd = patch(setProto, 'add', (self, key) => {
    entries(setSymbols, self, () => new Set()).add(key);
    return self;
  });
}
