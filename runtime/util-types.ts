// `util.types.isPromise` of node:util (and Bun's and Deno's) for the
// program's promises. Those are the runtime's (promises.ts), which the
// platform's check does not know, so `util.types.isPromise(asyncCall())`
// would be false where natively it is true. Takes the namespace of a
// node:util or node:util/types import as the program registers it
// (`$R.lib`, libraries.ts); guarantees that its `types.isPromise` answers
// true for the program's promises too, and the platform's answer for
// anything else. Imports nothing from a platform: the object comes from the
// program's own import.

import { IntroPromise } from './promises.js';

const WRAPPED = Symbol.for('introspect.programPromises');

type Types = { isPromise?: unknown };

function wrap(types: unknown): void {
  if (typeof types !== 'object' || types === null) return;
  const native = (types as Types).isPromise as ((value: unknown) => boolean) & { [WRAPPED]?: true };
  if (typeof native !== 'function' || native[WRAPPED]) return;
  const isPromise = { isPromise: (value: unknown): boolean => value instanceof IntroPromise || native(value) }.isPromise;
  Object.defineProperty(isPromise, WRAPPED, { value: true });
  try {
    (types as Types).isPromise = isPromise;
  } catch {
    // a frozen util.types: the platform's answer stays
  }
}

/** For a library the program imports: makes node:util's `types.isPromise` know the program's promises. */
export function recognizeProgramPromises(spec: string, ns: unknown): void {
  const name = spec.startsWith('node:') ? spec.slice(5) : spec;
  if ((name !== 'util' && name !== 'util/types') || typeof ns !== 'object' || ns === null) return;
  const module = ns as { types?: unknown; default?: { types?: unknown } };
  if (name === 'util') {
    wrap(module.types);
    wrap(module.default?.types);
  } else {
    wrap(module.default ?? ns);
  }
}
