// Checkpoint requests end to end, with real processes: `introspect run` of
// __tests__/programs/spin (a long synchronous loop, or a timer, until a stop
// file exists) asked by `introspect checkpoint <pid>`, by `--every` and by
// `--on-signal`; each checkpoint restarted with `introspect restart`, whose
// output must complete the interrupted run into the uninterrupted output.
// Also the request socket's message parsing, as a table. No timing asserts:
// waits are for conditions, with generous limits.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAnswer, parseAsk, socketPath } from '../runtime/plugins/node/request-socket.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'introspect.mjs');
const PROGRAM = join(ROOT, '__tests__', 'programs', 'spin');
const LIMIT_MS = 60_000;

const scratch = mkdtempSync(join(tmpdir(), 'introspect-requests-test-'));
const out = join(scratch, 'spin-out');
const entry = join(out, 'main.js');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion without blocking this process (the program under test runs meanwhile). */
function cli(args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A running `introspect run`, its output so far, and its end. */
class Running {
  stdout = '';
  stderr = '';
  readonly pid: number;
  readonly done: Promise<Result>;

  constructor(args: string[], command = 'run') {
    const child = spawn(process.execPath, [BIN, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.pid = child.pid!;
    child.stdout.on('data', (chunk) => (this.stdout += chunk));
    child.stderr.on('data', (chunk) => (this.stderr += chunk));
    this.done = new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout: this.stdout, stderr: this.stderr })));
  }
}

