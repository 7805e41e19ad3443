// The request board: a few 32-bit slots of shared memory between the request
// worker (request-worker.ts, which hears other processes, signals and the
// periodic timer) and the program's thread (requests.ts, asked by the runtime
// at the end of every count window). Takes nothing; guarantees that a request
// posted by any thread is taken exactly once, that taking costs one atomic
// load while nothing is posted, and that every request is numbered, so the
// checkpoint that answers it can be matched to whoever is waiting for it.
//
//   slot PENDING  what is asked, OR-ed together until taken (WANT_* | FROM_*)
//   slot SERIAL   number of the last request posted (1, 2, ...)
//   slot SIGNALS  1 once the worker watches the request signals itself
//   slot FLUSHED  number of the last answer the worker has sent on
//   slot SESSION  1 while the worker's inspector session on the program's
//                 thread is connected (its nudge)
//   slot DETACH   1 once the program's thread is exiting: the worker ends
//                 that session (else Node prints "Waiting for the debugger to
//                 disconnect..." on the program's stderr at process.exit()
//                 or an uncaught error)
//
// Posting increments SERIAL before setting PENDING, so a taker that sees a
// request also sees its number (it may see a later number too: that request
// is answered by the same checkpoint, which was taken after it arrived).

// The engine's clock, taken at load: a program may put a fake one in Date.now.
const dateNow = Date.now;

/** Take a checkpoint, then continue. */
export const WANT_CHECKPOINT = 1;
/** Take a checkpoint, then exit. */
export const WANT_EXIT = 2;
/** Asked by another process (`introspect checkpoint <pid>`). */
export const FROM_CLIENT = 4;
/** Asked by the periodic timer (`--every`). */
export const FROM_TIMER = 8;
/** Asked by a signal (`--on-signal`, SIGUSR2, SIGURG). */
export const FROM_SIGNAL = 16;

const PENDING = 0;
const SERIAL = 1;
const SIGNALS = 2;
const FLUSHED = 3;
const SESSION = 4;
const DETACH = 5;
const SLOTS = 6;

export type Board = Int32Array;

export interface Taken {
  /** WANT_* and FROM_* bits of every request answered. */
  bits: number;
  /** Requests numbered up to this one are answered. */
  serial: number;
}

export function createBoard(): Board {
  return new Int32Array(new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT));
}

/** Posts a request; returns its number. */
export function post(board: Board, bits: number): number {
  const serial = Atomics.add(board, SERIAL, 1) + 1;
  Atomics.or(board, PENDING, bits);
  return serial;
}

/** True while a request waits to be taken: one atomic load. */
export function isPending(board: Board): boolean {
  return Atomics.load(board, PENDING) !== 0;
}

/** Takes every request posted so far, or undefined if there is none. */
export function take(board: Board): Taken | undefined {
  const bits = Atomics.exchange(board, PENDING, 0);
  if (bits === 0) return undefined;
  return { bits, serial: Atomics.load(board, SERIAL) };
}

export function setSignalsWatched(board: Board): void {
  Atomics.store(board, SIGNALS, 1);
}

export function signalsWatched(board: Board): boolean {
  return Atomics.load(board, SIGNALS) === 1;
}

/** The worker has sent answer number `n` on (see waitFlushed). */
export function markFlushed(board: Board, n: number): void {
  Atomics.store(board, FLUSHED, n);
  Atomics.notify(board, FLUSHED);
}

/** Blocks this thread until answer `n` is sent on, at most `timeoutMs`; true if it was. */
export function waitFlushed(board: Board, n: number, timeoutMs: number): boolean {
  const deadline = dateNow() + timeoutMs;
  for (;;) {
    const seen = Atomics.load(board, FLUSHED);
    if (seen >= n) return true;
    const left = deadline - dateNow();
    if (left <= 0) return false;
    Atomics.wait(board, FLUSHED, seen, left);
  }
}

/** Worker: its inspector session on the program's thread is connected (true) or ended (false). */
export function setSessionOpen(board: Board, open: boolean): void {
  Atomics.store(board, SESSION, open ? 1 : 0);
  Atomics.notify(board, SESSION);
}

/** Worker: runs `end` once the program's thread asks it to end its session (at once if it already has). */
export function onDetachAsked(board: Board, end: () => void): void {
  if (Atomics.load(board, DETACH) === 1) return end();
  const waitAsync = (Atomics as { waitAsync?: (a: Int32Array, i: number, v: number) => { async: boolean; value: Promise<unknown> | string } }).waitAsync;
  if (typeof waitAsync !== 'function') return; // no session to end there: only Node nudges
  const waiting = waitAsync(board, DETACH, 0);
  if (waiting.async) void (waiting.value as Promise<unknown>).then(end);
  else end();
}

/**
 * The program's thread, exiting: asks the worker to end its inspector
 * session and blocks until it has, at most `timeoutMs`; true if no session
 * is left.
 */
export function detachSession(board: Board, timeoutMs: number): boolean {
  Atomics.store(board, DETACH, 1);
  Atomics.notify(board, DETACH);
  const deadline = dateNow() + timeoutMs;
  while (Atomics.load(board, SESSION) === 1) {
    const left = deadline - dateNow();
    if (left <= 0) return false;
    Atomics.wait(board, SESSION, 1, left);
  }
  return true;
}
