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
// ones. So the engine is handed the program's handler behind a handler of
// ours, which gives each trap as a wrapper that runs it as a no-save region
// with the program's handler as `this`: a point inside waits until it returns.

import { functions } from './functions.js';
import { applyNoSave } from './no-save.js';

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

/** Program handler → its trap functions → their no-save wrappers. */
const wrappers = new WeakMap<object, Map<Function, Function>>();

function wrappedTrap(handler: object, trap: Function): Function {
  let byTrap = wrappers.get(handler);
  if (byTrap === undefined) wrappers.set(handler, (byTrap = new Map()));
  let wrapper = byTrap.get(trap);
  if (wrapper === undefined) {
    wrapper = (...args: unknown[]) => applyNoSave(trap, handler, args);
    byTrap.set(trap, wrapper);
  }
  return wrapper;
}

/** Our handler in front of the program's: the engine reads each trap through it. */
const FRONT: ProxyHandler<object> = {
  get(handler, name) {
    const trap = Reflect.get(handler, name) as unknown;
    return typeof trap === 'function' ? wrappedTrap(handler, trap) : trap;
  },
};

function make(target: object, handler: object, revocable: boolean): { proxy: object; revoke: (() => void) | undefined } {
  // The engine's checks and errors first (a target or handler that is not an object).
  if ((typeof handler !== 'object' && typeof handler !== 'function') || handler === null) {
    return revocable ? NativeProxy.revocable(target, handler) : { proxy: new NativeProxy(target, handler), revoke: undefined };
  }
  const front = new NativeProxy(handler, FRONT);
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
