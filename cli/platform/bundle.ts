// The restart bundle for engines without Node APIs (SPEC §6): one classic
// script (esbuild, IIFE) holding the host plugin of the target engine, the
// checkpoint bytes (base64) and the built program with its runtime copy.
// Takes the built program's entry, the checkpoint bytes and the platform;
// guarantees the host boots (globalThis.__introspect_boot set) before the
// program's first module is evaluated, and that nothing in the bundle needs a
// Node API or an import at run time. The program's `import.meta.url` /
// `__filename` become the file URL / path they had on Node, so its function
// table and module ids are unchanged. An ES-module program keeps module
// semantics where a classic script differs: the bundle is strict code (a
// plain call's `this` is undefined, as in the modules it came from).

import { build, type Plugin } from 'esbuild';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PlatformHint } from '../../runtime/plugins/portable/boot.js';
import { DONE_KEY } from '../../runtime/plugins/browser/host.js';
import { readHeader } from '../../runtime/format/index.js';
import { BUNDLED_MODULES_KEY, savedDynamicImports, type SavedDynamicImports } from '../../runtime/dynamic-imports.js';
import { BuildError, RestoreError } from '../errors.js';
import { RUNTIME_DIR, RUNTIME_FILES } from '../build/layout.js';
import type { BundleHost } from './registry.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** dist/runtime/plugins/<host>/host.js, compiled next to this file's dist/cli/platform/. */
export function hostModule(host: BundleHost): string {
  return join(HERE, '..', '..', 'runtime', 'plugins', host, 'host.js');
}

export interface BundleOptions {
  /** Absolute path of the built program's entry (main.js). */
  entry: string;
  checkpoint: Uint8Array;
  host: BundleHost;
  hint: PlatformHint;
}

const NS = 'introspect-restart';

const requireHere = createRequire(import.meta.url);

/**
 * Node's modules that are plain JavaScript, by the module that stands in
 * for each on an engine without Node: the packages browserify and webpack
 * use, with the same API; for node:events, the `events` package with the
 * rest of Node's exports (runtime/plugins/portable/events-module.ts), whose
 * emitters keep Node's fields and once-listeners (node-events.ts), so an
 * emitter saved on Node goes on there; for node:util, node:timers and
 * node:assert, our own (util-module.ts on node-format.ts and deep-equal.ts;
 * timers-module.ts over the timer globals; assert-module.ts and
 * assert-strict-module.ts); for node:buffer and node:string_decoder, the
 * `buffer` and `string_decoder` packages with what Node 20 has beside
 * (buffer-module.ts, string-decoder-module.ts); for node:crypto, hashes,
 * HMACs, key derivation and secure random numbers over @noble/hashes
 * (crypto-module.ts).
 */
const PORTABLE = join(HERE, '..', '..', 'runtime', 'plugins', 'portable');
const PORTABLE_NODE_MODULES: Record<string, string> = {
  events: join(PORTABLE, 'events-module.js'),
  util: join(PORTABLE, 'util-module.js'),
  timers: join(PORTABLE, 'timers-module.js'),
  assert: join(PORTABLE, 'assert-module.js'),
  'assert/strict': join(PORTABLE, 'assert-strict-module.js'),
  os: join(PORTABLE, 'os-module.js'),
  buffer: join(PORTABLE, 'buffer-module.js'),
  string_decoder: join(PORTABLE, 'string-decoder-module.js'),
  crypto: join(PORTABLE, 'crypto-module.js'),
  path: requireHere.resolve('path-browserify'),
  'path/posix': requireHere.resolve('path-browserify'),
};
/** What the refusal says the script engines have: `node:events, node:path, …`. */
const PROVIDED_NODE_MODULES = [...Object.keys(PORTABLE_NODE_MODULES), 'timers/promises'].map((m) => `node:${m}`).join(', ');
const PORTABLE_NODE_MODULE = new RegExp(`^(node:)?(${Object.keys(PORTABLE_NODE_MODULES).join('|')})$`);

/** True when the built program is ES modules (its output directory's package.json says "type": "module"). */
function isModuleProgram(entry: string): boolean {
  if (entry.endsWith('.mjs')) return true;
  if (entry.endsWith('.cjs')) return false;
  return packageType(join(dirname(entry), 'package.json')) === 'module';
}

