// Tests of the command line: the argument parser and its validation as
// tables, the Node host's atomic write and rotation, and the CLI end to end
// (help, exit codes, build output, run's pass-through of stdout/argv/exit
// code/uncaught errors, restart/inspect/checkpoint error paths), by spawning
// bin/introspect.mjs as users do.

import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { closeSync, cpSync, existsSync, openSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { endianness, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, parseDuration, parseSignal, type FlagSpec } from '../cli/args.js';
import { RestoreError, UsageError } from '../cli/errors.js';
import { runConfig, type RunOptions } from '../cli/commands/run.js';
import { locateEntry } from '../cli/commands/restart.js';
import { writeFileAtomic, nodeFs, type FsOps } from '../runtime/plugins/node/atomic-write.js';
import { readHeader } from '../runtime/format/index.js';
import { nextCheckpointPath, rotateCheckpoints } from '../runtime/plugins/node/rotate.js';
import { detectPlatform } from '../runtime/plugins/node/host.js';
import { namedForwarders, programFsFunction } from '../runtime/plugins/node/fs-bindings.js';
import { loadBuiltin } from '../runtime/plugins/node/builtin-modules.js';
import { decodeCheckpoint, encodeCheckpoint } from '../runtime/format/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'introspect.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'introspect-cli-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// ---------------------------------------------------------------- parsing

const SPECS: FlagSpec[] = [
  { name: 'out-dir', short: 'o', type: 'string', description: '' },
  { name: 'json', type: 'boolean', description: '' },
  { name: 'keep', type: 'integer', description: '' },
  { name: 'from', type: 'integer', min: 0, description: '' },
  { name: 'every', type: 'duration', description: '' },
  { name: 'on-signal', type: 'signal', description: '' },
];

const parseRows: { name: string; words: string[]; flags?: Record<string, unknown>; positionals?: string[]; rest?: string[]; help?: boolean; error?: RegExp }[] = [
  { name: 'nothing', words: [], flags: {}, positionals: [] },
  { name: 'positionals kept in order', words: ['a', 'b'], positionals: ['a', 'b'] },
  { name: 'long flag with separate value', words: ['--out-dir', 'x'], flags: { 'out-dir': 'x' } },
  { name: 'long flag with =value', words: ['--out-dir=x=y'], flags: { 'out-dir': 'x=y' } },
  { name: 'short flag', words: ['-o', 'x', 'dir'], flags: { 'out-dir': 'x' }, positionals: ['dir'] },
  { name: 'boolean', words: ['--json', 'f'], flags: { json: true }, positionals: ['f'] },
  { name: 'integer', words: ['--keep', '3'], flags: { keep: 3 } },
  { name: 'integer with min 0', words: ['--from=0'], flags: { from: 0 } },
  { name: 'duration in seconds', words: ['--every', '30s'], flags: { every: 30_000 } },
  { name: 'duration bare number is seconds', words: ['--every', '2'], flags: { every: 2000 } },
  { name: 'duration in ms', words: ['--every', '250ms'], flags: { every: 250 } },
  { name: 'signal without SIG', words: ['--on-signal', 'term'], flags: { 'on-signal': 'SIGTERM' } },
  { name: '-- ends options', words: ['main.js', '--', '--json', '-x'], positionals: ['main.js'], rest: ['--json', '-x'], flags: {} },
  { name: '--help anywhere', words: ['x', '--help'], help: true, positionals: ['x'] },
  { name: '-h', words: ['-h'], help: true },
  { name: '--help after -- is the program\'s', words: ['--', '--help'], help: false, rest: ['--help'] },
  { name: 'a lone - is a positional', words: ['-'], positionals: ['-'] },
  { name: 'last value wins', words: ['--keep', '1', '--keep', '2'], flags: { keep: 2 } },
  { name: 'unknown long', words: ['--nope'], error: /unknown option --nope for 'test'/ },
  { name: 'unknown short', words: ['-z'], error: /unknown option -z/ },
  { name: 'missing value', words: ['--out-dir'], error: /--out-dir needs a value/ },
  { name: 'value looks like a flag', words: ['--out-dir', '--json'], error: /--out-dir needs a value/ },
  { name: 'empty string', words: ['--out-dir='], error: /must not be empty/ },
  { name: 'boolean with value', words: ['--json=yes'], error: /--json takes no value/ },
  { name: 'integer zero below min 1', words: ['--keep', '0'], error: /whole number >= 1/ },
  { name: 'integer negative', words: ['--keep=-2'], error: /whole number >= 1/ },
  { name: 'integer fraction', words: ['--keep', '1.5'], error: /whole number/ },
  { name: 'bad duration', words: ['--every', 'soon'], error: /duration/ },
  { name: 'zero duration', words: ['--every', '0s'], error: /duration/ },
  { name: 'unknown signal', words: ['--on-signal', 'SIGNOPE'], error: /signal name/ },
  { name: 'uncatchable signal', words: ['--on-signal', 'KILL'], error: /cannot be caught/ },
];

describe('parseArgs', () => {
  test.each(parseRows)('$name', (row) => {
    if (row.error) {
      expect(() => parseArgs(row.words, SPECS, 'test')).toThrow(UsageError);
      expect(() => parseArgs(row.words, SPECS, 'test')).toThrow(row.error);
      return;
    }
    const parsed = parseArgs(row.words, SPECS, 'test');
    if (row.flags) expect(parsed.flags).toEqual(row.flags);
    if (row.positionals) expect(parsed.positionals).toEqual(row.positionals);
    if (row.rest) expect(parsed.rest).toEqual(row.rest);
    if (row.help !== undefined) expect(parsed.help).toBe(row.help);
  });

  test.each([
    ['1h', 3_600_000],
    ['5m', 300_000],
    ['1.5s', 1500],
    [' 10ms ', 10],
    ['-1s', undefined],
    ['1d', undefined],
  ])('parseDuration(%j) = %j', (text, ms) => expect(parseDuration(text)).toBe(ms));

  test.each([
    ['SIGTERM', 'SIGTERM'],
    ['sigint', 'SIGINT'],
    ['usr2', 'SIGUSR2'],
    ['SIGFOO', undefined],
  ])('parseSignal(%j) = %j', (text, name) => expect(parseSignal(text)).toBe(name));
});

describe('run option validation', () => {
  const base: RunOptions = { entry: 'main.js', args: [], countPoints: false, exitAfterCheckpoint: false };
  const file = join(scratch, 'x.ckpt');
  const rows: { name: string; options: Partial<RunOptions>; config?: object; error?: RegExp }[] = [
    { name: 'plain run', options: {}, config: {} },
    { name: 'count points', options: { countPoints: true }, config: { countPoints: true } },
    {
      name: 'checkpoint at K to a file, then exit',
      options: { checkpointAt: 3, checkpointFile: file, exitAfterCheckpoint: true },
      config: { checkpointAt: 3, checkpointFile: file, exitAfterCheckpoint: true },
    },
    {
      name: 'periodic with rotation',
      options: { checkpointDir: join(scratch, 'ckpts'), every: 30_000, keep: 2, onSignal: 'SIGTERM' },
      config: { checkpointDir: join(scratch, 'ckpts'), every: 30_000, keep: 2, onSignal: 'SIGTERM' },
    },
    { name: 'checkpoint-at without a destination', options: { checkpointAt: 1 }, error: /--checkpoint-at needs --checkpoint-file/ },
    { name: 'a file alone: where the program\'s checkpoint() calls write', options: { checkpointFile: file }, config: { checkpointFile: file } },
    { name: 'exit after the checkpoint the program asks for', options: { checkpointFile: file, exitAfterCheckpoint: true }, config: { checkpointFile: file, exitAfterCheckpoint: true } },
    { name: 'exit without a destination', options: { exitAfterCheckpoint: true }, error: /--exit-after-checkpoint needs a checkpoint to wait for/ },
    { name: 'keep without dir', options: { keep: 2 }, error: /--keep needs --checkpoint-dir/ },
    { name: 'every without destination', options: { every: 1000 }, error: /--every and --on-signal need/ },
    { name: 'file in a missing directory', options: { checkpointAt: 1, checkpointFile: join(scratch, 'no', 'x.ckpt') }, error: /does not exist/ },
  ];
  test.each(rows)('$name', (row) => {
    const options = { ...base, ...row.options };
    if (row.error) expect(() => runConfig(options)).toThrow(row.error);
    else expect(runConfig(options)).toEqual(row.config);
  });
});

// ---------------------------------------------------------------- node host

describe('writeFileAtomic', () => {
  const dir = join(scratch, 'atomic');
  beforeAll(() => mkdirSync(dir, { recursive: true }));
  const leftovers = () => readdirSync(dir).filter((name) => name.includes('.tmp-'));

  test('writes, then replaces, the whole file', () => {
    const path = join(dir, 'a.ckpt');
    writeFileAtomic(path, new TextEncoder().encode('first'));
    writeFileAtomic(path, new TextEncoder().encode('second version'));
    expect(readFileSync(path, 'utf8')).toBe('second version');
    expect(leftovers()).toEqual([]);
  });

  test.each(['writeSync', 'fsyncSync', 'closeSync', 'renameSync'] as const)(
    'the previous file is intact and no temp is left when %s throws',
    (failing) => {
      const path = join(dir, `b-${failing}.ckpt`);
      writeFileAtomic(path, new TextEncoder().encode('previous'));
      let failed = false;
      const ops: FsOps = {
        ...nodeFs,
        [failing]: (...args: never[]) => {
          if (!failed) {
            failed = true;
            throw Object.assign(new Error(`${failing} exploded`), { code: 'EIO' });
          }
          return (nodeFs[failing] as (...a: never[]) => unknown)(...args);
        },
      };
      let caught: (Error & { code?: string }) | undefined;
      try {
        writeFileAtomic(path, new TextEncoder().encode('next, never seen'), ops);
      } catch (error) {
        caught = error as Error & { code?: string };
      }
      expect(caught?.message).toContain(path);
      expect(caught?.message).toContain(`${failing} exploded`);
      expect(caught?.code).toBe('EIO');
      expect(readFileSync(path, 'utf8')).toBe('previous');
      expect(leftovers()).toEqual([]);
    },
  );

  test('a missing directory fails with a message naming the target', () => {
    const path = join(dir, 'missing', 'c.ckpt');
    expect(() => writeFileAtomic(path, new Uint8Array([1]))).toThrow(/could not write .*missing.*c\.ckpt atomically/);
  });

  test('renaming over a directory fails and leaves nothing behind', () => {
    const path = join(dir, 'is-a-dir');
    mkdirSync(join(path, 'child'), { recursive: true });
    expect(() => writeFileAtomic(path, new Uint8Array([1, 2]))).toThrow(/is-a-dir/);
    expect(leftovers()).toEqual([]);
  });
});

describe('rotateCheckpoints', () => {
  test('keeps the newest N rotated checkpoints and nothing else is touched', () => {
    const dir = join(scratch, 'rotate');
    mkdirSync(dir, { recursive: true });
    const t0 = Date.UTC(2030, 0, 1);
    const paths = [0, 1, 2, 3].map((i) => nextCheckpointPath(dir, new Date(t0 + i * 1000)));
    for (const path of paths) writeFileSync(path, 'x');
    writeFileSync(join(dir, 'mine.ckpt'), 'not rotated');
    const deleted = rotateCheckpoints(dir, 2);
    expect(deleted).toEqual(paths.slice(0, 2));
    expect(readdirSync(dir).sort()).toEqual([...paths.slice(2).map((p) => p.slice(dir.length + 1)), 'mine.ckpt'].sort());
    expect(() => rotateCheckpoints(dir, 0)).toThrow(RangeError);
  });

  test('a directory holding a checkpoint stamped by a clock ahead of ours: new names sort after it, and --keep 1 keeps the new one', () => {
    const dir = join(scratch, 'rotate-skew');
    mkdirSync(dir, { recursive: true });
    const t0 = Date.UTC(2030, 0, 1);
    const ahead = nextCheckpointPath(dir, new Date(t0 + 3_600_000));
    writeFileSync(ahead, 'from a machine an hour ahead');
    const ours = nextCheckpointPath(dir, new Date(t0));
    expect(ours > ahead).toBe(true);
    writeFileSync(ours, 'x');
    expect(rotateCheckpoints(dir, 1, ours)).toEqual([ahead]);
    expect(readdirSync(dir)).toEqual([ours.slice(dir.length + 1)]);
  });

  test('temporary files of a killed write are removed once old, those of a live writer never', () => {
    const dir = join(scratch, 'rotate-temps');
    mkdirSync(dir, { recursive: true });
    const base = nextCheckpointPath(dir, new Date(Date.UTC(2030, 0, 1))).slice(dir.length + 1);
    const gone = 4_194_000; // above the usual pid_max of 2^22 - 1 minus a margin; checked below
    const names = { deadOld: `${base}.tmp-${gone}-a`, deadNew: `${base}.tmp-${gone}-b`, liveOld: `${base}.tmp-${process.pid}-c`, other: 'notes.tmp-1-x' };
    for (const name of Object.values(names)) writeFileSync(join(dir, name), 'partial');
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const name of [names.deadOld, names.liveOld, names.other]) utimesSync(join(dir, name), hourAgo, hourAgo);
    expect(() => process.kill(gone, 0)).toThrow();
    rotateCheckpoints(dir, 3);
    expect(readdirSync(dir).sort()).toEqual([names.deadNew, names.liveOld, names.other].sort());
  });

  test('names sort in creation order even within one millisecond', () => {
    const now = new Date();
    const a = nextCheckpointPath('/d', now);
    const b = nextCheckpointPath('/d', now);
    expect(a < b).toBe(true);
  });
});

