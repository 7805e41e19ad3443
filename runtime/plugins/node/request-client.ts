// The client side of the request socket (request-socket.ts), used by
// `introspect checkpoint <pid>`. Takes a pid and what to ask; connects to
// the program's request socket, sends one request and reads the answers.
// Guarantees one outcome, never a throw for a program that is gone or
// silent:
//
//   no-socket   nobody listens at the pid's socket (not run with a
//               checkpoint destination, not started yet, or another platform):
//               the caller may fall back to a signal
//   accepted    the program took the request (without `wait`)
//   written     the checkpoint is durable at `path` (with `wait`)
//   failed      the program could not take or write it, or refused the request
//   closed      the connection ended without an answer (the program exited)
//   timeout     no answer within `timeoutMs`
//
// A program that has just started may not listen yet: while it is younger
// than STARTUP_GRACE_MS, connecting is retried.

import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { encode, LineReader, parseAnswer, PROTOCOL_VERSION, socketPath } from './request-socket.js';

// The engine's clock, taken at load: a program may put a fake one in Date.now.
const dateNow = Date.now;

export type Outcome =
  | { kind: 'no-socket'; path: string; reason: string }
  | { kind: 'accepted'; serial: number }
  | { kind: 'written'; path: string }
  | { kind: 'failed'; error: string }
  | { kind: 'closed' }
  | { kind: 'timeout' };

export interface Ask {
  exit: boolean;
  wait: boolean;
  /** How long to wait for the answer(s). */
  timeoutMs: number;
  /** Retry connecting while the program may still be starting (default true). */
  startupGrace?: boolean;
}

/** The request worker of a program starts within this time (it is a thread of its own). */
const STARTUP_GRACE_MS = 2000;
/** Where the age of a process cannot be read. */
const UNKNOWN_AGE_GRACE_MS = 1000;
const RETRY_MS = 50;

export async function askToCheckpoint(pid: number, ask: Ask): Promise<Outcome> {
  const path = socketPath(pid);
  const age = ask.startupGrace === false ? STARTUP_GRACE_MS : processAgeMs(pid);
  const retryUntil = dateNow() + (age === undefined ? UNKNOWN_AGE_GRACE_MS : Math.max(0, STARTUP_GRACE_MS - age));
  for (;;) {
    const socket = await open(path);
    if (typeof socket !== 'string') return converse(socket, ask);
    if (dateNow() >= retryUntil) return { kind: 'no-socket', path, reason: socket };
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

/** A connected socket, or why not. */
function open(path: string): Promise<Socket | string> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

function converse(socket: Socket, ask: Ask): Promise<Outcome> {
  return new Promise((resolve) => {
    const reader = new LineReader();
    let settled = false;
    const settle = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => settle({ kind: 'timeout' }), ask.timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      let lines: string[];
      try {
        lines = reader.push(chunk);
      } catch (error) {
        return settle({ kind: 'failed', error: (error as Error).message });
      }
      for (const line of lines) {
        let answer;
        try {
          answer = parseAnswer(line);
        } catch (error) {
          return settle({ kind: 'failed', error: `the program answered something unexpected: ${(error as Error).message}` });
        }
        if (answer.event === 'failed') return settle({ kind: 'failed', error: answer.error });
        if (answer.event === 'written') return settle({ kind: 'written', path: answer.path });
        if (!ask.wait) return settle({ kind: 'accepted', serial: answer.serial });
      }
    });
    socket.on('error', () => settle({ kind: 'closed' }));
    socket.on('close', () => settle({ kind: 'closed' }));
    socket.write(encode({ v: PROTOCOL_VERSION, op: 'checkpoint', exit: ask.exit, wait: ask.wait }));
  });
}

/** How long ago the process started (Linux /proc), or undefined where that cannot be read. */
function processAgeMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = Number(fields[19]);
    const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    if (!Number.isFinite(startTicks) || !Number.isFinite(uptime)) return undefined;
    return Math.max(0, uptime * 1000 - startTicks * 10); // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}
