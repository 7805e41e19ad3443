// `introspect run <main.js>`: runs a built program in this process under the
// runtime, exactly as `node main.js` would run it (same argv as seen by the
// program, same stdout/stderr, same exit code, an uncaught error prints its
// stack and exits 1), with the checkpoint settings of RunOptions handed to
// the runtime through globalThis[BOOT_KEY]. With a checkpoint destination
// and --every/--on-signal/--checkpoint-dir, a request desk
// (runtime/plugins/node/requests.ts) serves checkpoint requests: the periodic
// timer, signals and `introspect checkpoint <pid>`, even while the program
// runs a long synchronous loop. Throws UsageError for flag combinations that
// cannot work, InputError for missing paths.

import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CliRunConfig } from '../config.js';
import { InputError, UsageError } from '../errors.js';
import { launchProgram } from '../launch.js';
import { createNodeHost, writeDiagnostic } from '../../runtime/plugins/node/host.js';
import { layOutDescriptors } from '../../runtime/plugins/node/open-files.js';
import { explainRequestsWithoutDestination } from '../../runtime/plugins/node/signals.js';

export interface RunOptions {
  entry: string;
  /** The program's own arguments. */
  args: readonly string[];
  countPoints: boolean;
  checkpointAt?: number;
  checkpointFile?: string;
  exitAfterCheckpoint: boolean;
  checkpointDir?: string;
  /** Milliseconds between periodic checkpoints. */
  every?: number;
  onSignal?: string;
  keep?: number;
  /** Milliseconds a checkpoint waits for platform promises to settle. */
  quiesceTimeout?: number;
}

export async function run(options: RunOptions): Promise<void> {
  const entry = resolve(options.entry);
  if (/\.[mc]?tsx?$/.test(entry)) {
    throw new InputError(`${entry} is TypeScript source: run takes the program as built, in JavaScript`, ['build it first: introspect build <programDir> --out-dir <outDir>, then run <outDir>/main.js']);
  }
  if (!existsSync(entry) || !statSync(entry).isFile()) {
    throw new InputError(`no such program: ${entry}`, ['build it first: introspect build <programDir> --out-dir <outDir>, then run <outDir>/main.js']);
  }
  // the program's descriptor numbers are then free in a restart (open-files.ts)
  layOutDescriptors();
  await launchServed(entry, runConfig(options), options.args);
}

/** Launches the program with `config`, serving checkpoint requests when the config gives them somewhere to go (run, and restart with checkpoint options). */
export async function launchServed(entry: string, config: CliRunConfig, args: readonly string[]): Promise<void> {
  // Loaded only when it serves: its worker threads module costs every other run and restart a few ms of start-up.
  const desk = servesRequests(config) ? new (await import('../../runtime/plugins/node/requests.js')).RequestDesk({ config, log: writeDiagnostic }) : undefined;
  if (desk) desk.start();
  else explainRequestsWithoutDestination(writeDiagnostic);
  if (desk || config.exitAfterCheckpoint) blockingPipes();
  await launchProgram({ entry, config, args, host: createNodeHost(desk) });
  desk?.programLoaded();
}

/**
 * Requests are served when they have somewhere to go and a reason to come:
 * --checkpoint-dir (for `introspect checkpoint <pid>`), --every, --on-signal.
 * A plain run, or an oracle run (--checkpoint-at K), starts no worker.
 */
function servesRequests(config: CliRunConfig): boolean {
  return config.checkpointDir !== undefined || config.every !== undefined || config.onSignal !== undefined;
}

/** The RunConfig for the runtime; rejects combinations that would silently do nothing. */
export function runConfig(options: RunOptions): CliRunConfig {
  if (options.checkpointAt !== undefined && options.checkpointFile === undefined && options.checkpointDir === undefined) {
    throw new UsageError('--checkpoint-at needs --checkpoint-file F (or --checkpoint-dir D)', 'run');
  }
  // --checkpoint-file alone is where the program's own `checkpoint()` calls (introspect/runtime) write.
  if (options.exitAfterCheckpoint && options.checkpointFile === undefined && options.checkpointDir === undefined) {
    throw new UsageError('--exit-after-checkpoint needs a checkpoint to wait for: --checkpoint-file F (or --checkpoint-dir D)', 'run');
  }
  if (options.keep !== undefined && options.checkpointDir === undefined) {
    throw new UsageError('--keep needs --checkpoint-dir D (the directory whose checkpoints are rotated)', 'run');
  }
  if ((options.every !== undefined || options.onSignal !== undefined) && options.checkpointFile === undefined && options.checkpointDir === undefined) {
    throw new UsageError('--every and --on-signal need --checkpoint-dir D (or --checkpoint-file F)', 'run');
  }

  const config: CliRunConfig = {};
  if (options.countPoints) config.countPoints = true;
  if (options.checkpointAt !== undefined) config.checkpointAt = options.checkpointAt;
  if (options.checkpointFile !== undefined) config.checkpointFile = checkpointFilePath(options.checkpointFile);
  if (options.exitAfterCheckpoint) config.exitAfterCheckpoint = true;
  if (options.checkpointDir !== undefined) config.checkpointDir = checkpointDirPath(options.checkpointDir);
  if (options.every !== undefined) config.every = options.every;
  if (options.onSignal !== undefined) config.onSignal = options.onSignal;
  if (options.keep !== undefined) config.keep = options.keep;
  if (options.quiesceTimeout !== undefined) config.quiesceTimeout = options.quiesceTimeout;
  return config;
}

/** Absolute (the program may chdir), in a directory that exists now rather than failing mid-run. */
function checkpointFilePath(file: string): string {
  const path = resolve(file);
  if (!existsSync(dirname(path))) throw new InputError(`the directory for --checkpoint-file does not exist: ${dirname(path)}`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new InputError(`--checkpoint-file is a directory: ${path}`);
  return path;
}

function checkpointDirPath(dir: string): string {
  const path = resolve(dir);
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    throw new InputError(`cannot create --checkpoint-dir ${path}: ${(error as Error).message}`);
  }
  return path;
}

/**
 * A run that may exit after a checkpoint (--exit-after-checkpoint, an exit
 * request, --on-signal) writes its output to a pipe synchronously: Node
 * queues what a slow reader has not taken yet, and `process.exit` drops that
 * queue, so the output before the checkpoint would be cut short while the
 * restart goes on after it. (Files and terminals are written synchronously
 * already.)
 */
function blockingPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const handle = (stream as unknown as { _handle?: { setBlocking?: (on: boolean) => number } })._handle;
    if (typeof handle?.setBlocking === 'function' && !(stream as { isTTY?: boolean }).isTTY) handle.setBlocking(true);
  }
}
