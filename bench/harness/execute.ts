// Runs one built benchmark program in a fresh process — plain under `node`,
// instrumented under `introspect run` — and parses its output: the BENCH
// line (timed iterations, ms) and everything else (which must be identical
// between the two builds). Never throws for a failing program: it reports it.

import { spawnSync } from 'node:child_process';

export interface ProgramRun {
  ok: boolean;
  /** Timed iterations in ms, from the program's BENCH line. */
  iterations: number[];
  /** stdout without the BENCH line (the CHECKSUM line and any other output). */
  output: string;
  /** A short reason when !ok. */
  failure?: string;
}

export function runProgram(command: string[], env: Record<string, string>, timeoutMs: number): ProgramRun {
  const [file, ...args] = command;
  const child = spawnSync(file!, args, { env: { ...process.env, ...env }, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  const stdout = child.stdout ?? '';
  const lines = stdout.split('\n');
  const benchLine = lines.find((l) => l.startsWith('BENCH '));
  const output = lines.filter((l) => !l.startsWith('BENCH ')).join('\n');
  if (child.error || child.status !== 0 || benchLine === undefined) {
    const why = child.error?.message ?? (child.status !== 0 ? `exit ${child.status ?? child.signal}` : 'no BENCH line');
    return { ok: false, iterations: [], output, failure: `${why}: ${firstErrorLine(child.stderr ?? '')}` };
  }
  const parsed = JSON.parse(benchLine.slice('BENCH '.length)) as { iterations: number[] };
  return { ok: true, iterations: parsed.iterations, output };
}

/** The most telling line of a failed program's stderr (the error message). */
export function firstErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const error = lines.find((l) => /^(\w*Error|introspect:)/.test(l));
  return (error ?? lines[0] ?? '').slice(0, 160);
}
