// End-to-end checkpoint figures through the CLI, on the holder program
// (bench/ckpt/holder): `introspect run … --checkpoint-file F` holding N MB
// of objects or Float64Array data (capture + write time = the program's own
// clock from just before the point to just after it, checkpoint-and-continue),
// `introspect restart F` (restart time = from spawning the process to the
// restored program's first output), file size vs. live data, the restart
// time of a small program, and the latency from a checkpoint request
// (the SIGUSR2 of `introspect checkpoint <pid>`) to a durable file while the
// program spins in one synchronous loop. The CLI is started as the
// executable a user runs (bin/introspect.mjs through its shell launcher).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { firstErrorLine } from './execute.js';
import { median } from './stats.js';
import type { HeapKind } from './checkpoint-api.js';

export interface E2eFigure {
  kind: HeapKind | 'small';
  sizeMB: number;
  liveBytes: number;
  fileBytes: number;
  captureMs: number;
  restartMs: number;
  failure?: string;
}

export type Latency = { ms: number } | { notMeasured: string };

const MB = 1024 * 1024;
/** Far beyond any point the holder reaches: the checkpoint comes from its own request(). */
const NEVER = '1000000000000';

function lineValue(stdout: string, tag: string): string[] | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith(`${tag} `));
  return line?.split(' ').slice(1);
}

/** `restarts` > 1: restart the same file that many times and report the median time. */
export function measureE2e(cli: string, holderMain: string, workDir: string, kind: HeapKind | 'small', sizeMB: number, restarts = 1): E2eFigure {
  const file = join(workDir, `e2e-${kind}-${sizeMB}.ckpt`);
  const env = { ...process.env, HOLD_KIND: kind === 'small' ? 'none' : kind, HOLD_MB: String(sizeMB), NODE_OPTIONS: '--max-old-space-size=12288' };
  const figure: E2eFigure = { kind, sizeMB, liveBytes: NaN, fileBytes: NaN, captureMs: NaN, restartMs: NaN };
  try {
    rmSync(file, { force: true });
    const first = spawnSync(cli, ['run', holderMain, '--checkpoint-at', NEVER, '--checkpoint-file', file], { env, encoding: 'utf8', maxBuffer: 1 << 20 });
    const t0 = lineValue(first.stdout, 'T0');
    const t1 = lineValue(first.stdout, 'T1');
    if (first.status !== 0 || !t0 || !t1) throw new Error(`run: exit ${first.status ?? first.signal}: ${firstErrorLine(first.stderr)}`);
    if (!existsSync(file)) throw new Error(`run: no checkpoint written: ${firstErrorLine(first.stderr)}`);
    figure.liveBytes = Number(lineValue(first.stdout, 'LIVE')![0]);
    figure.captureMs = Number(t1[0]) - Number(t0[0]);
    figure.fileBytes = statSync(file).size;

    const times: number[] = [];
    for (let i = 0; i < restarts; i++) {
      const start = Date.now();
      const again = spawnSync(cli, ['restart', file], { env, encoding: 'utf8', maxBuffer: 1 << 20 });
      const r1 = lineValue(again.stdout, 'T1');
      if (again.status !== 0 || !r1) throw new Error(`restart: exit ${again.status ?? again.signal}: ${firstErrorLine(again.stderr)}`);
      if (r1[1] !== t1[1]) throw new Error(`restart: restored data differs (checksum ${r1[1]}, saved ${t1[1]})`);
      // T1 from before the restart: the restore did not land at point() (T1 was computed before the checkpoint).
      if (Number(r1[0]) < start) throw new Error('restart: the restored program printed a T1 taken before the checkpoint (it was not taken at point())');
      times.push(Number(r1[0]) - start);
    }
    figure.restartMs = median(times);
  } catch (e) {
    figure.failure = (e as Error).message.slice(0, 160);
  } finally {
    rmSync(file, { force: true });
  }
  return figure;
}

export function mbPerSecond(bytes: number, ms: number): number {
  return bytes / MB / (ms / 1000);
}

/** Request → durable file, while the holder spins in one synchronous loop. */
export async function measureLatency(cli: string, holderMain: string, workDir: string): Promise<Latency> {
  const dir = join(workDir, 'latency');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const child = spawn(cli, ['run', holderMain, '--checkpoint-dir', dir], {
    env: { ...process.env, HOLD_KIND: 'loop', HOLD_SECONDS: '6' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    const started = await new Promise<boolean>((resolve) => {
      child.stdout.on('data', (d: Buffer) => { if (d.toString().includes('LOOP ')) resolve(true); });
      child.on('exit', () => resolve(false));
    });
    if (!started) return { notMeasured: `the holder did not start: ${firstErrorLine(stderr)}` };
    await new Promise((resolve) => setTimeout(resolve, 300));
    const t0 = performance.now();
    process.kill(child.pid!, 'SIGUSR2');
    while (performance.now() - t0 < 3000) {
      if (readdirSync(dir).some((n) => n.endsWith('.ckpt'))) return { ms: performance.now() - t0 };
      if (child.exitCode !== null || child.signalCode !== null) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 200))]);
    if (child.signalCode === 'SIGUSR2') {
      return { notMeasured: 'the request signal (SIGUSR2) terminated the program: `introspect run` does not handle checkpoint requests yet' };
    }
    return { notMeasured: `no checkpoint in ${dir} within 3 s of the request${child.exitCode !== null ? ` (program exited ${child.exitCode})` : ''}` };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  }
}