/** An ES module by Node's rule: .mjs, or .js under a nearest package.json of "type": "module". */
function isEsModuleFile(file: string): boolean {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const type = packageType(join(dir, 'package.json'));
    if (type !== undefined) return type === 'module';
    if (dirname(dir) === dir) return false;
  }
}

/** A package.json's "type" ('' where it names none), or undefined where there is no readable file. */
function packageType(pkg: string): string | undefined {
  if (!existsSync(pkg)) return undefined;
  try {
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: string }).type ?? '';
  } catch {
    return undefined;
  }
}

/**
 * esbuild's CommonJS wrapper passes `(exports, module)`; Node's passes
 * `(exports, require, module, __filename, __dirname)`, which a module's top
 * level may read as `arguments` (its length, a lazy `() => arguments`). So a
 * CommonJS module that names `arguments` runs inside a function given Node's
 * five; its own `require`, `exports` and `module` stay the ones esbuild
 * bundles by (the parameters are named otherwise, or are the same objects),
 * and its top-level `this` is still `module.exports`.
 */
function withNodeModuleArguments(text: string, file: string): string {
  const body = text.startsWith('#!') ? text.replace(/^#!.*/, '') : text;
  return `(function (exports, $require, module, $filename, $dirname) {${body}\n}).call(this, exports, require, module, ${JSON.stringify(file)}, ${JSON.stringify(dirname(file))});\n`;
}

/**
 * Loaders of the modules the program had loaded with import(), by the URL a
 * restart asks for (runtime/dynamic-imports.ts): esbuild bundles a literal
 * `import()` as a lazy one, so they still register only when asked, in the
 * saved order. Run after every import of the entry module, which is before
 * the runtime starts (a microtask later).
 */
function bundledModules(options: BundleOptions): string {
  let saved: SavedDynamicImports | undefined;
  try {
    saved = savedDynamicImports(readHeader(options.checkpoint));
  } catch {
    return ''; // the restart reads the header again, and says what is wrong
  }
  const entryUrl = pathToFileURL(options.entry);
  const relative = [...(saved?.modules ?? []), ...(saved?.imports ?? []).map((i) => i[2])];
  const files = new Set(relative.map((m) => fileURLToPath(new URL(m, entryUrl))));
  for (const file of computedImportTargets(dirname(options.entry))) files.add(file);
  if (files.size === 0) return '';
  const loaders = [...files].map((file) => `${JSON.stringify(pathToFileURL(file).href)}: () => import(${JSON.stringify(file)})`);
  return `globalThis[Symbol.for(${JSON.stringify(BUNDLED_MODULES_KEY)})] = {\n${loaders.join(',\n')}\n};\n`;
}

/** A built module's computed import (transformer/dynamic-imports.ts: `($is) => import($is)`, `$` more where the program's names start so). */
const COMPUTED_IMPORT = /\bimport\(\$+is\)/;

/**
 * When some module of the built program computes an import specifier, its
 * targets are not known: every program module of the output directory then
 * gets a loader (its runtime copy and node_modules aside).
 */
function computedImportTargets(outDir: string): string[] {
  const modules = programModules(outDir);
  return modules.some((file) => COMPUTED_IMPORT.test(readFileSync(file, 'utf8'))) ? modules : [];
}

/** The program's modules in its output directory (its runtime copy and node_modules aside). */
function programModules(outDir: string): string[] {
  const modules: string[] = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== '__introspect' && !entry.name.startsWith('.')) walk(path);
      else if (entry.isFile() && /\.m?js$/.test(entry.name)) modules.push(path);
    }
  };
  walk(outDir);
  return modules;
}

/**
 * A module that names the global Buffer, or imports Node's string_decoder or
 * crypto, which are built on it: their Buffers are in the bundle then, and
 * the global costs nothing more (a digest is a Buffer the program may pass
 * to code that asks `Buffer.isBuffer`).
 */
