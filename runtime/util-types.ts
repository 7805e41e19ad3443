// `util.types.isPromise`, `isAsyncFunction`, `isGeneratorFunction` of
// node:util (and Bun's and Deno's) for the program's promises and functions.
// Those are the runtime's promises (promises.ts) and plain functions the
// transform made of async and generator ones (functions.ts functionKind),
// which the platform's checks do not know, so `util.types.isPromise(asyncCall())`
// would be false where natively it is true. Takes the namespace of a
// node:util or node:util/types import as the program registers it
// (`$R.lib`, libraries.ts); guarantees that these checks answer true for the
// program's own too, and the platform's answer for anything else. Imports
// nothing from a platform: the object comes from the program's own import.

import { writtenKind } from './functions.js';
import { IntroPromise } from './promises.js';

const WRAPPED = Symbol.for('introspect.programPromises');

type Check = ((value: unknown) => boolean) & { [WRAPPED]?: true };

/** Each check, and what else it answers true for. */
const PROGRAM_VALUES: [name: string, isProgramValue: (value: unknown) => boolean][] = [
  ['isPromise', (value) => value instanceof IntroPromise],
  ['isAsyncFunction', (value) => typeof value === 'function' && (writtenKind(value) & 1) === 1],
  ['isGeneratorFunction', (value) => typeof value === 'function' && writtenKind(value) >= 2],
];

function wrap(types: unknown): void {
  if (typeof types !== 'object' || types === null) return;
  for (const [name, isProgramValue] of PROGRAM_VALUES) {
    const native = (types as Record<string, unknown>)[name] as Check;
    if (typeof native !== 'function' || native[WRAPPED]) continue;
    const check = { [name]: (value: unknown): boolean => isProgramValue(value) || native(value) }[name]!;
    Object.defineProperty(check, WRAPPED, { value: true });
    try {
      (types as Record<string, unknown>)[name] = check;
    } catch {
      // a frozen util.types: the platform's answer stays
    }
  }
}

/** For a library the program imports: makes node:util's `types` checks know the program's promises and functions. */
export function recognizeProgramValues(spec: string, ns: unknown): void {
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
