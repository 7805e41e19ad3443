// The functions node:module's `createRequire(base)` makes: an ES module's
// `const require = createRequire(import.meta.url)` holds one in module
// state, and the engine's function cannot be saved as code. node:module's
// createRequire is wrapped once, at start, before the program's modules
// bind it (syncBuiltinESMExports updates their named imports on Node; on
// Bun and Deno it does not, and the transform points the program's imports
// at the wrapper instead, `$R.crq`), so that the runtime hears of each function made and its base (Host.requires): it is
// saved by name (`require:<module id>`, libraries.ts) and made again from
// that module's URL on restore, wherever the program now lives. What such a
// function loads by package name or as a built-in (`require('lodash')`,
// `require('node:path')`) is told too: the runtime names it as a library,
// as if imported, and requires it again on restore.

import type { Host } from '../../host.js';
import { loadBuiltin } from './builtin-modules.js';

type ModuleBuiltin = { createRequire?: (base: string | URL) => Function; syncBuiltinESMExports?: () => void };

export function watchRequireFunctions(): Host['requires'] {
  let node: ModuleBuiltin;
  try {
    node = loadBuiltin('node:module') as ModuleBuiltin;
  } catch {
    return undefined;
  }
  const original = node.createRequire;
  if (typeof original !== 'function') return undefined;
  let made: ((require: Function, base: string) => void) | undefined;
  let loaded: ((id: string, exports: unknown) => void) | undefined;
  const wrap = (native: Function): Function => {
    const require = function require(id: string): unknown {
      const exports = native(id);
      loaded?.(id, exports);
      return exports;
    };
    for (const key of ['resolve', 'cache', 'main', 'extensions']) (require as unknown as Record<string, unknown>)[key] = (native as unknown as Record<string, unknown>)[key];
    return require;
  };
  const createRequire = function createRequire(base: string | URL): Function {
    const require = wrap(original(base));
    made?.(require, String(base));
    return require;
  };
  try {
    node.createRequire = createRequire;
    node.syncBuiltinESMExports?.();
  } catch {
    // a platform whose node:module cannot be changed: the program's own imports still reach the wrapper ($R.crq)
  }
  return {
    createRequire,
    watch: (tellMade, tellLoaded) => {
      made = tellMade;
      loaded = tellLoaded;
    },
    make: (base) => wrap(original(base)),
  };
}
