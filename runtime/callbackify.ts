// `util.callbackify` as the program calls it (pass 0b'' points its imports
// here: `$R.cbf(callbackify)`). The platform's makes a closure of its own,
// which no path names, so a module that keeps `callbackify(fetchUser)` in a
// constant could never be checkpointed; and Deno's calls the primordial
// `Promise.prototype.then` on the promise the function returns, which
// throws for the program's promises (the runtime's, promises.ts). Takes the
// platform's callbackify; guarantees a function that behaves as Node's does
// (the callback is called on a later `process.nextTick` with `(null, value)`
// or the rejection reason, a falsy one wrapped in an ERR_FALSY_VALUE_REJECTION
// error with `reason`; `this` passed on; name, length and prototype copied
// from the original), whose pending parts are savable (the program's
// promise, bound runtime functions, the program's nextTick queue), and that
// is itself saved as transient (transient.ts): "callbackify this function
// again", made again on restore. The program's code it calls (the original,
// the callback of a rejection) runs as a no-save region (no-save.ts). Argument checks are the platform's own: a
// call it would reject is handed to the platform's function, which throws.

import { functions } from './functions.js';
import type { Runtime } from './runtime.js';
import { transient } from './transient.js';

type Callbackify = (fn: unknown) => unknown;

let rt: Runtime;

export function bindCallbackify(runtime: Runtime): void {
  rt = runtime;
}

function fulfilled(cb: unknown, value: unknown): void {
  rt.nextTick(cb, null, value);
}

function rejected(cb: unknown, reason: unknown): void {
  rt.nextTick(onRejected, reason, cb);
}

/** As Node's `callbackifyOnRejected`: a falsy reason becomes an error that carries it. */
function onRejected(reason: unknown, cb: (reason: unknown) => unknown): unknown {
  if (!reason) {
    const error = new Error('Promise was rejected with falsy value') as Error & { code: string; reason: unknown };
    error.code = 'ERR_FALSY_VALUE_REJECTION';
    error.reason = reason;
    reason = error;
  }
  // the program's callback, called from here (no resume point): a no-save region
  rt.ns++;
  try {
    return cb(reason);
  } finally {
    rt.ns--;
  }
}

function callbackifyAgain(native: Callbackify, original: unknown): unknown {
  return programCallbackify(native, original);
}

function programCallbackify(native: Callbackify, original: unknown): unknown {
  if (typeof original !== 'function') return native(original);
  function callbackified(this: unknown, ...args: unknown[]): void {
    const cb = args[args.length - 1];
    if (typeof cb !== 'function') {
      Reflect.apply(native(original) as Function, this, args);
      return;
    }
    args.pop();
    const bound = (cb as Function).bind(this) as unknown;
    // the program's function, called from here (no resume point): a no-save region (no-save.ts)
    let result: { then(a: unknown, b: unknown): unknown };
    rt.ns++;
    try {
      result = Reflect.apply(original as Function, this, args) as typeof result;
    } finally {
      rt.ns--;
    }
    result.then(fulfilled.bind(undefined, bound), rejected.bind(undefined, bound));
  }
  const descriptors = Object.getOwnPropertyDescriptors(original) as Record<string, PropertyDescriptor>;
  if (typeof descriptors.length?.value === 'number') descriptors.length.value++;
  if (typeof descriptors.name?.value === 'string') descriptors.name.value += 'Callbackified';
  Object.setPrototypeOf(callbackified, Object.getPrototypeOf(original) as object | null);
  Object.defineProperties(callbackified, descriptors);
  transient(callbackified, callbackifyAgain.bind(undefined, native, original) as () => unknown);
  return callbackified;
}

const wrappers = new WeakMap<Callbackify, Callbackify>();

/** `$R.cbf(callbackify)`: the program's callbackify for the platform's (one per native, so imports share it). */
export function runtimeCallbackify(native: Callbackify): Callbackify {
  if (typeof native !== 'function') return native;
  let wrapper = wrappers.get(native);
  if (wrapper === undefined) {
    wrapper = programCallbackify.bind(undefined, native) as Callbackify;
    wrappers.set(native, wrapper);
  }
  return wrapper;
}

functions.registerStatic('introspect:callbackify', programCallbackify);
functions.registerStatic('introspect:callbackifyAgain', callbackifyAgain);
functions.registerStatic('introspect:callbackifyFulfilled', fulfilled);
functions.registerStatic('introspect:callbackifyRejected', rejected);
functions.registerStatic('introspect:callbackifyOnRejected', onRejected);
