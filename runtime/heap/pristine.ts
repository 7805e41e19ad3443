// The own properties of globalThis, the standard globals, their prototypes
// and the intrinsics as they were when the program started: after the
// runtime, the host and the libraries had loaded, before the program's first
// statement. Takes nothing; guarantees that builtins.ts names built-ins by
// this view, so that what the program adds to them (`Array.prototype.sum =
// …`) or puts in their place (`Math.random = seeded`) is never taken for the
// engine's own, and that global-changes.ts can save exactly the difference.
// Until `recordPristine()` runs (a heap written outside a program), the view
// is the live one.

import { intrinsics, ROOT_NAMES } from './roots.js';

export interface PristineObject {
  /** Own keys in the engine's order. */
  readonly keys: readonly (string | symbol)[];
  readonly descriptors: Readonly<Record<string | symbol, PropertyDescriptor>>;
  readonly extensible: boolean;
}

const pristine = new Map<object, PristineObject>();
let recorded = false;

export const hasOwn = (o: object, key: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(o, key);

function isObjectLike(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** Records the view (idempotent): once, as the program's first statement is about to run. */
export function recordPristine(): void {
  if (recorded) return;
  recorded = true;
  const track = (o: unknown): void => {
    if (!isObjectLike(o) || pristine.has(o)) return;
    const descriptors = Object.getOwnPropertyDescriptors(o) as Record<string | symbol, PropertyDescriptor>;
    pristine.set(o, { keys: Reflect.ownKeys(descriptors), descriptors, extensible: Object.isExtensible(o) });
    const proto = hasOwn(descriptors, 'prototype') ? descriptors.prototype!.value : undefined;
    if (isObjectLike(proto) && !pristine.has(proto)) track(proto);
  };
  track(globalThis);
  const global = pristine.get(globalThis)!.descriptors as Record<string, PropertyDescriptor>;
  for (const name of ROOT_NAMES) {
    // The jsc shell's global object does not list the properties its shell
    // adds (`console`, `print`) among its own keys, yet has them.
    if (!hasOwn(global, name)) {
      const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
      if (descriptor !== undefined) global[name] = descriptor;
    }
    // a root the host makes lazily (a getter) is the host's, not the language's
    if (hasOwn(global, name) && 'value' in global[name]!) track(global[name]!.value);
  }
  for (const [, value] of intrinsics()) track(value);
}

/** The recorded objects: what global-changes.ts compares with. */
export function pristineObjects(): ReadonlyMap<object, PristineObject> {
  return pristine;
}

export function pristineKeys(o: object): readonly (string | symbol)[] {
  return pristine.get(o)?.keys ?? Reflect.ownKeys(o);
}

export function pristineDescriptor(o: object, key: string | symbol): PropertyDescriptor | undefined {
  const recorded = pristine.get(o);
  if (recorded === undefined) return Object.getOwnPropertyDescriptor(o, key);
  return hasOwn(recorded.descriptors, key) ? recorded.descriptors[key] : undefined;
}
