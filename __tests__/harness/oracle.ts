// The checkpoint-anywhere oracle of SPEC §3, driving the CLI from the outside
// exactly as an external tool would:
//
//   1. introspect build <fixture> --out-dir <tmp>/out
//   2. node <tmp>/out/main.js                  stdout must equal expected.txt
//   3. introspect run main.js --count-points   stdout must equal expected.txt;
//                                              the last stderr line gives N
//   4. for each chosen k (see sampling.ts), in parallel up to `jobs`:
//      exit mode      run --checkpoint-at k --checkpoint-file F --exit-after-checkpoint
//                     (exit 0, F written), then `introspect restart F` in a fresh
//                     process (exit 0); stdout before + stdout after = expected
//      continue mode  run --checkpoint-at k --checkpoint-file F: exit 0,
//                     stdout = expected, F written
//
// Every failure is recorded with the fixture, k, mode, the first differing
// line and the stderr tails, so a report names the exact command to rerun.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { countLines, firstDifference, formatDiff, parsePointCount, tail, type LineDiff } from './compare.js';
import type { Fixture } from './fixtures.js';
import { cliCommand, repoRoot } from './paths.js';
import { describeExit, pool, runProcess, type RunResult } from './process.js';
import { chooseKs } from './sampling.js';

export type Mode = 'exit' | 'continue';

export interface OracleConfig {
  /** Checkpoint at every k when N is at most this. */
  limit: number;
  /** Otherwise, this many seeded ks plus 1, floor(N/2) and N. */
  samples: number;
  seed: number;
  jobs: number;
  timeoutMs: number;
  modes: readonly Mode[];
  /** Exactly these ks (those within 1..N), instead of sampling. */
  ks: readonly number[] | null;
  /** Keep the temporary directory (build output and checkpoint files). */
  keep: boolean;
  /** Stop a fixture after this many failing checks (0: run them all). */
  maxFailures: number;
}

export interface Failure {
  stage: 'build' | 'plain-run' | 'count-points' | 'checkpoint-run' | 'restart' | 'continue-run';
  k?: number;
  mode?: Mode;
  what: string;
  diff?: LineDiff;
  /** Lines the checkpointing process printed before it exited (exit mode). */
  linesBefore?: number;
  command?: string;
  stderrTail?: string;
  checkpointStderrTail?: string;
}

export interface FixtureReport {
  name: string;
  points: number | null;
  ks: number[];
  checks: number;
  failures: Failure[];
  workDir: string | null;
  ms: number;
}

function envInt(name: string, env: NodeJS.ProcessEnv): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw new Error(`${name} must be a whole number, got ${JSON.stringify(v)}`);
  return Number(v);
}

/**
 * The configuration for one fixture from the environment and its settings:
 *   INTROSPECT_FULL=1         exhaustive: every k when N <= 200, else 60 samples
 *   INTROSPECT_SAMPLES=S      sample size (and all-ks limit) instead of the default 5
 *   INTROSPECT_KS=3,17        exactly these ks
 *   INTROSPECT_MODES=exit     only these modes (exit, continue)
 *   INTROSPECT_JOBS=J         parallel processes (default min(2, cores))
 *   INTROSPECT_TIMEOUT_MS=T   per subprocess (default 60000)
 *   INTROSPECT_SEED=N         sampling seed (default 1)
 *   INTROSPECT_KEEP=1         keep temporary directories
 *   INTROSPECT_MAX_FAILURES=F stop a fixture after F failing checks (default 5)
 */
export function configFor(fixture: Fixture, env: NodeJS.ProcessEnv = process.env): OracleConfig {
  const full = env.INTROSPECT_FULL === '1' || env.INTROSPECT_FULL === 'true';
  const samplesOverride = envInt('INTROSPECT_SAMPLES', env);
  let limit: number;
  let samples: number;
  if (samplesOverride !== undefined) {
    limit = samples = samplesOverride;
  } else if (full) {
    limit = 200;
    samples = fixture.settings.fullSamples ?? 60;
  } else {
    limit = samples = fixture.settings.samples ?? 5;
  }
  const ksText = env.INTROSPECT_KS;
  let ks: number[] | null = null;
  if (ksText !== undefined && ksText !== '') {
    if (!/^\d+(,\d+)*$/.test(ksText)) throw new Error(`INTROSPECT_KS must be a comma-separated list of ks, got ${JSON.stringify(ksText)}`);
    ks = [...new Set(ksText.split(',').map(Number))].filter((k) => k >= 1).sort((a, b) => a - b);
  }
  const modesText = env.INTROSPECT_MODES ?? 'exit,continue';
  const modes = [...new Set(modesText.split(',').filter(Boolean))];
  if (modes.length === 0 || modes.some((m) => m !== 'exit' && m !== 'continue')) throw new Error(`INTROSPECT_MODES takes exit, continue or both, got ${JSON.stringify(modesText)}`);
  return {
    limit,
    samples,
    seed: envInt('INTROSPECT_SEED', env) ?? 1,
    jobs: envInt('INTROSPECT_JOBS', env) ?? Math.max(1, Math.min(2, availableParallelism())),
    timeoutMs: envInt('INTROSPECT_TIMEOUT_MS', env) ?? fixture.settings.timeoutMs ?? 60_000,
    modes: modes as Mode[],
    ks,
    keep: env.INTROSPECT_KEEP === '1',
    maxFailures: envInt('INTROSPECT_MAX_FAILURES', env) ?? 5,
  };
}

