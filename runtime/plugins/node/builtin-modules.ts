// Node's built-in modules loaded when first needed, not imported: an import
// is loaded at start by every process, a restart of a small checkpoint too,
// and some (node:v8 on Bun) lack exports a named import would need. Takes a
// module id (`node:fs`); gives the module, through
// `process.getBuiltinModule` where the platform has it, else `require`.

import { createRequire } from 'node:module';

export const loadBuiltin: (id: string) => unknown =
  (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.bind(process) ?? createRequire(import.meta.url);
