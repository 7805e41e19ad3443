// What every non-Node host shares when a restart bundle boots on an engine
// without Node APIs (QuickJS, the jsc shell, gjs, a browser page). Takes the
// checkpoint (base64, embedded in the bundle by cli/platform/bundle.ts) and a
// Host; guarantees that globalThis[BOOT_KEY] is set before the program's first
// module registers, that the few services the runtime core uses are there
// (queueMicrotask is missing on QuickJS and the jsc shell), and that what a
// program started on Node reads of it is there too: the standard globals
// the engine lacks, a `process` writing to the program's output streams
// (process.ts, output.ts), Node's once-wrapper by its saved name
// (node-events.ts); Node's global `Buffer`, where the program may use it,
// is given by the bundle (cli/platform/bundle.ts, buffer-module.ts). An
// error escaping the program's start is reported like Node reports an
// uncaught exception (stack on stderr, exit code 1) instead of being
// dropped as an unhandled rejection; the throw a host exits by is not one.
// Imports nothing from a platform.

import { provideStructuredClone } from './structured-clone.js';
import { provideAtomics } from './atomics.js';
import { provideSharedArrayBuffer } from './shared-array-buffer.js';
import { ALPHABET, provideTextEncoding } from './text-encoding.js';
import { provideURL } from './url.js';
import { provideTimerGlobals } from './timer-globals.js';
import { provideProcess } from './process.js';
import { exitWithCodeAtEnd } from './natural-end.js';
import { onceWrapperOf } from './node-events.js';
import { EventEmitter } from './events-module.js';
import type { ProgramOutput } from './output.js';
import { readHeader } from '../../format/index.js';
import { HOST_BIG_ENDIAN } from '../../heap/intrinsics.js';
import { BOOT_KEY, type Boot, type Host, type PlatformInfo, type RunConfig } from '../../host.js';

/** What the CLI knows about the platform it starts the bundle on (registry entry). */
export interface PlatformHint {
  engine: string;
  runtime: string;
  os: string;
  cpu: string;
  /** Where the restart was started: the program's entry (its path on this machine) and working directory, for `process` (process.ts). */
  entry?: string;
  cwd?: string;
  /** The restarting process's environment (`process.env` on Node). */
  env?: Record<string, string>;
}

/** The byte order of this host, from how a Uint16 lands in memory. */
export function hostEndianness(): 'LE' | 'BE' {
  return HOST_BIG_ENDIAN ? 'BE' : 'LE';
}

export function platformFrom(hint: PlatformHint): PlatformInfo {
  return { engine: hint.engine, runtime: hint.runtime, os: hint.os, cpu: hint.cpu, endianness: hostEndianness() };
}

