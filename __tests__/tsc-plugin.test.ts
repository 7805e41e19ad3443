// The tsc plugin path of SPEC §2: a multi-file ESM project
// (__tests__/projects/tsc-plugin: four modules with module-level state, a
// class with a static counter) whose tsconfig.json lists
// `{ "transform": "introspect/transformer" }`, built by ts-patch's `tspc`
// the way a user's project would be (the package reached as
// node_modules/introspect), then put through the oracle of SPEC §3 with the
// CLI: the output of the uninstrumented build, uninterrupted, checkpoint +
// kill + restart at a spread of points, checkpoint-and-continue.
//
// Variants:
//   - ts-patch 3 + TypeScript 5.9 on this Node (devDependencies ts-patch3,
//     typescript5; ts-patch is pointed at its compiler by TSP_COMPILER_TS_PATH);
//   - ts-patch 4 + TypeScript 6 on Node 22 from the npm registry (ts-patch 4
//     needs Node >= 22.15): scripts/tsc-plugin-node22.mjs installs it once.
//     Linux x64 only; INTROSPECT_SKIP_NODE22=1 skips it (e.g. offline).

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstDifference, formatDiff, parsePointCount } from './harness/compare.js';
import { cliEntry, repoRoot } from './harness/paths.js';
import { describeExit, killAll, runProcess, type RunResult } from './harness/process.js';

const PROJECT = join(repoRoot, '__tests__', 'projects', 'tsc-plugin');
const TIMEOUT_MS = 120_000;
const scratch = mkdtempSync(join(tmpdir(), 'introspect-tsc-plugin-'));
afterAll(() => {
  killAll();
  rmSync(scratch, { recursive: true, force: true });
});

function run(argv: string[], cwd = repoRoot, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return runProcess(argv, { cwd, timeoutMs: TIMEOUT_MS, env: { ...process.env, ...env } });
}

function cli(...args: string[]): Promise<RunResult> {
  return run([process.execPath, cliEntry, ...args]);
}

function ok(r: RunResult, what: string): RunResult {
  if (r.code !== 0 || r.timedOut) throw new Error(`${what}: ${describeExit(r)}\n${r.stderr.toString('utf8').slice(-3000)}`);
  return r;
}

/** A copy of the project as a user has it: the package installed as node_modules/introspect. */
function userProject(name: string, pluginEntry?: object): string {
  const dir = join(scratch, name);
  cpSync(PROJECT, dir, { recursive: true, filter: (src) => !src.includes(`${PROJECT}/out`) });
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repoRoot, join(dir, 'node_modules', 'introspect'), 'dir');
  if (pluginEntry !== undefined) {
    const config = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8')) as { compilerOptions: { plugins: object[] } };
    config.compilerOptions.plugins = [pluginEntry];
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config, null, 2));
  }
  return dir;
}

/** The program's output without Introspect: plain tsc (which ignores transform plugins), plain node. */
let reference = '';
beforeAll(async () => {
  const dir = userProject('plain');
  ok(await run([process.execPath, join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], dir), 'plain tsc');
  expect(readFileSync(join(dir, 'out', 'main.js'), 'utf8')).not.toContain('introspect');
  reference = ok(await run([process.execPath, join(dir, 'out', 'main.js')], dir), 'plain run').stdout.toString('utf8');
  expect(reference.split('\n').length).toBeGreaterThan(20);
}, TIMEOUT_MS);

function same(actual: string, what: string): void {
  const diff = firstDifference(reference, actual);
  if (diff) throw new Error(`${what}: output differs from the uninstrumented build\n${formatDiff(diff)}`);
}

interface Compiler {
  node: string;
  tspc: string;
  env: NodeJS.ProcessEnv;
}

const tsPatch3: () => Compiler = () => ({
  node: process.execPath,
  tspc: join(repoRoot, 'node_modules', 'ts-patch3', 'bin', 'tspc.js'),
  env: { TSP_COMPILER_TS_PATH: join(repoRoot, 'node_modules', 'typescript5') },
});

