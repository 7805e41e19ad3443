// What the program changed in the global environment: properties it added to
// globalThis (`globalThis.registry = new Map()`, a `declare global` var), to
// a standard global or prototype (`Array.prototype.sum = …`, a polyfill), or
// put in place of the engine's (`Math.random = seeded`, `console.log = …`),
// deleted, or froze. Takes the pristine view (heap/pristine.ts) and the live
// objects; guarantees that a checkpoint saves each difference as
// [object, key, descriptor] (descriptor null: deleted; without a value: its
// attributes changed) or [object, 'freeze' | 'seal' | 'preventExtensions'], with the objects named by their built-in paths, and that
// a restart applies them before the program goes on. The next checkpoint
// compares with the restarted engine's own view, so the changes are saved
// again.

import { functions, isProgramFunction } from './functions.js';
import { boundParts } from './heap/bound.js';
import { builtinPath } from './heap/builtins.js';
import { hasOwn, pristineObjects, type PristineObject } from './heap/pristine.js';

export type Lock = 'freeze' | 'seal' | 'preventExtensions';

export type GlobalChange = [target: object, key: string | symbol, descriptor: PropertyDescriptor | null] | [target: object, lock: Lock];

/** How a lock reads in messages (and in `inspect`, which says the same). */
const LOCKED: Readonly<Record<Lock, string>> = { freeze: 'frozen', seal: 'sealed', preventExtensions: 'made non-extensible' };

/** The runtime's and the hosts' own keys on globalThis, whenever they are set. */
function isRuntimeKey(key: string | symbol): boolean {
  return typeof key === 'string' ? key.startsWith('__introspect') : (Symbol.keyFor(key) ?? '').startsWith('introspect.');
}

/** The same value or accessors, whatever the attributes. */
function sameSlot(a: PropertyDescriptor, b: PropertyDescriptor): boolean {
  return Object.is(a.value, b.value) && a.get === b.get && a.set === b.set && ('value' in a) === ('value' in b);
}

function sameDescriptor(a: PropertyDescriptor, b: PropertyDescriptor): boolean {
  return sameSlot(a, b) && a.writable === b.writable && a.enumerable === b.enumerable && a.configurable === b.configurable;
}

/**
 * A host's lazy global (Node's `crypto`, `navigator`…) is a getter that, on
 * first read, makes itself a data property holding what it loaded: not the
 * program's change. Its getter, called again, gives that same value.
 */
function materializedByHost(target: object, before: PropertyDescriptor, after: PropertyDescriptor): boolean {
  if (before.get === undefined || !('value' in after) || isProgramFunction(before.get)) return false;
  try {
    return before.get.call(target) === after.value;
  } catch {
    return false;
  }
}

/**
 * A value of the host's or of a library's, put there after the program
 * started (Node 24 keeps its fetch dispatcher on a global symbol; a library
 * may install a polyfill lazily): not the program's to save, and not savable
 * (no path names it). Left out, as if unchanged. Decided from the value
 * itself: a function nothing names, or an object whose prototype's own
 * constructor is such a function (a host class); what the value holds is
 * the heap writer's to judge. `named` tells what the writer saves all the
 * same: a library's value by its name, and what it saves by a stand-in (a
 * function of the Function constructor, the program's proxy, a transient).
 */
function foreign(value: unknown, named: (f: object) => boolean): boolean {
  const unknownFunction = (f: Function): boolean => functions.staticId(f) === undefined && functions.closureOf(f) === undefined && boundParts(f) === undefined && builtinPath(f) === undefined && !named(f);
  if (typeof value === 'function') return unknownFunction(value);
  if (typeof value !== 'object' || value === null || named(value)) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === null || builtinPath(proto) !== undefined || named(proto)) return false;
  const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
  return typeof ctor === 'function' && unknownFunction(ctor);
}

/** How far a formerly extensible object was locked, if at all. */
function lockOf(target: object, before: PristineObject): Lock | undefined {
  if (!before.extensible || Object.isExtensible(target)) return undefined;
  return Object.isFrozen(target) ? 'freeze' : Object.isSealed(target) ? 'seal' : 'preventExtensions';
}

/** Attribute changes that freezing or sealing the object makes by itself. */
function lockedOnly(was: PropertyDescriptor, after: PropertyDescriptor, lock: Lock | undefined): boolean {
  if (lock === undefined || lock === 'preventExtensions' || was.enumerable !== after.enumerable || after.configurable) return false;
  return lock === 'freeze' ? !after.writable : was.writable === after.writable;
}

