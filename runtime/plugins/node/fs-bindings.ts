// node:fs's descriptor functions as the program's imports reach them. The
// Node host wraps them on node:fs's module object (open-files.ts records
// what the program opens, descriptor-numbers.ts translates a number a
// restart could not give back) and Node's `syncBuiltinESMExports` makes
// `import { openSync } from 'node:fs'` and `import * as fs` see the
// wrappers. Bun's and Deno's ES-module bindings of built-ins do not follow
// the module object, so there the program opened files unrecorded (a
// checkpoint taken there did not reopen them) and wrote through numbers
// untranslated (a restart on Deno, whose own descriptors take 0–20, where
// Node 20's program got 18: EBADF). The transform points those imports at
// `$R.fsd(native, name)` (transformer/library-helpers.ts), which binds the
// name once, so on Node too it must not be the function the import held
// then (a later wrapper, the translation, would be missed). Takes node:fs's
// module object; guarantees that the program holds one forwarder per name
// that calls the function the module object holds at the time of the call
// (same name, length and symbol-keyed properties: `util.promisify` of
// `fs.read` still resolves to `{ bytesRead, buffer }`), saved by the name
// `node:fs.descriptor.<name>` (Host.namedLazily), which every Node host
// gives back.

import { FS_DESCRIPTOR_FUNCTIONS } from '../../fs-descriptor-functions.js';
import { loadBuiltin } from './builtin-modules.js';

const fs = loadBuiltin('node:fs') as Record<string, unknown>;
const forwarders = new Map<string, Function>();

function forwarderOf(name: string): Function | undefined {
  const known = forwarders.get(name);
  if (known !== undefined) return known;
  const current = fs[name];
  if (typeof current !== 'function') return undefined;
  const forwarder = {
    [name](this: unknown, ...args: unknown[]): unknown {
      return Reflect.apply(fs[name] as Function, this, args);
    },
  }[name]!;
  Object.defineProperty(forwarder, 'length', { value: current.length, configurable: true });
  for (const key of Object.getOwnPropertySymbols(current)) Object.defineProperty(forwarder, key, Object.getOwnPropertyDescriptor(current, key)!);
  forwarders.set(name, forwarder);
  return forwarder;
}

/** What the program's import of node:fs's `name` binds to: the forwarder for a descriptor function, else the import itself. */
export function programFsFunction(native: unknown, name: string): unknown {
  return FS_DESCRIPTOR_FUNCTIONS.includes(name) ? (forwarderOf(name) ?? native) : native;
}

/** The forwarders by name, on every Node host: a checkpoint taken on Bun or Deno holds them, and one restarted on Node gets Node's. */
export function namedForwarders(): Record<string, () => object | undefined> {
  return Object.fromEntries(FS_DESCRIPTOR_FUNCTIONS.map((name) => [`node:fs.descriptor.${name}`, () => forwarderOf(name)]));
}
