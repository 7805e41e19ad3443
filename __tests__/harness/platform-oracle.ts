// SPEC §3 step 4: the oracle with the restart (or the checkpoint) on another
// platform of the matrix (§6). Takes a fixture, a platform spec and the ks;
// builds the fixture once, counts its points on this Node, and for each k:
//   to      checkpoint on this Node (exit mode), `introspect restart F
//           --platform NAME`: stdout before + stdout after = expected.txt
//   from    (Node-compatible platforms) the checkpointing run happens on the
//           platform (the CLI runs there), the restart on this Node
// Each check records pass/fail, the restart's wall time and the first
// difference, so a table or a test can report it.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { safeStackKb, stackArgs, type PlatformSpec } from '../../cli/platform/registry.js';
import { readHeader } from '../../runtime/format/container.js';
import { firstDifference, formatDiff, parsePointCount, tail } from './compare.js';
import type { Fixture } from './fixtures.js';
import { cliCommand, repoRoot } from './paths.js';
import { describeExit, runProcess, type RunResult } from './process.js';

export type Direction = 'to' | 'from';

export interface PlatformCheck {
  k: number;
  direction: Direction;
  ok: boolean;
  /** Wall time of the restart process (ms). */
  restartMs: number;
  problem?: string;
}

export interface BuiltFixture {
  fixture: Fixture;
  work: string;
  mainJs: string;
  points: number;
}

export interface PlatformOracleOptions {
  /** The platforms directory (undefined: only built-in platforms). */
  platformsDir: string | undefined;
  timeoutMs: number;
}

/** The CLI's environment; on a platform, with the variables its wrapper needs (spec.env). */
function env(options: PlatformOracleOptions, spec?: PlatformSpec): NodeJS.ProcessEnv {
  const e = { ...process.env, ...spec?.env };
  if (options.platformsDir !== undefined) e.INTROSPECT_PLATFORMS = options.platformsDir;
  else delete e.INTROSPECT_PLATFORMS;
  return e;
}

function cli(fixture: Fixture, options: PlatformOracleOptions, ...args: string[]): Promise<RunResult> {
  return runProcess([...cliCommand(fixture.settings.stackSizeKb), ...args], { cwd: repoRoot, timeoutMs: options.timeoutMs, env: env(options) });
}

/** The CLI's command under a Node-compatible platform of the platforms directory. */
function cliOn(spec: PlatformSpec, options: PlatformOracleOptions): string[] {
  if (spec.kind !== 'node' || options.platformsDir === undefined) throw new Error(`${spec.name}: checkpoints are taken only on Node-compatible platforms`);
  const wrapper = [join(options.platformsDir, 'bin', spec.name), ...(spec.preArgs ?? [])];
  // dist/cli/main.js, not bin/introspect.mjs: the latter re-executes process.execPath, which fails under qemu-user.
  const kb = safeStackKb(existsSync('/proc/self/limits') ? readFileSync('/proc/self/limits', 'utf8') : undefined);
  return [...wrapper, ...stackArgs(spec, kb), join(repoRoot, 'dist', 'cli', 'main.js')];
}

/**
 * Builds the fixture into a temporary directory and counts its points (on
 * `countOn`, a Node-compatible platform, for a program only it can run from
 * the start); throws with the CLI's stderr on failure.
 */
export async function buildFixture(fixture: Fixture, options: PlatformOracleOptions, countOn?: PlatformSpec): Promise<BuiltFixture> {
  const work = mkdtempSync(join(tmpdir(), `introspect-platforms-${fixture.name}-`));
  const mainJs = join(work, 'out', 'main.js');
  const build = await cli(fixture, options, 'build', fixture.dir, '--out-dir', join(work, 'out'));
  if (build.code !== 0 || !existsSync(mainJs)) throw new Error(`build of ${fixture.name} failed: ${describeExit(build)}\n${tail(build.stderr.toString('utf8'))}`);
  const countArgs = ['run', mainJs, '--count-points'];
  const counted = countOn === undefined ? await cli(fixture, options, ...countArgs) : await runProcess([...cliOn(countOn, options), ...countArgs], { cwd: repoRoot, timeoutMs: options.timeoutMs, env: env(options, countOn) });
  const points = parsePointCount(counted.stderr.toString('utf8'));
  if (counted.code !== 0 || points === null) throw new Error(`counting points of ${fixture.name} failed: ${describeExit(counted)}\n${tail(counted.stderr.toString('utf8'))}`);
  return { fixture, work, mainJs, points };
}

