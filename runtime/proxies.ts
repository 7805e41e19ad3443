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
 * Our handler in front of the program's `h`. Its traps are getters: the
 * engine reads a trap before each operation, and each getter reads the
 * program's trap then (a handler may change its traps). Where `h` has none,
 * the getter gives none, and the engine does what it does without one —
 * also without the invariant checks a trap brings, which on a proxy of a
 * proxy would call the inner proxy's traps again, level after level (a
 * proxy nested 12 deep took seconds for a few thousand reads). Where `h`
 * has one, the getter gives our trap, which runs the program's as a no-save
 * region with `h` as `this`. The engine calls a trap right after reading
 * it, so the program's trap is handed over in `picked`.
 */
function frontOf(h: Record<string, unknown>): ProxyHandler<object> {
  let picked: Function = undefined as unknown as Function;
  const ours: Record<string, Function> = {
    get: (t: object, k: PropertyKey, r: unknown) => callNoSave3(picked, h, t, k, r),
    set: (t: object, k: PropertyKey, v: unknown, r: unknown) => callNoSave4(picked, h, t, k, v, r) as boolean,
    has: (t: object, k: PropertyKey) => callNoSave2(picked, h, t, k) as boolean,
    deleteProperty: (t: object, k: PropertyKey) => callNoSave2(picked, h, t, k) as boolean,
    ownKeys: (t: object) => callNoSave1(picked, h, t) as (string | symbol)[],
    getOwnPropertyDescriptor: (t: object, k: PropertyKey) => callNoSave2(picked, h, t, k) as PropertyDescriptor | undefined,
    defineProperty: (t: object, k: PropertyKey, d: PropertyDescriptor) => callNoSave3(picked, h, t, k, d) as boolean,
    getPrototypeOf: (t: object) => callNoSave1(picked, h, t) as object | null,
    setPrototypeOf: (t: object, p: object | null) => callNoSave2(picked, h, t, p) as boolean,
    isExtensible: (t: object) => callNoSave1(picked, h, t) as boolean,
    preventExtensions: (t: object) => callNoSave1(picked, h, t) as boolean,
    apply: (t: object, self: unknown, args: unknown[]) => callNoSave3(picked, h, t, self, args),
    construct: (t: object, args: unknown[], nt: unknown) => callNoSave3(picked, h, t, args, nt) as object,
  };
  const front: ProxyHandler<object> = {};
  for (const name of Object.keys(ours)) {
    Object.defineProperty(front, name, {
      get(): Function | undefined {
        const t = h[name];
        if (t === undefined || t === null) return undefined;
        if (typeof t !== 'function') throw new TypeError(`'${String(t)}' returned for property '${name}' of object '#<Object>' is not a function`);
        picked = t;
        return ours[name];
      },
    });
  }
  return front;
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
