// The program's proxies. The engine never shows a proxy's target and
// handler, so the program's `new Proxy(t, h)` and `Proxy.revocable(t, h)`
// are the runtime's (`$R.Proxy`, pass 0b), which note them: a proxy is saved
// as how to make it again (platform-values.ts), its target and handler saved
// as any objects. A proxy made by code we do not instrument is saved as what
// its traps show.
//
// The traps are the program's code, called by the engine from any property
// access, where the program has no resume point. Traps written inline in
// `new Proxy(t, { get() {…} })` are left uninstrumented (scopes.ts), but a
// handler made elsewhere (a variable, a class instance) has instrumented
// ones. So the engine is handed a handler of ours in front of the program's,
// whose traps run the program's as no-save regions with the program's
// handler as `this`: a point inside waits until it returns.

import { functions } from './functions.js';
import { callNoSave1, callNoSave2, callNoSave3, callNoSave4 } from './no-save.js';

const NativeProxy = Proxy;

/** A proxy of the program: how to make it again. `revocation` for one of `Proxy.revocable`. */
export interface ProxyParts {
  target: object;
  handler: object;
  revocation: Revocation | undefined;
}

const parts = new WeakMap<object, ProxyParts>();

/** What the program noted about `v`, if it is one of its proxies. */
export function proxyParts(v: object): ProxyParts | undefined {
  return parts.get(v);
}

/**
 * Our handler in front of the program's `h`: each trap reads the program's
 * trap when the engine calls it (a handler may change its traps), and runs
 * it as a no-save region with `h` as `this`; a trap `h` lacks does what the
 * engine does without one (the Reflect function of the same name).
 */
function frontOf(h: Record<string, unknown>): ProxyHandler<object> {
  type Trap = Function | undefined;
  const trap = (name: string): Trap => {
    const t = h[name];
    if (t === undefined || t === null) return undefined;
    if (typeof t !== 'function') throw new TypeError(`'${String(t)}' returned for property '${name}' of object '#<Object>' is not a function`);
    return t;
  };
  return {
    get: (t, k, r) => {
      const f = trap('get');
      return f === undefined ? Reflect.get(t, k, r) : callNoSave3(f, h, t, k, r);
    },
    set: (t, k, v, r) => {
      const f = trap('set');
      return f === undefined ? Reflect.set(t, k, v, r) : (callNoSave4(f, h, t, k, v, r) as boolean);
    },
    has: (t, k) => {
      const f = trap('has');
      return f === undefined ? Reflect.has(t, k) : (callNoSave2(f, h, t, k) as boolean);
    },
    deleteProperty: (t, k) => {
      const f = trap('deleteProperty');
      return f === undefined ? Reflect.deleteProperty(t, k) : (callNoSave2(f, h, t, k) as boolean);
    },
    ownKeys: (t) => {
      const f = trap('ownKeys');
      return f === undefined ? Reflect.ownKeys(t) : (callNoSave1(f, h, t) as (string | symbol)[]);
    },
    getOwnPropertyDescriptor: (t, k) => {
      const f = trap('getOwnPropertyDescriptor');
      return f === undefined ? Reflect.getOwnPropertyDescriptor(t, k) : (callNoSave2(f, h, t, k) as PropertyDescriptor | undefined);
    },
    defineProperty: (t, k, d) => {
      const f = trap('defineProperty');
      return f === undefined ? Reflect.defineProperty(t, k, d) : (callNoSave3(f, h, t, k, d) as boolean);
    },
    getPrototypeOf: (t) => {
      const f = trap('getPrototypeOf');
      return f === undefined ? Reflect.getPrototypeOf(t) : (callNoSave1(f, h, t) as object | null);
    },
    setPrototypeOf: (t, p) => {
      const f = trap('setPrototypeOf');
      return f === undefined ? Reflect.setPrototypeOf(t, p) : (callNoSave2(f, h, t, p) as boolean);
    },
    isExtensible: (t) => {
      const f = trap('isExtensible');
      return f === undefined ? Reflect.isExtensible(t) : (callNoSave1(f, h, t) as boolean);
    },
    preventExtensions: (t) => {
      const f = trap('preventExtensions');
      return f === undefined ? Reflect.preventExtensions(t) : (callNoSave1(f, h, t) as boolean);
    },
    apply: (t, self, args) => {
      const f = trap('apply');
      return f === undefined ? Reflect.apply(t as Function, self, args) : callNoSave3(f, h, t, self, args);
    },
    construct: (t, args, nt) => {
      const f = trap('construct');
      return f === undefined ? Reflect.construct(t as Function, args, nt) : (callNoSave3(f, h, t, args, nt) as object);
    },
  };
}