function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export async function checkFixture(fixture: Fixture, config: OracleConfig): Promise<FixtureReport> {
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), `introspect-oracle-${fixture.name}-`));
  const report: FixtureReport = { name: fixture.name, points: null, ks: [], checks: 0, failures: [], workDir: config.keep ? work : null, ms: 0 };
  const expected = fixture.expected;
  const expectedText = expected.toString('utf8');
  const outDir = join(work, 'out');
  const mainJs = join(outDir, 'main.js');
  const nodeArgs = fixture.settings.stackSizeKb ? [`--stack-size=${fixture.settings.stackSizeKb}`] : [];
  const run = (argv: string[]): Promise<RunResult> => runProcess(argv, { cwd: repoRoot, timeoutMs: config.timeoutMs });
  const cli = (...args: string[]) => run([...cliCommand(fixture.settings.stackSizeKb), ...args]);
  const fail = (f: Failure) => {
    report.failures.push(f);
  };
  const mismatch = (actual: Buffer): LineDiff | undefined => (actual.equals(expected) ? undefined : firstDifference(expectedText, actual.toString('utf8')) ?? undefined);

  try {
    const build = await cli('build', fixture.dir, '--out-dir', outDir);
    if (build.code !== 0 || build.timedOut) {
      fail({ stage: 'build', what: `build failed (${describeExit(build)})`, command: shellQuote(build.argv), stderrTail: tail(build.stderr.toString('utf8')) });
      return report;
    }
    if (!existsSync(mainJs)) {
      fail({ stage: 'build', what: `build exited 0 but wrote no ${mainJs}`, command: shellQuote(build.argv), stderrTail: tail(build.stderr.toString('utf8')) });
      return report;
    }

    // The built program is ordinary JavaScript: plain node runs it unchanged.
    // That run and the counting one are independent: side by side when jobs allow.
    const plainRun = () => run([process.execPath, ...nodeArgs, mainJs]);
    const countRun = () => cli('run', mainJs, '--count-points');
    const [plain, counted] = config.jobs > 1 ? await Promise.all([plainRun(), countRun()]) : [await plainRun(), await countRun()];
    const plainDiff = mismatch(plain.stdout);
    if (plain.code !== 0 || plain.timedOut || plainDiff) {
      fail({ stage: 'plain-run', what: `plain node run of the built program: ${describeExit(plain)}${plainDiff ? ', output differs' : ''}`, diff: plainDiff, command: shellQuote(plain.argv), stderrTail: tail(plain.stderr.toString('utf8')) });
    }

    const countedStderr = counted.stderr.toString('utf8');
    const countedDiff = mismatch(counted.stdout);
    if (counted.code !== 0 || counted.timedOut || countedDiff) {
      fail({ stage: 'count-points', what: `uninterrupted run: ${describeExit(counted)}${countedDiff ? ', transform changed the output' : ''}`, diff: countedDiff, command: shellQuote(counted.argv), stderrTail: tail(countedStderr) });
      return report;
    }
    const n = parsePointCount(countedStderr);
    if (n === null) {
      fail({ stage: 'count-points', what: 'the last stderr line is not "introspect: N suspension points"', command: shellQuote(counted.argv), stderrTail: tail(countedStderr) });
      return report;
    }
    report.points = n;
    if (n < 1) {
      fail({ stage: 'count-points', what: 'the program reached no suspension point' });
      return report;
    }
    report.ks = config.ks ? config.ks.filter((k) => k <= n) : chooseKs(n, config.limit, config.samples, fixture.name, config.seed);

    const stop = () => config.maxFailures > 0 && report.failures.length >= config.maxFailures;

    const exitMode = async (k: number): Promise<void> => {
      const file = join(work, `k${k}-exit.ckpt`);
      const first = await cli('run', mainJs, '--checkpoint-at', String(k), '--checkpoint-file', file, '--exit-after-checkpoint');
      const base = { k, mode: 'exit' as const, command: shellQuote(first.argv) };
      const firstStderr = tail(first.stderr.toString('utf8'));
      if (first.code !== 0 || first.timedOut) {
        fail({ ...base, stage: 'checkpoint-run', what: `checkpointing process: ${describeExit(first)}`, linesBefore: countLines(first.stdout.toString('utf8')), stderrTail: firstStderr });
        return;
      }
      if (!existsSync(file) || statSync(file).size === 0) {
        const whole = first.stdout.equals(expected);
        fail({ ...base, stage: 'checkpoint-run', what: `exited 0 without writing the checkpoint file${whole ? ' (the program ran to completion: the checkpoint failed or point k was never reached)' : ''}`, stderrTail: firstStderr });
        return;
      }
      const second = await cli('restart', file);
      const combined = Buffer.concat([first.stdout, second.stdout]);
      const diff = mismatch(combined);
      const linesBefore = countLines(first.stdout.toString('utf8'));
      if (second.code !== 0 || second.timedOut || diff) {
        const where = diff === undefined ? '' : diff.line <= linesBefore ? ` (diverges before the checkpoint: ${linesBefore} lines were printed before it)` : ` (diverges after restart; ${linesBefore} lines were printed before the checkpoint)`;
        fail({ ...base, stage: 'restart', what: `restart: ${describeExit(second)}${diff ? `, combined output differs${where}` : ''}`, diff, linesBefore, command: shellQuote(second.argv), stderrTail: tail(second.stderr.toString('utf8')), checkpointStderrTail: firstStderr });
        return;
      }
      if (!config.keep) rmSync(file, { force: true });
    };

    const continueMode = async (k: number): Promise<void> => {
      const file = join(work, `k${k}-continue.ckpt`);
      const r = await cli('run', mainJs, '--checkpoint-at', String(k), '--checkpoint-file', file);
      const diff = mismatch(r.stdout);
      const base = { k, mode: 'continue' as const, stage: 'continue-run' as const, command: shellQuote(r.argv), stderrTail: tail(r.stderr.toString('utf8')) };
      if (r.code !== 0 || r.timedOut || diff) {
        fail({ ...base, what: `checkpoint-and-continue: ${describeExit(r)}${diff ? ', output differs' : ''}`, diff });
        return;
      }
      if (!existsSync(file) || statSync(file).size === 0) {
        fail({ ...base, what: 'checkpoint-and-continue wrote no checkpoint file' });
        return;
      }
      if (!config.keep) rmSync(file, { force: true });
    };

    const checks = report.ks.flatMap((k) => config.modes.map((mode) => ({ k, mode })));
    await pool(checks, config.jobs, async ({ k, mode }) => {
      if (stop()) return;
      report.checks++;
      await (mode === 'exit' ? exitMode(k) : continueMode(k));
    });
    report.failures.sort((a, b) => (a.k ?? 0) - (b.k ?? 0) || String(a.mode).localeCompare(String(b.mode)));
    return report;
  } finally {
    report.ms = Date.now() - started;
    if (!config.keep) rmSync(work, { recursive: true, force: true });
  }
}

