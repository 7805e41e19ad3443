// The request worker: a worker thread started by requests.ts for a program
// run with a checkpoint destination. Takes (workerData) the request board,
// the socket path, the period of `--every` and the signals to watch; posts a
// request on the board for every checkpoint asked by another process (the
// socket), by the timer or by a signal, and tells the program's thread
// ("posted"). Its event loop turns even while the program's thread runs a
// long synchronous loop, which is the point: it nudges the runtime there
// through an inspector session (below), or, where it cannot, the runtime
// sees the request at the end of its next count window. It answers waiting
// clients when the program's thread reports the checkpoint ("answer"), then
// marks the answer flushed on the board (the program's thread may wait for
// that before an exit). It never writes to stdout/stderr: a worker's output goes through the
// busy main thread, so problems are reported to it as messages instead.

import { createServer, type Server, type Socket } from 'node:net';
import { chmodSync, rmSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { FROM_CLIENT, FROM_SIGNAL, FROM_TIMER, markFlushed, onDetachAsked, post, setSessionOpen, setSignalsWatched, WANT_CHECKPOINT, WANT_EXIT, type Board } from './request-board.js';
import { encode, LineReader, parseAsk, PROTOCOL_VERSION, removeStaleSockets } from './request-socket.js';
import { watchSignals } from './signal-watch.js';

export interface WorkerSetup {
  board: Board;
  /** Where to listen; undefined: no socket. */
  socket: string | undefined;
  /** Milliseconds between periodic checkpoints. */
  every: number | undefined;
  /** Signal name → what it asks for. */
  signals: Record<string, 'checkpoint' | 'exit'>;
}

/** Messages to the program's thread. */
export type WorkerReport =
  | { type: 'ready'; socket: string | undefined; socketError: string | undefined; signals: boolean; nudges: boolean }
  | { type: 'posted'; serial: number };

/** Messages from the program's thread: requests numbered up to `serial` are answered; `n` counts answers. */
export interface WorkerAnswer {
  type: 'answer';
  serial: number;
  n: number;
  path?: string;
  error?: string;
}

const ASK_TIMEOUT_MS = 5000;
/** How long the program's thread may take to answer the inspector session's first evaluation. */
const PING_TIMEOUT_MS = 2000;

const port = parentPort!;
const setup = workerData as WorkerSetup;
const board = setup.board;
let waiting: { serial: number; socket: Socket }[] = [];

/**
 * Tells the runtime on the program's thread, at once: an inspector session
 * on that thread evaluates the call there as an engine interrupt, between two
 * steps of whatever runs, a long synchronous loop included (runtime.ts
 * nudge). Without one (no inspector in this build, Bun, Deno), the runtime
 * keeps asking the board at the end of short count windows.
 */
const nudge = await inspectorNudge();

async function inspectorNudge(): Promise<((what: 'request') => void) | undefined> {
  try {
    const { Session } = await import('node:inspector');
    const session = new Session();
    if (typeof session.connectToMainThread !== 'function') return undefined;
    // A session still connected when the program's thread exits by
    // process.exit() or an uncaught error makes Node print "Waiting for the
    // debugger to disconnect..." on the program's stderr: that thread asks
    // us to end it first (requests.ts), also while the ping below waits.
    // Marked open before it connects, so that an exit meanwhile waits for it.
    let open = true;
    const end = () => {
      if (!open) return;
      open = false;
      session.disconnect();
      setSessionOpen(board, false);
    };
    setSessionOpen(board, true);
    try {
      session.connectToMainThread();
    } catch (error) {
      open = false;
      setSessionOpen(board, false);
      throw error;
    }
    onDetachAsked(board, end);
    // One evaluation first: a session that connects but cannot evaluate
    // there would leave the runtime's window wide with nobody to end it.
    const evaluates = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
      session.post('Runtime.evaluate', { expression: '0', silent: true }, (error) => {
        clearTimeout(timer);
        resolve(error === null || error === undefined);
      });
    });
    if (!evaluates || !open) {
      end();
      return undefined;
    }
    return (what) => {
      if (!open) return;
      const expression = `globalThis[Symbol.for("introspect.runtime")]?.nudge?.(${JSON.stringify(what)})`;
      session.post('Runtime.evaluate', { expression, silent: true }, () => {});
    };
  } catch {
    return undefined;
  }
}

