// State that lives on the program's static functions and classes: static
// fields (`static nextId = 1`, later `Entity.nextId++`), properties a
// program hangs on its top-level functions (`memo.cache = new Map()`), and
// their prototypes' (`Point.prototype.len = function …`, or a prototype
// replaced: `Dog.prototype = Object.create(Animal.prototype)`), and the
// [[Prototype]] the program gave either (`Object.setPrototypeOf(Sub.prototype,
// Base.prototype)`, `Object.setPrototypeOf(Sub, Base)`).
// Loading the program re-creates these functions, so a checkpoint saves only
// their own data properties and restore writes them back onto the freshly
// loaded functions; identity (`instanceof`, shared statics) is the loaded one.

import { functions } from './functions.js';

/**
 * [function or prototype, keys, values, parent?]: one row per object with
 * saved properties, or whose [[Prototype]] the program changed (`parent`,
 * present only then).
 */
export type StaticRow = [object, string[], unknown[]] | [object, string[], unknown[], object | null];
export type StaticState = StaticRow[];

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
    // The prototype: replaced by the program (ES5 inheritance), or the one
    // loading made, with what the program added to it (`F.prototype.m = …`,
    // enumerable, unlike a class's methods).
    const shape = functions.loadedShape(fn);
    const loaded = shape?.prototype;
    const d = Object.getOwnPropertyDescriptor(fn, 'prototype');
    if (loaded !== undefined && d !== undefined && 'value' in d && d.value !== loaded && d.writable) {
      keys.push('prototype');
      values.push(d.value);
    } else if (loaded !== undefined) {
      const [addedKeys, addedValues] = addedProperties(loaded);
      pushRow(out, loaded, addedKeys, addedValues, shape!.prototypeParent);
    }
    pushRow(out, fn, keys, values, shape?.parent);
  }
  return out;
}

/** A row for `target` if it has saved properties or a [[Prototype]] other than `loadedParent`. */
function pushRow(out: StaticState, target: object, keys: string[], values: unknown[], loadedParent: object | null | undefined): void {
  const parent = Object.getPrototypeOf(target) as object | null;
  if (loadedParent !== undefined && parent !== loadedParent) out.push([target, keys, values, parent]);
  else if (keys.length > 0) out.push([target, keys, values]);
}

function addedProperties(o: object): [string[], unknown[]] {
  const keys: string[] = [];
  const values: unknown[] = [];
  for (const key of Object.keys(o)) {
    const d = Object.getOwnPropertyDescriptor(o, key)!;
    if (!('value' in d) || !d.writable) continue;
    keys.push(key);
    values.push(d.value);
  }
  return [keys, values];
}

export function restoreStatics(state: StaticState | undefined): void {
  for (const row of state ?? []) {
    const [target, keys, values] = row;
    if (row.length > 3) Object.setPrototypeOf(target, row[3] as object | null);
    keys.forEach((key, i) => {
      const d = Object.getOwnPropertyDescriptor(target, key);
      if (d === undefined) Object.defineProperty(target, key, { value: values[i], writable: true, enumerable: true, configurable: true });
      else if ('value' in d && d.writable) (target as Record<string, unknown>)[key] = values[i];
    });
  }
}
