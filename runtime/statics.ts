// State that lives on the program's static functions and classes: static
// fields (`static nextId = 1`, later `Entity.nextId++`), properties a
// program hangs on its top-level functions (`memo.cache = new Map()`), and
// their prototypes' (`Point.prototype.len = function …`, or a prototype
// replaced: `Dog.prototype = Object.create(Animal.prototype)`), and the
// [[Prototype]] the program gave either (`Object.setPrototypeOf(Sub.prototype,
// Base.prototype)`, `Object.setPrototypeOf(Sub, Base)`).
// Loading the program re-creates these functions, so a checkpoint saves only
// their own data properties (string- and symbol-keyed: `fn[promisify.custom]`) and restore writes them back onto the freshly
// loaded functions; identity (`instanceof`, shared statics) is the loaded one.
// What the program changed of their shape is saved too, compared with how
// loading made them (functions.ts LoadedShape): a property's attributes
// (`Object.defineProperty(K, 'x', { writable: false })`, a read-only
// property added), properties deleted (`delete K.prototype.constructor`),
// and `Object.freeze`/`seal`/`preventExtensions`.

import { attributeBits, CONFIGURABLE, ENUMERABLE, functions, stateKeys, WRITABLE } from './functions.js';

type Key = string | symbol;

/** What the program changed of an object's shape: [key, attribute bits] pairs, deleted keys, integrity (see `integrityOf`). */
export interface ShapeChanges {
  attributes?: [Key, number][];
  deleted?: Key[];
  integrity?: number;
}

/**
 * [function or prototype, keys, values, parent?, changes?]: one row per
 * object with saved properties, a [[Prototype]] the program changed
 * (`parent`, undefined when unchanged) or a changed shape.
 */
export type StaticRow = [object, Key[], unknown[]] | [object, Key[], unknown[], object | null | undefined] | [object, Key[], unknown[], object | null | undefined, ShapeChanges];
export type StaticState = StaticRow[];

const NOT_EXTENSIBLE = 1;
const SEALED = 2;
const FROZEN = 3;

/** Own properties every function has, which loading sets up itself. */
const BUILT_IN = new Set<Key>(['length', 'name', 'prototype', 'arguments', 'caller']);

export function captureStatics(): StaticState {
  const out: StaticState = [];
  for (const fn of functions.holders()) {
    const keys: Key[] = [];
    const values: unknown[] = [];
    const shape = functions.loadedShape(fn);
    for (const key of stateKeys(fn)) {
      const d = Object.getOwnPropertyDescriptor(fn, key)!;
      if (BUILT_IN.has(key)) {
        // `name` and `length` redefined keep their attributes (`Object.defineProperty(f, 'name', { value })`): only the value tells.
        if ((key !== 'name' && key !== 'length') || shape === undefined || d.value === shape[key as 'name' | 'length']) continue;
      } else if (!('value' in d) || (!d.writable && shape?.attributes.get(key) === attributeBits(d))) {
        // Accessors and read-only values come from the definition itself, unless the program made them so.
        continue;
      }
      keys.push(key);
      values.push(d.value);
    }
    // The prototype: replaced by the program (ES5 inheritance), or the one
    // loading made, with what the program added to it (`F.prototype.m = …`,
    // enumerable, unlike a class's methods).
    const loaded = shape?.prototype;
    const d = Object.getOwnPropertyDescriptor(fn, 'prototype');
    if (loaded !== undefined && d !== undefined && 'value' in d && d.value !== loaded && d.writable) {
      keys.push('prototype');
      values.push(d.value);
    } else if (loaded !== undefined) {
      const [addedKeys, addedValues] = addedProperties(loaded, shape!.prototypeAttributes!);
      pushRow(out, loaded, addedKeys, addedValues, shape!.prototypeParent, shapeChanges(loaded, shape!.prototypeAttributes!, addedKeys));
    }
    pushRow(out, fn, keys, values, shape?.parent, shape && shapeChanges(fn, shape.attributes, keys));
  }
  return out;
}

/** A row for `target` if it has saved properties, a [[Prototype]] other than `loadedParent`, or shape changes. */
function pushRow(out: StaticState, target: object, keys: Key[], values: unknown[], loadedParent: object | null | undefined, changes: ShapeChanges | undefined): void {
  const parent = Object.getPrototypeOf(target) as object | null;
  const reparented = loadedParent !== undefined && parent !== loadedParent;
  if (changes !== undefined) out.push([target, keys, values, reparented ? parent : undefined, changes]);
  else if (reparented) out.push([target, keys, values, parent]);
  else if (keys.length > 0) out.push([target, keys, values]);
}