/** Standard base64 (with or without padding) to bytes; no atob (QuickJS has none). */
export function decodeBase64(text: string): Uint8Array {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i);
    const v = c < 128 ? table[c]! : -1;
    if (v < 0) throw new Error(`introspect: bad base64 in the restart bundle at ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** The text Node would print for an uncaught exception (its stack, else its string form). */
export function uncaughtText(error: unknown): string {
  if (error instanceof Error) {
    const stack = typeof error.stack === 'string' ? error.stack : '';
    const head = `${error.name}: ${error.message}`;
    // V8's stack opens with "Name: message" (the name it had when made);
    // QuickJS's, JavaScriptCore's and SpiderMonkey's are frames only, and a
    // short message can be found inside one of those (`r` in `restart.js`).
    const named = /^[\w$.]*/.exec(stack)![0];
    return stack.startsWith(`: ${error.message}`, named.length) ? stack : `${head}\n${stack}`;
  }
  return `Uncaught ${String(error)}`;
}

/**
 * `fn` as a callback of the shell's event loop (a timer's), ending the
 * program as Node ends it when it throws: the stack on stderr, exit code 1.
 * The shells print such an exception and go on, then exit 0.
 */
export function exitOnThrow(fn: () => void, host: () => Host, stderr: (line: string) => void): () => void {
  return () => {
    try {
      fn();
    } catch (error) {
      if (ended.has(host())) return;
      stderr(uncaughtText(error));
      host().exit(1);
    }
  };
}

/**
 * Hosts whose exit has begun. One that cannot end the process at once (a
 * page, gjs, the wasm runner) stops the running job by throwing: that throw
 * is the exit, not an error of the program's to report.
 */
const ended = new WeakSet<Host>();

/**
 * Sets globalThis[BOOT_KEY] for a restart of `checkpoint` on `host`, adding
 * queueMicrotask where the engine lacks it (or wrapping it, with
 * wrapMicrotasks, where the engine drops a job's exception). `stderr` writes
 * one line of text. With `output` (the console's streams, node-format.ts),
 * the program gets a `process` over them, and an exit prints an unfinished
 * line first; `hint` says where the restart was started (entry, directory,
 * environment).
 */
export function bootRestart(host: Host, checkpointBase64: string, stderr: (line: string) => void, options: { wrapMicrotasks?: boolean; output?: ProgramOutput; hint?: PlatformHint } = {}): void {
  const g = globalThis as Record<string, unknown>;
  const restore = decodeBase64(checkpointBase64);
  const output = options.output;
  const exit = host.exit.bind(host);
  host.exit = (code, suspending) => {
    if (!ended.has(host)) {
      ended.add(host);
      // What the program wrote without a newline yet comes out before the process ends.
      output?.out.flush();
      output?.err.flush();
    }
    return exit(code, suspending);
  };
  provideStructuredClone();
  provideSharedArrayBuffer();
  provideAtomics();
  provideTextEncoding();
  provideURL();
  providePerformanceNow();
  if (output !== undefined) {
    provideProcess(host, output, { entry: options.hint?.entry ?? '', cwd: options.hint?.cwd ?? '/', env: options.hint?.env ?? {}, args: argsOf(restore) });
    // before the timer globals, so that those made from the host's timers are counted too
    exitWithCodeAtEnd(host, g.process as { exitCode?: number | string });
  }
  provideTimerGlobals(host.timers);
  const native = typeof g.queueMicrotask === 'function' ? (g.queueMicrotask as (fn: () => void) => void) : undefined;
  if (native === undefined || options.wrapMicrotasks) {
    const schedule = native ?? ((job: () => void) => void Promise.resolve().then(job));
    g.queueMicrotask = (fn: () => void): void => {
      schedule(() => {
        try {
          fn();
        } catch (error) {
          if (ended.has(host)) return;
          stderr(uncaughtText(error));
          host.exit(1);
        }
      });
    };
  }
  host.namedLazily = { 'node:events.onceWrapper': () => onceWrapperOf(new EventEmitter()), ...host.namedLazily };
  host.uncaught ??= (error: unknown): never => {
    if (ended.has(host)) throw error;
    stderr(uncaughtText(error));
    return host.exit(1);
  };
  const config: RunConfig = { restore };
  const boot: Boot = { host, config };
  g[BOOT_KEY] = boot;
}

/** The program's own arguments the checkpoint was taken with (its header); none if the header cannot be read (the restore says why). */
function argsOf(checkpoint: Uint8Array): string[] {
  try {
    return readHeader(checkpoint).args ?? [];
  } catch {
    return [];
  }
}

/**
 * `performance.now()` and `timeOrigin` where the engine has no `performance`
 * (gjs): milliseconds since the restart began, from Date.now (the runtime
 * continues the program's reading from the checkpoint's, clocks.ts). The
 * User Timing API (mark, measure) is not provided.
 */
function providePerformanceNow(): void {
  const g = globalThis as Record<string, unknown>;
  if (typeof (g.performance as { now?: unknown } | undefined)?.now === 'function') return;
  const timeOrigin = Date.now();
  Object.defineProperty(g, 'performance', { value: { timeOrigin, now: () => Date.now() - timeOrigin }, writable: true, enumerable: false, configurable: true });
}

/**
 * The line a host writes on stderr to hand its exit code to the CLI, for
 * engines whose shell cannot set one (the jsc shell's quit() always exits 0;
 * a browser page has no exit). The CLI removes the line and exits with N.
 */
export const EXIT_MARKER = '\u001b[introspect-exit ';

export function exitLine(code: number): string {
  return `${EXIT_MARKER}${code}]`;
}
