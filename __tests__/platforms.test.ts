// The restart matrix in the default test run (SPEC §6): at least one engine
// that is not V8 — QuickJS compiled to wasm, from this project's dev
// dependencies (cli/platform/runners/qjs-wasm.ts), so CI needs no setup — gets
// checkpoints taken on this Node for a few fixtures, through the platform
// oracle (harness/platform-oracle.ts). When INTROSPECT_PLATFORMS names a
// directory installed by scripts/platforms.sh, the byte-order fixture also
// goes to and comes from big-endian s390x, and native QuickJS joins in.
// `npm run test:platforms` is the full table over every installed platform.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { platformSpec, resolvePlatform, installedPlatforms, PLATFORMS } from '../cli/platform/registry.js';
import { buildRestartBundle } from '../cli/platform/bundle.js';
import { decodeBase64, hostEndianness } from '../runtime/plugins/portable/boot.js';
import { loadFixture } from './harness/fixtures.js';
import { buildFixture, checkFrom, checkTo, cleanUp, takeCheckpoint, type BuiltFixture, type PlatformCheck } from './harness/platform-oracle.js';
import { cliEntry, repoRoot } from './harness/paths.js';
import { killAll, runProcess } from './harness/process.js';
import { chooseKs } from './harness/sampling.js';

afterAll(killAll);

const dir = process.env.INTROSPECT_PLATFORMS && existsSync(join(process.env.INTROSPECT_PLATFORMS, 'bin')) ? process.env.INTROSPECT_PLATFORMS : undefined;
const installed = new Set(installedPlatforms(dir).map((p) => p.name));
const options = { platformsDir: dir, timeoutMs: 120_000 };

function failures(checks: PlatformCheck[]): string {
  return checks.filter((c) => !c.ok).map((c) => `k=${c.k} ${c.direction}: ${c.problem}`).join('\n\n');
}