function changesOf(target: object, before: PristineObject, named: (f: object) => boolean, out: GlobalChange[]): void {
  const now = Object.getOwnPropertyDescriptors(target) as Record<string | symbol, PropertyDescriptor>;
  const isGlobal = target === globalThis;
  const lock = lockOf(target, before);
  for (const key of Reflect.ownKeys(now)) {
    if (isGlobal && isRuntimeKey(key)) continue;
    const after = now[key]!;
    const was = hasOwn(before.descriptors, key) ? before.descriptors[key] : undefined;
    if (was !== undefined && (sameDescriptor(was, after) || materializedByHost(target, was, after))) continue;
    if (was !== undefined && sameSlot(was, after)) {
      // Attributes only: saved without the value, which may be a built-in
      // another engine lacks (and which that engine has of its own).
      if (lockedOnly(was, after, lock)) continue;
      const { enumerable, configurable, writable } = after;
      out.push([target, key, 'value' in after ? { enumerable, configurable, writable } : { enumerable, configurable }]);
      continue;
    }
    if (foreign(after.value, named) || foreign(after.get, named) || foreign(after.set, named)) continue;
    out.push([target, key, after]);
  }
  for (const key of before.keys) if (!hasOwn(now, key)) out.push([target, key, null]);
  if (lock !== undefined) out.push([target, lock]);
}

/** Every difference from the pristine view, in the objects' own key order. */
export function captureGlobalChanges(named: (f: object) => boolean): GlobalChange[] {
  const out: GlobalChange[] = [];
  for (const [target, before] of pristineObjects()) changesOf(target, before, named, out);
  return out;
}

/** `Array.prototype.sum`, `globalThis.registry`: how a change is named in messages. */
export function describeGlobalChange(change: GlobalChange): string {
  const base = builtinPath(change[0]) ?? 'a built-in object';
  if (change.length === 2) return `${base} (${LOCKED[change[1]]})`;
  const key = change[1];
  return typeof key === 'string' ? `${base}.${key}` : `${base}[${key.description ?? 'symbol'}]`;
}

/**
 * Applies saved changes to this engine's globals. One that this engine does
 * not allow (a property it made non-configurable) is reported through `warn`
 * and skipped; the rest still apply.
 */
export function applyGlobalChanges(changes: readonly GlobalChange[] | undefined, warn: (message: string) => void): void {
  for (const change of changes ?? []) {
    const [target] = change;
    let ok: boolean;
    try {
      if (change.length === 2) ok = lock(target, change[1]);
      else if (change[2] === null) ok = Reflect.deleteProperty(target, change[1]);
      else if (!('value' in change[2]) && !('get' in change[2]) && !('set' in change[2]) && !hasOwn(target, change[1])) ok = true; // attributes of a built-in this engine lacks
      else ok = Reflect.defineProperty(target, change[1], change[2]);
    } catch {
      ok = false;
    }
    // (a property this engine has already holding the value: only its
    // attributes differ, as where the engine has natively the well-known
    // symbol the program defined, heap/builtins.ts polyfilledName)
    if (!ok && change.length === 3 && change[2] !== null && 'value' in change[2]) ok = holdsValue(target, change[1], change[2].value);
    if (!ok) warn(`the program's change to ${describeGlobalChange(change)} could not be made again on this platform; it goes on without it`);
  }
}

function holdsValue(target: object, key: string | symbol, value: unknown): boolean {
  const d = Reflect.getOwnPropertyDescriptor(target, key);
  return d !== undefined && 'value' in d && Object.is(d.value, value);
}

function lock(target: object, how: Lock): boolean {
  if (how === 'freeze') Object.freeze(target);
  else if (how === 'seal') Object.seal(target);
  else Object.preventExtensions(target);
  return !Object.isExtensible(target);
}

/** What each change puts in its property (value, getter, setter); undefined for a deletion, a lock or attributes only. */
export function changeSlots(changes: readonly GlobalChange[] | undefined): (readonly unknown[] | undefined)[] {
  return (changes ?? []).map((c) => (c.length === 3 && c[2] !== null ? [c[2].value, c[2].get, c[2].set] : undefined));
}

/**
 * Makes again the changes whose slots now differ from `before`
 * (changeSlots, taken when they were applied): a restore that rebuilt a
 * transient the program had put on a built-in (`globalThis.format = new
 * Function(…)`) replaced it in the saved change, not on the engine's object.
 */
export function reapplyReplaced(changes: readonly GlobalChange[] | undefined, before: readonly (readonly unknown[] | undefined)[], warn: (message: string) => void): void {
  const now = changeSlots(changes);
  const replaced = (changes ?? []).filter((_, i) => before[i] !== undefined && now[i]!.some((v, j) => !Object.is(v, before[i]![j])));
  if (replaced.length > 0) applyGlobalChanges(replaced, warn);
}
