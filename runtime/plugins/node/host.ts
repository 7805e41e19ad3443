// The Host (runtime/host.ts) for Node-compatible runtimes: Node, Bun, Deno
// (through its node: compatibility). Takes an optional request desk
// (requests.ts); gives the platform description written into checkpoint
// headers, atomic durable writes, file reads, diagnostics on stderr prefixed
// "introspect: " (never stdout), and process exit. With a desk, it also
// gives the runtime the checkpoint requests of other processes, signals and
// the periodic timer, and tells the desk how each checkpoint went.

import { errorMonitor, EventEmitter } from 'node:events';
import { Dirent, readFileSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { inspect, types } from 'node:util';
import type { Host, PlatformInfo, ProcessListener } from '../../host.js';
import { tableLikeNode } from '../portable/console-table.js';
import { bytesLength } from '../../format/bytes.js';
import { portableHash, type CheckpointHash } from '../../format/digest.js';
import { writeFileAtomic } from './atomic-write.js';
import { libraryTimersPending, trackLibraryTimers } from './library-timers.js';
import { namedForwarders, programFsFunction } from './fs-bindings.js';
import { openFiles, reopenFiles, trackOpenFiles } from './open-files.js';
import { processClocks } from '../portable/process-clocks.js';
import { loadBuiltin } from './builtin-modules.js';
import { nodeCrypto } from './lazy-crypto.js';
import { listenerArrayRepair, probeListenerArray } from './listener-arrays.js';
import { savableOnceWrapper } from './once-listeners.js';
import { watchRequireFunctions } from './require-functions.js';
import { plainStatsPrototypes, repairStats } from './stats-objects.js';
import { pooledBufferTest } from './buffer-pool.js';
import type { RequestDesk } from './requests.js';

export { writeFileAtomic } from './atomic-write.js';
export { nextCheckpointPath, rotateCheckpoints } from './rotate.js';

/**
 * Bytes from which node:crypto hashes faster than the portable SHA-256,
 * counting its load (~4.5 ms on Node 20 here; the portable hash of a cold
 * start runs in the interpreter at ~0.6 ms per KB, so they cross near 8 KB).
 */
const NATIVE_HASH_FROM = 8 * 1024;

// The same SHA-256 as the portable one, several times faster on large
// files; a small one is hashed before node:crypto would have loaded.
export const nodeHash: CheckpointHash = {
  sha256: (data) => nodeHash.sha256Parts!([data]),
  hmacSha256: (key, data) => nodeHash.hmacSha256Parts!(key, [data]),
  sha256Parts(parts) {
    if (bytesLength(parts) < NATIVE_HASH_FROM) return portableHash.sha256Parts!(parts);
    const state = nodeCrypto().createHash('sha256');
    for (const part of parts) state.update(part);
    return new Uint8Array(state.digest());
  },
  hmacSha256Parts(key, parts) {
    if (bytesLength(parts) < NATIVE_HASH_FROM) return portableHash.hmacSha256Parts!(key, parts);
    const state = nodeCrypto().createHmac('sha256', key);
    for (const part of parts) state.update(part);
    return new Uint8Array(state.digest());
  },
};

/**
 * Host.arrayMayHaveNamedKeys from util.inspect: with no element shown and
 * hidden keys on, Node prints an array's non-index own keys, which it asks
 * V8 for without listing the indices (microseconds for a million elements),
 * `[length]` first: an array with no other ends in `[length]: n ]`. Named
 * values would be formatted one level deep (proxies as such, no getter or
 * custom inspect called), so only arrays that have such keys pay for it.
 * Where the platform's inspect does not print so (checked once, at the
 * first array a capture meets: the check formats three arrays, ~2 ms of a
 * cold start that most runs never checkpoint), every array may.
 */
function lazyArrayNamedKeysTest(): (array: unknown[]) => boolean {
  let test: ((array: unknown[]) => boolean) | undefined | null = null;
  return (array) => {
    if (test === null) test = arrayNamedKeysTest();
    return test === undefined || test(array);
  };
}

function arrayNamedKeysTest(): ((array: unknown[]) => boolean) | undefined {
  const options = { maxArrayLength: 0, depth: 0, showHidden: true, showProxy: true, customInspect: false, getters: false, breakLength: Infinity, compact: 3 };
  const test = (array: unknown[]): boolean => {
    try {
      return !inspect(array, options).endsWith(` more item${array.length === 1 ? '' : 's'}, [length]: ${array.length} ]`);
    } catch {
      return true;
    }
  };
  try {
    const plain = [1, 2, 3];
    const named = Object.assign([1, 2, 3], { columns: [] });
    const hidden = Object.defineProperty([1, 2, 3], 'total', { value: 6 });
    return !test(plain) && test(named) && test(hidden) ? test : undefined;
  } catch {
    return undefined;
  }
}

export function createNodeHost(desk?: RequestDesk): Host {
  if (drawsTablesOtherwise()) tableLikeNode(console as unknown as Record<string, unknown>);
  // What the process had before the program ran: a checkpoint saves what the program changed of it.
  const startCwd = process.cwd();
  const listeners = probeListenerArray();
  const startEnv: Record<string, string | undefined> = { ...process.env };
  trackLibraryTimers();
  trackOpenFiles();
  const host: Host = {
    platform: detectPlatform,
    writeFileAtomic(path, bytes) {
      writeFileAtomic(path, bytes);
      desk?.written(path);
    },
    hash: nodeHash,
    readFile(path) {
      const buffer = readFileSync(path);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    },
    log: writeDiagnostic,
    named: namedInternals(listeners),
    // A program may hold them (`const out = process.stdout`, a logger's stream): the restarted process's own are the same to it.
    namedLazily: { process: () => process, 'process.stdout': () => process.stdout, 'process.stderr': () => process.stderr, ...namedForwarders() },
    fsFunction: programFsFunction,
    isProxy: types.isProxy,
    repairRestored: repairsOf([listenerArrayRepair(listeners), repairStats(loadBuiltin('node:fs') as typeof import('node:fs'))]),
    syncBuiltinExports() {
      const sync = (loadBuiltin('node:module') as { syncBuiltinESMExports?: () => void }).syncBuiltinESMExports;
      if (typeof sync === 'function') sync();
    },
    arrayMayHaveNamedKeys: lazyArrayNamedKeysTest(),
    pooledView: pooledBufferTest(),
    // fs.Stats and fs.Dirent reach programs that import only node:fs/promises
    libraries: { 'host:node:fs': loadBuiltin('node:fs') as object },
    plainPrototypes: plainStatsPrototypes(loadBuiltin('node:fs') as typeof import('node:fs')),
    requires: watchRequireFunctions(),
    args: () => process.argv.slice(2),
    exit(code, suspending): never {
      if (desk) desk.exit(code);
      if (suspending) {
        for (const event of ['exit', 'beforeExit']) {
          for (const raw of process.rawListeners(event)) if (suspending(listenerOf(raw).fn)) process.removeListener(event, raw as (...a: unknown[]) => void);
        }
      }
      process.exit(code);
    },
    unsettledTopLevelAwait(url) {
      process.stderr.write(`Warning: Detected unsettled top-level await in ${url}\n`);
      process.exitCode = 13;
    },
    whenIdle(fn) {
      process.on('beforeExit', fn);
    },
    importModule: (url) => import(url),
    platformWorkInFlight,
    processListeners,
    exitCode: () => process.exitCode ?? undefined,
    setExitCode(code) {
      process.exitCode = code;
    },
    clocks: processClocks,
    processChanges() {
      const cwd = process.cwd();
      const env: [string, string | null][] = [];
      for (const [name, value] of Object.entries(process.env)) if (startEnv[name] !== value) env.push([name, value ?? null]);
      for (const name of Object.keys(startEnv)) if (!Object.hasOwn(process.env, name)) env.push([name, null]);
      if (cwd === startCwd && env.length === 0) return undefined;
      return { ...(cwd !== startCwd ? { cwd } : {}), ...(env.length > 0 ? { env } : {}) };
    },
    applyProcessChanges({ cwd, env }) {
      for (const [name, value] of env ?? []) {
        if (value === null) delete process.env[name];
        else process.env[name] = value;
      }
      if (cwd === undefined) return;
      try {
        process.chdir(cwd);
      } catch (e) {
        writeDiagnostic(`warning: the program had changed its working directory to ${cwd}, which this machine cannot enter (${(e as Error).message}); it goes on in ${process.cwd()}`);
      }
    },
    openFiles,
    reopenFiles(files) {
      reopenFiles(files, (message) => writeDiagnostic(`warning: ${message}`));
    },
    addProcessListeners(listeners) {
      for (const [event, fn, once] of listeners) {
        if (once) process.once(event, fn as (...a: unknown[]) => void);
        else process.on(event, fn as (...a: unknown[]) => void);
      }
    },
  };
  if (desk) {
    host.pendingRequest = () => desk.pendingRequest();
    host.nudges = desk.nudges;
    host.checkpointFailed = (error) => desk.failed(error);
    host.onIdleRequests = (take) => {
      desk.idleTaker = take;
    };
  }
  return host;
}

/**
 * Requests of Node in flight that call the program back (an fs callback, a
 * dns lookup, a socket connect, a crypto job), by the names
 * process.getActiveResourcesInfo() gives them. Not counted: long-lived
 * handles (servers, timers, stdio, workers) and Node's own requests (the
 * CloseReq of a closing handle, stdio writes).
 */
const IN_FLIGHT = /^(?:FSReqCallback|GetAddrInfoReqWrap|GetNameInfoReqWrap|QueryReqWrap|TCPConnectWrap|PipeConnectWrap)$|Job$/;

/** A listener as registered: Node wraps a `once` one, the wrapper's `listener` being the function. */
function listenerOf(raw: Function): { fn: Function; once: boolean } {
  const wrapped = (raw as { listener?: unknown }).listener;
  return typeof wrapped === 'function' ? { fn: wrapped, once: true } : { fn: raw, once: false };
}

/** The program's listeners on process events, in order. */
function processListeners(isProgram: (fn: Function) => boolean): ProcessListener[] {
  const out: ProcessListener[] = [];
  for (const event of process.eventNames()) {
    if (typeof event !== 'string') continue;
    for (const raw of process.rawListeners(event)) {
      const { fn, once } = listenerOf(raw);
      if (isProgram(fn)) out.push([event, fn, once]);
    }
  }
  return out;
}

function platformWorkInFlight(): number {
  const info = (process as { getActiveResourcesInfo?: () => string[] }).getActiveResourcesInfo?.();
  let n = libraryTimersPending();
  if (info === undefined) return n;
  for (const name of info) if (IN_FLIGHT.test(name)) n++;
  return n;
}

/** One line on stderr, "introspect: " first, written at once (the program's thread may be busy for long). */
export function writeDiagnostic(message: string): void {
  const text = `introspect: ${message}\n`;
  try {
    writeSync(2, text);
  } catch {
    process.stderr.write(text);
  }
}

/**
 * Whether this runtime's own `console.table` draws otherwise than Node 20's:
 * Bun and Deno draw their own, and Node before 20.10 centres each cell
 * (nodejs/node#50135 left-aligned them), so a program restarted on Node 18
 * printed its tables otherwise than where it started. Those get Node 20's
 * (console-table.ts), in runs and restarts alike.
 */
function drawsTablesOtherwise(): boolean {
  const versions = process.versions as NodeJS.ProcessVersions & { bun?: string; deno?: string };
  if (versions.bun !== undefined || versions.deno !== undefined) return true;
  const [major = 0, minor = 0] = versions.node.split('.').map(Number);
  return major < 20 || (major === 20 && minor < 10);
}

export function detectPlatform(): PlatformInfo {
  const versions = process.versions as NodeJS.ProcessVersions & { bun?: string; deno?: string };
  let engine = 'v8';
  let runtime = `node ${versions.node}`;
  if (versions.bun !== undefined) {
    engine = 'javascriptcore';
    runtime = `bun ${versions.bun}`;
  } else if (versions.deno !== undefined) {
    runtime = `deno ${versions.deno}`;
  } else if (versions.v8 === undefined) {
    engine = 'unknown';
  }
  return { engine, runtime, os: process.platform, cpu: process.arch, endianness: endianness() };
}

/**
 * Node's functions that the program's data holds without a path to them:
 * `emitter.once(…)` stores `onceWrapper.bind(state)` (node:events), so an
 * emitter with a pending once-listener holds the internal `onceWrapper`.
 */
function namedInternals(listeners: unknown[] | undefined): Record<string, object | symbol> {
  const probe = new EventEmitter({ captureRejections: true });
  const named: Record<string, object | symbol> = { 'node:events.onceWrapper': savableOnceWrapper(probe) };
  // Node's own symbols that objects of the program carry as keys or values:
  // an emitter's captureRejections flag, `errorMonitor` listeners, a Dirent's
  // type. A fresh symbol on restore would leave them unreadable to Node.
  // Named `<owner>#<description>`: a platform without it (Bun, Deno) gets a
  // fresh symbol of that description (Libraries.resolve), as before.
  named[`node:events#${errorMonitor.description ?? 'errorMonitor'}`] = errorMonitor;
  addOwnSymbols(named, 'node:events.EventEmitter', probe);
  // Node 24 counts the emits running over an event's listener array in a
  // symbol of the array (events.emitting), and removes a listener during one
  // from a copy: the array restored with a fresh symbol counted nothing, so a
  // listener removed while an emit ran (a once-listener) made it skip the next.
  if (listeners !== undefined) addOwnSymbols(named, 'node:events.listeners', listeners);
  try {
    addOwnSymbols(named, 'node:fs.Dirent', new (Dirent as unknown as new (name: string, type: number, path: string) => object)('probe', 1, ''));
  } catch {
    // a Node whose Dirent cannot be made this way: its Dirents are saved as they were before
  }
  return named;
}

function addOwnSymbols(named: Record<string, object | symbol>, owner: string, o: object): void {
  for (const s of Object.getOwnPropertySymbols(o)) {
    if (Symbol.keyFor(s) === undefined && s.description) named[`${owner}#${s.description}`] ??= s;
  }
}

/** The repairs that apply here, one after another (Host.repairRestored), or undefined when none does. */
function repairsOf(repairs: (((objects: readonly unknown[]) => void) | undefined)[]): ((objects: readonly unknown[]) => void) | undefined {
  const here = repairs.filter((r) => r !== undefined);
  if (here.length === 0) return undefined;
  return (objects) => {
    for (const repair of here) repair(objects);
  };
}