/** One front per program handler. */
const fronts = new WeakMap<object, ProxyHandler<object>>();

function frontFor(handler: object): ProxyHandler<object> {
  let front = fronts.get(handler);
  if (front === undefined) fronts.set(handler, (front = frontOf(handler as Record<string, unknown>)));
  return front;
}

function make(target: object, handler: object, revocable: boolean): { proxy: object; revoke: (() => void) | undefined } {
  // The engine's checks and errors first (a target or handler that is not an object).
  if ((typeof handler !== 'object' && typeof handler !== 'function') || handler === null) {
    return revocable ? NativeProxy.revocable(target, handler) : { proxy: new NativeProxy(target, handler), revoke: undefined };
  }
  const front = frontFor(handler);
  if (!revocable) return { proxy: new NativeProxy(target, front), revoke: undefined };
  return NativeProxy.revocable(target, front);
}

/** `$R.Proxy`: the program's Proxy constructor, and its `revocable`. */
export const ProgramProxy: ProxyConstructor = new NativeProxy(NativeProxy, {
  construct(_C, args: unknown[], newTarget: Function) {
    if (newTarget !== ProgramProxy) return Reflect.construct(NativeProxy, args, newTarget) as object;
    const [target, handler] = args as [object, object];
    const { proxy } = make(target, handler, false);
    parts.set(proxy, { target, handler, revocation: undefined });
    return proxy;
  },
  get(C, name, receiver) {
    return name === 'revocable' ? revocable : Reflect.get(C, name, receiver);
  },
});

/**
 * A `Proxy.revocable` pair: its `revoke` is ours, bound to the record, so
 * the program can keep it in its state; the record knows whether the proxy
 * was revoked, and the engine's revoke of the proxy as it is now.
 */
export class Revocation {
  revoked = false;
  /** The engine's revoke function of the live proxy (not saved: made again with it). */
  live: (() => void) | undefined = undefined;
}
Object.defineProperty(Revocation.prototype, Symbol.for('introspect.transient'), { value: ['live'], writable: true, configurable: true });

function revoke(this: Revocation): void {
  if (this.revoked) return;
  this.revoked = true;
  const live = this.live;
  this.live = undefined;
  live?.();
}

function revocable(target: object, handler: object): { proxy: object; revoke: () => void } {
  const made = make(target, handler, true);
  const revocation = new Revocation();
  revocation.live = made.revoke;
  parts.set(made.proxy, { target, handler, revocation });
  return { proxy: made.proxy, revoke: revoke.bind(revocation) };
}

/** A saved proxy made again: a revocable one answers to the same `revoke` (revoked already if it was). */
export function remakeProxy(target: object, handler: object, revocation?: Revocation): object {
  if (revocation === undefined) return new ProgramProxy(target, handler);
  const made = make(target, handler, true);
  parts.set(made.proxy, { target, handler, revocation });
  if (revocation.revoked) made.revoke!();
  else revocation.live = made.revoke;
  return made.proxy;
}

functions.registerStatic('introspect:remakeProxy', remakeProxy);
functions.registerStatic('introspect:revokeProxy', revoke);
functions.registerStatic('introspect:ProxyRevocable', revocable);
functions.registerClassMembers('introspect:Revocation', Revocation);