async function until(what: string, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + LIMIT_MS;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

let cases = 0;
/** A fresh stop file and checkpoint directory. */
function fresh(): { stop: string; dir: string } {
  cases++;
  return { stop: join(scratch, `stop-${cases}`), dir: join(scratch, `ckpts-${cases}`) };
}

const ckpts = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.ckpt')).sort();

/** The program's whole output when nothing interrupts it. */
function uninterrupted(mode: 'busy' | 'idle'): string {
  const stop = join(scratch, `stop-now-${mode}`);
  writeFileSync(stop, '');
  const r = spawnSync(process.execPath, [BIN, 'run', entry, stop, mode], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stdout;
}

let expected: string;

beforeAll(() => {
  const r = spawnSync(process.execPath, [BIN, 'build', PROGRAM, '--out-dir', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
  expected = uninterrupted('busy');
  expect(expected).toMatch(/ready busy\n[\s\S]*consistent: true[\s\S]*done\n$/);
});

describe('introspect checkpoint <pid> during a long synchronous loop', () => {
  test('--exit --wait: prints the durable file; restart finishes the output', async () => {
    const { stop, dir } = fresh();
    const run = new Running([entry, '--checkpoint-dir', dir, stop]);
    await until('the program to be in its loop', () => run.stdout.includes('ready busy'));
    const asked = await cli(['checkpoint', String(run.pid), '--exit', '--wait']);
    expect(asked.stderr).toBe('');
    expect(asked.code).toBe(0);
    const file = asked.stdout.trim();
    expect(existsSync(file)).toBe(true);
    expect(dirname(file)).toBe(dir);
    const first = await run.done;
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(`checkpoint written: ${file}`);

    writeFileSync(stop, '');
    const rest = await cli(['restart', file]);
    expect(rest.code).toBe(0);
    expect(first.stdout + rest.stdout).toBe(expected);
  });

  test('without --exit the program continues, and a second request is answered too', async () => {
    const { stop, dir } = fresh();
    const run = new Running([entry, '--checkpoint-dir', dir, stop]);
    await until('the program to be in its loop', () => run.stdout.includes('ready busy'));
    const one = await cli(['checkpoint', String(run.pid), '--wait']);
    const two = await cli(['checkpoint', String(run.pid), '--wait']);
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(one.stdout.trim()).not.toBe(two.stdout.trim());
    const outputBefore = run.stdout;
    writeFileSync(stop, '');
    const whole = await run.done;
    expect(whole.code).toBe(0);
    expect(whole.stdout).toBe(expected);

    const rest = await cli(['restart', two.stdout.trim()]);
    expect(rest.code).toBe(0);
    expect(outputBefore + rest.stdout).toBe(expected);
  });
});

describe('introspect run options', () => {
  test('--every writes several checkpoints; --keep leaves the newest N', async () => {
    const { stop, dir } = fresh();
    const run = new Running([entry, '--checkpoint-dir', dir, '--every', '100ms', '--keep', '2', stop]);
    const written = () => [...run.stderr.matchAll(/checkpoint written: (\S+)/g)].map((m) => m[1]!);
    await until('three periodic checkpoints', () => written().length >= 3);
    writeFileSync(stop, '');
    const whole = await run.done;
    expect(whole.code).toBe(0);
    expect(whole.stdout).toBe(expected);
    const all = written();
    expect(ckpts(dir)).toEqual(all.slice(-2).map((p) => p.slice(dir.length + 1)));

    const rest = await cli(['restart', all[all.length - 1]!]);
    expect(rest.code).toBe(0);
    expect(rest.stdout).toContain('done\n');
    expect(expected.endsWith(rest.stdout)).toBe(true);
  });

  test('--on-signal SIGTERM: checkpoint, then exit 0; restart finishes the output', async () => {
    const { stop, dir } = fresh();
    const run = new Running([entry, '--checkpoint-dir', dir, '--on-signal', 'SIGTERM', stop]);
    await until('the program to be in its loop', () => run.stdout.includes('ready busy'));
    // Signals are watched by the request worker, which is up once its socket is.
    await until('the request worker', () => existsSync(socketPath(run.pid)));
    process.kill(run.pid, 'SIGTERM');
    const first = await run.done;
    expect(first.code).toBe(0);
    const files = ckpts(dir);
    expect(files).toHaveLength(1);

    writeFileSync(stop, '');
    const rest = await cli(['restart', join(dir, files[0]!)]);
    expect(rest.code).toBe(0);
    expect(first.stdout + rest.stdout).toBe(expected);
  });
});

describe('Node prints nothing of its own on the program\'s stderr', () => {
  test('an exit after a requested checkpoint (process.exit with the request worker\'s inspector session up) leaves only the CLI\'s line', async () => {
    const { stop, dir } = fresh();
    const run = new Running([entry, '--checkpoint-dir', dir, stop]);
    await until('the program to be in its loop', () => run.stdout.includes('ready busy'));
    // The worker opens its inspector session (the nudge) before its socket.
    await until('the request worker', () => existsSync(socketPath(run.pid)));
    const asked = await cli(['checkpoint', String(run.pid), '--exit', '--wait']);
    expect(asked.code).toBe(0);
    const first = await run.done;
    expect(first.code).toBe(0);
    // Node used to add "Waiting for the debugger to disconnect..." here.
    expect(first.stderr).toBe(`introspect: checkpoint written: ${asked.stdout.trim()}\n`);
    writeFileSync(stop, '');
  });
});

describe('a checkpoint that cannot be taken never stops the program', () => {
  test('checkpoint directory gone: clear error, the program runs on; an exit request exits 4', async () => {
    const { stop, dir } = fresh();
    const run = new Running([entry, '--checkpoint-dir', dir, stop]);
    await until('the program to be in its loop', () => run.stdout.includes('ready busy'));
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'not a directory');

    const asked = await cli(['checkpoint', String(run.pid), '--wait']);
    expect(asked.code).toBe(4);
    expect(asked.stderr).toMatch(/did not checkpoint: could not write .*ENOTDIR/);
    await until('the error on the program\'s stderr', () => run.stderr.includes('the program continues'));
    expect(run.stderr).toMatch(/introspect: checkpoint failed, nothing written: could not write .*\n/);
    expect(run.stderr).toContain(`${dir} is no longer a directory`);

    const exiting = await cli(['checkpoint', String(run.pid), '--exit', '--wait']);
    expect(exiting.code).toBe(4);
    const first = await run.done;
    expect(first.code).toBe(4);
    expect(first.stderr).toMatch(/checkpoint failed, nothing written: .*exiting with code 4/);
  });

  test('after a failed request the program finishes normally', async () => {
    const { stop, dir } = fresh();
    const run = new Running([entry, '--checkpoint-dir', dir, stop]);
    await until('the program to be in its loop', () => run.stdout.includes('ready busy'));
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'not a directory');
    expect((await cli(['checkpoint', String(run.pid), '--wait'])).code).toBe(4);
    writeFileSync(stop, '');
    const whole = await run.done;
    expect(whole.code).toBe(0);
    expect(whole.stdout).toBe(expected);
  });

  test('a program waiting in the event loop is checkpointed there (its timers and state), runs on, and the file restarts it', async () => {
    const { stop, dir } = fresh();
    const run = new Running([entry, '--checkpoint-dir', dir, stop, 'idle']);
    await until('the program to wait on its timer', () => run.stdout.includes('ready idle'));
    const asked = await cli(['checkpoint', String(run.pid), '--wait']);
    expect(asked.code).toBe(0);
    const file = asked.stdout.trim();
    expect(existsSync(file)).toBe(true);
    writeFileSync(stop, '');
    const whole = await run.done;
    expect(whole.code).toBe(0);
    expect(whole.stdout).toBe(uninterrupted('idle'));
    // The restart re-arms the interval the checkpoint saved; the stop file is there, so it finishes.
    const restarted = await cli(['restart', file]);
    expect(restarted.code).toBe(0);
    expect(restarted.stdout).toBe('ran: true\nconsistent: true, total ' + /total (\d+)/.exec(whole.stdout)![1] + '\ndone\n');
  });
});

describe('a restarted program is checkpointed again (ticker: a timer loop at top level or in an async function)', () => {
  const tickerOut = join(scratch, 'ticker-out');
  const ticker = join(tickerOut, 'main.js');
  beforeAll(() => {
    const r = spawnSync(process.execPath, [BIN, 'build', join(ROOT, '__tests__', 'programs', 'ticker'), '--out-dir', tickerOut], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
  });

  test('taken while a top-level await waits: the restart resumes that await and runs no module body again', async () => {
    const { stop, dir } = fresh();
    const run = new Running([ticker, stop, 'tla', '--checkpoint-dir', dir]);
    await until('the loop', () => run.stdout.includes('ready tla'));
    const asked = await cli(['checkpoint', String(run.pid), '--wait']);
    expect(asked.code).toBe(0);
    writeFileSync(stop, '');
    expect((await run.done).stdout).toBe('ready tla\ndone, counted true\n');
    const rest = await cli(['restart', asked.stdout.trim()]);
    expect(rest.code).toBe(0);
    // (a second run of the body printed "ready tla" again, and "done" twice with a wrong count)
    expect(rest.stdout).toBe('done, counted true\n');
  });

  test('taken inside a timer callback: the restarted program can be checkpointed again, and that file finishes the run', async () => {
    const { stop, dir } = fresh();
    const first = join(scratch, 'ticker-first.ckpt');
    const hop1 = await cli(['run', ticker, stop, 'main', '--checkpoint-file', first, '--exit-after-checkpoint']);
    expect(hop1.code).toBe(0);
    expect(hop1.stdout).toBe('ready main\n');
    const hop2 = new Running([first, '--checkpoint-dir', dir], 'restart');
    await until('the restarted program\'s request worker', () => existsSync(socketPath(hop2.pid)));
    const asked = await cli(['checkpoint', String(hop2.pid), '--wait']);
    expect(asked.stderr).toBe('');
    expect(asked.code).toBe(0);
    writeFileSync(stop, '');
    const second = await hop2.done;
    expect([second.code, second.stdout]).toEqual([0, 'restored\ndone, counted true\n']);
    const hop3 = await cli(['restart', asked.stdout.trim()]);
    expect([hop3.code, hop3.stdout]).toEqual([0, 'restored\ndone, counted true\n']);
  });

  test('a restart with nowhere to write checkpoints answers a request with why, and runs on (it used to die of SIGUSR2)', async () => {
    const { stop } = fresh();
    const first = join(scratch, 'ticker-plain.ckpt');
    expect((await cli(['run', ticker, stop, 'main', '--checkpoint-file', first, '--exit-after-checkpoint'])).code).toBe(0);
    const restarted = new Running([first], 'restart');
    await until('the restore', () => restarted.stdout.includes('restored'));
    expect((await cli(['checkpoint', String(restarted.pid)])).code).toBe(0);
    await until('the answer', () => restarted.stderr.includes('nowhere to write it'));
    writeFileSync(stop, '');
    const end = await restarted.done;
    expect([end.code, end.stdout]).toEqual([0, 'restored\ndone, counted true\n']);
  });
});

describe('exiting after a checkpoint keeps every line printed before it', () => {
  test('a slow pipe gets all 20,000 lines of the first hop, and the restart the other 20,000', () => {
    const out2 = join(scratch, 'chatty-out');
    const build = spawnSync(process.execPath, [BIN, 'build', join(ROOT, '__tests__', 'programs', 'chatty'), '--out-dir', out2], { encoding: 'utf8' });
    expect(build.status).toBe(0);
    const file = join(scratch, 'chatty.ckpt');
    // the reader starts a second late: the pipe fills, and Node queues the rest of what the program prints
    const slowly = (args: string) => spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" ${args} | (sleep 1; cat) | wc -l`], { encoding: 'utf8' });
    expect(slowly(`run "${join(out2, 'main.js')}" --checkpoint-file "${file}" --exit-after-checkpoint`).stdout.trim()).toBe('20000');
    expect(slowly(`restart "${file}"`).stdout.trim()).toBe('20000');
  });
});

describe('request socket messages', () => {
  const asks: { line: string; ok?: object; error?: RegExp }[] = [
    { line: '{"v":1,"op":"checkpoint","exit":true,"wait":false}', ok: { exit: true, wait: false } },
    { line: '{"v":2,"op":"checkpoint","exit":true,"wait":false}', error: /protocol version 2/ },
    { line: '{"v":1,"op":"shutdown"}', error: /expected/ },
    { line: '{"v":1,"op":"checkpoint","exit":"yes","wait":false}', error: /expected/ },
    { line: '[1]', error: /not a JSON object/ },
    { line: 'checkpoint please', error: /not a JSON line/ },
    { line: '{"__proto__":{"v":1},"op":"checkpoint","exit":true,"wait":true}', error: /protocol version/ },
  ];
  test.each(asks)('ask $line', ({ line, ok, error }) => {
    if (error) expect(() => parseAsk(line)).toThrow(error);
    else expect(parseAsk(line)).toMatchObject(ok!);
  });

  test('answers', () => {
    expect(parseAnswer('{"v":1,"event":"written","path":"/d/x.ckpt"}')).toEqual({ v: 1, event: 'written', path: '/d/x.ckpt' });
    expect(parseAnswer('{"v":1,"event":"failed","error":"no"}')).toEqual({ v: 1, event: 'failed', error: 'no' });
    expect(() => parseAnswer('{"v":1,"event":"written"}')).toThrow(/unexpected answer/);
  });
});
