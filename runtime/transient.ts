// `transient(value, recreate)`: values that are rebuilt after a restart
// instead of saved (a socket, a handle of a library, a cache not worth
// saving). The value is returned as it is and remembered with its `recreate`
// function. The heap writer saves, wherever the program holds the value, one
// TransientValue holding `recreate` (writer.ts discover, ctx.substitute);
// the checkpoint header counts them. After a restore, once module state is
// back (so `recreate` sees the program's variables), each is rebuilt by one
// call of its `recreate`, and every place that held it (object and array
// slots, Map and Set entries, closure environments, saved frames) is given
// the new value, which is transient again. A bound function whose bound
// `this` or arguments held one is bound again (the engine's cannot be
// changed), and the new one takes its place everywhere; so is a platform
// value made from another (a Proxy of a Proxy). PlaceholderRestore below
// gives the heap reader the hooks that find what no walk can (private
// #fields, bound functions' parts) and defer what would lock a placeholder
// in (frozen objects, read-only properties); the restore (checkpoint.ts)
// uses it.

import { functions } from './functions.js';
import { bindAgain, boundParts } from './heap/bound.js';
import type { HeapContext } from './heap/image.js';
import { hasBrand, intrinsic } from './heap/intrinsics.js';
import { applyIntegrity, lockProperty } from './heap/index.js';

export class TransientValue {
  constructor(public recreate: Function) {}
}

/** A transient the runtime made for a platform object (platform-values.ts): rebuilt, then saved from its state at the next checkpoint, not kept transient. */
export class PlatformValue extends TransientValue {}

/**
 * A placeholder the heap reader made, told by its own prototype: not
 * `instanceof`, which an object whose prototype is a placeholder (made with
 * `Object.create(aProxy)`) also passes.
 */
export function isPlaceholder(v: unknown): v is TransientValue {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  // (PlatformValue.prototype itself inherits from TransientValue.prototype)
  return proto === PlatformValue.prototype || (proto === TransientValue.prototype && v !== PlatformValue.prototype);
}

const registry = new WeakMap<object, TransientValue>();

/** See the file comment. Primitives are saved as they are: they are returned unregistered. */
export function transient<T>(value: T, recreate: () => T): T {
  if (typeof recreate !== 'function') throw new TypeError('transient(value, recreate): recreate must be a function that rebuilds the value after a restart');
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') registry.set(value as object, new TransientValue(recreate));
  return value;
}

/** The heap writer's hook: what to save in place of `value`, if it is transient. */
export function transientFor(value: object): TransientValue | undefined {
  return registry.get(value);
}

/** Weak edges the heap reader made (HeapContext.weakEdge): [holder, key or target, value] triples. */
export type WeakEdges = unknown[];

/**
 * What a restore needs to put rebuilt values where the heap reader left
 * placeholders. The reader's hooks note the edges no walk of the restored
 * values finds (weak collections' entries, private #fields, bound
 * functions' parts) and defer what would lock a placeholder in (an object's
 * integrity, a read-only property); `rebuild` then replaces them all, and
 * `finish` locks what was deferred.
 */
export class PlaceholderRestore {
  private readonly weak: WeakEdges = [];
  /** objects whose private #fields held a placeholder, with the saved fields */
  private readonly hidden: [object, unknown[]][] = [];
  private readonly rebinds: Function[] = [];
  private readonly integrity: [object, number][] = [];
  private readonly locks: [object, string | symbol, number][] = [];

  constructor(private readonly restoreHidden: (o: object, state: unknown) => void) {}

  hooks(): Pick<HeapContext, 'weakEdge' | 'restoreHidden' | 'madeBound' | 'integrity' | 'lockLater'> {
    return {
      weakEdge: (holder, key, value) => void this.weak.push(holder, key, value),
      restoreHidden: (o, state) => {
        this.restoreHidden(o, state);
        if (Array.isArray(state) && state.some((values) => Array.isArray(values) && values.some(isPlaceholder))) this.hidden.push([o, state]);
      },
      madeBound: (fn, thisArg, args) => {
        if (isPlaceholder(thisArg) || args.some(isPlaceholder)) this.rebinds.push(fn);
      },
      integrity: (o, level) => void this.integrity.push([o, level]),
      lockLater: (o, key, value, flags) => isPlaceholder(value) && this.locks.push([o, key, flags]) > 0,
    };
  }

