// `introspect checkpoint <pid> [--exit] [--wait] [--timeout T] [--force]`:
// asks a running program to checkpoint now. Takes typed options; sends the
// request on the program's request socket (runtime/plugins/node/
// request-socket.ts), which a program run with `introspect run …
// --checkpoint-dir D` (or --every / --on-signal) listens on, even while it
// runs a long synchronous loop. With --wait, waits until the checkpoint is
// durable and prints its path on stdout. Without a socket it falls back to
// one signal per request (runtime/plugins/node/signals.ts):
//
//   SIGUSR2  checkpoint at the next suspension point, then continue
//   SIGURG   (--exit) checkpoint at the next suspension point, then exit 0
//
// Throws ProcessError (exit 5) when the pid does not exist or may not be
// signalled, or (Linux) does not look like an introspect run before a signal
// is sent (SIGUSR2 terminates a process that does not handle it; --force
// skips that check); CaptureError (exit 4) when the program answers that the
// checkpoint failed, exits before answering, or does not answer in time.

import { readFileSync } from 'node:fs';
import { CaptureError, ProcessError } from '../errors.js';
import { askToCheckpoint } from '../../runtime/plugins/node/request-client.js';
import { signalFor } from '../../runtime/plugins/node/signals.js';

export interface CheckpointOptions {
  pid: number;
  exit: boolean;
  /** Wait until the checkpoint is durable and print its path. */
  wait: boolean;
  force: boolean;
  /** Milliseconds to wait for the program's answer. */
  timeoutMs: number;
  log?: (line: string) => void;
  print?: (line: string) => void;
}

export const DEFAULT_TIMEOUT_MS = 60_000;

export async function checkpoint(options: CheckpointOptions): Promise<void> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const { pid } = options;
  const what = `checkpoint${options.exit ? ' and exit' : ''}`;
  probe(pid);
  const ask = { exit: options.exit, wait: options.wait, timeoutMs: options.timeoutMs };
  let outcome = await askToCheckpoint(pid, { ...ask, startupGrace: false });
  if (outcome.kind === 'no-socket' && (options.force || looksLikeIntrospect(pid) !== false)) {
    outcome = await askToCheckpoint(pid, ask); // it may have just started: its request worker comes up within a moment
  }
  switch (outcome.kind) {
    case 'accepted':
      log(`introspect: asked pid ${pid} to ${what} (request ${outcome.serial})`);
      return;
    case 'written':
      print(outcome.path);
      return;
    case 'failed':
      throw new CaptureError(`pid ${pid} did not ${what}: ${outcome.error}`, [`its stderr says more; the program ${options.exit ? 'exited with code 4' : 'keeps running'}`]);
    case 'closed':
      throw new CaptureError(`pid ${pid} ended the request without an answer: it exited (or crashed) before its checkpoint was written`);
    case 'timeout':
      throw new CaptureError(`pid ${pid} gave no answer within ${options.timeoutMs} ms`, [
        'the request stays asked: the program takes it at its next suspension point (a long call into uninstrumented code delays it)',
        'wait longer with --timeout, e.g. --timeout 5m',
      ]);
    case 'no-socket':
      sendSignal(options, `no request socket at ${outcome.path} (${outcome.reason})`, log);
  }
}

function sendSignal(options: CheckpointOptions, why: string, log: (line: string) => void): void {
  const { pid } = options;
  if (process.platform === 'win32') throw new ProcessError(`pid ${pid} has ${why}, and Windows has no signals to fall back on`);
  if (!options.force) checkLooksLikeIntrospect(pid);
  const signal = signalFor(options.exit ? 'checkpoint-and-exit' : 'checkpoint');
  try {
    process.kill(pid, signal);
  } catch (error) {
    throw describeKillError(pid, error);
  }
  if (options.wait) {
    throw new CaptureError(`sent ${signal} to pid ${pid}, but cannot wait for its checkpoint: ${why}`, [
      'a program run with `introspect run <main.js> --checkpoint-dir D` has a request socket; its checkpoints appear in D',
    ]);
  }
  log(`introspect: asked pid ${pid} to checkpoint${options.exit ? ' and exit' : ''} (${signal}; ${why})`);
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

function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined; // no /proc here: nothing to check with
  }
}

/** Whether the command line mentions introspect; undefined where it cannot be read. */
function looksLikeIntrospect(pid: number): boolean | undefined {
  const commandLine = commandLineOf(pid);
  return commandLine === undefined ? undefined : /introspect/i.test(commandLine);
}

function checkLooksLikeIntrospect(pid: number): void {
  const commandLine = commandLineOf(pid);
  if (commandLine !== undefined && !/introspect/i.test(commandLine)) {
    throw new ProcessError(`pid ${pid} does not look like a program run by introspect: ${commandLine || '(no command line)'}`, [
      'a checkpoint request would terminate a process that does not handle it; add --force to send it anyway',
    ]);
  }
}
