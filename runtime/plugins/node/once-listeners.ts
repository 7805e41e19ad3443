// Once-listeners a checkpoint can save, on every Node-like platform. Node 20
// stores `emitter.once(type, fn)` as `onceWrapper.bind(state)`: a bound
// function of one internal function (named `node:events.onceWrapper`, see
// portable/node-events.ts) and a plain state object, both savable. Node 24
// and Bun make a closure instead, and Deno binds through a `bind` of its own
// that the runtime does not see, so a checkpoint taken there with a pending
// once-listener failed ("cannot save function wrapper"). On those platforms
// `EventEmitter.prototype.once` and `prependOnceListener` are put back to
// Node 20's way, with Node 20's `onceWrapper`. Takes a probe emitter;
// guarantees that the function returned is what every once-listener of
// this process is bound to.

import { EventEmitter } from 'node:events';
import { onceWrapperOf } from '../portable/node-events.js';

/** What Node's `emitter.once` binds a wrapper to (lib/events.js `_onceWrap`). */
interface OnceState {
  fired: boolean;
  wrapFn: Function | undefined;
  target: { removeListener(type: string | symbol, listener: Function): unknown };
  type: string | symbol;
  listener: Function;
}

/** Node 20's `onceWrapper`. */
function onceWrapper(this: OnceState, ...args: unknown[]): unknown {
  if (this.fired) return undefined;
  this.target.removeListener(this.type, this.wrapFn!);
  this.fired = true;
  return Reflect.apply(this.listener, this.target, args);
}

type Add = (this: EventEmitter, type: string | symbol, listener: Function) => EventEmitter;

/** The function once-listeners are bound to here: the platform's own, or Node 20's put in place of its `once`. */
export function savableOnceWrapper(probe: EventEmitter): Function {
  const own = onceWrapperOf(probe);
  if (own !== undefined) return own;
  const proto = EventEmitter.prototype as unknown as Record<string, Add>;
  const wrap = (target: OnceState['target'], type: string | symbol, listener: Function): Function => {
    const state: OnceState = { fired: false, wrapFn: undefined, target, type, listener };
    const wrapped = onceWrapper.bind(state) as Function & { listener?: Function };
    wrapped.listener = listener;
    state.wrapFn = wrapped;
    return wrapped;
  };
  const replace = (name: 'once' | 'prependOnceListener', add: 'on' | 'prependListener'): void => {
    const native = proto[name]!;
    const methods: Record<string, Add> = {
      [name](type, listener) {
        // the platform's own check and message for a listener that is not a function
        if (typeof listener !== 'function') return native.call(this, type, listener);
        return proto[add]!.call(this, type, wrap(this, type, listener));
      },
    };
    const { writable, enumerable, configurable } = Object.getOwnPropertyDescriptor(proto, name)!;
    Object.defineProperty(proto, name, { value: methods[name], writable, enumerable, configurable });
  };
  replace('once', 'on');
  replace('prependOnceListener', 'prependListener');
  return onceWrapper;
}