describe('platform registry and boot helpers', () => {
  test('every platform of SPEC §6 has an entry', () => {
    for (const name of ['node18-x64', 'node22-x64', 'node24-x64', 'bun', 'deno', 'qjs', 'qjs-wasm', 'jsc', 'gjs', 'chromium', 'firefox', 'node20-arm64', 'node20-ppc64le', 'node20-s390x', 'qjs-s390x']) {
      expect(platformSpec(name)).toBeDefined();
    }
    expect(PLATFORMS.filter((p) => p.endianness === 'BE').map((p) => p.name)).toContain('qjs-s390x');
  });

  test('an unknown or missing platform is a usage error naming what to do', () => {
    expect(() => resolvePlatform('nope', undefined, () => undefined)).toThrow(/unknown platform "nope"/);
    expect(() => resolvePlatform('qjs', undefined, () => undefined)).toThrow(/--platforms-dir/);
    const empty = mkdtempSync(join(tmpdir(), 'introspect-noplatforms-'));
    try {
      expect(() => resolvePlatform('qjs', empty, () => undefined)).toThrow(/scripts\/platforms\.sh/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test('base64 decoding without atob and byte-order detection', () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff);
    expect(Buffer.from(decodeBase64(Buffer.from(bytes).toString('base64'))).equals(Buffer.from(bytes))).toBe(true);
    expect(hostEndianness()).toBe('LE');
  });

  test('restart --platform refuses a bad checkpoint before starting anything (exit 3)', async () => {
    const work = mkdtempSync(join(tmpdir(), 'introspect-badckpt-'));
    try {
      const file = join(work, 'bad.ckpt');
      writeFileSync(file, 'not a checkpoint');
      const r = await runProcess([process.execPath, cliEntry, 'restart', file, '--platform', 'qjs-wasm'], { cwd: repoRoot, timeoutMs: 60_000 });
      expect(r.code).toBe(3);
      expect(r.stdout.length).toBe(0);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('a program that imports a module of Node', () => {
  test('is refused on an engine without Node\'s modules, naming the module and where it restarts (exit 3)', async () => {
    const built = await buildFixture(loadFixture('node-promisify'), options);
    try {
      const taken = await takeCheckpoint(built, 1, options);
      expect(existsSync(taken.file)).toBe(true);
      const r = await runProcess([process.execPath, cliEntry, 'restart', taken.file, '--platform', 'qjs-wasm'], { cwd: repoRoot, timeoutMs: 120_000 });
      expect(r.code).toBe(3);
      expect(r.stdout.length).toBe(0);
      expect(r.stderr.toString()).toMatch(/imports node:zlib, a module of Node that quickjs does not have[\s\S]*bun, deno/);
    } finally {
      cleanUp(built);
    }
  }, 300_000);
});

describe('a program that imports what a portable module of Node lacks', () => {
  test('is refused on an engine without Node\'s modules, naming the import, where it restarts and what is given (exit 3)', async () => {
    const work = mkdtempSync(join(tmpdir(), 'introspect-cipher-'));
    try {
      mkdirSync(join(work, 'cipher'));
      writeFileSync(join(work, 'cipher', 'main.ts'), "import { createCipheriv, createHash } from 'node:crypto';\nconsole.log(typeof createCipheriv, createHash('md5').update('x').digest('hex'));\n");
      const out = join(work, 'out');
      expect((await runProcess([process.execPath, cliEntry, 'build', join(work, 'cipher'), '--out-dir', out], { cwd: work, timeoutMs: 60_000 })).code).toBe(0);
      const hint = { engine: 'quickjs', runtime: 'qjs', os: 'linux', cpu: 'x64' } as const;
      const refusal = await buildRestartBundle({ entry: join(out, 'main.js'), checkpoint: new Uint8Array(0), host: 'quickjs', hint }).then(() => undefined, (e: Error & { exitCode?: number; details?: string[] }) => e);
      expect(refusal?.exitCode).toBe(3);
      expect(refusal?.message).toBe('the program imports createCipheriv from node:crypto, which quickjs is not given');
      expect(refusal?.details?.join('\n')).toMatch(/bun, deno[\s\S]*of node:crypto, quickjs is given Hash, Hmac, createHash, createHmac/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('restart on QuickJS (wasm, built in)', () => {
  test.each(['tiny-steps', 'typed-arrays-endian', 'finally-maze', 'class-zoo', 'gen-coroutines', 'async-microtask-order', 'async-producer-consumer', 'proxy-arrays', 'class-parent-links', 'process-portable', 'events-once', 'timer-interval-abort', 'os-portable', 'buffer-portable', 'cjs-top-level-this', 'crypto-portable'])(
    '%s',
    async (name) => {
      const built = await buildFixture(loadFixture(name), options);
      try {
        const ks = chooseKs(built.points, 3, 0, name);
        const checks: PlatformCheck[] = [];
        for (const k of ks) checks.push(await checkTo(built, platformSpec('qjs-wasm')!, k, options));
        expect(failures(checks)).toBe('');
      } finally {
        cleanUp(built);
      }
    },
    300_000,
  );
});

describe('an error nothing catches ends a restarted program as on Node (exit 1, stack on stderr, no timer after)', () => {
  const engines = ['qjs-wasm', ...['gjs', 'jsc', 'qjs'].filter((n) => installed.has(n))];
  test.each(['uncaught-rejection', 'uncaught-microtask'])('%s', async (name) => {
    const work = mkdtempSync(join(tmpdir(), `introspect-${name}-`));
    try {
      const mainJs = join(work, 'out', 'main.js');
      const build = await runProcess([process.execPath, cliEntry, 'build', join(repoRoot, '__tests__', 'programs', name), '--out-dir', join(work, 'out')], { cwd: work, timeoutMs: 60_000 });
      expect(build.code).toBe(0);
      const plain = await runProcess([process.execPath, cliEntry, 'run', mainJs], { cwd: work, timeoutMs: 60_000 });
      expect(plain.code).toBe(1);
      expect(plain.stderr.toString()).toContain('boom');
      const problems: string[] = [];
      for (const k of [1, 2, 3, 4]) {
        const file = join(work, `k${k}.ckpt`);
        const taken = await runProcess([process.execPath, cliEntry, 'run', mainJs, '--checkpoint-at', String(k), '--checkpoint-file', file, '--exit-after-checkpoint'], { cwd: work, timeoutMs: 60_000 });
        expect(existsSync(file)).toBe(true);
        for (const engine of engines) {
          const r = await runProcess([process.execPath, cliEntry, 'restart', file, '--platform', engine, ...(dir ? ['--platforms-dir', dir] : [])], { cwd: work, timeoutMs: 120_000 });
          const out = Buffer.concat([taken.stdout, r.stdout]).toString();
          if (r.code !== 1 || out !== plain.stdout.toString() || !r.stderr.toString().includes('boom')) {
            problems.push(`k=${k} ${engine}: exit ${r.code}, stdout ${JSON.stringify(out)}, stderr ${JSON.stringify(r.stderr.toString().slice(0, 200))}`);
          }
        }
      }
      expect(problems.join('\n')).toBe('');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 600_000);
});

describe('process.exitCode at a natural end: the restarted program exits with it where the shell would end with 0', () => {
  // qjs-wasm: the project's runner, which has timers, and the platforms directory's, which keeps virtual time
  const engines = ['qjs-wasm (built in)', ...['qjs-wasm', 'gjs', 'jsc', 'qjs', 'chromium', 'firefox'].filter((n) => installed.has(n))];
  test(engines.join(', '), async () => {
    const work = mkdtempSync(join(tmpdir(), 'introspect-exit-code-'));
    try {
      const program = join(repoRoot, '__tests__', 'programs', 'exit-code-end');
      const mainJs = join(work, 'out', 'main.js');
      expect((await runProcess([process.execPath, cliEntry, 'build', program, '--out-dir', join(work, 'out')], { cwd: work, timeoutMs: 60_000 })).code).toBe(0);
      const expected = readFileSync(join(program, 'expected.txt'), 'utf8');
      const problems: string[] = [];
      for (const k of [1, 3, 5]) {
        const file = join(work, `k${k}.ckpt`);
        const taken = await runProcess([process.execPath, cliEntry, 'run', mainJs, '--checkpoint-at', String(k), '--checkpoint-file', file, '--exit-after-checkpoint'], { cwd: work, timeoutMs: 60_000 });
        expect(existsSync(file)).toBe(true);
        for (const engine of engines) {
          const builtIn = engine.endsWith('(built in)');
          const env = { ...process.env };
          if (builtIn) delete env.INTROSPECT_PLATFORMS;
          const r = await runProcess([process.execPath, cliEntry, 'restart', file, '--platform', engine.split(' ')[0]!, ...(dir !== undefined && !builtIn ? ['--platforms-dir', dir] : [])], { cwd: work, timeoutMs: 120_000, env });
          const out = Buffer.concat([taken.stdout, r.stdout]).toString();
          if (r.code !== 7 || out !== expected) problems.push(`k=${k} ${engine}: exit ${r.code}, stdout ${JSON.stringify(out)}, stderr ${JSON.stringify(r.stderr.toString().slice(0, 200))}`);
        }
      }
      expect(problems.join('\n')).toBe('');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 600_000);
});

describe("node:crypto's random bytes after a restart come from a secure source, or fail naming the engine", () => {
  // The native QuickJS shell and gjs read /dev/urandom, browsers have crypto.getRandomValues; jsc and QuickJS in wasm have no source (never Math.random)
  const expected: Record<string, string> = { 'qjs-wasm': 'none', qjs: 'secure', gjs: 'secure', jsc: 'none', chromium: 'secure', firefox: 'secure' };
  const engines = ['qjs-wasm', ...['gjs', 'jsc', 'qjs', 'chromium', 'firefox'].filter((n) => installed.has(n))];
  test(engines.join(', '), async () => {
    const work = mkdtempSync(join(tmpdir(), 'introspect-random-'));
    try {
      mkdirSync(join(work, 'random'));
      writeFileSync(join(work, 'random', 'main.ts'), [
        "import { randomBytes, randomUUID } from 'node:crypto';",
        'await new Promise((resolve) => setTimeout(resolve, 1));',
        'try {',
        '  const [a, b] = [randomBytes(32), randomBytes(32)];',
        "  console.log(a.length === 32 && !a.equals(b) && /^[0-9a-f]{8}-[0-9a-f]{4}-4/.test(randomUUID()) ? 'secure' : 'broken');",
        '} catch (error) {',
        '  const e = error as Error & { code?: string };',
        "  console.log(e.code === 'ERR_INTROSPECT_NO_SECURE_RANDOM' && /^crypto.randomBytes needs secure random bytes, which (the jsc shell|QuickJS in wasm) does not give/.test(e.message) ? 'none' : `unexpected ${e.message}`);",
        '}',
        '',
      ].join('\n'));
      const mainJs = join(work, 'out', 'main.js');
      expect((await runProcess([process.execPath, cliEntry, 'build', join(work, 'random'), '--out-dir', join(work, 'out')], { cwd: work, timeoutMs: 60_000 })).code).toBe(0);
      const file = join(work, 'k1.ckpt');
      await runProcess([process.execPath, cliEntry, 'run', mainJs, '--checkpoint-at', '1', '--checkpoint-file', file, '--exit-after-checkpoint'], { cwd: work, timeoutMs: 60_000 });
      const found: Record<string, string> = {};
      for (const engine of engines) {
        const r = await runProcess([process.execPath, cliEntry, 'restart', file, '--platform', engine, ...(dir !== undefined ? ['--platforms-dir', dir] : [])], { cwd: work, timeoutMs: 120_000 });
        found[engine] = `${r.code} ${r.stdout.toString().trim()}`;
      }
      expect(found).toEqual(Object.fromEntries(engines.map((e) => [e, `0 ${expected[e]}`])));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 600_000);
});

/** A program of __tests__/programs, checkpointed on each installed one of `candidates`, restarts on this Node with the output it expects. */
function takenThereRestartsHere(program: string, candidates: string[]): void {
  const takers = candidates.filter((n) => installed.has(n));
  const onlyIf = (ok: boolean) => (ok ? test : test.skip);
  onlyIf(takers.length > 0)(`${takers.join(', ') || 'Node 22+'} → this Node`, async () => {
    const dir = join(repoRoot, '__tests__', 'programs', program);
    const built = await buildFixture({ name: program, dir, expected: readFileSync(join(dir, 'expected.txt')), settings: {} }, options, platformSpec(takers[0]!));
    try {
      const checks: PlatformCheck[] = [];
      for (const taker of takers) for (const k of chooseKs(built.points, 3, 0, taker)) checks.push(await checkFrom(built, platformSpec(taker)!, k, options));
      expect(failures(checks)).toBe('');
    } finally {
      cleanUp(built);
    }
  }, 600_000);
}

describe('ES2025 iterator helpers: a checkpoint taken where the engine has them restarts on this Node, which has none', () => {
  takenThereRestartsHere('iterator-helpers', ['node22-x64', 'node24-x64', 'bun']);
});

describe('later built-ins (Object.groupBy, the Set methods, Promise.withResolvers): a checkpoint taken where the engine has them restarts on this Node, which provides them only then', () => {
  takenThereRestartsHere('later-builtins', ['node22-x64', 'bun']);
});

describe('pending once-listeners: a checkpoint taken where `once` makes a closure (Node 24, Bun) or binds unseen (Deno) restarts on this Node', () => {
  takenThereRestartsHere('once-listeners', ['node24-x64', 'bun', 'deno']);
});

describe("Node's streams held by the program: a checkpoint taken on Bun (whose console holds process.stdout as `_stdout`) restarts on this Node", () => {
  takenThereRestartsHere('held-streams', ['bun', 'deno']);
});

describe('Node 24 counts the emits running over a listener array in a symbol of the array (events.emitting)', () => {
  const onlyIf = (ok: boolean) => (ok ? test : test.skip);
  onlyIf(installed.has('node24-x64'))('a checkpoint taken and restarted there: a listener removed during an emit does not make it skip the next', async () => {
    const dir = join(repoRoot, '__tests__', 'programs', 'emitter-arrays');
    const spec = platformSpec('node24-x64')!;
    const built = await buildFixture({ name: 'emitter-arrays', dir, expected: readFileSync(join(dir, 'expected.txt')), settings: {} }, options, spec);
    try {
      const node24 = [join(options.platformsDir!, 'bin', spec.name), join(repoRoot, 'dist', 'cli', 'main.js')];
      const problems: string[] = [];
      for (const k of chooseKs(built.points, 3, 0, spec.name)) {
        const file = join(built.work, `k${k}-on-${spec.name}.ckpt`);
        const first = await runProcess([...node24, 'run', built.mainJs, '--checkpoint-at', String(k), '--checkpoint-file', file, '--exit-after-checkpoint'], { cwd: repoRoot, timeoutMs: 120_000 });
        const second = await runProcess([...node24, 'restart', file], { cwd: repoRoot, timeoutMs: 120_000 });
        const out = Buffer.concat([first.stdout, second.stdout]).toString();
        if (first.code !== 0 || second.code !== 0 || out !== built.fixture.expected.toString()) problems.push(`k=${k}: exit ${first.code}/${second.code}\n${out}${second.stderr.toString()}`);
      }
      expect(problems.join('\n')).toBe('');
    } finally {
      cleanUp(built);
    }
  }, 300_000);

  onlyIf(installed.has('node24-x64'))('a checkpoint taken on this Node, which has no such count, restarted there: the restored arrays count from 0', async () => {
    const dir = join(repoRoot, '__tests__', 'programs', 'emitter-arrays');
    const built = await buildFixture({ name: 'emitter-arrays', dir, expected: readFileSync(join(dir, 'expected.txt')), settings: {} }, options);
    try {
      const problems: string[] = [];
      for (const k of chooseKs(built.points, 3, 0, 'node24-x64')) {
        const taken = await takeCheckpoint(built, k, options);
        const second = await runProcess([process.execPath, cliEntry, 'restart', taken.file, '--platform', 'node24-x64', '--platforms-dir', options.platformsDir!], { cwd: repoRoot, timeoutMs: 120_000 });
        const out = Buffer.concat([taken.run.stdout, second.stdout]).toString();
        if (taken.run.code !== 0 || second.code !== 0 || out !== built.fixture.expected.toString()) problems.push(`k=${k}: exit ${taken.run.code}/${second.code}\n${out}${second.stderr.toString()}`);
      }
      expect(problems.join('\n')).toBe('');
    } finally {
      cleanUp(built);
    }
  }, 300_000);
});

describe('an engine without timers (QuickJS as the platforms wrapper runs it): virtual time', () => {
  test('a timer-driven program restarted there fires its timers in order, without waiting', async () => {
    const built = await buildFixture(loadFixture('async-combinators'), options);
    try {
      const taken = await takeCheckpoint(built, Math.max(1, Math.floor(built.points / 2)), options);
      expect(taken.run.code).toBe(0);
      const r = await runProcess([process.execPath, cliEntry, 'restart', taken.file, '--platform', 'qjs-wasm'], { cwd: built.work, timeoutMs: 120_000, env: { ...process.env, INTROSPECT_QJS_WASM_NO_TIMERS: '1' } });
      expect(r.stderr.toString()).toBe('');
      expect(Buffer.concat([taken.run.stdout, r.stdout]).toString()).toBe(built.fixture.expected.toString());
    } finally {
      cleanUp(built);
    }
  }, 300_000);
});

describe('byte order: the typed-array fixture across little- and big-endian hosts', () => {
  let built: BuiltFixture | undefined;
  const be = ['qjs-s390x', 'node20-s390x', 'node18-s390x-deb'].filter((n) => installed.has(n));
  beforeAll(async () => {
    if (be.length > 0 || installed.has('qjs')) built = await buildFixture(loadFixture('typed-arrays-endian'), options);
  }, 120_000);
  afterAll(() => built && cleanUp(built));

  const onlyIf = (ok: boolean) => (ok ? test : test.skip);
  onlyIf(installed.has('qjs'))('x86-64 Node → native QuickJS', async () => {
    const k = Math.floor(built!.points / 3);
    expect(failures([await checkTo(built!, platformSpec('qjs')!, k, options)])).toBe('');
  }, 120_000);
  for (const name of be) {
    test(`x86-64 Node → ${name} (big-endian)`, async () => {
      const k = Math.floor(built!.points / 2);
      expect(failures([await checkTo(built!, platformSpec(name)!, k, options)])).toBe('');
    }, 300_000);
  }
  const beNode = be.find((n) => platformSpec(n)!.kind === 'node');
  onlyIf(beNode !== undefined)(`${beNode ?? 's390x Node'} (big-endian) → x86-64 Node`, async () => {
    const k = Math.floor((built!.points * 2) / 3);
    expect(failures([await checkFrom(built!, platformSpec(beNode!)!, k, options)])).toBe('');
  }, 300_000);
});

describe("Node's global Buffer is in a restart bundle where the program may use it", () => {
  // ~80 KB of script to compile on every restart there: given when the
  // checkpoint names it, or when a module of the program or of a library
  // names it, which is only found while bundling.
  test('a library naming it gets it, and a program importing node:crypto; a program that never does, not', async () => {
    const work = mkdtempSync(join(tmpdir(), 'introspect-buffer-global-'));
    try {
      const lib = join(work, 'node_modules', 'bufuser');
      mkdirSync(lib, { recursive: true });
      writeFileSync(join(lib, 'package.json'), JSON.stringify({ name: 'bufuser', type: 'module', main: 'index.js' }));
      writeFileSync(join(lib, 'index.js'), "export const encode = (s) => Buffer.from(s).toString('base64');\n");
      const programs: Record<string, string> = {
        plain: 'const tick = () => new Promise<void>((r) => setTimeout(r, 1));\nfor (let i = 0; i < 3; i++) {\n  await tick();\n  console.log(`round ${i}`);\n}\n',
        digest: "import { createHash } from 'node:crypto';\nconst tick = () => new Promise<void>((r) => setTimeout(r, 1));\nfor (let i = 0; i < 3; i++) {\n  await tick();\n  console.log(createHash('md5').update(`round ${i}`).digest().length);\n}\n",
        library: "// @ts-ignore\nimport { encode } from 'bufuser';\nconst tick = () => new Promise<void>((r) => setTimeout(r, 1));\nfor (let i = 0; i < 3; i++) {\n  await tick();\n  console.log(encode(`round ${i}`));\n}\n",
      };
      const found: Record<string, [boolean, string]> = {};
      for (const [name, source] of Object.entries(programs)) {
        mkdirSync(join(work, name));
        writeFileSync(join(work, name, 'main.ts'), source);
        const out = join(work, `${name}-out`);
        expect((await runProcess([process.execPath, cliEntry, 'build', join(work, name), '--out-dir', out], { cwd: work, timeoutMs: 60_000 })).code).toBe(0);
        const file = join(work, `${name}.ckpt`);
        const taken = await runProcess([process.execPath, cliEntry, 'run', join(out, 'main.js'), '--checkpoint-at', '2', '--checkpoint-file', file, '--exit-after-checkpoint'], { cwd: work, timeoutMs: 60_000 });
        const checkpoint = readFileSync(file);
        expect(checkpoint.includes('"Buffer')).toBe(false);
        const bundle = await buildRestartBundle({ entry: join(out, 'main.js'), checkpoint, host: 'quickjs', hint: { engine: 'quickjs', runtime: 'qjs', os: 'linux', cpu: 'x64' } });
        const r = await runProcess([process.execPath, cliEntry, 'restart', file, '--platform', 'qjs-wasm'], { cwd: work, timeoutMs: 120_000 });
        found[name] = [bundle.includes('function provideBuffer'), `${r.code} ${Buffer.concat([taken.stdout, r.stdout]).toString()}`];
      }
      expect(found).toEqual({
        plain: [false, '0 round 0\nround 1\nround 2\n'],
        library: [true, '0 cm91bmQgMA==\ncm91bmQgMQ==\ncm91bmQgMg==\n'],
        // node:crypto's digests are Buffers: the bundle holds the class, and the global costs nothing more
        digest: [true, '0 16\n16\n16\n'],
      });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 300_000);
});
