// `transient(value, recreate)`: values that are rebuilt after a restart
// instead of saved (a socket, a handle of a library, a cache not worth
// saving). The value is returned as it is and remembered with its `recreate`
// function. The heap writer saves, wherever the program holds the value, one
// TransientValue holding `recreate` (writer.ts discover, ctx.substitute);
// the checkpoint header counts them. After a restore, once module state is
// back (so `recreate` sees the program's variables), each is rebuilt by one
// call of its `recreate`, and every place that held it (object and array
// slots, Map and Set entries, closure environments, saved frames) is given
// the new value, which is transient again. Not reached: private #fields and
// bound functions' targets and arguments (their placeholder stays, and
// `inspect` shows it as TransientValue).

import { functions } from './functions.js';

export class TransientValue {
  constructor(public recreate: Function) {}
}

/** A transient the runtime made for a platform object (platform-values.ts): rebuilt, then saved from its state at the next checkpoint, not kept transient. */
export class PlatformValue extends TransientValue {}

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

/**
 * Rebuilds every TransientValue reachable from `roots` and puts the new
 * values where the placeholders were. Returns how many were rebuilt.
 */
export function rebuildTransients(roots: unknown[]): number {
  const rebuilt = new Map<TransientValue, unknown>();
  const fresh = (p: TransientValue): unknown => {
    if (!rebuilt.has(p)) {
      const v = Reflect.apply(p.recreate, undefined, []);
      rebuilt.set(p, v);
      // (A platform value, platform-values.ts, is saved from its state at the next checkpoint instead.)
      if (((typeof v === 'object' && v !== null) || typeof v === 'function') && !(p instanceof PlatformValue)) registry.set(v as object, new TransientValue(p.recreate));
    }
    return rebuilt.get(p);
  };
  const seen = new Set<object>();
  const queue: object[] = [];
  const visit = (v: unknown): void => {
    if (((typeof v === 'object' && v !== null) || typeof v === 'function') && !seen.has(v as object) && !(v instanceof TransientValue)) {
      seen.add(v as object);
      queue.push(v as object);
    }
  };
  for (const r of roots) visit(r);
  while (queue.length > 0) {
    const o = queue.pop()!;
    if (typeof o === 'function') {
      for (const env of functions.closureOf(o)?.envs ?? []) visit(env);
    }
    if (o instanceof Map) {
      const entries = [...o.entries()];
      if (entries.some(([k, v]) => k instanceof TransientValue || v instanceof TransientValue)) {
        o.clear();
        for (const [k, v] of entries) o.set(k instanceof TransientValue ? fresh(k) : k, v instanceof TransientValue ? fresh(v) : v);
      }
      for (const [k, v] of o) {
        visit(k);
        visit(v);
      }
    } else if (o instanceof Set) {
      const members = [...o];
      if (members.some((m) => m instanceof TransientValue)) {
        o.clear();
        for (const m of members) o.add(m instanceof TransientValue ? fresh(m) : m);
      }
      for (const m of o) visit(m);
    }
    if (ArrayBuffer.isView(o)) continue;
    for (const key of Reflect.ownKeys(o)) {
      const d = Reflect.getOwnPropertyDescriptor(o, key);
      if (d === undefined || !('value' in d)) continue;
      if (d.value instanceof TransientValue) Reflect.defineProperty(o, key, { ...d, value: fresh(d.value) });
      else visit(d.value);
    }
  }
  return rebuilt.size;
}

functions.registerClassMembers('introspect:TransientValue', TransientValue);