const tsPatch4: () => Compiler = () => {
  const found = JSON.parse(execFileSync(process.execPath, [join(repoRoot, 'scripts', 'tsc-plugin-node22.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as { node: string; tspc: string; typescript: string };
  return { node: found.node, tspc: found.tspc, env: { TSP_COMPILER_TS_PATH: found.typescript } };
};

const node22Available = process.platform === 'linux' && process.arch === 'x64' && process.env.INTROSPECT_SKIP_NODE22 !== '1';

const variants: [string, () => Compiler, boolean][] = [
  ['ts-patch 3 + TypeScript 5.9, this Node', tsPatch3, true],
  ['ts-patch 4 + TypeScript 6, Node 22 from the npm registry', tsPatch4, node22Available],
];

describe.each(variants)('%s', (name, compiler, available) => {
  const maybe = available ? test : test.skip;
  const slug = name.replace(/\W+/g, '-');
  const dir = join(scratch, slug);
  const mainJs = join(dir, 'out', 'main.js');
  let built: RunResult | undefined;

  beforeAll(async () => {
    if (!available) return;
    const c = compiler();
    userProject(slug);
    const versions = ok(await run([c.node, '-e', 'console.log(process.version, require(process.env.TSP_COMPILER_TS_PATH + "/package.json").version)'], dir, c.env), 'versions');
    process.stderr.write(`tsc plugin variant "${name}": node ${versions.stdout.toString('utf8').trim().replace(' ', ', TypeScript ')}\n`);
    built = await run([c.node, c.tspc, '-p', join(dir, 'tsconfig.json')], dir, c.env);
  }, TIMEOUT_MS);

  maybe('tspc builds checkpointable JS: every module instrumented, importing the installed runtime', () => {
    ok(built!, 'tspc');
    const sources = readdirSync(join(PROJECT, 'src')).filter((f) => f.endsWith('.ts'));
    expect(sources.length).toBeGreaterThanOrEqual(4);
    for (const source of sources) {
      const js = readFileSync(join(dir, 'out', source.replace(/\.ts$/, '.js')), 'utf8');
      expect(js.startsWith('import { runtime as $Rm } from "introspect/runtime";\nconst $R = $Rm')).toBe(true);
      expect(js).toContain(`id: "${source}"`);
    }
  });

  maybe('oracle: uninterrupted, checkpoint + kill + restart at a spread of points, checkpoint-and-continue', async () => {
    ok(built!, 'tspc');
    same(ok(await run([process.execPath, mainJs], dir), 'node out/main.js').stdout.toString('utf8'), 'plain node run of the tspc output');
    const counted = ok(await cli('run', mainJs, '--count-points'), 'run --count-points');
    same(counted.stdout.toString('utf8'), 'introspect run');
    const n = parsePointCount(counted.stderr.toString('utf8'));
    expect(n).toBeGreaterThan(50);
    const ks = [...new Set([1, 2, Math.floor(n! / 4), Math.floor(n! / 2), Math.floor((3 * n!) / 4), n! - 1, n!])];
    for (const k of ks) {
      const file = join(dir, `k${k}.ckpt`);
      const first = ok(await cli('run', mainJs, '--checkpoint-at', String(k), '--checkpoint-file', file, '--exit-after-checkpoint'), `k=${k}: checkpointing run`);
      expect(existsSync(file)).toBe(true);
      const second = ok(await cli('restart', file), `k=${k}: restart`);
      same(first.stdout.toString('utf8') + second.stdout.toString('utf8'), `k=${k}: first half + restart`);
    }
    const k = Math.floor(n! / 2);
    const file = join(dir, 'continue.ckpt');
    same(ok(await cli('run', mainJs, '--checkpoint-at', String(k), '--checkpoint-file', file), 'checkpoint-and-continue').stdout.toString('utf8'), `k=${k}: checkpoint-and-continue`);
    expect(existsSync(file)).toBe(true);
    // The checkpoint names the original TypeScript modules.
    const inspected = JSON.parse(ok(await cli('inspect', file, '--json'), 'inspect').stdout.toString('utf8')) as { body: { frames: { file: string }[] } };
    expect(inspected.body.frames.length).toBeGreaterThan(0);
    for (const frame of inspected.body.frames) expect(['main.ts', 'ids.ts', 'ledger.ts', 'report.ts']).toContain(frame.file);
  }, 10 * TIMEOUT_MS);
});

// SPEC §2's form, without `"after": true`: ts-patch puts the plugin in the
// `before` slot, from where it transforms each file as TypeScript prints it.
test('the plugin entry exactly as SPEC §2 writes it (no "after": true) builds the same checkpointable program', async () => {
  const c = tsPatch3();
  const dir = userProject('spec-entry', { transform: 'introspect/transformer' });
  ok(await run([c.node, c.tspc, '-p', join(dir, 'tsconfig.json')], dir, c.env), 'tspc');
  const mainJs = join(dir, 'out', 'main.js');
  expect(readFileSync(mainJs, 'utf8')).toContain('introspect/runtime');
  same(ok(await cli('run', mainJs), 'run').stdout.toString('utf8'), 'SPEC-form build, uninterrupted');
  const file = join(dir, 'mid.ckpt');
  const before = ok(await cli('run', mainJs, '--checkpoint-at', '20', '--checkpoint-file', file, '--exit-after-checkpoint'), 'checkpoint').stdout.toString('utf8');
  const after = ok(await cli('restart', file), 'restart').stdout.toString('utf8');
  same(before + after, 'SPEC-form build, checkpoint at 20 + restart');
}, 2 * TIMEOUT_MS);
