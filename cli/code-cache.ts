// V8's code cache for the runtime a built program loads, so that `run` and
// `restart` do not compile its ~300 KB again on every start (~60 M of a
// small program's ~770 M instructions of a restart on Node 20). Takes the
// program's entry; guarantees that <outDir>/__introspect/runtime.cjs, which
// the program's runtime.mjs requires (runtime/plugins/node/runtime-entry.ts),
// is already in require's cache, compiled from the cached code where a valid
// one exists, and that a start without one writes it when the process exits.
//
// Where Node has its own compile cache (module.enableCompileCache, Node
// 22.1+), that is turned on instead for every module (by bin/introspect.mjs
// before the command line loads, else here). Elsewhere (Node 18 and 20) the runtime is compiled as
// Node compiles a CommonJS module, by a vm.Script that takes cached data,
// whose cache is made after the program ran and so holds every function it
// compiled lazily too.
//
// The cache is an optimization only: any failure to read, check or write it
// costs the next start its compile and nothing else. V8 rejects cached data
// of another V8 version, other flags or a source of another length; the
// file's name carries the content id the build writes into the runtime's
// first line (scripts/build.mjs), so an edited runtime is compiled afresh.
// The directory is the user's own, writable by no one else (checked before
// use): cached code is code.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import nodeModule, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { RUNTIME_DIR, RUNTIME_FILES } from './build/layout.js';

/** The build's content id at the start of runtime.cjs (scripts/build.mjs writes it). */
const CONTENT_ID = /^\/\*introspect-runtime ([0-9a-f]{16,64})\*\//;
/** Cache files kept in the directory (one per runtime build, Node version and flags). */
const KEEP = 8;
/** How far up from the entry's directory the runtime copy may sit (`run out/src/main.js`). */
const MAX_UP = 8;

export type RuntimeLoad = 'cached' | 'compiled' | 'skipped';

/** The per-user cache directory (INTROSPECT_CACHE_DIR, else one in the temporary directory). */
export function codeCacheDir(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return process.env.INTROSPECT_CACHE_DIR ?? join(tmpdir(), `introspect-cache-${uid}`);
}

/**
 * Loads the runtime copy the program at `entry` will require, through the
 * code cache. 'skipped' where this does not apply (the cache turned off by
 * INTROSPECT_CODE_CACHE=0, Bun or Deno, Node's own compile cache, no copy
 * with a content id): the program then loads its runtime itself, as always.
 */
export function preloadRuntime(entry: string): RuntimeLoad {
  if (process.env.INTROSPECT_CODE_CACHE === '0') return 'skipped';
  const versions = process.versions as Record<string, string | undefined>;
  if (versions.bun !== undefined || versions.deno !== undefined) return 'skipped';
  // (already on when started by bin/introspect.mjs; a platform wrapper starts dist/cli/main.js)
  if (enableNodeCompileCache()) return 'skipped';
  const file = runtimeCopyOf(entry);
  if (file === undefined) return 'skipped';
  const require = createRequire(file);
  if (require.cache[file] !== undefined) return 'skipped';
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return 'skipped';
  }
  const id = CONTENT_ID.exec(source)?.[1];
  if (id === undefined) return 'skipped';

  const dir = ownDirectory(codeCacheDir());
  const cacheFile = dir === undefined ? undefined : join(dir, `runtime-${id}-${process.version}-${process.arch}-${fnv1a(process.execArgv.join(' '))}.v8`);
  let cachedData: Buffer | undefined;
  if (cacheFile !== undefined) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  // Node's own CommonJS wrapper, on the source's first line (line numbers stay the file's).
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, { filename: file, cachedData });
  const module = new nodeModule(file);
  module.filename = file;
  require.cache[file] = module;
  try {
    const body = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
    body.call(module.exports, module.exports, require, module, file, dirname(file));
  } catch (error) {
    delete require.cache[file];
    throw error;
  }
  module.loaded = true;
  const usable = cachedData !== undefined && !script.cachedDataRejected;
  if (!usable && cacheFile !== undefined) process.once('exit', () => writeCache(script, cacheFile));
  return usable ? 'cached' : 'compiled';
}

/**
 * Node's own compile cache (Node 22.1+) for every module loaded from now on,
 * in the same directory: true where Node has one (on, or left off because
 * the directory is not the user's alone), false where this process must
 * preload the runtime itself.
 */
export function enableNodeCompileCache(): boolean {
  const enable = (nodeModule as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (typeof enable !== 'function') return false;
  const dir = ownDirectory(codeCacheDir());
  if (dir !== undefined) enable(join(dir, 'node'));
  return true;
}

/** <dir>/__introspect/runtime.cjs for the entry's directory or one above it. */
function runtimeCopyOf(entry: string): string | undefined {
  let dir = dirname(entry);
  for (let up = 0; up < MAX_UP; up++) {
    const file = join(dir, RUNTIME_DIR, RUNTIME_FILES.cjs);
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  return undefined;
}

/** The directory, made if missing; undefined unless it is this user's and no one else may write in it. */
function ownDirectory(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = statSync(dir);
    if (!stat.isDirectory() || (stat.mode & 0o022) !== 0) return undefined;
    if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/** Written whole (a temporary file renamed), then the oldest beyond KEEP removed. */
function writeCache(script: Script, file: string): void {
  try {
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
    renameSync(temporary, file);
    const dir = dirname(file);
    const entries = readdirSync(dir)
      .filter((name) => name.endsWith('.v8'))
      .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of entries.slice(KEEP)) unlinkSync(old.path);
  } catch {
    // (see the file comment: the next start compiles)
  }
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}