export function cleanUp(built: BuiltFixture): void {
  rmSync(built.work, { recursive: true, force: true });
}

function judge(built: BuiltFixture, k: number, direction: Direction, first: RunResult & { file: string }, second: RunResult): PlatformCheck {
  const expected = built.fixture.expected;
  const base = { k, direction, restartMs: second.ms };
  if (first.code !== 0 || first.timedOut) {
    return { ...base, ok: false, problem: `checkpointing run: ${describeExit(first)}\n${tail(first.stderr.toString('utf8'), 8)}` };
  }
  if (!existsSync(first.file)) return { ...base, ok: false, problem: 'the checkpointing run exited 0 without writing the checkpoint file' };
  // A checkpoint taken there must not wait past the program's own frames, as
  // it did on Deno while its stack traces named the modules by their sources.
  const deferredBy = direction === 'from' ? readHeader(readFileSync(first.file)).deferred?.by : undefined;
  if (deferredBy !== undefined && (deferredBy.includes(built.fixture.dir) || deferredBy.includes(built.work))) {
    return { ...base, ok: false, problem: `the platform deferred the checkpoint past a frame of the program itself: ${deferredBy}` };
  }
  const combined = Buffer.concat([first.stdout, second.stdout]);
  if (second.code === 0 && !second.timedOut && combined.equals(expected)) return { ...base, ok: true };
  const diff = firstDifference(expected.toString('utf8'), combined.toString('utf8'));
  const what = [`restart: ${describeExit(second)}`];
  if (diff) what.push(formatDiff(diff));
  const err = tail(second.stderr.toString('utf8'), 8);
  if (err) what.push(err);
  return { ...base, ok: false, problem: what.join('\n') };
}

export interface TakenCheckpoint {
  k: number;
  file: string;
  /** The checkpointing run (its stdout is the output before the checkpoint). */
  run: RunResult & { file: string };
}

/** Checkpoint on this Node at k (exit mode); the file is reused for every platform, or only for the one named by `tag`. */
export async function takeCheckpoint(built: BuiltFixture, k: number, options: PlatformOracleOptions, tag?: string): Promise<TakenCheckpoint> {
  const file = join(built.work, tag === undefined ? `k${k}.ckpt` : `k${k}-${tag}.ckpt`);
  const run = await cli(built.fixture, options, 'run', built.mainJs, '--checkpoint-at', String(k), '--checkpoint-file', file, '--exit-after-checkpoint');
  return { k, file, run: { ...run, file } };
}

/** Restart a checkpoint taken on this Node on the platform. */
export async function restartOn(built: BuiltFixture, taken: TakenCheckpoint, spec: PlatformSpec, options: PlatformOracleOptions): Promise<PlatformCheck> {
  const ready = taken.run.code === 0 && existsSync(taken.file);
  const second = ready ? await cli(built.fixture, options, 'restart', taken.file, '--platform', spec.name) : taken.run;
  return judge(built, taken.k, 'to', taken.run, second);
}

/** Checkpoint on this Node at k, restart on the platform. */
export async function checkTo(built: BuiltFixture, spec: PlatformSpec, k: number, options: PlatformOracleOptions): Promise<PlatformCheck> {
  const taken = await takeCheckpoint(built, k, options, `to-${spec.name}`);
  try {
    return await restartOn(built, taken, spec, options);
  } finally {
    rmSync(taken.file, { force: true });
  }
}

/** Checkpoint on the platform (the CLI runs there) at k, restart on this Node. Node-compatible platforms only. */
export async function checkFrom(built: BuiltFixture, spec: PlatformSpec, k: number, options: PlatformOracleOptions): Promise<PlatformCheck> {
  const file = join(built.work, `k${k}-from-${spec.name}.ckpt`);
  const first = await runProcess([...cliOn(spec, options), 'run', built.mainJs, '--checkpoint-at', String(k), '--checkpoint-file', file, '--exit-after-checkpoint'], {
    cwd: repoRoot,
    timeoutMs: options.timeoutMs,
    env: env(options, spec),
  });
  const second = first.code === 0 && existsSync(file) ? await cli(built.fixture, options, 'restart', file) : first;
  const check = judge(built, k, 'from', { ...first, file }, second);
  rmSync(file, { force: true });
  return check;
}