test('detectPlatform describes this Node', () => {
  expect(detectPlatform()).toEqual({
    engine: 'v8',
    runtime: `node ${process.versions.node}`,
    os: process.platform,
    cpu: process.arch,
    endianness: endianness(),
  });
});

describe('restart: locating the program', () => {
  test('an entry escaping the program directory is refused', () => {
    expect(() => locateEntry('f.ckpt', { entry: '../../etc/evil.js', dir: scratch }, undefined)).toThrow(/not inside the program directory/);
  });
  test('a missing directory names both paths and suggests --program', () => {
    const dir = join(scratch, 'moved-away');
    let error: RestoreError | undefined;
    try {
      locateEntry('/ck/f.ckpt', { entry: 'main.js', dir }, undefined);
    } catch (e) {
      error = e as RestoreError;
    }
    expect(error).toBeInstanceOf(RestoreError);
    expect(error!.message).toContain(dir);
    expect(error!.message).toContain('/ck/f.ckpt');
    expect(error!.details.join('\n')).toContain('--program');
  });
});

// ---------------------------------------------------------------- end to end

/**
 * The CLI as its executable, the package's bin: the shell launcher starts
 * this Node once (first on PATH), with the stack limit raised. `node
 * bin/introspect.mjs`, which starts node a second time for run and restart,
 * is the test of `checkpoint <pid>` below.
 */
function cli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  const env = options.env ?? process.env;
  return spawnSync(BIN, args, { encoding: 'utf8', cwd: options.cwd ?? ROOT, env: { ...env, PATH: [dirname(process.execPath), env.PATH ?? process.env.PATH].join(delimiter) } });
}

const lastLine = (text: string) => text.trimEnd().split('\n').pop();

