// Checkpoint requests on the program's thread (the "desk"): takes the run
// configuration the runtime reads (the very object) and a logger; starts the
// request worker (request-worker.ts: socket, `--every` timer, signals) and
// gives the Node host its request hooks:
//
//   pendingRequest()   asked by the runtime at the end of every count window:
//                      one atomic load while nothing is asked; when something
//                      is, takes it and points the configuration at where the
//                      answering checkpoint goes (a fresh name in
//                      --checkpoint-dir, else --checkpoint-file) and whether
//                      the program exits after it
//   written(path)      after a durable write: rotation (--keep), a log line,
//                      the answer to waiting clients
//   failed(error)      after a failed checkpoint: a hint on stderr, the answer;
//                      the program goes on, except after an exit request,
//                      when the runtime exits with code 4
//   exit(code)         lets the worker send pending answers first (bounded)
//
// Whatever ends the process, the worker's inspector session on this thread
// is ended first (bounded), so that Node prints nothing of its own on the
// program's stderr.
//
// A request the runtime cannot see in a count window — the program waits in
// the event loop, no code of it running — is served from the event loop
// itself (serveIdle): the runtime's idle checkpoint (`idleTaker`) takes it
// with the event loop's state and an empty stack, or says why it cannot (the
// platform owes the program an I/O result), and the request is declined with
// that reason, so nobody waits for it in vain.

import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { RunConfig } from '../../host.js';
import { createBoard, detachSession, FROM_CLIENT, FROM_SIGNAL, isPending, signalsWatched, post, take, waitFlushed, WANT_CHECKPOINT, WANT_EXIT, type Taken } from './request-board.js';
import type { WorkerAnswer, WorkerReport, WorkerSetup } from './request-worker.js';
import { prepareSocketPath, publicPid } from './request-socket.js';
import { nextCheckpointPath, rotateCheckpoints } from './rotate.js';
import { CHECKPOINT_AND_EXIT_SIGNAL, CHECKPOINT_SIGNAL } from './signals.js';

/** The run settings this desk serves (cli/config.ts fills them from `introspect run`). */
export interface RequestConfig extends RunConfig {
  checkpointDir?: string;
  every?: number;
  onSignal?: string;
  keep?: number;
}

export interface RequestDeskOptions {
  /** The configuration object the runtime reads; checkpointFile/exitAfterCheckpoint are set per request. */
  config: RequestConfig;
  log(message: string): void;
  /** Listen on the request socket (default true). */
  socket?: boolean;
}

/** Exit code after a checkpoint-then-exit request whose checkpoint failed (as cli/errors.ts CaptureError). */
export const EXIT_CHECKPOINT_FAILED = 4;
/** How long an exit waits for the worker to send the answers on. */
const FLUSH_TIMEOUT_MS = 1000;
/** How long an exit waits for the worker to end its inspector session. */
const DETACH_TIMEOUT_MS = 250;

export class RequestDesk {
  private readonly board = createBoard();
  private readonly config: RequestConfig;
  private readonly log: (message: string) => void;
  private readonly exitAfter: boolean;
  private readonly signals: Record<string, 'checkpoint' | 'exit'>;
  private worker: Worker | undefined;
  private socket: string | undefined;
  /** The requests the checkpoint being taken answers. */
  private taken: Taken | undefined;
  private answers = 0;
  private loaded = false;
  private toldPeriodicSkipped = false;
  /** The worker will nudge the runtime on this thread (request-worker.ts): Node with its inspector. */
  readonly nudges = canNudge();

  constructor(private readonly options: RequestDeskOptions) {
    this.config = options.config;
    this.log = options.log;
    this.exitAfter = options.config.exitAfterCheckpoint === true;
    this.signals = { [CHECKPOINT_SIGNAL]: 'checkpoint', [CHECKPOINT_AND_EXIT_SIGNAL]: 'exit' };
    if (options.config.onSignal !== undefined) this.signals[options.config.onSignal] = 'exit';
    const dir = this.config.checkpointDir;
    if (dir !== undefined) {
      // Each checkpoint is named when the runtime reads its destination, at
      // capture: the name's time is the checkpoint's, and the sequence counts
      // the checkpoints written.
      let named: string | undefined = this.config.checkpointFile;
      Object.defineProperty(this.config, 'checkpointFile', {
        get: () => (named ??= nextCheckpointPath(dir)),
        set: (path: string | undefined) => void (named = path),
        enumerable: true,
        configurable: true,
      });
    }
  }