const NAMES_BUFFER = /\bBuffer\b|string_decoder|["'](?:node:)?crypto["']/;

/**
 * Modules of the runtime's side, which name Buffer without the program
 * using it: the program's copy of the runtime (a platform's global it may
 * meet) and the packages this CLI depends on (@noble/hashes, in a comment),
 * which the host's runtime imports.
 */
const OWN_PACKAGES = (() => {
  try {
    const pkg = JSON.parse(readFileSync(join(HERE, '..', '..', '..', 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    return Object.keys(pkg.dependencies ?? {}).map((name) => `${sep}node_modules${sep}${name.split('/').join(sep)}${sep}`);
  } catch {
    return [];
  }
})();

/** The import of a built program's runtime copy (`./__introspect/runtime.mjs`, `../__introspect/…`). */
const RUNTIME_ENTRY = new RegExp(`(^|/)${RUNTIME_DIR}/${RUNTIME_FILES.esm.replace('.', '\\.')}$`);

function isRuntimeCopy(path: string): boolean {
  return basename(path) === RUNTIME_FILES.cjs && basename(dirname(path)) === RUNTIME_DIR;
}

function runtimeSide(path: string): boolean {
  return path.includes(`${sep}__introspect${sep}`) || OWN_PACKAGES.some((dir) => path.includes(dir));
}

/**
 * The bundle gives the engine Node's global `Buffer` (buffer-module.ts)
 * only where the program may use it, as it is ~80 KB of script for the
 * engine to compile (~25 ms of a restart on QuickJS): when the checkpoint
 * names it (its string table holds `Buffer.prototype`, `Buffer.from`…), or
 * a module of the program does; or when a module of a library does, which
 * the first bundling finds out, and a second then gives it.
 */
export async function buildRestartBundle(options: BundleOptions): Promise<string> {
  const bytes = Buffer.from(options.checkpoint.buffer, options.checkpoint.byteOffset, options.checkpoint.byteLength);
  // (a name in the string table opens a JSON string: `"Buffer.from"`, or `\"Buffer\"` in a library's path)
  const named = bytes.includes('"Buffer') || programModules(dirname(options.entry)).some((file) => NAMES_BUFFER.test(readFileSync(file, 'utf8')));
  const base64 = bytes.toString('base64');
  const first = await bundle(options, base64, named);
  return named || !first.namesBuffer ? first.text : (await bundle(options, base64, true)).text;
}

/** One bundling, with the checkpoint as `base64`; says whether a library's module names the global Buffer. */
async function bundle(options: BundleOptions, base64: string, withBuffer: boolean): Promise<{ text: string; namesBuffer: boolean }> {
  let namesBuffer = false;
  const virtual: Plugin = {
    name: 'introspect-restart',
    setup(b) {
      b.onResolve({ filter: /^introspect-restart:/ }, (args) => ({ path: args.path, namespace: NS }));
      // Node's modules that are plain JavaScript: the packages bundlers give a page in their place.
      b.onResolve({ filter: PORTABLE_NODE_MODULE }, (args) => ({ path: PORTABLE_NODE_MODULES[args.path.replace(/^node:/, '')]! }));
      b.onLoad({ filter: /.*/, namespace: NS }, (args) => {
        if (args.path === 'introspect-restart:entry') {
          // Boot first: ES module evaluation order keeps it before the program.
          return { contents: `import 'introspect-restart:boot';\nimport ${JSON.stringify(options.entry)};\n${bundledModules(options)}`, resolveDir: dirname(options.entry), loader: 'js' };
        }
        const buffer = withBuffer ? `import { provideBuffer } from ${JSON.stringify(PORTABLE_NODE_MODULES.buffer)};\nprovideBuffer();\n` : '';
        return {
          contents: `${buffer}import { bootBundle } from ${JSON.stringify(hostModule(options.host))};\nbootBundle(${JSON.stringify(base64)}, ${JSON.stringify(options.hint)});\n`,
          resolveDir: HERE,
          loader: 'js',
        };
      });
      // A program's runtime.mjs requires runtime.cjs through node:module
      // (runtime/plugins/node/runtime-entry.ts): the bundle takes runtime.cjs itself.
      b.onResolve({ filter: RUNTIME_ENTRY }, (args) => ({ path: join(args.resolveDir, args.path.replace(RUNTIME_ENTRY, `$1${RUNTIME_DIR}/${RUNTIME_FILES.cjs}`)) }));
      // Each program module keeps the identity it had on Node.
      b.onLoad({ filter: /\.[cm]?js$/, namespace: 'file' }, async (args) => {
        if (args.path.startsWith(join(HERE, '..', '..')) || isRuntimeCopy(args.path)) return undefined;
        const { readFile } = await import('node:fs/promises');
        const text = await readFile(args.path, 'utf8');
        if (!namesBuffer && NAMES_BUFFER.test(text) && !runtimeSide(args.path)) namesBuffer = true;
        let contents = text;
        if (/import\.meta\.url|__filename|__dirname/.test(text)) {
          const url = JSON.stringify(pathToFileURL(args.path).href);
          contents = contents
            .replace(/\bimport\.meta\.url\b/g, url)
            .replace(/(?<![.\w$])__filename\b/g, JSON.stringify(args.path))
            .replace(/(?<![.\w$])__dirname\b/g, JSON.stringify(dirname(args.path)));
        }
        if (/\barguments\b/.test(text) && !isEsModuleFile(args.path)) contents = withNodeModuleArguments(contents, args.path);
        return contents === text ? undefined : { contents, loader: 'js' };
      });
    },
  };
  try {
    const result = await build({
      entryPoints: ['introspect-restart:entry'],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      target: 'es2022',
      logLevel: 'silent',
      legalComments: 'none',
      // Bundling renames clashing top-level names (Square → _Square); the
      // program may print `constructor.name` or `fn.name`, so keep them.
      keepNames: true,
      banner: isModuleProgram(options.entry) ? { js: '"use strict";' } : undefined,
      // In a page, the script's completion value is what the runner waits for (plugins/browser/host.ts).
      footer: options.host === 'browser' ? { js: `globalThis[${JSON.stringify(DONE_KEY)}];` } : undefined,
      plugins: [virtual],
    });
    return { text: result.outputFiles[0]!.text, namesBuffer };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const missing = nodeModuleNeeded(message);
    if (missing !== undefined) {
      throw new RestoreError(`the program imports ${missing}, a module of Node that ${options.host} does not have`, [
        RESTART_ON_NODE,
        `of Node's modules, ${options.host} is given ${PROVIDED_NODE_MODULES}`,
        message.split('\n').find((line) => line.includes(missing)) ?? message,
      ]);
    }
    const lacking = await portableExportMissing(message);
    if (lacking !== undefined) {
      throw new RestoreError(`the program imports ${lacking.name} from ${lacking.module}, which ${options.host} is not given`, [
        RESTART_ON_NODE,
        `of ${lacking.module}, ${options.host} is given ${lacking.provided.join(', ')}`,
      ]);
    }
    throw new BuildError(`cannot bundle the program for ${options.host}: ${message}`);
  }
}

/**
 * A name the program imports from a Node module whose portable stand-in
 * lacks it (`createCipheriv` of node:crypto), if that is what an esbuild
 * failure says, with what the stand-in exports (read from it, on this path
 * only).
 */
async function portableExportMissing(message: string): Promise<{ name: string; module: string; provided: string[] } | undefined> {
  for (const match of message.matchAll(/No matching export in "([^"]+)" for import "([^"]+)"/g)) {
    // (esbuild names the file relative to its working directory, this process's)
    const file = resolve(match[1]!);
    const entry = Object.entries(PORTABLE_NODE_MODULES).find(([, path]) => path === file);
    if (entry === undefined) continue;
    const exports = Object.keys((await import(pathToFileURL(entry[1]).href)) as object).filter((name) => name !== 'default');
    return { name: match[2]!, module: `node:${entry[0]}`, provided: exports };
  }
  return undefined;
}

/** What a refusal of a Node module the engine lacks tells the user to do. */
const RESTART_ON_NODE = 'restart it on a platform that runs Node\'s modules: node18-x64, node22-x64, node24-x64, bun, deno (or Node on another CPU)';

/** The Node module an esbuild failure could not resolve (`node:events`, `fs`), if that is what it says. */
function nodeModuleNeeded(message: string): string | undefined {
  for (const match of message.matchAll(/Could not resolve "([^"]+)"/g)) {
    const spec = match[1]!;
    if (spec.startsWith('node:') || builtinModules.includes(spec)) return spec;
  }
  return undefined;
}