function indent(text: string, by = '      '): string {
  return text.replace(/^/gm, by);
}

/** Quoted output of a subprocess; the bar keeps jest from taking its "at …" lines for our stack. */
function quoted(text: string): string {
  return indent(text, '      | ');
}

export function formatFailure(fixture: string, f: Failure): string {
  const head = `${fixture}${f.k !== undefined ? ` k=${f.k}` : ''}${f.mode ? ` ${f.mode} mode` : ''} [${f.stage}]: ${f.what}`;
  const lines = [head];
  if (f.diff) lines.push(indent(formatDiff(f.diff), '  '));
  if (f.command) lines.push(`  command: ${f.command}`);
  if (f.checkpointStderrTail) lines.push('  stderr of the checkpointing run:', quoted(f.checkpointStderrTail));
  if (f.stderrTail) lines.push('  stderr tail:', quoted(f.stderrTail));
  return lines.join('\n');
}

/** The whole report of a failed fixture, for the test's error message. */
export function formatReport(r: FixtureReport, config: OracleConfig): string {
  const failedKs = [...new Set(r.failures.filter((f) => f.k !== undefined).map((f) => f.k))];
  const summary =
    r.points === null
      ? `${r.name}: failed before any checkpoint`
      : `${r.name}: ${failedKs.length} of ${r.ks.length} ks failed (N=${r.points}; ks ${r.ks.join(',')}; ${r.checks} checks run${config.maxFailures > 0 && r.failures.length >= config.maxFailures ? `, stopped after ${config.maxFailures} failures` : ''})`;
  const rerun = failedKs.length > 0 ? `\nrerun: INTROSPECT_FIXTURES=${r.name} INTROSPECT_KS=${failedKs.join(',')} npm test -- dist/__tests__/oracle` : '';
  return [summary, ...r.failures.map((f) => formatFailure(r.name, f)), rerun].join('\n\n');
}