  /** Starts the worker and the main-thread signal handlers. Costs the main thread about a millisecond. */
  start(): void {
    let socket: string | undefined;
    if (this.options.socket !== false) {
      try {
        socket = prepareSocketPath(publicPid());
      } catch (error) {
        this.log(`checkpoint requests from other processes are unavailable: ${(error as Error).message}`);
      }
    }
    const setup: WorkerSetup = { board: this.board, socket, every: this.config.every, signals: this.signals };
    try {
      this.worker = new Worker(new URL('./request-worker.js', import.meta.url), { workerData: setup, stdout: true, stderr: true });
      this.worker.on('message', (report: WorkerReport) => this.onReport(report));
      this.worker.on('error', (error) => {
        this.log(`checkpoint requests (socket, --every, signals) stopped working: ${error.message}`);
        this.handleOnMainThread(Object.keys(this.signals));
      });
      this.worker.unref(); // after the listeners: a 'message' listener added later would keep the process alive

    } catch (error) {
      this.log(`checkpoint requests (socket, --every, signals) are unavailable here: ${(error as Error).message}`);
    }
    // The request signals get handlers here at once (SIGUSR2 would otherwise
    // kill the program before the worker is up); they act only while the
    // worker does not watch signals, and run when the event loop turns. The
    // --on-signal signal gets one only if the worker cannot watch it: while a
    // busy program's worker starts, a SIGTERM keeps its default action rather
    // than being swallowed by a handler that cannot run.
    this.handleOnMainThread([CHECKPOINT_SIGNAL, CHECKPOINT_AND_EXIT_SIGNAL]);
    if (this.worker === undefined) this.handleOnMainThread(Object.keys(this.signals));
    process.on('exit', () => {
      if (this.socket !== undefined && process.platform !== 'win32') rmSync(this.socket, { force: true });
      // The worker's inspector session (its nudge) ends before the process
      // does: else Node prints "Waiting for the debugger to disconnect..." on
      // the program's stderr after a process.exit() or an uncaught error.
      if (this.worker !== undefined) detachSession(this.board, DETACH_TIMEOUT_MS);
    });
  }

  /** Set by the runtime (Host.onIdleRequests): takes a checkpoint now, or returns why it cannot. */
  idleTaker: (() => string | undefined) | undefined = undefined;

  /** The program has been loaded and its synchronous run is over: from now on, the event loop turning means it waits. */
  programLoaded(): void {
    this.loaded = true;
    this.serveIdle();
  }

  /** Host hook (runtime/host.ts): true once per batch of requests. */
  pendingRequest(): boolean {
    if (!isPending(this.board)) return false;
    const taken = take(this.board);
    if (taken === undefined) return false;
    this.taken = this.taken === undefined ? taken : { bits: this.taken.bits | taken.bits, serial: Math.max(this.taken.serial, taken.serial) };
    this.config.exitAfterCheckpoint = this.exitAfter || (this.taken.bits & WANT_EXIT) !== 0;
    return true;
  }

  /** After the checkpoint at `path` became durable. */
  written(path: string): void {
    const answered = this.taken;
    this.taken = undefined;
    const dir = this.config.checkpointDir;
    if (dir !== undefined) {
      if (this.config.keep !== undefined) {
        try {
          rotateCheckpoints(dir, this.config.keep, path);
        } catch (error) {
          this.log(`could not remove old checkpoints in ${dir} (--keep ${this.config.keep}): ${(error as Error).message}`);
        }
      }
      this.config.checkpointFile = undefined; // the next one gets a new name
    }
    this.log(`checkpoint written: ${path}`);
    if (answered !== undefined) this.answer({ serial: answered.serial, path });
  }

  /** After a checkpoint failed (the runtime has logged what failed). */
  failed(error: unknown): void {
    const answered = this.taken;
    this.taken = undefined;
    const reason = error instanceof Error ? error.message : String(error);
    const hint = failureHint(error, this.config.checkpointDir ?? this.config.checkpointFile);
    if (answered !== undefined) this.answer({ serial: answered.serial, error: reason });
    // Asked to exit after it (config.exitAfterCheckpoint, set for exit requests), the runtime now exits with code 4, through exit().
    if (this.config.exitAfterCheckpoint === true) {
      if (hint) this.log(hint);
      return;
    }
    this.log(`the program continues without this checkpoint${hint ? `; ${hint}` : ''}`);
  }

