// The runtime's code cache (cli/code-cache.ts) and the runtime.mjs a build
// copies (runtime/plugins/node/runtime-entry.ts): the entry exports what the
// runtime bundle does; `run` leaves a cache that the next start uses and
// that a damaged or foreign file never replaces; the program runs the same
// either way. Each case in a fresh node process: require's cache and the
// runtime are per process.

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'introspect.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'introspect-code-cache-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Node 22.1+ caches every module itself: preloadRuntime turns that on and steps aside. */
const nodeCachesItself = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';

function node(script: string, env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, ...env } });
}

const entry = (() => {
  const program = join(scratch, 'program');
  mkdirSync(program, { recursive: true });
  writeFileSync(join(program, 'main.ts'), ['let total = 0;', 'for (let i = 1; i <= 5; i++) total += i * i;', 'console.log(`total ${total}`);', ''].join('\n'));
  const built = spawnSync(process.execPath, [BIN, 'build', program, '--out-dir', join(scratch, 'out')], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(built.stderr);
  return join(scratch, 'out', 'main.js');
})();

/** preloadRuntime in a fresh process; prints what it did and whether the program's runtime.mjs then gives the preloaded runtime. */
function preload(cacheDir: string): { load: string; same: boolean } {
  const script = `
    import { createRequire } from 'node:module';
    import { preloadRuntime } from ${JSON.stringify(join(ROOT, 'dist/cli/code-cache.js'))};
    const entry = ${JSON.stringify(entry)};
    const load = preloadRuntime(entry);
    const runtimeFile = ${JSON.stringify(join(dirname(entry), '__introspect', 'runtime.cjs'))};
    const cached = createRequire(runtimeFile).cache[runtimeFile];
    const viaEntry = await import(${JSON.stringify(join(dirname(entry), '__introspect', 'runtime.mjs'))});
    console.log(JSON.stringify({ load, same: cached !== undefined && cached.exports.runtime === viaEntry.runtime }));`;
  const r = node(script, { INTROSPECT_CACHE_DIR: cacheDir });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { load: string; same: boolean };
}

const cacheFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.v8'));

test("a built program's runtime.mjs exports what the runtime bundle exports", () => {
  const r = node(`
    const entry = await import(${JSON.stringify(join(ROOT, 'dist/runtime-entry.mjs'))});
    const bundle = await import(${JSON.stringify(join(ROOT, 'dist/runtime.mjs'))});
    console.log(JSON.stringify([Object.keys(entry).sort(), Object.keys(bundle).sort()]));`);
  expect(r.status).toBe(0);
  const [entryNames, bundleNames] = JSON.parse(r.stdout) as string[][];
  expect(entryNames).toEqual(bundleNames);
  expect(entryNames).toContain('runtime');
});

(nodeCachesItself ? test.skip : test)('the first start compiles the runtime and writes its cache; the next one loads it from there', () => {
  const dir = join(scratch, 'cache');
  expect(preload(dir)).toEqual({ load: 'compiled', same: true });
  expect(cacheFiles(dir)).toHaveLength(1);
  expect(preload(dir)).toEqual({ load: 'cached', same: true });
  expect(statSync(dir).mode & 0o077).toBe(0);
});

(nodeCachesItself ? test.skip : test)('a damaged cache file is compiled past and written again', () => {
  const dir = join(scratch, 'damaged');
  preload(dir);
  const [name] = cacheFiles(dir);
  writeFileSync(join(dir, name!), Buffer.alloc(64, 7));
  expect(preload(dir)).toEqual({ load: 'compiled', same: true });
  expect(statSync(join(dir, name!)).size).toBeGreaterThan(100_000);
  expect(preload(dir).load).toBe('cached');
});

(nodeCachesItself ? test.skip : test)('a cache directory others may write in is neither read nor written', () => {
  const dir = join(scratch, 'shared');
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777);
  expect(preload(dir)).toEqual({ load: 'compiled', same: true });
  expect(cacheFiles(dir)).toHaveLength(0);
});

test('INTROSPECT_CODE_CACHE=0 leaves the runtime to the program', () => {
  const dir = join(scratch, 'off');
  const r = node(`
    import { preloadRuntime } from ${JSON.stringify(join(ROOT, 'dist/cli/code-cache.js'))};
    console.log(preloadRuntime(${JSON.stringify(entry)}));`, { INTROSPECT_CACHE_DIR: dir, INTROSPECT_CODE_CACHE: '0' });
  expect(r.stdout.trim()).toBe('skipped');
});

test('`introspect run` prints the same with and without a cache, and leaves one', () => {
  const dir = join(scratch, 'cli');
  const run = () => spawnSync(BIN, ['run', entry], { encoding: 'utf8', env: { ...process.env, INTROSPECT_CACHE_DIR: dir } });
  const first = run();
  const second = run();
  expect(first.stdout).toBe('total 55\n');
  expect(second.stdout).toBe(first.stdout);
  expect(second.stderr).toBe('');
  const left = nodeCachesItself ? readdirSync(dir) : cacheFiles(dir);
  expect(left.length).toBeGreaterThan(0);
});
