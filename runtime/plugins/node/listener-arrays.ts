// Node 24's emit counts the emits running over an event's listener array in
// a symbol of the array (`events.emitting`), and a listener removed while one
// runs is removed from a copy. A listener array saved where Node had no such
// count (Node 18–22, Bun, Deno, the `events` package of the script engines)
// came back without it: the count became NaN, the removal of a
// once-listener during an emit spliced the array being walked, and the emit
// skipped the next listener. Takes the objects a restore made; gives each
// listener array of an emitter that has no count the 0 that Node's own
// `on` gives a new one. On a Node without the count there is nothing to do.

import { EventEmitter } from 'node:events';
import { types } from 'node:util';

/** A listener array of this Node's own making (two listeners of one event), for its symbols. */
export function probeListenerArray(): unknown[] | undefined {
  const probe = new EventEmitter();
  const noop = (): void => {};
  probe.on('probe', noop).on('probe', noop);
  const list = (probe as unknown as { _events?: Record<string, unknown> })._events?.probe;
  return Array.isArray(list) ? list : undefined;
}

/** What Host.repairRestored does on this Node, given `probeListenerArray()`, or undefined when it has no emit count. */
export function listenerArrayRepair(probe: unknown[] | undefined): ((objects: readonly unknown[]) => void) | undefined {
  const count = probe === undefined ? undefined : Object.getOwnPropertySymbols(probe).find((s) => s.description === 'events.emitting');
  if (count === undefined) return undefined;
  return (objects) => {
    for (const o of objects) {
      if (typeof o !== 'object' || o === null || !Object.hasOwn(o, '_events') || types.isProxy(o) || !(o instanceof EventEmitter)) continue;
      const events = Object.getOwnPropertyDescriptor(o, '_events')?.value as Record<string | symbol, unknown> | undefined;
      if (typeof events !== 'object' || events === null || types.isProxy(events)) continue;
      for (const key of Reflect.ownKeys(events)) {
        const list = Object.getOwnPropertyDescriptor(events, key)?.value;
        if (Array.isArray(list) && !Object.hasOwn(list, count)) (list as unknown as Record<symbol, number>)[count] = 0;
      }
    }
  };
}
