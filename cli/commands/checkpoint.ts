// `introspect checkpoint <pid> [--exit] [--force]`: asks a running program to
// checkpoint now. The protocol (runtime/plugins/node/signals.ts) is one
// signal per request:
//
//   SIGUSR2  checkpoint at the next suspension point, then continue
//   SIGURG   (--exit) checkpoint at the next suspension point, then exit 0
//
// The program writes the checkpoint where its `introspect run` flags say
// (--checkpoint-dir / --checkpoint-file). This side only sends: it checks
// that the pid exists and may be signalled (ProcessError, exit 5, otherwise)
// and, on Linux, that the target's command line mentions introspect, because
// SIGUSR2 terminates a process that does not handle it (--force skips that).
// The receiving side is wired in the runtime.

import { readFileSync } from 'node:fs';
import { ProcessError } from '../errors.js';
import { signalFor } from '../../runtime/plugins/node/signals.js';

export interface CheckpointOptions {
  pid: number;
  exit: boolean;
  force: boolean;
  log?: (line: string) => void;
}

export async function checkpoint(options: CheckpointOptions): Promise<void> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { pid } = options;
  if (process.platform === 'win32') throw new ProcessError('checkpoint requests use POSIX signals, which Windows does not have');
  probe(pid);
  if (!options.force) checkLooksLikeIntrospect(pid);
  const signal = signalFor(options.exit ? 'checkpoint-and-exit' : 'checkpoint');
  try {
    process.kill(pid, signal);
  } catch (error) {
    throw describeKillError(pid, error);
  }
  log(`introspect: asked pid ${pid} to checkpoint${options.exit ? ' and exit' : ''} (${signal})`);
}

function probe(pid: number): void {
  try {
    process.kill(pid, 0);
  } catch (error) {
    throw describeKillError(pid, error);
  }
}

function describeKillError(pid: number, error: unknown): ProcessError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ESRCH') return new ProcessError(`no process with pid ${pid}`);
  if (code === 'EPERM') return new ProcessError(`not permitted to signal pid ${pid} (it belongs to another user)`);
  return new ProcessError(`cannot signal pid ${pid}: ${(error as Error).message}`);
}

function checkLooksLikeIntrospect(pid: number): void {
  let commandLine: string;
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return; // no /proc here: nothing to check with
  }
  if (!/introspect/i.test(commandLine)) {
    throw new ProcessError(`pid ${pid} does not look like a program run by introspect: ${commandLine || '(no command line)'}`, [
      'a checkpoint request would terminate a process that does not handle it; add --force to send it anyway',
    ]);
  }
}
