// Runs a subprocess with a time limit. Each child gets its own process group
// so that a timeout (or the test runner going away) kills it and everything
// it started; output is captured as bytes, capped so a runaway program cannot
// exhaust memory.
import { spawn, type ChildProcess } from 'node:child_process';

export interface RunOptions {
  cwd: string;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

export interface RunResult {
  argv: readonly string[];
  /** Exit code, or null when killed by a signal or never started. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  timedOut: boolean;
  /** True when stdout went past OUTPUT_CAP and the rest was dropped. */
  truncated: boolean;
  ms: number;
  spawnError: string | null;
}

const OUTPUT_CAP = 64 * 1024 * 1024;
const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Kills every child still running (for the end of a test file). */
export function killAll(): void {
  for (const child of live) killGroup(child);
}

process.once('exit', killAll);

export function runProcess(argv: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const finish = (partial: Partial<RunResult>) =>
      resolve({ argv, code: null, signal: null, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), timedOut: false, truncated: false, ms: Date.now() - started, spawnError: null, ...partial });
    let child: ChildProcess;
    try {
      child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    } catch (e) {
      finish({ spawnError: (e as Error).message, stderr: Buffer.from(String(e)) });
      return;
    }
    live.add(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let truncated = false;
    child.stdout!.on('data', (b: Buffer) => {
      if (outBytes < OUTPUT_CAP) out.push(b);
      else truncated = true;
      outBytes += b.length;
    });
    child.stderr!.on('data', (b: Buffer) => {
      if (errBytes < OUTPUT_CAP) err.push(b);
      errBytes += b.length;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, options.timeoutMs);
    let spawnError: string | null = null;
    child.on('error', (e) => {
      spawnError = e.message;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      finish({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err), timedOut, truncated, spawnError });
    });
  });
}

export function describeExit(r: RunResult): string {
  if (r.spawnError !== null) return `could not start ${r.argv[0]}: ${r.spawnError}`;
  if (r.timedOut) return `timed out after ${r.ms} ms`;
  if (r.signal !== null) return `killed by ${r.signal}`;
  return `exit code ${r.code}`;
}

/** Runs `worker` over `items`, at most `limit` at a time, in order of start. */
export async function pool<T>(items: readonly T[], limit: number, worker: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await worker(item);
    }
  });
  await Promise.all(runners);
}