  /** Exits once the worker has sent the answers on (at most FLUSH_TIMEOUT_MS). */
  exit(code: number): never {
    if (this.answers > 0 && this.worker !== undefined) waitFlushed(this.board, this.answers, FLUSH_TIMEOUT_MS);
    process.exit(code);
  }

  private readonly mainHandled = new Set<string>();

  private handleOnMainThread(names: readonly string[]): void {
    for (const name of names) {
      const want = this.signals[name];
      if (want === undefined || this.mainHandled.has(name)) continue;
      this.mainHandled.add(name);
      process.on(name, () => {
        if (signalsWatched(this.board)) return;
        post(this.board, FROM_SIGNAL | (want === 'exit' ? WANT_EXIT : WANT_CHECKPOINT));
        if (this.loaded) this.serveIdle();
      });
    }
  }

  private onReport(report: WorkerReport): void {
    if (report.type === 'ready') {
      this.socket = report.socket;
      if (this.nudges && !report.nudges) {
        (globalThis as Record<symbol, { nudge?(what: string): void } | undefined>)[Symbol.for('introspect.runtime')]?.nudge?.('narrow');
      }
      if (!report.signals) this.handleOnMainThread(Object.keys(this.signals));
      if (report.socketError !== undefined) this.log(`checkpoint requests from other processes are unavailable: ${report.socketError}`);
      return;
    }
    if (this.loaded) this.serveIdle();
  }

  /** Serves the requests pending while the program waits in the event loop: an idle checkpoint, or a reasoned refusal. */
  private serveIdle(): void {
    if (!isPending(this.board)) return;
    const refused = this.idleTaker ? this.idleTaker() : 'this runtime takes no checkpoints while the program waits in the event loop';
    if (refused === undefined) return;
    const taken = take(this.board);
    if (taken === undefined) return;
    const why = `the program is waiting in the event loop and ${refused}`;
    if ((taken.bits & (FROM_CLIENT | FROM_SIGNAL)) !== 0) {
      this.log(`checkpoint not taken: ${why}`);
    } else if (!this.toldPeriodicSkipped) {
      this.toldPeriodicSkipped = true;
      this.log(`periodic checkpoint skipped: ${why}; the next ones are skipped silently while it waits`);
    }
    this.answer({ serial: taken.serial, error: why });
    if ((taken.bits & WANT_EXIT) !== 0) {
      this.log(`exiting with code ${EXIT_CHECKPOINT_FAILED}: asked to exit after a checkpoint that cannot be taken`);
      this.exit(EXIT_CHECKPOINT_FAILED);
    }
  }

  private answer(answer: Omit<WorkerAnswer, 'type' | 'n'>): void {
    if (this.worker === undefined) return;
    this.answers++;
    this.worker.postMessage({ type: 'answer', n: this.answers, ...answer } satisfies WorkerAnswer);
  }
}

/** What to do about a failed checkpoint, from the system error code if there is one. */
function failureHint(error: unknown, where: string | undefined): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const place = where ?? 'the checkpoint destination';
  switch (code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `make ${place} writable, or run with another --checkpoint-dir`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `free some space where ${place} is, or lower --keep`;
    case 'ENOENT':
    case 'ENOTDIR':
      return `${place} is no longer a directory that exists; create it again, or run with another --checkpoint-dir`;
    default:
      return undefined;
  }
}

/**
 * Whether a worker of this process can open an inspector session on the
 * program's thread (inspector.Session#connectToMainThread): Node built with
 * its inspector. Bun and Deno have the module, not the session.
 */
function canNudge(): boolean {
  const versions = process.versions as Record<string, string | undefined>;
  if (versions.bun !== undefined || versions.deno !== undefined) return false;
  try {
    const { Session } = createRequire(import.meta.url)('node:inspector') as typeof import('node:inspector');
    return typeof Session?.prototype?.connectToMainThread === 'function';
  } catch {
    return false;
  }
}
