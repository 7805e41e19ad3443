// The checkpoint-request protocol between `introspect checkpoint <pid>` (the
// sender, cli/commands/checkpoint.ts) and a program running under the
// runtime on a Node-compatible platform (the receiver, wired in the runtime).
// One signal per request, no files, no shared state:
//
//   SIGUSR2  take a checkpoint at the next suspension point, then continue
//   SIGURG   take a checkpoint at the next suspension point, then exit 0
//
// SIGURG is ignored by default, so asking a process that does not run under
// introspect to checkpoint-and-exit does nothing to it; SIGUSR2's default
// action terminates such a process, which is why the sender checks the
// target as well as it can before sending.

export const CHECKPOINT_SIGNAL = 'SIGUSR2';
export const CHECKPOINT_AND_EXIT_SIGNAL = 'SIGURG';

export type CheckpointRequest = 'checkpoint' | 'checkpoint-and-exit';

export function signalFor(request: CheckpointRequest): NodeJS.Signals {
  return request === 'checkpoint' ? CHECKPOINT_SIGNAL : CHECKPOINT_AND_EXIT_SIGNAL;
}

export function requestFor(signal: string): CheckpointRequest | undefined {
  if (signal === CHECKPOINT_SIGNAL) return 'checkpoint';
  if (signal === CHECKPOINT_AND_EXIT_SIGNAL) return 'checkpoint-and-exit';
  return undefined;
}

/** For a run with nowhere to write checkpoints: say so when asked, instead of dying of SIGUSR2. */
export function explainRequestsWithoutDestination(log: (message: string) => void, why = 'this run has nowhere to write it: start the program with `introspect run <main.js> --checkpoint-dir D` (or `introspect restart <file> --checkpoint-dir D`)'): void {
  for (const name of [CHECKPOINT_SIGNAL, CHECKPOINT_AND_EXIT_SIGNAL]) {
    process.on(name, () => log(`checkpoint asked for (${name}), but ${why}`));
  }
}
