// State that lives on the program's static functions and classes: static
// fields (`static nextId = 1`, later `Entity.nextId++`) and properties a
// program hangs on its top-level functions (`memo.cache = new Map()`).
// Loading the program re-creates these functions, so a checkpoint saves only
// their own data properties and restore writes them back onto the freshly
// loaded functions; identity (`instanceof`, shared statics) is the loaded one.

import { functions } from './functions.js';

/** [function, keys, values]: one row per function with saved properties. */
export type StaticState = [Function, string[], unknown[]][];

/** Own properties every function has, which loading sets up itself. */
const BUILT_IN = new Set(['length', 'name', 'prototype', 'arguments', 'caller']);

export function captureStatics(): StaticState {
  const out: StaticState = [];
  for (const fn of functions.holders()) {
    const keys: string[] = [];
    const values: unknown[] = [];
    for (const key of Object.getOwnPropertyNames(fn)) {
      if (BUILT_IN.has(key)) continue;
      const d = Object.getOwnPropertyDescriptor(fn, key)!;
      // Accessors and read-only values come from the definition itself.
      if (!('value' in d) || !d.writable) continue;
      keys.push(key);
      values.push(d.value);
    }
    if (keys.length > 0) out.push([fn, keys, values]);
  }
  return out;
}

export function restoreStatics(state: StaticState | undefined): void {
  for (const [fn, keys, values] of state ?? []) {
    keys.forEach((key, i) => {
      const d = Object.getOwnPropertyDescriptor(fn, key);
      if (d === undefined) Object.defineProperty(fn, key, { value: values[i], writable: true, enumerable: true, configurable: true });
      else if ('value' in d && d.writable) (fn as unknown as Record<string, unknown>)[key] = values[i];
    });
  }
}
