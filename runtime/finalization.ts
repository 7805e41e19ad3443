// The program's FinalizationRegistry (`FinalizationRegistry` in program code
// is this class, transformer/platform-globals.ts). The engine's keeps its
// registrations in internal slots no checkpoint can read, so a program that
// made one could never be saved. This one keeps them as data: the cleanup
// callback, and per registration a WeakRef to the target (saved as the heap
// saves a WeakRef), the held value and the unregister token; the engine's
// registry behind it is transient, made again, with every live target
// registered again, at the first use after a restart. The language never
// promises that a cleanup callback runs, or when: one a restart did not
// re-arm yet is still within what the program may see.

import { functions } from './functions.js';
import { lookLikePlatform } from './platform-look.js';
import { FR_CLEANUP, FR_REGISTRATIONS, FR_NATIVE } from './hidden-fields.js';

interface Registration {
  ref: WeakRef<object>;
  held: unknown;
  token: object | undefined;
}

const NativeRegistry = typeof FinalizationRegistry === 'function' ? FinalizationRegistry : undefined;
const NativeWeakRef = typeof WeakRef === 'function' ? WeakRef : undefined;

/** What may be registered: an object, or a symbol that is not registered (Symbol.for). */
function canBeHeldWeakly(v: unknown): v is object {
  return (typeof v === 'object' && v !== null) || typeof v === 'function' || (typeof v === 'symbol' && Symbol.keyFor(v) === undefined);
}

export class ProgramFinalizationRegistry {
  private readonly [FR_CLEANUP]: (held: unknown) => void;
  private readonly [FR_REGISTRATIONS] = new Set<Registration>();
  /** The engine's registry (transient: made again after a restart, see `live`). */
  private [FR_NATIVE]: FinalizationRegistry<Registration> | undefined = undefined;

  constructor(cleanup: (held: unknown) => void) {
    if (new.target === undefined) throw new TypeError("Constructor FinalizationRegistry requires 'new'");
    if (typeof cleanup !== 'function') throw new TypeError('FinalizationRegistry: cleanup must be callable');
    if (NativeRegistry === undefined || NativeWeakRef === undefined) throw new ReferenceError('FinalizationRegistry is not defined');
    this[FR_CLEANUP] = cleanup;
  }

  register(target: object, held: unknown, token?: object): undefined {
    if (!canBeHeldWeakly(target)) throw new TypeError('FinalizationRegistry.prototype.register: invalid target');
    if (Object.is(target, held)) throw new TypeError('FinalizationRegistry.prototype.register: target and holdings must not be same');
    if (token !== undefined && !canBeHeldWeakly(token)) throw new TypeError('FinalizationRegistry.prototype.register: invalid unregister token');
    const registration: Registration = { ref: new NativeWeakRef!(target), held, token };
    this[FR_REGISTRATIONS].add(registration);
    this.live().register(target, registration, token);
    return undefined;
  }

  unregister(token: object): boolean {
    if (!canBeHeldWeakly(token)) throw new TypeError('Invalid unregisterToken');
    let removed = false;
    for (const r of this[FR_REGISTRATIONS]) {
      if (r.token === token) {
        this[FR_REGISTRATIONS].delete(r);
        removed = true;
      }
    }
    this.live().unregister(token);
    return removed;
  }

  /** The engine's registry; after a restart, a new one with every registration whose target is still there. */
  private live(): FinalizationRegistry<Registration> {
    if (this[FR_NATIVE] !== undefined) return this[FR_NATIVE];
    const native = new NativeRegistry!((r: Registration) => {
      if (!this[FR_REGISTRATIONS].delete(r)) return;
      this[FR_CLEANUP].call(undefined, r.held);
    });
    for (const r of this[FR_REGISTRATIONS]) {
      const target = r.ref.deref();
      if (target !== undefined) native.register(target, r, r.token);
    }
    return (this[FR_NATIVE] = native);
  }

  get [Symbol.toStringTag](): string {
    return 'FinalizationRegistry';
  }
}

Object.defineProperty(ProgramFinalizationRegistry.prototype, Symbol.for('introspect.transient'), { value: [FR_NATIVE], writable: true, configurable: true });
Object.defineProperty(ProgramFinalizationRegistry, 'name', { value: 'FinalizationRegistry', configurable: true });
lookLikePlatform(ProgramFinalizationRegistry.prototype, () => 'FinalizationRegistry {}');
functions.registerClassMembers('introspect:FinalizationRegistry', ProgramFinalizationRegistry);