  /**
   * Rebuilds every placeholder reachable from `roots` or noted by the hooks,
   * without entering `engineObjects`; the private fields that held one are
   * written again.
   */
  rebuild(roots: unknown[], engineObjects?: ReadonlySet<object>): number {
    const count = rebuildTransients([...roots, ...this.hidden.map(([, state]) => state)], this.weak, this.rebinds, engineObjects);
    for (const [o, state] of this.hidden) this.restoreHidden(o, state);
    return count;
  }

  /** The deferred property attributes and integrity levels, once no placeholder is left to replace. */
  finish(): void {
    for (const [o, key, flags] of this.locks) lockProperty(o, key, flags);
    for (const [o, level] of this.integrity) applyIntegrity(o, level);
  }
}

/**
 * Rebuilds every TransientValue reachable from `roots` (and from the weak
 * edges, which no walk can enumerate) and puts the new values where the
 * placeholders were: a WeakMap or WeakSet gets the new key (and value), and
 * a WeakRef to a placeholder is replaced, wherever it is held, by a WeakRef
 * to the new value. Returns how many were rebuilt. `engineObjects` (the
 * built-ins and library values the checkpoint named instead of saving) are
 * not entered: the heap reader made nothing in them, and reading every
 * property of the engine's objects may run host code (gjs's `imports.gi`
 * loads a GObject module on each property asked, and some throw). A value
 * the program put on one (a global change) is the caller's to replace. Nor
 * is a rebuilt value entered: its `recreate` made it, nothing of the file's
 * is in it, and a rebuilt proxy would run the program's traps (code the
 * program never asked to run, which may throw on what it is asked).
 */
