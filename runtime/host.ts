// The platform services the runtime core needs, and nothing more. The core
// never imports a platform API: a host is handed to it at boot by whoever
// starts the program (the CLI on Node, a bundle loader elsewhere), so the same
// core runs in Node, Deno, Bun, QuickJS, a browser.

import type { ProgramClock } from './clocks.js';
import type { CheckpointHash } from './format/digest.js';
import type { ByteSource } from './format/streamed.js';
import type { PlatformTimers } from './timers.js';

export interface PlatformInfo {
  /** "v8", "javascriptcore", "spidermonkey", "quickjs", or "unknown". */
  engine: string;
  /** The runtime and its version: "node 20.20.2", "bun 1.2.3", "browser". */
  runtime: string;
  os: string;
  cpu: string;
  endianness: 'LE' | 'BE';
}

/** See Host.processChanges: `env` pairs are [name, value], null for a variable the program deleted. */
export interface ProcessChanges {
  cwd?: string;
  env?: [string, string | null][];
}

/**
 * See Host.openFiles: a descriptor of the program open at a checkpoint, the
 * file's absolute path, its flags and mode as the program gave them, its
 * position (absent where the platform cannot tell it) and what identifies the
 * file (inode, size, modification time) for the check on restore.
 */
export interface OpenFile {
  fd: number;
  path: string;
  flags?: string | number;
  mode?: string | number;
  offset?: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export interface Host {
  platform(): PlatformInfo;
  /**
   * Durable, atomic replacement of `path`: temp file, fsync, rename. A
   * checkpoint comes as parts in order (some are the program's own buffers):
   * write them before returning.
   */
  writeFileAtomic(path: string, bytes: Uint8Array | readonly Uint8Array[]): void;
  readFile(path: string): Uint8Array;
  /** Diagnostics of the runtime itself; never mixed into the program's stdout. */
  log(message: string): void;
  /**
   * Ends the process. `suspending`: the program is stopped after its
   * checkpoint, not ending, so its own exit handlers (those `suspending`
   * accepts) must not run.
   */
  exit(code: number, suspending?: (fn: Function) => boolean): never;
  /**
   * An exception no code of the program catches, thrown by a job of the
   * runtime's scheduler (a microtask) or carried by a promise rejection no
   * handler took: ends the program as Node does (its stack on stderr, exit
   * code 1). Only the script hosts have it, whose engines log such an error
   * and go on (gjs) or drop it (jsc); without it, the platform reports it.
   */
  uncaught?(error: unknown): never;
  /**
   * Calls `fn` whenever the program has nothing left to run (its event loop
   * is empty: Node's 'beforeExit'). Without it the runtime treats the end of
   * the module bodies as the end of the program.
   */
  whenIdle?(fn: () => void): void;
  /**
   * The program's event loop is empty while a module's top-level await is
   * still pending: it can never settle (Node warns and exits with 13).
   */
  unsettledTopLevelAwait?(moduleUrl: string): void;
  /**
   * `import(url)` as the program's modules do it: how a restart loads again
   * the modules the program had imported dynamically. Node's host gives it
   * because the runtime may be code it compiled itself (cli/code-cache.ts),
   * where `import()` has no loader; without it the runtime's own import().
   */
  importModule?(url: string): Promise<unknown>;
  /**
   * Built-ins this platform provides other than through globalThis, by path
   * ("console.log"): what a saved reference re-links to on restore.
   */
  builtins?: Record<string, unknown>;
  /**
   * The platform's own functions and objects that the program's data can
   * hold but that no path from a global or a module reaches (Node's
   * `onceWrapper`, the target of every `emitter.once` listener), by a name
   * the same platform gives them again on restore.
   */
  named?: Record<string, object | symbol>;
  /**
   * Named like `named`, but read only when a checkpoint or a restore first
   * needs them: the process's streams (`process.stdout`), which Node makes
   * on their first read (some milliseconds each), and `process` itself.
   */
  namedLazily?: Record<string, () => object | undefined>;
  /**
   * Modules of the platform whose classes the program's data can hold
   * without importing them (`fs.Stats` from a `stat()` of node:fs/promises),
   * by a key of their own: what they export is saved by its path from them.
   */
  libraries?: Record<string, object>;
  /**
   * Optional: prototypes of platform classes made natively whose objects
   * nevertheless keep all their state in own properties (Bun's fs.Stats,
   * plugins/node/stats-objects.ts): their objects are saved as plain ones.
   */
  plainPrototypes?: object[];
  /**
   * The functions node:module's `createRequire(base)` makes: `watch` is
   * told of each and its base, and of what each loads; `make` makes one
   * again on restore; `createRequire` is the wrapper that tells them, for
   * the program's imports of it where the platform's ES-module bindings
   * of node:module do not follow its exports (Bun, Deno)
   * (plugins/node/require-functions.ts).
   */
  requires?: {
    watch(made: (require: Function, base: string) => void, loaded: (id: string, exports: unknown) => void): void;
    make(base: string): Function;
    createRequire: Function;
  };
  /**
   * Optional: what the program's import of node:fs's descriptor function
   * `name` (`import { openSync }`, `fs.writeSync` of `import * as fs`)
   * binds to: a forwarder to the host's wrapper on the module object,
   * which Bun's and Deno's ES-module bindings do not follow
   * (plugins/node/fs-bindings.ts). Without it, the import itself.
   */
  fsFunction?(native: unknown, name: string): unknown;
  /**
   * Optional: after the runtime replaced functions on a built-in module's
   * exports object (node:events' listener helpers, event-helpers.ts), makes
   * ES-module imports of built-ins see them too (Node's
   * module.syncBuiltinESMExports).
   */
  syncBuiltinExports?(): void;
  /**
   * Optional: where the platform has no timers (the runtime keeps virtual
   * time), called once the program has nothing left to run: no timer
   * pending and no job of its own.
   */
  ended?(): void;
  /**
   * Optional: every object a restore made, before the program sees them:
   * the platform sets what its own code expects of its objects that the
   * platform that wrote the checkpoint did not have (Node 24's emit count on
   * an emitter's listener arrays).
   */
  repairRestored?(objects: readonly unknown[]): void;
  /** Is this a Proxy? (Node's `util.types.isProxy`.) Its traps must not see the runtime's own reads. */
  isProxy?(value: unknown): boolean;
  /**
   * False when an Array's own string-keyed properties are only its elements
   * and `length`, told without listing its indices (Node: util.inspect asks
   * V8 for the non-index keys alone); true when it may have others
   * (`Object.assign(rows, { columns })`). Without it, a checkpoint lists
   * every long array's keys, which costs a string per element.
   */
  arrayMayHaveNamedKeys?(array: unknown[]): boolean;
  /**
   * Optional: whether a typed array is one of the platform's small buffers
   * cut from a memory pool it shares between them (Node's Buffer.poolSize
   * arena, plugins/node/buffer-pool.ts). A checkpoint keeps such a pool's
   * length but saves only the bytes under the buffers it holds.
   */
  pooledView?(view: ArrayBufferView): boolean;
  /** A faster SHA-256/HMAC than the portable one (Node: node:crypto), for the file's integrity hash. */
  hash?: CheckpointHash;
  /**
   * Optional: is a checkpoint asked for from outside the program (another
   * process, a signal, a timer)? Asked at the end of every count window, about
   * every millisecond of busy code, so it must cost a few nanoseconds (a
   * shared-memory load). Returns true once per request: the next checkpoint
   * the runtime writes answers it.
   */
  pendingRequest?(): boolean;
  /**
   * Optional: the host calls the runtime's `nudge("request")` on the
   * program's thread as soon as a request comes, even during a long
   * synchronous loop (Node: an inspector session of the request worker), so
   * the runtime need not end short count windows to look for requests. If
   * it finds out later that it cannot, it calls `nudge("narrow")`.
   */
  nudges?: boolean;
  /** The program's own command-line arguments, recorded in the header so a restart sees them again. */
  args?(): string[];
  /** Timers of the platform (default: the globals setTimeout/clearTimeout/setImmediate). */
  timers?: PlatformTimers;
  /**
   * Optional: the runtime hands over how to take a checkpoint while the
   * program waits in the event loop (no code of it running, so no count
   * window ends); `take` writes it, or returns why it cannot.
   */
  onIdleRequests?(take: () => string | undefined): void;
  /**
   * Optional: how many operations of the platform are in flight whose
   * completion runs program code (a node:fs or dns callback): their state is
   * the platform's, so a due checkpoint waits for them, as it does for the
   * platform's promises.
   */
  platformWorkInFlight?(): number;
  /**
   * Optional: the listeners of the program (`isProgram` tells its functions
   * from the runtime's and libraries') on the process's events, in order
   * (`process.on('exit', f)`); saved with the event loop and added again on
   * restore (addProcessListeners).
   */
  processListeners?(isProgram: (fn: Function) => boolean): ProcessListener[];
  addProcessListeners?(listeners: ProcessListener[]): void;
  /**
   * Optional: the exit code the program has set for when it ends
   * (`process.exitCode`), saved with the event loop and set again on restore.
   */
  exitCode?(): number | string | undefined;
  /** The platform's own monotonic clocks the program may read, besides `performance.now()` (runtime/clocks.ts). */
  clocks?(): ProgramClock[];
  setExitCode?(code: number | string): void;
  /**
   * Optional: what the program changed of its process that a restarted
   * process starts without: its working directory (`process.chdir`) and the
   * environment variables it set or deleted. Saved with the event loop and
   * applied on restore, before the program goes on.
   */
  processChanges?(): ProcessChanges | undefined;
  applyProcessChanges?(changes: ProcessChanges): void;
  /**
   * Optional: the files the program holds open by descriptor number
   * (`fs.openSync`), with their positions; saved with the event loop.
   * `reopenFiles` opens them again under the same numbers at the same
   * positions before the program goes on, and throws where it cannot (the
   * restart then fails with that message).
   */
  openFiles?(): OpenFile[] | undefined;
  reopenFiles?(files: OpenFile[]): void;
  /** Optional: the checkpoint just attempted failed (the runtime has logged why); the program goes on. */
  checkpointFailed?(error: unknown): void;
}

/** What the starter asks of this run (SPEC §3). */
export interface RunConfig {
  /** Count every suspension point and report the total when the program ends. */
  countPoints?: boolean;
  /** Take a checkpoint at the K-th suspension point reached (from 1). */
  checkpointAt?: number;
  checkpointFile?: string;
  exitAfterCheckpoint?: boolean;
  /** Milliseconds a due checkpoint waits for promises of the platform to settle before it fails (default 10 000). */
  quiesceTimeout?: number;
  /** A checkpoint to resume instead of starting the program afresh: its bytes, or the file opened for reading in pieces. */
  restore?: Uint8Array | ByteSource;
}

/** Put on globalThis by the starter before the program's first module loads. */
export interface Boot {
  host: Host;
  config: RunConfig;
}

export const BOOT_KEY = '__introspect_boot';

/** A listener on an event of the process: [event, listener, once]. */
export type ProcessListener = [string, Function, boolean];