function request(bits: number): void {
  const serial = post(board, bits);
  nudge?.('request');
  port.postMessage({ type: 'posted', serial } satisfies WorkerReport);
}

function onConnection(socket: Socket): void {
  const reader = new LineReader();
  let asked = false;
  socket.setEncoding('utf8');
  socket.setTimeout(ASK_TIMEOUT_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('close', () => (waiting = waiting.filter((w) => w.socket !== socket)));
  socket.on('data', (chunk: string) => {
    if (asked) return;
    const refuse = (why: string) => socket.end(encode({ v: PROTOCOL_VERSION, event: 'failed', error: `request refused: ${why}` }));
    let lines: string[];
    try {
      lines = reader.push(chunk);
    } catch (error) {
      asked = true;
      return refuse((error as Error).message);
    }
    if (lines.length === 0) return;
    asked = true;
    socket.setTimeout(0);
    let ask;
    try {
      ask = parseAsk(lines[0]!);
    } catch (error) {
      return refuse((error as Error).message);
    }
    const serial = post(board, FROM_CLIENT | (ask.exit ? WANT_EXIT : WANT_CHECKPOINT));
    nudge?.('request');
    const accepted = encode({ v: PROTOCOL_VERSION, event: 'accepted', serial });
    if (ask.wait) {
      waiting.push({ serial, socket });
      socket.write(accepted);
    } else {
      socket.end(accepted);
    }
    port.postMessage({ type: 'posted', serial } satisfies WorkerReport);
  });
}

function answer(message: WorkerAnswer): void {
  const done = waiting.filter((w) => w.serial <= message.serial);
  waiting = waiting.filter((w) => w.serial > message.serial);
  const line =
    message.path !== undefined
      ? encode({ v: PROTOCOL_VERSION, event: 'written', path: message.path })
      : encode({ v: PROTOCOL_VERSION, event: 'failed', error: message.error ?? 'the checkpoint failed' });
  let left = done.length;
  const sent = () => {
    if (--left === 0) markFlushed(board, message.n);
  };
  if (left === 0) markFlushed(board, message.n);
  for (const { socket } of done) {
    if (socket.destroyed) {
      sent();
      continue;
    }
    let once = false;
    const finish = () => {
      if (!once) (once = true), sent();
    };
    socket.once('close', finish);
    socket.end(line, finish);
  }
}

function listen(path: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    if (process.platform !== 'win32') rmSync(path, { force: true }); // left by a dead process with this pid
    const server = createServer(onConnection);
    server.once('error', reject);
    server.listen(path, () => {
      if (process.platform !== 'win32') chmodSync(path, 0o600);
      resolve(server);
    });
  });
}

port.on('message', (message: WorkerAnswer) => {
  if (message.type === 'answer') answer(message);
});

const signals = watchSignals(Object.keys(setup.signals), (name) => request(FROM_SIGNAL | (setup.signals[name] === 'exit' ? WANT_EXIT : WANT_CHECKPOINT)));
if (signals) setSignalsWatched(board);
if (setup.every !== undefined) setInterval(() => request(FROM_TIMER | WANT_CHECKPOINT), setup.every);
let socketError: string | undefined;
if (setup.socket !== undefined) {
  try {
    await listen(setup.socket);
  } catch (error) {
    socketError = (error as Error).message;
  }
  try {
    removeStaleSockets();
  } catch {
    /* housekeeping only */
  }
}
port.postMessage({ type: 'ready', socket: socketError === undefined ? setup.socket : undefined, socketError, signals, nudges: nudge !== undefined } satisfies WorkerReport);