describe('introspect (end to end)', () => {
  test('no arguments: the overview on stdout, exit 0', () => {
    const r = cli([]);
    expect(r.status).toBe(0);
    for (const name of ['build', 'run', 'restart', 'inspect', 'checkpoint']) expect(r.stdout).toContain(`  ${name} `);
    expect(r.stderr).toBe('');
  });

  test.each(['build', 'run', 'restart', 'inspect', 'checkpoint'])('%s --help: usage and examples on stdout', (name) => {
    const r = cli([name, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: introspect ${name}`));
    expect(r.stdout).toContain('Examples:');
  });

  test.each([
    [['frobnicate'], 2, /unknown command "frobnicate"/],
    [['build', 'x'], 2, /--out-dir <dir> is required/],
    [['run'], 2, /missing argument/],
    [['run', 'main.js', '--bogus'], 2, /unknown option --bogus for 'run'/],
    [['run', 'main.js', '--checkpoint-at', 'two'], 2, /whole number/],
    [['run', join(scratch, 'absent.js')], 1, /no such program/],
    [['run', join(scratch, 'main.ts')], 1, /main\.ts is TypeScript source: run takes the program as built[\s\S]*introspect build <programDir> --out-dir <outDir>/],
    [['build', join(scratch, 'absent-dir'), '--out-dir', join(scratch, 'o')], 1, /no such program directory/],
    [['restart', join(scratch, 'absent.ckpt')], 3, /no such checkpoint file/],
    [['restart', 'x.ckpt', '--platform', 'nope'], 2, /unknown platform "nope"/],
    [['restart', 'x.ckpt', '--platforms-dir', scratch], 2, /--platforms-dir needs --platform/],
    [['inspect', join(scratch, 'absent.ckpt')], 3, /no such checkpoint file/],
    [['checkpoint', 'abc'], 2, /not a process id/],
  ] as const)('%j exits %i', (args, code, message) => {
    const r = cli([...args]);
    expect(r.status).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  test('checkpoint of a pid that does not exist exits 5', () => {
    let pid = 4_000_000;
    while (existsSync(`/proc/${pid}`)) pid++;
    const r = cli(['checkpoint', String(pid)]);
    expect(r.status).toBe(5);
    expect(r.stderr).toContain(`no process with pid ${pid}`);
  });
});

describe('build and run a program', () => {
  const program = join(scratch, 'program');
  const out = join(scratch, 'program-out');
  let built: SpawnSyncReturns<string>;

  beforeAll(() => {
    mkdirSync(join(program, 'util'), { recursive: true });
    writeFileSync(
      join(program, 'main.ts'),
      [
        "import { double } from './util';",
        "import { greet } from './greet.js';",
        "import { readFileSync } from 'node:fs';",
        'const wrong: number = "a type error, only a warning";',
        'console.log(greet("world"), double(21), process.argv.slice(2).join(","));',
        "console.log(readFileSync(new URL('./data.txt', import.meta.url), 'utf8').trim());",
        "console.error('to stderr');",
        "if (process.argv.includes('--throw')) throw new Error('thrown by the program');",
        "async function refuse(n: number): Promise<number> { if (n > 1) throw new Error(`refused ${n}`); return n; }",
        "if (process.argv.includes('--reject')) void refuse(2);",
        "if (process.argv.includes('--reject-handled')) { const p = refuse(3); queueMicrotask(() => p.catch((e) => console.log('late catch', e.message))); }",
        "process.exitCode = process.argv.includes('--code') ? 7 : 0;",
        '',
      ].join('\n'),
    );
    writeFileSync(join(program, 'util', 'index.ts'), 'export const double = (n: number): number => n * 2;\n');
    writeFileSync(join(program, 'greet.js'), 'export function greet(who) { return `hello ${who}`; }\n');
    writeFileSync(join(program, 'data.txt'), 'data file\n');
    built = cli(['build', program, '--out-dir', out]);
  });

  test('type errors are warnings: the build succeeds and lays out the output', () => {
    expect(built.stderr).toMatch(/main\.ts:4:7: error TS2322/);
    expect(built.status).toBe(0);
    expect(built.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'))).toEqual({ type: 'module' });
    for (const file of ['main.js', 'main.js.map', 'util/index.js', 'greet.js', 'data.txt', '__introspect/runtime.mjs', '__introspect/runtime.cjs']) {
      expect(existsSync(join(out, file))).toBe(true);
    }
  });

  test('stdout, stderr, argv and the exit code pass through', () => {
    const r = cli(['run', join(out, 'main.js'), 'a', '--', '--code']);
    expect(r.stdout).toBe('hello world 42 a,--code\ndata file\n');
    expect(r.stderr).toBe('to stderr\n');
    expect(r.status).toBe(7);
  });

  test('an unhandled rejection with no job after it ends the program with exit 1, as under node; one handled by a later job does not', () => {
    const r = cli(['run', join(out, 'main.js'), '--', '--reject']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Error: refused 2');
    const handled = cli(['run', join(out, 'main.js'), '--', '--reject-handled']);
    expect(handled.status).toBe(0);
    expect(handled.stdout).toContain('late catch refused 3\n');
  });

  test('a top-level await that can never settle warns and exits 13, as under node', () => {
    const r = cli(['run', buildProgram('never-settles', ["console.log('start');", 'await new Promise<void>(() => {});', "console.log('never');", 'export {};'])]);
    expect(r.stdout).toBe('start\n');
    expect(r.stderr).toContain('Warning: Detected unsettled top-level await');
    expect(r.status).toBe(13);
  });

  test("a rejection reported unhandled and handled later emits 'rejectionHandled', as under node", () => {
    const r = cli(['run', buildProgram('handled-late', [
      'const seen: string[] = [];',
      "process.on('unhandledRejection', (reason) => { seen.push(`unhandled ${(reason as Error).message}`); });",
      "process.on('rejectionHandled', () => { seen.push('handled'); });",
      "const late = Promise.reject(new Error('late'));",
      "setTimeout(() => { late.catch(() => seen.push('caught')); }, 5);",
      "setTimeout(() => console.log(seen.join(' | ')), 30);",
    ])]);
    expect(r.stdout).toBe('unhandled late | caught | handled\n');
    expect(r.status).toBe(0);
  });

  test('an uncaught error prints its stack and exits 1, as under node', () => {
    const r = cli(['run', join(out, 'main.js'), '--', '--throw']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('hello world 42 --throw\ndata file\n');
    expect(r.stderr).toContain('Error: thrown by the program');
    expect(r.stderr).toMatch(/main\.js:\d+/);
  });

  test('a source file names the entry: it and its imports are built, the output named after it', () => {
    const tool = join(program, 'tool.ts');
    writeFileSync(tool, "import { double } from './util';\nconsole.log('tool', double(4));\n");
    const toolOut = join(scratch, 'tool-out');
    const r = cli(['build', tool, '--out-dir', toolOut]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/run .*tool\.js/);
    expect(existsSync(join(toolOut, 'main.js'))).toBe(false);
    expect(cli(['run', join(toolOut, 'tool.js')]).stdout).toBe('tool 8\n');
  });

  test('building into the program directory itself is refused', () => {
    const r = cli(['build', program, '--out-dir', program]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/must not be the program's own directory/);
    expect(existsSync(join(program, 'package.json'))).toBe(false);
  });

  test('a syntax error fails the build with file:line:col', () => {
    const broken = join(scratch, 'broken');
    mkdirSync(broken, { recursive: true });
    writeFileSync(join(broken, 'main.ts'), 'const ok = 1;\nfunction (x {\n');
    const r = cli(['build', broken, '--out-dir', join(scratch, 'broken-out')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/main\.ts:2:\d+: error TS\d+/);
  });

  test('a direct eval is a warning with its place and a remedy; the build goes on', () => {
    const dir = join(scratch, 'direct-eval');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'main.ts'), "const g = 1;\nconsole.log(eval('g + 1'), (0, eval)('2'));\n");
    const r = cli(['build', dir, '--out-dir', join(dir, 'out')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/main\.ts:2:13: warning TS99001: direct eval: .*use indirect eval/);
    expect(r.stderr.match(/TS99001/g)).toHaveLength(1);
    expect(cli(['run', join(dir, 'out', 'main.js')]).stdout).toBe('2 2\n');
  });

  test('a tsconfig with CommonJS output gets a commonjs package.json and runs', () => {
    const dir = join(scratch, 'cjs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'es2022', lib: ['es2022'], types: [], skipLibCheck: true }, files: ['main.ts'] }));
    writeFileSync(join(dir, 'main.ts'), "import { x } from './x';\ndeclare const console: { log(...a: unknown[]): void };\nconsole.log('cjs', x);\n");
    writeFileSync(join(dir, 'x.ts'), 'export const x = 1;\n');
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'data', 'table.csv'), 'a,b\n');
    const r = cli(['build', join(dir, 'tsconfig.json'), '--out-dir', join(dir, 'out')]);
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
    // data next to the sources is copied, as for a directory without a tsconfig
    expect(readFileSync(join(dir, 'out', 'data', 'table.csv'), 'utf8')).toBe('a,b\n');
    const run = cli(['run', join(dir, 'out', 'main.js')]);
    expect(run.stdout).toBe('cjs 1\n');
    expect(run.status).toBe(0);
  });

  test('a tsconfig\'s paths aliases of ES-module output are rewritten to the emitted files (Node has no paths)', () => {
    const dir = join(scratch, 'paths');
    mkdirSync(join(dir, 'src', 'lib'), { recursive: true });
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'esnext', moduleResolution: 'bundler', target: 'es2022', lib: ['es2022'], types: [], skipLibCheck: true, paths: { '@lib/*': ['./src/lib/*'] } }, files: ['main.ts'] }));
    writeFileSync(join(dir, 'main.ts'), "import { fib } from '@lib/math';\nconst lazy = await import('@lib/math');\ndeclare const console: { log(...a: unknown[]): void };\nconsole.log('fib', fib(10), lazy.fib === fib);\n");
    writeFileSync(join(dir, 'src', 'lib', 'math.ts'), 'export function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\n');
    expect(cli(['build', dir, '--out-dir', join(dir, 'out')]).status).toBe(0);
    expect(readFileSync(join(dir, 'out', 'main.js'), 'utf8')).toContain("from './src/lib/math.js'");
    const run = cli(['run', join(dir, 'out', 'main.js')]);
    expect(run.stdout).toBe('fib 55 true\n');
    expect(run.status).toBe(0);
  });

  test('a tsconfig\'s paths aliases of CommonJS output are rewritten too, and their modules are instrumented, not libraries', () => {
    const dir = join(scratch, 'paths-cjs');
    mkdirSync(join(dir, 'src', 'lib'), { recursive: true });
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'es2022', lib: ['es2022'], types: [], skipLibCheck: true, paths: { '@lib/*': ['./src/lib/*'] } }, files: ['main.ts'] }));
    writeFileSync(join(dir, 'main.ts'), "import { Counter } from '@lib/counter';\nexport * from '@lib/counter';\ndeclare const console: { log(...a: unknown[]): void };\nconst c = new Counter();\nfor (let i = 0; i < 4; i++) console.log('n', c.bump());\n");
    writeFileSync(join(dir, 'src', 'lib', 'counter.ts'), 'function step(): number { return 2; }\nexport class Counter { n = 0; bump(): number { return (this.n += step()); } }\n');
    expect(cli(['build', dir, '--out-dir', join(dir, 'out')]).status).toBe(0);
    const main = readFileSync(join(dir, 'out', 'main.js'), 'utf8');
    expect(main).toContain("require('./src/lib/counter.js')");
    expect(main).not.toContain('@lib/counter');
    const file = join(dir, 'c.ckpt');
    const first = cli(['run', join(dir, 'out', 'main.js'), '--checkpoint-at', '6', '--checkpoint-file', file, '--exit-after-checkpoint']);
    expect(first.status).toBe(0);
    const rest = cli(['restart', file]);
    expect(rest.status).toBe(0);
    expect(first.stdout + rest.stdout).toBe('n 2\nn 4\nn 6\nn 8\n');
  });

  test('CommonJS output: libraries it requires are registered, so their values in program data are saved by name', () => {
    const dir = join(scratch, 'cjs-lib');
    mkdirSync(dir, { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'es2022', strict: true, esModuleInterop: true, skipLibCheck: true }, files: ['main.ts'] }));
    writeFileSync(
      join(dir, 'main.ts'),
      [
        "import Decimal from 'decimal.js';",
        "import { sumBy } from 'lodash';",
        'const state = { total: new Decimal("0.1"), agg: sumBy, items: [] as { v: number }[] };',
        'function tick(i: number): void { state.total = state.total.plus("0.2"); state.items.push({ v: i }); }',
        'for (let i = 0; i < 5; i++) { tick(i); console.log(state.total.toString(), state.agg(state.items, "v")); }',
        '',
      ].join('\n'),
    );
    expect(cli(['build', join(dir, 'tsconfig.json'), '--out-dir', join(dir, 'out')]).status).toBe(0);
    const file = join(dir, 'c.ckpt');
    const first = cli(['run', join(dir, 'out', 'main.js'), '--checkpoint-at', '8', '--checkpoint-file', file, '--exit-after-checkpoint']);
    expect(first.stderr).not.toMatch(/checkpoint failed/);
    expect(first.status).toBe(0);
    expect(first.stdout + cli(['restart', file]).stdout).toBe('0.3 0\n0.5 1\n0.7 3\n0.9 6\n1.1 10\n');
  });

  test("CommonJS output: a module's exported variables (kept on its exports object) are saved and come back at every k", () => {
    const dir = join(scratch, 'cjs-exports');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'es2022', lib: ['es2022'], types: [], skipLibCheck: true }, files: ['main.ts'] }));
    writeFileSync(join(dir, 'main.ts'), "import { add, calls, count } from './state';\ndeclare const console: { log(...a: unknown[]): void };\nfor (let i = 0; i < 3; i++) { add('x' + i); console.log(i, calls.join(','), count); }\n");
    writeFileSync(join(dir, 'state.ts'), "export const calls: string[] = [];\nexport let count = 0;\nexport function add(s: string) { count++; calls.push(s); }\n");
    expect(cli(['build', join(dir, 'tsconfig.json'), '--out-dir', join(dir, 'out')]).status).toBe(0);
    const full = cli(['run', join(dir, 'out', 'main.js')]).stdout;
    expect(full).toBe('0 x0 1\n1 x0,x1 2\n2 x0,x1,x2 3\n');
    const file = join(dir, 'c.ckpt');
    for (const k of [2, 4, 6]) {
      const first = cli(['run', join(dir, 'out', 'main.js'), '--checkpoint-at', String(k), '--checkpoint-file', file, '--exit-after-checkpoint']);
      expect(first.status).toBe(0);
      expect(first.stdout + cli(['restart', file]).stdout).toBe(full);
    }
  });

  test('CommonJS `export =` of a class, or of an object of functions, is the exports as the module loads (require returns it before the body runs)', () => {
    const dir = join(scratch, 'cjs-export-equals');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'es2022', lib: ['es2022'], types: [], skipLibCheck: true }, files: ['main.ts'] }));
    writeFileSync(join(dir, 'q.ts'), 'class Q { n = 1; }\nexport = Q;\n');
    writeFileSync(join(dir, 'lib.ts'), 'let count = 0;\nfunction bump() { return ++count; }\nexport = { bump, version: 3 };\n');
    writeFileSync(join(dir, 'main.ts'), "import Q = require('./q');\nimport lib = require('./lib');\ndeclare const console: { log(...a: unknown[]): void };\nfor (let i = 0; i < 3; i++) console.log(typeof Q, new Q().n, lib.bump(), lib.version);\n");
    expect(cli(['build', join(dir, 'tsconfig.json'), '--out-dir', join(dir, 'out')]).status).toBe(0);
    const full = cli(['run', join(dir, 'out', 'main.js')]);
    expect(full.stdout).toBe('function 1 1 3\nfunction 1 2 3\nfunction 1 3 3\n');
    expect(full.status).toBe(0);
    const file = join(dir, 'c.ckpt');
    const first = cli(['run', join(dir, 'out', 'main.js'), '--checkpoint-at', '4', '--checkpoint-file', file, '--exit-after-checkpoint']);
    expect(first.status).toBe(0);
    expect(first.stdout + cli(['restart', file]).stdout).toBe(full.stdout);
  });

  test('a tsconfig target below ES2022 is raised to it (class fields keep their semantics): async functions and async generators stay checkpointable', () => {
    const dir = join(scratch, 'es2017');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2017', module: 'ESNext', lib: ['ES2022', 'DOM'], types: [], skipLibCheck: true }, files: ['main.ts'] }));
    writeFileSync(join(dir, 'main.ts'), [
      'class Base { v: number; constructor() { this.v = 5; } }',
      'class A extends Base { v!: number; }',
      'async function* ticks() { for (let i = 0; i < 3; i++) yield i; }',
      'async function main() {',
      '  for await (const t of ticks()) { await new Promise((r) => setTimeout(r, 1)); console.log("tick", t); }',
      '  console.log("v", new A().v);',
      '}',
      'main();',
      '',
    ].join('\n'));
    expect(cli(['build', join(dir, 'tsconfig.json'), '--out-dir', join(dir, 'out')]).status).toBe(0);
    expect(readFileSync(join(dir, 'out', 'main.js'), 'utf8')).not.toContain('__awaiter');
    const full = cli(['run', join(dir, 'out', 'main.js')]).stdout;
    // ES2017's class fields: a field declared without a value is not defined over the base's (ES2022 would make it undefined).
    expect(full).toBe('tick 0\ntick 1\ntick 2\nv 5\n');
    const file = join(dir, 'c.ckpt');
    for (const k of [3, 7, 11]) {
      const first = cli(['run', join(dir, 'out', 'main.js'), '--checkpoint-at', String(k), '--checkpoint-file', file, '--exit-after-checkpoint']);
      expect(first.stderr).toBe('');
      expect(first.stdout + cli(['restart', file]).stdout).toBe(full);
    }
  });

  test('--count-points: the last stderr line counts suspension points', () => {
    const r = cli(['run', join(out, 'main.js'), '--count-points']);
    expect(r.status).toBe(0);
    expect(lastLine(r.stderr)).toMatch(/^introspect: \d+ suspension points$/);
  });

  test('--checkpoint-at K past the end of the program: one stderr line says so (it used to write nothing, silently); the count line stays last, the exit code is the program\'s', () => {
    const counted = cli(['run', join(out, 'main.js'), '--count-points', '--', '--code']);
    const points = Number(/(\d+) suspension points/.exec(lastLine(counted.stderr)!)![1]);
    const file = join(scratch, 'never.ckpt');
    const r = cli(['run', join(out, 'main.js'), '--checkpoint-at', String(points + 5), '--checkpoint-file', file, '--count-points', '--', '--code']);
    expect(r.status).toBe(7);
    expect(r.stdout).toBe(counted.stdout);
    expect(existsSync(file)).toBe(false);
    expect(r.stderr).toBe(
      `to stderr\nintrospect: --checkpoint-at ${points + 5} was not reached: the program ended after ${points} suspension points, and no checkpoint was written\nintrospect: ${points} suspension points\n`,
    );
    const reached = cli(['run', join(out, 'main.js'), '--checkpoint-at', String(points), '--checkpoint-file', file]);
    expect(reached.stderr).toBe('to stderr\n');
    expect(existsSync(file)).toBe(true);
  });

  test('the point count goes on through a restored stack: checkpoint-and-continue counts what an uninterrupted run counts', () => {
    // Restore re-enters the saved frames one at a time (DESIGN §4, Rewind);
    // each goes on counting where the frames above it stopped. Were it to
    // start a fresh count window, frames that each run less than a window
    // would never reach a window's end, where requests (--every, signals) are
    // seen, and the count would come out short.
    const dir = join(scratch, 'deep-count');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'main.ts'),
      [
        'function work(n: number): number { let x = 0; for (let i = 0; i < 20000; i++) x = (x * 31 + i + n) % 1000003; return x; }',
        'function down(d: number): number { if (d === 0) return work(0); const v = down(d - 1); return (v + work(d)) % 1000003; }',
        'console.log(down(200));',
        '',
      ].join('\n'),
    );
    expect(cli(['build', dir, '--out-dir', join(dir, 'out')]).status).toBe(0);
    const main = join(dir, 'out', 'main.js');
    const plain = cli(['run', main, '--count-points']);
    expect(plain.status).toBe(0);
    const total = lastLine(plain.stderr);
    expect(total).toMatch(/^introspect: \d+ suspension points$/);
    const points = Number(/(\d+)/.exec(total!)![1]);
    for (const k of [Math.floor(points / 100), Math.floor(points / 2)]) {
      const r = cli(['run', main, '--count-points', '--checkpoint-at', String(k), '--checkpoint-file', join(dir, `k${k}.ckpt`)]);
      expect(r.stdout).toBe(plain.stdout);
      expect(lastLine(r.stderr)).toBe(total);
    }
  });

  test('checkpoint <pid> signals a program run by introspect (sender side)', async () => {
    const waiting = join(scratch, 'waiting.mjs');
    writeFileSync(
      waiting,
      "process.on('SIGUSR2', () => { console.log('asked to checkpoint'); process.exit(0); });\nconsole.log('ready');\nsetTimeout(() => {}, 20000);\n",
    );
    const child = spawn(process.execPath, [BIN, 'run', waiting], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    await new Promise<void>((resolve) => child.stdout.on('data', (chunk) => ((stdout += chunk), stdout.includes('ready') && resolve())));
    const r = cli(['checkpoint', String(child.pid)]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('SIGUSR2');
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(stdout).toContain('asked to checkpoint');
  });

  test('checkpoint <pid> refuses a process that does not run under introspect', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const r = cli(['checkpoint', String(child.pid)]);
      if (process.platform === 'linux') {
        expect(r.status).toBe(5);
        expect(r.stderr).toMatch(/does not look like a program run by introspect/);
      }
    } finally {
      child.kill();
    }
  });
});

describe('a module loaded by import()', () => {
  const program = join(scratch, 'dynamic');
  const out = join(scratch, 'dynamic-out');
  beforeAll(() => {
    mkdirSync(program, { recursive: true });
    writeFileSync(join(program, 'plugin.ts'), "let calls = 0;\nexport function run(x: number) { calls++; return x * 2 + calls; }\nconsole.log('plugin loaded');\n");
    writeFileSync(
      join(program, 'main.ts'),
      [
        'let s = 0;',
        'for (let i = 0; i < 5000; i++) s = (s * 7 + i) % 10007;',
        "const spec = ['./plugin.js'][0];",
        "const mod = await import('./plugin.js');",
        'console.log(mod.run(s), mod.run(1), (await import(spec)) === mod);',
        'for (let i = 0; i < 5000; i++) s = (s * 7 + i) % 10007;',
        'console.log(s, mod.run(2));',
        '',
      ].join('\n'),
    );
    expect(cli(['build', program, '--out-dir', out]).status).toBe(0);
  });
  const expected = 'plugin loaded\n2717 4 true\n7685 7\n';

  test('its body runs when it is imported, as natively (a literal or a computed specifier)', () => {
    const r = cli(['run', join(out, 'main.js')]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(expected);
  });

  test('a checkpoint before the import restarts, and so does one after it: the restart imports the module again, with its state as saved', () => {
    const file = join(scratch, 'dynamic.ckpt');
    const before = cli(['run', join(out, 'main.js'), '--checkpoint-at', '3', '--checkpoint-file', file, '--exit-after-checkpoint']);
    expect(before.status).toBe(0);
    const restarted = cli(['restart', file]);
    expect(restarted.stdout).toBe(expected);
    const points = Number(/(\d+) suspension points/.exec(cli(['run', join(out, 'main.js'), '--count-points']).stderr)![1]);
    const afterFile = join(scratch, 'dynamic-after.ckpt');
    const after = cli(['run', join(out, 'main.js'), '--checkpoint-at', String(points - 2), '--checkpoint-file', afterFile, '--exit-after-checkpoint']);
    expect(after.status).toBe(0);
    expect(after.stdout).toBe('plugin loaded\n2717 4 true\n');
    const header = readHeader(new Uint8Array(readFileSync(afterFile)));
    expect(header.dynamicImports).toEqual({ modules: ['./plugin.js'], imports: [['main.ts', './plugin.js', './plugin.js']] });
    // the plugin's body does not run again (no second "plugin loaded"), and its `calls` goes on from 2
    const again = cli(['restart', afterFile]);
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe('7685 7\n');
  });
});

describe('checkpoint, inspect and restart through the CLI', () => {
  const program = join(scratch, 'steps');
  const out = join(scratch, 'steps-out');
  const file = join(scratch, 'steps.ckpt');
  let full: SpawnSyncReturns<string>;
  let first: SpawnSyncReturns<string>;

  beforeAll(() => {
    mkdirSync(program, { recursive: true });
    writeFileSync(
      join(program, 'main.ts'),
      [
        'function line(i: number): string {',
        '  return `line ${i}: ${i * i}`;',
        '}',
        'let total = 0;',
        'for (let i = 1; i <= 5; i++) {',
        '  total += i;',
        '  console.log(line(i));',
        '}',
        'console.log(`total ${total}`);',
        '',
      ].join('\n'),
    );
    expect(cli(['build', program, '--out-dir', out]).status).toBe(0);
    full = cli(['run', join(out, 'main.js')]);
    first = cli(['run', join(out, 'main.js'), '--checkpoint-at', '4', '--checkpoint-file', file, '--exit-after-checkpoint']);
  });

  test('the two halves join into the uninterrupted output', () => {
    expect(full.status).toBe(0);
    expect(first.status).toBe(0);
    expect(existsSync(file)).toBe(true);
    expect(first.stdout.length).toBeGreaterThan(0);
    expect(first.stdout.length).toBeLessThan(full.stdout.length);
    const second = cli(['restart', file]);
    expect(second.status).toBe(0);
    expect(first.stdout + second.stdout).toBe(full.stdout);
  });

  test('inspect prints the header without loading the program', () => {
    const text = cli(['inspect', file]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^checkpoint\s+\S*steps\.ckpt$/m);
    expect(text.stdout).toMatch(/^program\s+main\.js$/m);
    expect(text.stdout).toContain(`node ${process.versions.node}`);
    expect(text.stdout).not.toContain('line 1');
    // taken at the point it was asked for, not deferred (nothing held it back)
    expect(text.stdout).not.toMatch(/^deferred/m);
    const json = cli(['inspect', file, '--json']);
    expect(json.status).toBe(0);
    const parsed = JSON.parse(json.stdout) as { program: { dir: string; entry: string }; platform: { engine: string }; fileBytes: number };
    expect(parsed.program).toMatchObject({ dir: out, entry: 'main.js' });
    expect(parsed.platform.engine).toBe('v8');
    expect(parsed.fileBytes).toBe(readFileSync(file).length);
  });

  test('restart --keep without --checkpoint-dir is refused as run refuses it (it used to be ignored)', () => {
    const r = cli(['restart', file, '--keep', '3']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--keep needs --checkpoint-dir D');
    expect(r.stdout).toBe('');
  });

  test('a moved program is found with --program, and named when it is not', () => {
    const moved = join(scratch, 'steps-moved');
    cpSync(out, moved, { recursive: true });
    rmSync(out, { recursive: true });
    try {
      const lost = cli(['restart', file]);
      expect(lost.status).toBe(3);
      expect(lost.stderr).toContain(out);
      expect(lost.stderr).toContain(file);
      expect(lost.stderr).toContain('--program');
      const found = cli(['restart', file, '--program', moved]);
      expect(found.status).toBe(0);
      expect(first.stdout + found.stdout).toBe(full.stdout);
    } finally {
      cpSync(moved, out, { recursive: true });
    }
  });

  test.each([
    ['truncated', (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2))],
    ['not a checkpoint', () => Buffer.from('#!/bin/sh\necho hello\n')],
  ])('a %s file is refused with exit 3 and nothing on stdout', (_name, damage) => {
    const bad = join(scratch, 'bad.ckpt');
    writeFileSync(bad, damage(readFileSync(file)));
    for (const command of ['restart', 'inspect']) {
      const r = cli([command, bad]);
      expect(r.status).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^introspect: error: .*bad\.ckpt is not a usable checkpoint/);
    }
  });
});

/** Writes `lines` as <scratch>/<name>/main.ts and builds it; returns the built main.js. */
function buildProgram(name: string, lines: string[]): string {
  const program = join(scratch, name);
  const out = join(scratch, `${name}-out`);
  mkdirSync(program, { recursive: true });
  writeFileSync(join(program, 'main.ts'), [...lines, ''].join('\n'));
  expect(cli(['build', program, '--out-dir', out]).status).toBe(0);
  return join(out, 'main.js');
}

/**
 * Builds `lines` as a program, runs it whole, then checkpoints it at point
 * `k` and exits, restarts the file: returns both halves and the whole.
 */
function checkpointAndRestart(name: string, lines: string[], k: number): { full: string; first: SpawnSyncReturns<string>; second: SpawnSyncReturns<string> } {
  const mainJs = buildProgram(name, lines);
  const full = cli(['run', mainJs]).stdout;
  const file = join(scratch, `${name}.ckpt`);
  const first = cli(['run', mainJs, '--checkpoint-at', String(k), '--checkpoint-file', file, '--exit-after-checkpoint']);
  expect(first.status).toBe(0);
  return { full, first, second: cli(['restart', file]) };
}

test('a descriptor whose number the restarting process already uses is reopened under another, and node:fs translates the program\'s number', () => {
  const dir = join(scratch, 'fd-numbers');
  mkdirSync(dir, { recursive: true });
  const mainJs = buildProgram('fd-numbers', [
    "import { closeSync, createReadStream, fstatSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';",
    `const dir = ${JSON.stringify(dir)};`,
    "const log = openSync(`${dir}/log.txt`, 'w+');",
    'for (let i = 0; i < 6; i++) writeSync(log, `line ${[i].map((x) => x * 2)[0]}\\n`);',
    "console.log('size', fstatSync(log).size, 'file', readFileSync(log, 'utf8').length);",
    'closeSync(log);',
    "const again = openSync(`${dir}/log.txt`, 'r');",
    'const head = Buffer.alloc(7);',
    "readSync(again, head, 0, 7, null);",
    "console.log('head', JSON.stringify(head.toString()), [1].map((x) => x)[0]);",
    "const rest = await new Promise<string>((resolve) => { let text = ''; createReadStream('', { fd: again, encoding: 'utf8' }).on('data', (c) => (text += c)).on('close', () => resolve(text)); });",
    "console.log('rest', rest.split('\\n').length);",
  ]);
  const full = cli(['run', mainJs]).stdout;
  expect(full).toBe('size 43 file 0\nhead "line 0\\n" 1\nrest 6\n');
  // the parent leaves descriptors 3–40 open in the restarted process, so the program's numbers are taken there
  const devNull = openSync('/dev/null', 'r');
  const crowded = ['ignore', 'pipe', 'pipe', ...Array.from({ length: 38 }, () => devNull)];
  for (const k of [3, 7, 8]) {
    const file = join(scratch, `fd-numbers-${k}.ckpt`);
    const first = cli(['run', mainJs, '--checkpoint-at', String(k), '--checkpoint-file', file, '--exit-after-checkpoint']);
    expect(first.status).toBe(0);
    // the CLI itself, not bin/introspect.mjs, which starts it again with the standard streams only
    const second = spawnSync(process.execPath, ['--stack-size=4000', join(ROOT, 'dist', 'cli', 'main.js'), 'restart', file], { encoding: 'utf8', cwd: ROOT, stdio: crowded as never });
    expect({ k, stderr: second.stderr, out: first.stdout + second.stdout }).toEqual({ k, stderr: '', out: full });
  }
  closeSync(devNull);
});

test('the program\'s imports of node:fs\'s descriptor functions forward to what its module object holds at the call (Bun\'s and Deno\'s imports do not follow it)', () => {
  const fsObject = loadBuiltin('node:fs') as Record<string, unknown>;
  const native = fsObject.readSync as Function;
  const forward = programFsFunction(native, 'readSync') as Function;
  expect(forward).not.toBe(native);
  expect([forward.name, forward.length]).toEqual(['readSync', native.length]);
  expect(programFsFunction(native, 'readSync')).toBe(forward);
  expect(programFsFunction(fsObject.existsSync, 'existsSync')).toBe(fsObject.existsSync);
  // a wrapper put on the module object after the import was bound (descriptor-numbers.ts translates from the first taken number on)
  const calls: unknown[] = [];
  fsObject.readSync = (fd: unknown) => (calls.push(fd), 0);
  try {
    expect(forward(42, Buffer.alloc(1), 0, 1, null)).toBe(0);
  } finally {
    fsObject.readSync = native;
  }
  expect(calls).toEqual([42]);
  // what util.promisify reads off fs.read (it resolves to { bytesRead, buffer })
  const read = programFsFunction(fsObject.read, 'read') as Function;
  expect(Object.getOwnPropertySymbols(read)).toEqual(Object.getOwnPropertySymbols(fsObject.read as Function));
  // saved by a name every Node host gives back
  expect(namedForwarders()['node:fs.descriptor.readSync']!()).toBe(forward);
});

test('a checkpoint due while a callback of platform I/O is in flight waits for it (nothing is lost)', () => {
  const { full, first, second } = checkpointAndRestart('fs-callback', [
    "import { stat } from 'node:fs';",
    "stat('.', (err) => console.log('stat done', err === null));",
    'for (let i = 0; i < 4; i++) console.log(`loop ${[i].map((x) => x * 2)[0]}`);',
  ], 3);
  expect(full).toBe('loop 0\nloop 2\nloop 4\nloop 6\nstat done true\n');
  expect(first.stdout + second.stdout).toBe(full);
});

test.each([3, 6])('a checkpoint due while a function holds a value that cannot be saved (a crypto Hash) is taken once it is gone (k=%i)', (k) => {
  const { full, first, second } = checkpointAndRestart(`held-hash-${k}`, [
    "import { createHash } from 'node:crypto';",
    'const upper = (s: string): string => s.toUpperCase();',
    'function digest(parts: string[]): string {',
    "  const h = createHash('sha256');",
    '  for (const p of parts) h.update(upper(p));',
    "  return h.digest('hex').slice(0, 12);",
    '}',
    "for (let i = 0; i < 4; i++) console.log(`digest ${i} ${digest(['a', 'b', String(i)])}`);",
  ], k);
  expect(full.split('\n')).toHaveLength(5);
  expect(first.stderr).not.toMatch(/failed/);
  expect(first.stdout + second.stdout).toBe(full);
  expect(second.status).toBe(0);
});

test('private #fields on a RegExp subclass instance fail the checkpoint with the path and a remedy, and the program runs on', () => {
  const program = join(scratch, 'regexp-privates');
  const out = join(scratch, 'regexp-privates-out');
  mkdirSync(program, { recursive: true });
  writeFileSync(join(program, 'main.ts'), [
    'class Pattern extends RegExp { #hits = 0; hit() { return ++this.#hits; } }',
    "const p = new Pattern('a+', 'g');",
    'p.hit();',
    'await null;',
    'console.log(p.hit(), p.source);',
    '',
  ].join('\n'));
  expect(cli(['build', program, '--out-dir', out]).status).toBe(0);
  const file = join(scratch, 'regexp-privates.ckpt');
  const r = cli(['run', join(out, 'main.js'), '--checkpoint-at', '3', '--checkpoint-file', file]);
  expect(r.status).toBe(0);
  expect(r.stdout).toBe('2 a+\n');
  expect(r.stderr).toMatch(/checkpoint failed, nothing written: cannot save a regexp with private #fields of its class .* at module main\.ts › variable p: keep the private state in an ordinary object/);
  expect(existsSync(file)).toBe(false);
});

test('process.exitCode set before the checkpoint is the exit code after the restart', () => {
  const { full, first, second } = checkpointAndRestart('exit-code', [
    'process.exitCode = 7;',
    'for (let i = 0; i < 3; i++) console.log(`i ${[i].map((x) => x * 2)[0]}`);',
    'console.log(`exitCode ${process.exitCode}`);',
  ], 2);
  expect(full).toBe('i 0\ni 2\ni 4\nexitCode 7\n');
  expect(first.stdout + second.stdout).toBe(full);
  expect(second.status).toBe(7);
});

test("the program's process exit handlers are saved, and do not run when it is stopped after a checkpoint", () => {
  const { full, first, second } = checkpointAndRestart('exit-handlers', [
    'const stats = { steps: 0 };',
    "process.on('exit', (code) => console.log(`exit: ${stats.steps} steps, code ${code}`));",
    "process.once('beforeExit', () => console.log('before exit'));",
    'for (let i = 0; i < 4; i++) { stats.steps++; console.log(`step ${[i].map((x) => x * 3)[0]}`); }',
  ], 5);
  expect(full).toBe('step 0\nstep 3\nstep 6\nstep 9\nbefore exit\nexit: 4 steps, code 0\n');
  expect(first.stdout).not.toContain('exit');
  expect(first.stdout + second.stdout).toBe(full);
});

describe('a checkpoint while the program awaits I/O of the platform (quiesce)', () => {
  const program = join(scratch, 'io-wait');
  const out = join(scratch, 'io-wait-out');
  // `io` awaits a promise of the platform (globalThis's own Promise and
  // setTimeout, which pass 0b leaves alone), not one of the program: its
  // result cannot be saved, so a checkpoint due meanwhile waits for it.
  const source = [
    'const platformSleep = (ms: number, v: string) => new globalThis.Promise<string>((r) => globalThis.setTimeout(() => r(v), ms));',
    'const io = (async () => {',
    "  return await platformSleep(Number(process.argv[2]), 'io result');",
    '})();',
    'async function ticker(): Promise<void> {',
    '  for (let i = 0; i < 12; i++) {',
    '    await new Promise((r) => setTimeout(r, 10));',
    '    console.log(`tick ${i}`);',
    '  }',
    '}',
    'void Promise.all([io, ticker()]).then(([v]) => console.log(`${v}, done`));',
    '',
  ].join('\n');
  let full: string;

  beforeAll(() => {
    mkdirSync(program, { recursive: true });
    writeFileSync(join(program, 'main.ts'), source);
    expect(cli(['build', program, '--out-dir', out]).status).toBe(0);
    full = cli(['run', join(out, 'main.js'), '60']).stdout;
    expect(full).toMatch(/^tick 0\n[\s\S]*tick 11\nio result, done\n$/);
  });

  test('waits for the platform promise, then is taken and restarts', () => {
    const file = join(scratch, 'io-wait.ckpt');
    // Point 8 is reached while the I/O is in flight: the checkpoint is taken
    // once it has settled (the platform's promise no longer in the state).
    const first = cli(['run', join(out, 'main.js'), '60', '--checkpoint-at', '8', '--checkpoint-file', file, '--exit-after-checkpoint']);
    expect(first.status).toBe(0);
    expect(first.stderr).toBe('');
    // The restart sees the program's arguments again (header.args).
    const second = cli(['restart', file]);
    expect(second.status).toBe(0);
    expect(first.stdout + second.stdout).toBe(full);
  });

  test('gives up after --quiesce-timeout, says why, writes nothing, and the program runs on', () => {
    const file = join(scratch, 'io-wait-timeout.ckpt');
    const r = cli(['run', join(out, 'main.js'), '400', '--checkpoint-at', '8', '--checkpoint-file', file, '--quiesce-timeout', '30ms']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/checkpoint failed, nothing written: the program still awaited 1 promise\(s\) of the platform .* after 30 ms \(--quiesce-timeout\)/);
    expect(existsSync(file)).toBe(false);
    expect(r.stdout).toBe(cli(['run', join(out, 'main.js'), '400']).stdout);
  });
});

describe('a checkpoint held back by a value that cannot be saved', () => {
  test('is written once the value is gone, and the run says where it was asked and where it was written', () => {
    const mainJs = buildProgram('worker-held', [
      "import { Worker } from 'node:worker_threads';",
      'async function main(): Promise<void> {',
      "  const worker = new Worker(\"require('node:worker_threads').parentPort.on('message', (n) => require('node:worker_threads').parentPort.postMessage(n * 2));\", { eval: true });",
      '  let total = 0;',
      '  for (let i = 0; i < 3; i++) {',
      "    const reply = new Promise<number>((resolve) => worker.once('message', resolve));",
      '    worker.postMessage(i);',
      '    total += await reply;',
      '    console.log(`round ${i}: ${total}`);',
      '  }',
      '  await worker.terminate();',
      "  console.log('done');",
      '}',
      'void main();',
    ]);
    const file = join(scratch, 'worker-held.ckpt');
    const r = cli(['run', mainJs, '--checkpoint-at', '7', '--checkpoint-file', file, '--exit-after-checkpoint']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('round 0: 0\nround 1: 2\nround 2: 6\ndone\n');
    expect(r.stderr).toMatch(/the checkpoint due at point 7 was written at point \d+: .*Worker of node:worker_threads.*tried again until it was gone/);
    expect(existsSync(file)).toBe(true);
  });
});

describe('restart with checkpoint options', () => {
  test('a resumed long job checkpoints again (--checkpoint-dir, --every), and that checkpoint resumes too', () => {
    const program = join(scratch, 'long-job');
    const out = join(scratch, 'long-job-out');
    mkdirSync(program, { recursive: true });
    writeFileSync(
      join(program, 'main.ts'),
      [
        'let total = 0;',
        'for (let i = 0; i < 6; i++) {',
        '  const end = Date.now() + 150;',
        '  while (Date.now() < end) total = (total * 31 + i) % 1000003;',
        '  console.log(`chunk ${i}`);',
        '}',
        "console.log('done');",
        '',
      ].join('\n'),
    );
    expect(cli(['build', program, '--out-dir', out]).status).toBe(0);
    const first = join(scratch, 'long-job-1');
    const second = join(scratch, 'long-job-2');
    const a = cli(['run', join(out, 'main.js'), '--checkpoint-dir', first, '--every', '200ms', '--exit-after-checkpoint']);
    expect(a.status).toBe(0);
    const fileA = readdirSync(first).filter((n) => n.endsWith('.ckpt'));
    expect(fileA).toHaveLength(1);
    const b = cli(['restart', join(first, fileA[0]!), '--checkpoint-dir', second, '--every', '200ms', '--exit-after-checkpoint']);
    expect(b.status).toBe(0);
    const fileB = readdirSync(second).filter((n) => n.endsWith('.ckpt'));
    expect(fileB).toHaveLength(1);
    const c = cli(['restart', join(second, fileB[0]!)]);
    expect(c.status).toBe(0);
    expect(a.stdout + b.stdout + c.stdout).toBe('chunk 0\nchunk 1\nchunk 2\nchunk 3\nchunk 4\nchunk 5\ndone\n');
    // not with --platform: the other platforms' hosts write no checkpoints here
    const refused = cli(['restart', join(second, fileB[0]!), '--platform', 'qjs', '--checkpoint-dir', second]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/checkpoint options apply to a restart on Node/);
  });
  test('a restored frame is at its call until the callee returns: a second checkpoint inside the resumed callee resumes too', () => {
    // The caller's router resumes `inner` without setting `$l`: the prologue
    // set it to the restored point, which the second capture must record.
    const main = buildProgram('twice', [
      "import { checkpoint } from 'introspect/runtime';",
      'function step(n: number): number {',
      '  let s = 0;',
      '  for (let i = 0; i < n; i++) s += i;',
      '  return s;',
      '}',
      'function inner(tag: string): number {',
      '  console.log(`inner ${tag} start`);',
      '  checkpoint();',
      '  const a = step(3);',
      '  console.log(`inner ${tag} between ${a}`);',
      '  checkpoint();',
      '  const b = step(4);',
      '  console.log(`inner ${tag} end ${b}`);',
      '  return a + b;',
      '}',
      'function outer(): number {',
      '  let a = 1;',
      "  a += inner('x');",
      '  console.log(`outer got ${a}`);',
      "  a += inner('y');",
      '  return a;',
      '}',
      'console.log(`result ${outer()}`);',
    ]);
    const files = [1, 2, 3].map((i) => join(scratch, `twice-${i}.ckpt`));
    const parts = [cli(['run', main, '--checkpoint-file', files[0]!, '--exit-after-checkpoint'])];
    parts.push(cli(['restart', files[0]!, '--checkpoint-file', files[1]!, '--exit-after-checkpoint']));
    parts.push(cli(['restart', files[1]!, '--checkpoint-file', files[2]!, '--exit-after-checkpoint']));
    parts.push(cli(['restart', files[2]!]));
    for (const p of parts) expect(p.status).toBe(0);
    expect(parts.map((p) => p.stdout)).toEqual(['inner x start\n', 'inner x between 3\n', 'inner x end 6\nouter got 10\ninner y start\n', 'inner y between 3\ninner y end 6\nresult 19\n']);
  });
});

describe('the runtime API (introspect/runtime)', () => {
  test('onRestore hooks are saved with the checkpoint and run after the restart, before the program goes on', () => {
    const program = join(scratch, 'api');
    const out = join(scratch, 'api-out');
    const file = join(scratch, 'api.ckpt');
    mkdirSync(program, { recursive: true });
    writeFileSync(
      join(program, 'main.ts'),
      [
        "import { onRestore } from 'introspect/runtime';",
        'let restarts = 0;',
        'let cache = new Map<string, number>();',
        'onRestore(() => {',
        '  restarts++;',
        '  cache = new Map();',
        '  console.log(`restored (${restarts})`);',
        '});',
        'for (let i = 0; i < 5; i++) {',
        '  cache.set(`k${i}`, i);',
        '  console.log(`step ${i} cache ${cache.size}`);',
        '}',
        'console.log(`restarts ${restarts}`);',
        '',
      ].join('\n'),
    );
    const built = cli(['build', program, '--out-dir', out]);
    expect(built.status).toBe(0);
    expect(built.stderr).not.toMatch(/TS2307/);
    const first = cli(['run', join(out, 'main.js'), '--checkpoint-at', '4', '--checkpoint-file', file, '--exit-after-checkpoint']);
    expect(first.stdout).toBe('step 0 cache 1\nstep 1 cache 2\n');
    const second = cli(['restart', file]);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe('restored (1)\nstep 2 cache 1\nstep 3 cache 2\nstep 4 cache 3\nrestarts 1\n');
  });

  test('a CommonJS build (tsconfig module commonjs) points the import of the runtime API at its copy too', () => {
    const program = join(scratch, 'api-cjs');
    const out = join(scratch, 'api-cjs-out');
    const file = join(scratch, 'api-cjs.ckpt');
    mkdirSync(program, { recursive: true });
    writeFileSync(join(program, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'es2022', module: 'commonjs', strict: true }, files: ['main.ts'] }));
    writeFileSync(
      join(program, 'main.ts'),
      [
        "import { onRestore } from 'introspect/runtime';",
        "onRestore(() => console.log('restored'));",
        'for (let i = 0; i < 4; i++) console.log(`step ${i}`);',
        '',
      ].join('\n'),
    );
    const built = cli(['build', program, '--out-dir', out]);
    expect(built.status).toBe(0);
    expect(readFileSync(join(out, 'main.js'), 'utf8')).toMatch(/require\("\.\/__introspect\/runtime\.cjs"\);\n/);
    // (no introspect package where the output lives: a bare require of it would fail)
    const first = cli(['run', join(out, 'main.js'), '--checkpoint-at', '3', '--checkpoint-file', file, '--exit-after-checkpoint']);
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe('step 0\n');
    const second = cli(['restart', file]);
    expect(second.stdout).toBe('restored\nstep 1\nstep 2\nstep 3\n');
  });

  test('a checkpoint() of the program neither changes the count of points nor cancels --checkpoint-at K', () => {
    const program = join(scratch, 'api-count');
    const out = join(scratch, 'api-count-out');
    const dir = join(scratch, 'api-count-ckpts');
    mkdirSync(program, { recursive: true });
    writeFileSync(
      join(program, 'main.ts'),
      [
        "import { checkpoint } from 'introspect/runtime';",
        'function step(i: number): number { return (i * 7) % 11; }',
        'const call: (i: number) => number = step;',
        'let sum = 0;',
        'for (let i = 0; i < 60; i++) {',
        "  if (i === 10 && process.env.CALL === '1') checkpoint();",
        '  sum += call(i);',
        '}',
        'console.log(sum);',
        '',
      ].join('\n'),
    );
    expect(cli(['build', program, '--out-dir', out]).status).toBe(0);
    const count = (call: string) => lastLine(cli(['run', join(out, 'main.js'), '--count-points'], { env: { ...process.env, CALL: call } }).stderr);
    expect(count('0')).toMatch(/\d+ suspension points/);
    expect(count('1')).toBe(count('0'));
    const r = cli(['run', join(out, 'main.js'), '--checkpoint-at', '40', '--checkpoint-dir', dir], { env: { ...process.env, CALL: '1' } });
    expect(r.status).toBe(0);
    expect(readdirSync(dir).filter((n) => n.endsWith('.ckpt'))).toHaveLength(2);
  });

  test('what an onRestore hook queues (a microtask, a timer) runs after the restart, after what the checkpoint had queued', () => {
    const program = join(scratch, 'api-jobs');
    const out = join(scratch, 'api-jobs-out');
    const file = join(scratch, 'api-jobs.ckpt');
    mkdirSync(program, { recursive: true });
    writeFileSync(
      join(program, 'main.ts'),
      [
        "import { onRestore } from 'introspect/runtime';",
        'let open = true;',
        'onRestore(() => {',
        '  open = false;',
        '  queueMicrotask(() => { open = true; console.log(\'reopened\'); });',
        '  setTimeout(() => console.log(\'hook timer\'), 5);',
        '});',
        'async function main(): Promise<void> {',
        '  for (let i = 0; i < 3; i++) {',
        '    await new Promise((resolve) => setTimeout(resolve, 30));',
        '    console.log(`tick ${i} open=${open}`);',
        '  }',
        '}',
        'main();',
        '',
      ].join('\n'),
    );
    expect(cli(['build', program, '--out-dir', out]).status).toBe(0);
    // Point 3: the hook is registered, the first 30 ms timer is armed and far from due.
    const first = cli(['run', join(out, 'main.js'), '--checkpoint-at', '3', '--checkpoint-file', file, '--exit-after-checkpoint']);
    expect(first.stdout).toBe('');
    expect(first.status).toBe(0);
    const second = cli(['restart', file]);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe('reopened\nhook timer\ntick 0 open=true\ntick 1 open=true\ntick 2 open=true\n');
  });
});

describe('transient(value, recreate)', () => {
  test('a value that cannot be saved is rebuilt after the restart, and every holder gets the new one', () => {
    const program = join(scratch, 'transient');
    const out = join(scratch, 'transient-out');
    const file = join(scratch, 'transient.ckpt');
    mkdirSync(program, { recursive: true });
    writeFileSync(
      join(program, 'main.ts'),
      [
        "import { transient } from 'introspect/runtime';",
        'let opened = 0;',
        'function connect(name: string) {',
        '  opened++;',
        "  return { name, id: opened, send: new Function('m', 'return \"sent:\" + m') as (m: string) => string };",
        '}',
        "const conn = transient(connect('db'), () => connect('db'));",
        "const pool = new Map([['main', conn]]);",
        'const holder = { list: [conn], pool };',
        'function step(i: number): string {',
        '  const c = holder.list[0];',
        "  return `step ${i} ${c.send(String(i))} via #${c.id} same=${pool.get('main') === conn && c === conn}`;",
        '}',
        'for (let i = 0; i < 6; i++) console.log(step(i));',
        'console.log(`opened ${opened}`);',
        '',
      ].join('\n'),
    );
    expect(cli(['build', program, '--out-dir', out]).status).toBe(0);
    const whole = cli(['run', join(out, 'main.js')]).stdout;
    expect(whole).toContain('step 5 sent:5 via #1 same=true\nopened 1\n');
    const first = cli(['run', join(out, 'main.js'), '--checkpoint-at', '6', '--checkpoint-file', file, '--exit-after-checkpoint']);
    expect(first.status).toBe(0);
    expect(first.stderr).not.toMatch(/checkpoint failed/);
    const header = JSON.parse(cli(['inspect', file, '--json']).stdout) as { otherHeaderFields: { transients?: number } };
    expect(header.otherHeaderFields.transients).toBe(1);
    const second = cli(['restart', file]);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/via #2 same=true\n/);
    expect(second.stdout).not.toMatch(/#1|same=false/);
    expect(second.stdout.endsWith('step 5 sent:5 via #2 same=true\nopened 2\n')).toBe(true);
    expect(first.stdout + second.stdout.replace(/#2/g, '#1').replace('opened 2', 'opened 1')).toBe(whole);
  });
});

describe('a checkpoint inside a callback of Array.prototype.map', () => {
  test('is taken inside the callback (not deferred), and the restart finishes the same iteration', () => {
    const program = join(scratch, 'array-callback');
    const out = join(scratch, 'array-callback-out');
    const file = join(scratch, 'array-callback.ckpt');
    mkdirSync(program, { recursive: true });
    writeFileSync(
      join(program, 'main.ts'),
      [
        'function slowSquare(x: number): number {',
        '  let s = 0;',
        '  for (let i = 0; i < x; i++) s += x;',
        '  return s;',
        '}',
        'const squares = [3, 4, 5, 6].map((x) => slowSquare(x));',
        'console.log(squares.join(","), squares.reduce((a, b) => a + b, 0));',
        '',
      ].join('\n'),
    );
    expect(cli(['build', program, '--out-dir', out]).status).toBe(0);
    expect(cli(['run', join(out, 'main.js'), '--checkpoint-at', '12', '--checkpoint-file', file, '--exit-after-checkpoint']).status).toBe(0);
    const frames = (JSON.parse(cli(['inspect', file, '--json']).stdout) as { body: { frames: { id: string }[] } }).body.frames.map((fr) => fr.id);
    expect(frames).toContain('introspect:walkFrame');
    expect(frames[0]).toMatch(/slowSquare/);
    expect(cli(['restart', file]).stdout).toBe('9,16,25,36 86\n');
  });
});

describe('a checkpoint holding large typed arrays (written from and read into their own buffers)', () => {
  test('restarts with every element, views sharing a buffer still share it, and inspect counts the bytes', () => {
    const program = join(scratch, 'big-buffers');
    const out = join(scratch, 'big-buffers-out');
    const file = join(scratch, 'big-buffers.ckpt');
    mkdirSync(program, { recursive: true });
    writeFileSync(
      join(program, 'main.ts'),
      [
        "import { checkpoint } from 'introspect/runtime';",
        'const f = new Float64Array(300_000);',
        'for (let i = 0; i < f.length; i++) f[i] = i * 0.25 - 7;',
        'const odd = new Uint8Array(100_003).map((_, i) => (i * 7) & 0xff);',
        'const big = new BigInt64Array(20_000).map((_, i) => BigInt(i) * -3n);',
        'const alias = new Int32Array(f.buffer, 8, 4);',
        'function sum(a: ArrayLike<number>): number { let s = 0; for (let i = 0; i < a.length; i++) s = (s * 31 + a[i]!) % 1000003; return s; }',
        'let step = 0;',
        'for (; step < 3; step++) { if (step === 1) checkpoint(); f[step] += 1; odd[step] ^= 1; }',
        'console.log(sum(f), sum(odd), String(big[19_999]), alias.buffer === f.buffer, alias[0], f.length, odd.length);',
        '',
      ].join('\n'),
    );
    expect(cli(['build', program, '--out-dir', out]).status).toBe(0);
    const whole = cli(['run', join(out, 'main.js')]);
    expect(whole.status).toBe(0);
    const run = cli(['run', join(out, 'main.js'), '--checkpoint-file', file, '--exit-after-checkpoint']);
    expect(run.status).toBe(0);
    expect(statSync(file).size).toBeGreaterThan(2_660_008);
    const described = JSON.parse(cli(['inspect', file, '--json']).stdout) as { fileBytes: number; body: { heap: { blobBytes: number } } };
    expect(described.body.heap.blobBytes).toBe(2_400_000 + 100_008 + 160_000);
    expect(cli(['restart', file]).stdout).toBe(whole.stdout);
  });
});

describe('a checkpoint inside a generator body and an async body (native generators)', () => {
  test('is taken at the point asked for, with the body frames on the stack, and the restart finishes the output', () => {
    const program = join(scratch, 'bodies');
    const out = join(scratch, 'bodies-out');
    mkdirSync(program, { recursive: true });
    writeFileSync(
      join(program, 'main.ts'),
      [
        'function work(x: number): number {',
        '  let s = 0;',
        '  for (let i = 0; i < x; i++) s += i;',
        '  return s;',
        '}',
        'function* squares(n: number) {',
        '  for (let i = 0; i < n; i++) yield work(i * 3);',
        '}',
        'async function total(n: number) {',
        '  let t = 0;',
        '  for (const v of squares(n)) t += work(v % 7) + (await Promise.resolve(v));',
        '  return t;',
        '}',
        'console.log(await total(6));',
        '',
      ].join('\n'),
    );
    const { points, seen } = framesAcrossCheckpoints('bodies', program, out, 8);
    expect(points).toBeGreaterThan(10);
    // Checkpoints landed inside the generator's body and inside the async function's body.
    expect([...seen].some((id) => /squares\/<arrow>/.test(id))).toBe(true);
    expect([...seen].some((id) => /total\/<arrow>/.test(id))).toBe(true);
  });

  test('driven by it.next(v) next to a class with a next method of its own: taken inside the generator body, undeferred, and the restart finishes the output', () => {
    const program = join(scratch, 'driven');
    const out = join(scratch, 'driven-out');
    mkdirSync(program, { recursive: true });
    writeFileSync(
      join(program, 'main.ts'),
      [
        'class Lcg { last = 42; next(max: number): number { this.last = (this.last * 3877 + 29573) % 139968; return Math.floor((max * this.last) / 139968); } }',
        'function* acc(): Generator<number, number, number> {',
        '  let s = 0;',
        '  for (let i = 0; i < 12; i++) { let w = 0; for (let j = 0; j < 20; j++) w += j % 3; s += (yield s) + w; }',
        '  return s;',
        '}',
        'const rng = new Lcg();',
        'const it = acc();',
        'let r = it.next(0);',
        'while (!r.done) r = it.next(rng.next(9));',
        'console.log(r.value, rng.next(100));',
        '',
      ].join('\n'),
    );
    const { seen } = framesAcrossCheckpoints('driven', program, out, 6);
    // it.next(v) still tells the generator it is driven from a resume point: checkpoints land in its body.
    expect([...seen].some((id) => /acc\/<arrow>/.test(id))).toBe(true);
  });
});

/**
 * Builds the ES-module program in `program`, checkpoints it at `samples`
 * points spread over its run and restarts each: every checkpoint is taken
 * where asked (nothing held it back: the engine's resumption of a body is
 * not a foreign frame) and every restart finishes the output. Returns the
 * ids of the frames the checkpoints held.
 */
function framesAcrossCheckpoints(name: string, program: string, out: string, samples: number): { points: number; seen: Set<string> } {
  writeFileSync(join(program, 'package.json'), '{"type":"module"}');
  expect(cli(['build', program, '--out-dir', out]).status).toBe(0);
  const full = cli(['run', join(out, 'main.js')]).stdout;
  const points = Number(/(\d+) suspension points/.exec(cli(['run', join(out, 'main.js'), '--count-points']).stderr)![1]);
  const seen = new Set<string>();
  for (let k = 1; k <= points; k += Math.ceil(points / samples)) {
    const file = join(scratch, `${name}-${k}.ckpt`);
    expect(cli(['run', join(out, 'main.js'), '--checkpoint-at', String(k), '--checkpoint-file', file, '--exit-after-checkpoint']).status).toBe(0);
    const header = JSON.parse(cli(['inspect', file, '--json']).stdout) as { deferred?: unknown; body: { frames: { id: string }[] } };
    expect(header.deferred).toBeUndefined();
    for (const fr of header.body.frames) seen.add(fr.id);
    expect(cli(['restart', file]).stdout).toBe(full);
  }
  return { points, seen };
}

describe('a checkpoint inside a callback of sort, JSON, replace, Array.from (runtime walks)', () => {
  const slow = ['function slow(x: number): number {', '  let s = 0;', '  for (let i = 0; i < 5; i++) s += x;', '  return s / 5;', '}'];
  test.each([
    ['sort', 'const r = [3, 1, 2, 5, 4].sort((a, b) => slow(a) - slow(b));', 'Array.prototype.sort', '1,2,3,4,5'],
    ['stringify', 'const r = JSON.stringify({ a: 1, b: [2, 3] }, (k, v) => (typeof v === "number" ? slow(v) * 2 : v));', 'JSON.stringify', '{"a":2,"b":[4,6]}'],
    ['parse', 'const r = JSON.stringify(JSON.parse("[1,[2,3]]", (k, v) => (typeof v === "number" ? slow(v) + 1 : v)));', 'JSON.parse', '[2,[3,4]]'],
    ['replace', 'const r = "a1b2c3".replace(/\\d/g, (d) => String(slow(Number(d)) * 3));', 'String.prototype.replace', 'a3b6c9'],
    ['from', 'const r = Array.from(new Set([4, 5, 6]), (x) => slow(x) + 1);', 'Array.from', '5,6,7'],
  ])('%s: taken in the callback, the walk saved as a frame, the restart finishes it', (name, line, builtin, expected) => {
    const program = join(scratch, `walk-${name}`);
    const out = join(scratch, `walk-${name}-out`);
    const file = join(scratch, `walk-${name}.ckpt`);
    mkdirSync(program, { recursive: true });
    writeFileSync(join(program, 'main.ts'), [...slow, line, 'console.log(String(r));', ''].join('\n'));
    expect(cli(['build', program, '--out-dir', out]).status).toBe(0);
    expect(cli(['run', join(out, 'main.js'), '--checkpoint-at', '9', '--checkpoint-file', file, '--exit-after-checkpoint']).status).toBe(0);
    const body = (JSON.parse(cli(['inspect', file, '--json']).stdout) as { body: { frames: { id: string; builtin?: string }[] } }).body;
    expect(body.frames[0].builtin).toBeUndefined();
    expect(body.frames.map((fr) => fr.builtin)).toContain(builtin);
    expect(cli(['inspect', file]).stdout).toContain(`at ${builtin} (run by introspect)`);
    expect(cli(['restart', file]).stdout).toBe(`${expected}\n`);
  });

  test('a callback of a built-in the runtime does not walk defers the checkpoint, and the header says which frame', () => {
    const program = join(scratch, 'walk-deferred');
    const out = join(scratch, 'walk-deferred-out');
    const file = join(scratch, 'walk-deferred.ckpt');
    mkdirSync(program, { recursive: true });
    writeFileSync(join(program, 'main.ts'), [...slow, 'const r = new Int32Array([3, 1, 2]).sort((a, b) => slow(a) - slow(b));', 'console.log(String(r));', 'slow(1);', 'console.log("after");', ''].join('\n'));
    expect(cli(['build', program, '--out-dir', out]).status).toBe(0);
    expect(cli(['run', join(out, 'main.js'), '--checkpoint-at', '9', '--checkpoint-file', file, '--exit-after-checkpoint']).stdout).toBe('1,2,3\n');
    const described = JSON.parse(cli(['inspect', file, '--json']).stdout) as { otherHeaderFields: { deferred?: { by: string; point: number } } };
    expect(described.otherHeaderFields.deferred?.point).toBe(9);
    expect(described.otherHeaderFields.deferred?.by).toMatch(/uninstrumented frame on the stack: at .*sort/);
    expect(cli(['restart', file]).stdout).toBe('after\n');
  });
});

test('a checkpoint deferred by an uninstrumented frame that comes back at a steady rhythm still lands within a few rounds', () => {
  // Each round: ~900 points inside a typed array's sort (its comparator), 2
  // outside. After 64 looks the runtime looks every ~1000 points; waits of
  // one length saw the same few places of each round (taken at point 542,607
  // for 50,000), drifting waits reach the gap.
  const mainJs = buildProgram('steady-foreign', [
    'function inc(n: number): number { let s = n; for (let i = 0; i < 1; i++) s = (s * 31 + i) % 1009; return s; }',
    'function work(n: number, k: number): number { let s = n; for (let i = 0; i < k; i++) s = inc(s); return s; }',
    'function cmp(a: number, b: number): number { return work(a, 20) - work(b, 20) || a - b; }',
    'let total = 0;',
    'for (let round = 0; round < 3000; round++) {',
    '  const r = new Int32Array([round % 7, 3, 1, 2, 5]).sort(cmp);',
    '  total = (total + r[0] + inc(round)) % 1000003;',
    '}',
    'console.log("total", total);',
  ]);
  const file = join(scratch, 'steady-foreign.ckpt');
  expect(cli(['run', mainJs, '--checkpoint-at', '50000', '--checkpoint-file', file, '--exit-after-checkpoint']).status).toBe(0);
  const header = JSON.parse(cli(['inspect', file, '--json']).stdout) as { otherHeaderFields: { points: number; deferred?: { point: number } } };
  expect(header.otherHeaderFields.deferred?.point).toBe(50000);
  expect(header.otherHeaderFields.points).toBeLessThan(200000);
  expect(cli(['restart', file]).stdout).toBe(cli(['run', mainJs]).stdout);
});

test('an unwind no call site could record stops the program with exit code 4 and writes nothing (never a truncated stack)', () => {
  // `R.construct` with a subclass as new.target is not the program's
  // `Reflect.construct` as pass 0b sees it: the constructor's unwind is
  // thrown past the caller's frame.
  const mainJs = buildProgram('stack-lost', [
    'function label(n: number): string { let s = "b"; for (let i = 0; i < 1; i++) s += n; return s; }', // a loop: no leaf
    'function Legacy(this: any, x: number) { this.x = x; this.tag = label(x); }',
    'class B extends (Legacy as any) {}',
    'const R = globalThis.Reflect;',
    'const b: any = R.construct(Legacy, [2], B);',
    'console.log(JSON.stringify(b), b instanceof B);',
  ]);
  expect(cli(['run', mainJs]).stdout).toBe('{"x":2,"tag":"b2"} true\n');
  const file = join(scratch, 'stack-lost.ckpt');
  const r = cli(['run', mainJs, '--checkpoint-at', '2', '--checkpoint-file', file]);
  expect(r.status).toBe(4);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/checkpoint failed, nothing written: the program's stack could not be recorded \(the unwind was thrown out of Legacy/);
  expect(existsSync(file)).toBe(false);
});

describe('later built-ins (Object.groupBy, the Set methods, Promise.withResolvers, the iterator helpers): the program has them exactly where the engine had them when it started', () => {
  // What the program reads, and the same expressions as this Node answers them natively.
  const SEEN = [
    'typeof (Object as any).groupBy',
    'typeof (Map as any).groupBy',
    'typeof (Set.prototype as any).union',
    'typeof (Promise as any).withResolvers',
    'typeof ([] as any).values().map',
    'typeof (globalThis as any).Iterator',
    'typeof ([] as any).toSorted',
  ];
  const native = spawnSync(process.execPath, ['-e', `console.log([${SEEN.map((e) => e.replace(/ as any/g, '')).join(', ')}].join(' '))`], { encoding: 'utf8' }).stdout.trim();
  const lines = [
    "import { checkpoint } from 'introspect/runtime';",
    `const seen = (): string => [${SEEN.join(', ')}].join(' ');`,
    "console.log('start', seen());",
    'checkpoint();',
    "console.log('restarted', seen());",
    'checkpoint();',
    "console.log('again', seen());",
  ];
  let mainJs: string;
  beforeAll(() => {
    mainJs = buildProgram('later-builtins', lines);
  });

  test(`a run sees what this Node has (${native}), a restart on it the same, and a restart of that restart's checkpoint too`, () => {
    if (process.versions.node.startsWith('20.')) expect(native).toBe('undefined undefined undefined undefined undefined undefined function');
    const first = join(scratch, 'later-builtins-1.ckpt');
    const second = join(scratch, 'later-builtins-2.ckpt');
    const run = cli(['run', mainJs, '--checkpoint-file', first, '--exit-after-checkpoint']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`start ${native}\n`);
    const restarted = cli(['restart', first, '--checkpoint-file', second, '--exit-after-checkpoint']);
    expect(restarted.stderr).toBe('');
    expect(restarted.stdout).toBe(`restarted ${native}\n`);
    const again = cli(['restart', second]);
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(`again ${native}\n`);
    // both files list what this Node had at the start
    const listed = (file: string) => decodeCheckpoint(readFileSync(file)).header.laterBuiltins;
    expect(listed(second)).toEqual(listed(first));
    expect(listed(first)!.includes('Object.groupBy')).toBe(native.startsWith('function'));
  });

  test('a checkpoint without the list (written before it was recorded) gets every one this Node lacks, as restarts did before', () => {
    const first = join(scratch, 'later-builtins-1.ckpt');
    const old = join(scratch, 'later-builtins-old.ckpt');
    expect(cli(['run', mainJs, '--checkpoint-file', first, '--exit-after-checkpoint']).status).toBe(0);
    const { header, heap } = decodeCheckpoint(readFileSync(first));
    delete header.laterBuiltins;
    writeFileSync(old, encodeCheckpoint(header, heap));
    const restarted = cli(['restart', old, '--checkpoint-file', join(scratch, 'later-builtins-old-2.ckpt')]);
    expect(restarted.stderr).toBe('');
    expect(restarted.stdout).toBe(`restarted ${SEEN.map(() => 'function').join(' ')}\nagain ${SEEN.map(() => 'function').join(' ')}\n`);
  });
});
