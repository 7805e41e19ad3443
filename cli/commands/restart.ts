// `introspect restart <file.ckpt> [--program DIR] [checkpoint options]`:
// resumes a checkpoint in this process; run's checkpoint options (a file or
// directory, --every, --on-signal, …) make the resumed program checkpoint
// again, as the first run did. Reads the header without loading the program, finds the
// built program (DIR, or the directory recorded in the header), checks that
// it is an introspect build and that the entry stays inside it (the path
// comes from the file: never import something else), then boots the runtime
// with { restore: bytes } and imports the entry. With --platform NAME the
// restart happens on that installed platform instead (cli/platform/) and the
// process exits with the program's exit code there. Throws CheckpointError /
// RestoreError (exit 3) when the file or the program is not usable, and
// UsageError for an unknown or missing platform.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { readCheckpointFile } from '../checkpoint-file.js';
import { RestoreError, UsageError } from '../errors.js';
import { explainRequestsWithoutDestination } from '../../runtime/plugins/node/signals.js';
import { writeDiagnostic } from '../../runtime/plugins/node/host.js';
import { layOutDescriptors } from '../../runtime/plugins/node/open-files.js';
import { launchServed, runConfig, type RunOptions } from './run.js';
import { RUNTIME_DIR } from '../build/layout.js';

export interface RestartOptions {
  file: string;
  /** Where and when the resumed program checkpoints again (run's options; none: it does not). */
  checkpoints?: Omit<RunOptions, 'entry' | 'args' | 'countPoints' | 'checkpointAt'>;
  /** The built program's directory, when it is not where the checkpoint says. */
  program?: string;
  platform?: string;
  platformsDir?: string;
}

export async function restart(options: RestartOptions): Promise<void> {
  if (options.platformsDir !== undefined && options.platform === undefined) {
    throw new UsageError('--platforms-dir needs --platform NAME', 'restart');
  }
  const checkpoints = options.checkpoints;
  const checkpointing = checkpoints !== undefined && (checkpoints.checkpointFile !== undefined || checkpoints.checkpointDir !== undefined || checkpoints.every !== undefined || checkpoints.onSignal !== undefined || checkpoints.keep !== undefined || checkpoints.exitAfterCheckpoint);
  if (options.platform !== undefined) {
    if (checkpointing) throw new UsageError('checkpoint options apply to a restart on Node here, not with --platform', 'restart');
    // A request sent to this process (`introspect checkpoint <pid>`) is answered with why not, instead of killing it.
    explainRequestsWithoutDestination(writeDiagnostic, `a restart on ${options.platform} takes no checkpoints`);
    const { restartOnPlatform } = await import('../platform/restart.js');
    process.exitCode = await restartOnPlatform({ ...options, platform: options.platform, locateEntry });
    return;
  }
  // as `run` laid them out, the checkpoint file standing where its stand-in was (open-files.ts)
  layOutDescriptors(true);
  const checkpoint = await readCheckpointFile(options.file);
  const entry = locateEntry(checkpoint.path, checkpoint.header.program, options.program);
  // The program sees the arguments it was started with, as if it had never stopped.
  const args = Array.isArray(checkpoint.header.args) ? checkpoint.header.args.map(String) : [];
  if (!checkpointing) {
    await launchServed(entry, { restore: checkpoint.source }, args);
    return;
  }
  const config = runConfig({ ...checkpoints, entry, args, countPoints: false });
  await launchServed(entry, { ...config, restore: checkpoint.source }, args);
}

export function locateEntry(file: string, program: { entry: string; dir: string }, override: string | undefined): string {
  const dir = resolve(override ?? program.dir);
  const source = override !== undefined ? '--program' : 'recorded in the checkpoint';
  const entry = resolve(dir, program.entry);
  const rel = relative(dir, entry);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new RestoreError(`${file}: its program entry ${JSON.stringify(program.entry)} is not inside the program directory; refusing to load it`);
  }
  const hint = `if the built program moved, name its output directory: introspect restart ${file} --program <outDir>`;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new RestoreError(`the program directory for ${file} does not exist: ${dir} (${source})`, [hint]);
  }
  if (!existsSync(entry)) {
    throw new RestoreError(`the program entry for ${file} does not exist: ${entry} (directory ${source})`, [hint]);
  }
  if (!existsSync(join(dir, RUNTIME_DIR)) && !isInstrumentedModule(entry)) {
    throw new RestoreError(`${dir} is not a program built by \`introspect build\` or the tsc plugin (no ${RUNTIME_DIR}/ in it, and its entry does not import the introspect runtime)`, [hint]);
  }
  return entry;
}

/**
 * Does this file open the way every module the transformer emits does?
 * (`import { runtime as $Rm } from "…"` — `$R` before session 8 — or
 * `const $R = require("…").runtime`,
 * after any comments and prologue directives; `$$R`… when the module uses
 * `$` names.)
 * Programs built with the tsc plugin have no __introspect/ directory: their
 * modules import the runtime from the installed package.
 */
function isInstrumentedModule(file: string): boolean {
  let head: string;
  try {
    head = readFileSync(file, 'utf8').slice(0, 4096);
  } catch {
    return false;
  }
  return /^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/|"[^"]*";?|'[^']*';?)*(?:import \{ runtime as \$+Rm? \} from |const \$+R = require\()/.test(head);
}
