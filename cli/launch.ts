// Starts a built program inside this process, the way `node main.js` would:
// takes the entry file, the RunConfig for the runtime and the program's own
// arguments; sets globalThis[BOOT_KEY] = { host, config }, gives the program
// the argv it would see under plain node, and imports the entry. The program's
// stdout/stderr are never touched. A failure of the program is thrown as
// ProgramFailure (main.ts lets Node report it as uncaught); a checkpoint
// format/restore/capture error raised by the runtime while loading is thrown
// as the matching CLI error.

import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { BOOT_KEY, type Boot, type Host } from '../runtime/host.js';
import { createNodeHost } from '../runtime/plugins/node/host.js';
import { printLikeNode } from '../runtime/plugins/portable/node-format.js';
import { preloadRuntime } from './code-cache.js';
import type { CliRunConfig } from './config.js';
import { fromRuntimeError, ProgramFailure } from './errors.js';
import { reportPointsOnExit, reportUnreachedPointOnExit } from './points.js';

export interface LaunchOptions {
  /** Absolute path of the program's entry module. */
  entry: string;
  config: CliRunConfig;
  /** The program's own arguments (process.argv[2...]). */
  args: readonly string[];
  /** The host for the runtime (default: the plain Node host). */
  host?: Host;
}

export async function launchProgram(options: LaunchOptions): Promise<void> {
  const boot: Boot = { host: options.host ?? createNodeHost(), config: options.config };
  (globalThis as Record<string, unknown>)[BOOT_KEY] = boot;
  process.argv = [process.argv[0]!, options.entry, ...options.args];
  if (options.config.checkpointAt !== undefined && options.config.restore === undefined) reportUnreachedPointOnExit(options.config.checkpointAt);
  if (options.config.countPoints) reportPointsOnExit();
  // Bun's and Deno's consoles print objects otherwise than Node's: what the
  // program prints is Node's, so that a run moved between them prints the
  // same (before the runtime records the pristine globals).
  const versions = process.versions as Record<string, string | undefined>;
  if (versions.bun !== undefined || versions.deno !== undefined) printLikeNode(console as unknown as Record<string, unknown>);

  if (options.config.restore !== undefined) warmOutput();

  const url = pathToFileURL(options.entry).href;
  try {
    preloadRuntime(options.entry);
    await import(url);
  } catch (error) {
    throw fromRuntimeError(error) ?? new ProgramFailure(error);
  }
}

/**
 * A restart resumes the program's timeline in mid-run, where an uninterrupted
 * process opened its output long ago: open stdout and stderr and run the
 * console's formatting once now (into nothing), or the first console.log
 * after the restore pays that cold start (10–20 ms on a loaded machine) on
 * the program's clock, and a timer it sets fires late against those already
 * armed (timers.ts moves those by the restore's pause, not by this).
 */
function warmOutput(): void {
  void process.stdout;
  void process.stderr;
  const nowhere = new Writable({ write: (_chunk, _encoding, done) => done() });
  new console.Console({ stdout: nowhere, stderr: nowhere }).log('%s %d %o', 'warm', 1, { up: true });
}