export function rebuildTransients(roots: unknown[], weak: WeakEdges = [], rebinds: readonly Function[] = [], engineObjects: ReadonlySet<object> = new Set()): number {
  const rebuilt = new Map<TransientValue, unknown>();
  const making = new Set<TransientValue>();
  const resolved = (v: unknown): unknown => (isPlaceholder(v) && !making.has(v) ? fresh(v) : v);
  const fresh = (p: TransientValue): unknown => {
    if (!rebuilt.has(p)) {
      // A platform value made from placeholders (a Proxy whose target is one) gets them made first.
      const parts = boundParts(p.recreate);
      making.add(p);
      const v = parts !== undefined && parts.args.some(isPlaceholder)
        ? Reflect.apply(parts.target, parts.thisArg, parts.args.map(resolved))
        : Reflect.apply(p.recreate, undefined, []);
      making.delete(p);
      rebuilt.set(p, v);
      // (A platform value, platform-values.ts, is saved from its state at the next checkpoint instead.)
      if (((typeof v === 'object' && v !== null) || typeof v === 'function') && !(p instanceof PlatformValue)) registry.set(v as object, new TransientValue(p.recreate));
    }
    return rebuilt.get(p);
  };
  const seen = new Set<object>();
  const queue: object[] = [];
  const visit = (v: unknown): void => {
    if (((typeof v === 'object' && v !== null) || typeof v === 'function') && !seen.has(v as object) && !engineObjects.has(v as object)) {
      seen.add(v as object);
      // A placeholder is replaced, not walked; what its `recreate` is bound to
      // is (a Proxy's target and handler, which only the proxy may hold).
      if (isPlaceholder(v)) {
        for (const a of boundParts(v.recreate)?.args ?? []) visit(a);
      } else queue.push(v as object);
    }
  };
  for (const r of roots) visit(r);
  // WeakRef → its replacement, for a WeakRef whose target was a placeholder.
  const refs = new Map<object, unknown>();
  const WeakRefCtor = (globalThis as { WeakRef?: new (target: object) => object }).WeakRef;
  for (let e = 0; e < weak.length; e += 3) {
    const holder = weak[e] as object;
    const key = weak[e + 1];
    const value = weak[e + 2];
    visit(key);
    visit(value);
    if (!isPlaceholder(key) && !isPlaceholder(value)) continue;
    if (holder instanceof WeakMap) {
      holder.delete(key as object);
      holder.set((isPlaceholder(key) ? fresh(key) : key) as object, isPlaceholder(value) ? fresh(value) : value);
    } else if (holder instanceof WeakSet) {
      holder.delete(key as object);
      holder.add(fresh(key as TransientValue) as object);
    } else if (WeakRefCtor !== undefined && isPlaceholder(key)) {
      const target = fresh(key);
      if ((typeof target === 'object' && target !== null) || typeof target === 'function') refs.set(holder, new WeakRefCtor(target as object));
    }
  }
  for (const fn of rebinds) {
    const parts = boundParts(fn);
    if (parts !== undefined) refs.set(fn, bindAgain(resolved(parts.target) as Function, resolved(parts.thisArg), parts.args.map(resolved)));
  }
  const replaced = (v: unknown): unknown => (isPlaceholder(v) ? fresh(v) : refs.has(v as object) ? refs.get(v as object) : v);
  const replaces = (v: unknown): boolean => isPlaceholder(v) || refs.has(v as object);
  while (queue.length > 0) {
    const o = queue.pop()!;
    if (typeof o === 'function') {
      for (const env of functions.closureOf(o)?.envs ?? []) visit(env);
      const bound = boundParts(o);
      if (bound !== undefined) {
        visit(bound.target);
        visit(bound.thisArg);
        bound.args.forEach(visit);
      }
    }
    // An object whose prototype was a placeholder (`Object.create(aProxy)`).
    const proto = Reflect.getPrototypeOf(o);
    if (replaces(proto)) {
      visit(proto);
      Reflect.setPrototypeOf(o, replaced(proto) as object | null);
    }
    // The engine's brand, not `instanceof`: a Map subclass's prototype is an instance of Map too, without a map in it.
    if (o instanceof Map && hasBrand(intrinsic.mapSize, o)) {
      const entries = [...(Reflect.apply(Map.prototype.entries, o, []) as Iterable<[unknown, unknown]>)];
      for (const [k, v] of entries) {
        // (a placeholder's own parts too: what its `recreate` is bound to)
        if (isPlaceholder(k)) visit(k);
        if (isPlaceholder(v)) visit(v);
      }
      if (entries.some(([k, v]) => replaces(k) || replaces(v))) {
        Reflect.apply(Map.prototype.clear, o, []);
        for (const [k, v] of entries) Reflect.apply(Map.prototype.set, o, [replaced(k), replaced(v)]);
      }
      // (the entries as they were: a rebuilt value is new, and walking one
      // would run a proxy's traps, the program's code, from here)
      for (const [k, v] of entries) {
        visit(k);
        visit(v);
      }
    } else if (o instanceof Set && hasBrand(intrinsic.setSize, o)) {
      const members = [...(Reflect.apply(Set.prototype.values, o, []) as Iterable<unknown>)];
      for (const m of members) if (isPlaceholder(m)) visit(m);
      if (members.some(replaces)) {
        Reflect.apply(Set.prototype.clear, o, []);
        for (const m of members) Reflect.apply(Set.prototype.add, o, [replaced(m)]);
      }
      for (const m of members) visit(m);
    }
    if (ArrayBuffer.isView(o)) continue;
    for (const key of Reflect.ownKeys(o)) {
      const d = Reflect.getOwnPropertyDescriptor(o, key);
      if (d === undefined) continue;
      if (!('value' in d)) {
        // an accessor: its functions' closures may hold one
        visit(d.get);
        visit(d.set);
        continue;
      }
      visit(d.value);
      if (replaces(d.value)) Reflect.defineProperty(o, key, { ...d, value: replaced(d.value) });
    }
  }
  return rebuilt.size;
}

functions.registerClassMembers('introspect:TransientValue', TransientValue);
