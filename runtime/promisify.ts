// `util.promisify` as the program calls it (pass 0b'' points its imports
// here: `$R.prm(promisify)`). Node's promisify makes a closure of its own,
// which no path names, so a module that keeps `promisify(zlib.deflate)` in a
// constant could never be checkpointed. The runtime's calls Node's and marks
// the result transient (transient.ts): saved as "promisify this function
// again" — both functions are savable (library exports, program functions) —
// and made again on restore. A function with its own promisified version
// (`util.promisify.custom`: setTimeout, the runtime's own) gets that, which
// is savable already, and is left as it is.

import { functions } from './functions.js';
import { transient } from './transient.js';

type Promisify = ((fn: unknown) => unknown) & { custom?: symbol };

const CUSTOM = Symbol.for('nodejs.util.promisify.custom');

function promisifyAgain(native: Promisify, fn: unknown): unknown {
  return native(fn);
}

function programPromisify(native: Promisify, fn: unknown): unknown {
  const made = native(fn);
  const own = typeof fn === 'function' ? (fn as unknown as Record<symbol, unknown>)[CUSTOM] : undefined;
  if (typeof made === 'function' && made !== own) transient(made, promisifyAgain.bind(undefined, native, fn) as () => unknown);
  return made;
}

const wrappers = new WeakMap<Promisify, Promisify>();

/** `$R.prm(promisify)`: the program's promisify for Node's `promisify` (one per native, so imports share it). */
export function runtimePromisify(native: Promisify): Promisify {
  if (typeof native !== 'function') return native;
  let wrapper = wrappers.get(native);
  if (wrapper === undefined) {
    wrapper = programPromisify.bind(undefined, native) as Promisify;
    Object.defineProperty(wrapper, 'custom', { value: native.custom, enumerable: true });
    wrappers.set(native, wrapper);
  }
  return wrapper;
}

functions.registerStatic('introspect:promisify', programPromisify);
functions.registerStatic('introspect:promisifyAgain', promisifyAgain);