function addedProperties(o: object, loaded: Map<Key, number>): [Key[], unknown[]] {
  const keys: Key[] = [];
  const values: unknown[] = [];
  for (const key of stateKeys(o)) {
    const d = Object.getOwnPropertyDescriptor(o, key)!;
    if (!('value' in d)) continue;
    const bits = attributeBits(d);
    // What the program added or changed (a class's methods and `constructor` are as loading made them, unless it changed them).
    if (loaded.get(key) === bits && (!d.enumerable || !d.writable)) continue;
    keys.push(key);
    values.push(d.value);
  }
  return [keys, values];
}

/** How `o` differs in shape from how loading made it (`loaded`); `saved` are the keys whose values the row carries. */
function shapeChanges(o: object, loaded: Map<Key, number>, saved: Key[]): ShapeChanges | undefined {
  const changes: ShapeChanges = {};
  for (const key of saved) {
    const bits = attributeBits(Object.getOwnPropertyDescriptor(o, key)!);
    if (bits !== (loaded.get(key) ?? WRITABLE | ENUMERABLE | CONFIGURABLE)) (changes.attributes ??= []).push([key, bits]);
  }
  for (const key of loaded.keys()) if (!Object.prototype.hasOwnProperty.call(o, key)) (changes.deleted ??= []).push(key);
  const integrity = integrityOf(o);
  if (integrity !== 0) changes.integrity = integrity;
  return changes.attributes || changes.deleted || changes.integrity ? changes : undefined;
}

function integrityOf(o: object): number {
  if (Object.isExtensible(o)) return 0;
  return Object.isFrozen(o) ? FROZEN : Object.isSealed(o) ? SEALED : NOT_EXTENSIBLE;
}

/**
 * The objects loading makes again, which the restarted program reaches by
 * name though no saved value may hold them: the static functions and
 * classes, the prototypes loading gave them, and the functions on either
 * (methods, accessors, static methods). The heap writer asks each WeakMap
 * and WeakSet about them (HeapContext.named), so an entry keyed by one is
 * kept: `meta.set(helper, …)`, `new WeakMap([[Point.prototype, …]])`.
 */
export function loadedObjects(): object[] {
  const out: object[] = [];
  const add = (o: object): void => {
    out.push(o);
    for (const key of Reflect.ownKeys(o)) {
      const d = Object.getOwnPropertyDescriptor(o, key)!;
      for (const v of [d.value, d.get, d.set]) if (typeof v === 'function' && v !== o) out.push(v);
    }
  };
  for (const fn of functions.holders()) {
    add(fn);
    const proto = functions.loadedPrototype(fn);
    if (proto !== undefined) add(proto);
  }
  return out;
}

export function restoreStatics(state: StaticState | undefined): void {
  for (const row of state ?? []) {
    const [target, keys, values] = row;
    if (row.length > 3 && row[3] !== undefined) Object.setPrototypeOf(target, row[3] as object | null);
    const changes = row.length > 4 ? row[4] : undefined;
    const attributes = new Map(changes?.attributes);
    keys.forEach((key, i) => {
      const d = Object.getOwnPropertyDescriptor(target, key);
      const bits = attributes.get(key);
      if (bits !== undefined && (d === undefined || d.configurable)) {
        Object.defineProperty(target, key, { value: values[i], writable: (bits & WRITABLE) !== 0, enumerable: (bits & ENUMERABLE) !== 0, configurable: (bits & CONFIGURABLE) !== 0 });
      } else if (d === undefined) Object.defineProperty(target, key, { value: values[i], writable: true, enumerable: true, configurable: true });
      else if ('value' in d && d.writable) (target as Record<Key, unknown>)[key] = values[i];
      else if ('value' in d && d.configurable) Object.defineProperty(target, key, { value: values[i] });
    });
    for (const key of changes?.deleted ?? []) Reflect.deleteProperty(target, key);
    const integrity = changes?.integrity ?? 0;
    if (integrity === FROZEN) Object.freeze(target);
    else if (integrity === SEALED) Object.seal(target);
    else if (integrity === NOT_EXTENSIBLE) Object.preventExtensions(target);
  }
}

