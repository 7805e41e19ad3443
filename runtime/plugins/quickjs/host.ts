// The Host for QuickJS, in both shapes the platforms give it: the native
// `qjs --std` shell (globals std, os) and QuickJS compiled to wasm inside Node
// (the runner's global `host` with readFile/writeFile/exit). Takes the
// checkpoint and the platform hint embedded by the restart bundle; boots the
// runtime. Absorbs: no queueMicrotask (portable/boot.ts), no console.error /
// console.warn in the native shell (added, writing to stderr); older qjs
// shells whose BigInt.asUintN returns a negative result for a negative
// operand (fixBigIntAsUintN); timers that cannot be unref'd, in either shape
// (quickJSTimers: noUnref, so a program whose only timers are unref'd ends);
// no crypto.getRandomValues (node:crypto's random bytes are read from
// /dev/urandom in the native shell; the wasm runner has no source, and they
// fail there: portable/secure-random.ts).

import type { Host } from '../../host.js';
import { bootRestart, exitLine, exitOnThrow, platformFrom, type PlatformHint } from '../portable/boot.js';
import { printLikeNode } from '../portable/node-format.js';
import { concatBytes } from '../../format/bytes.js';
import { offerSecureRandom } from '../portable/secure-random.js';

interface QjsFile {
  puts(s: string): void;
  flush(): void;
  read(buffer: ArrayBuffer, position: number, length: number): number;
  write(buffer: ArrayBuffer, position: number, length: number): number;
  seek(offset: number, whence: number): void;
  tell(): number;
  close(): void;
}
interface QjsStd {
  out: QjsFile;
  err: QjsFile;
  open(path: string, mode: string): QjsFile | null;
  exit(code: number): never;
  SEEK_SET: number;
  SEEK_END: number;
}
interface QjsOs {
  rename(from: string, to: string): number;
  platform?: string;
  setTimeout?(fn: () => void, ms: number): unknown;
  clearTimeout?(handle: unknown): void;
}
interface RunnerHost {
  readFile(path: string): string;
  writeFile(path: string, text: string): void;
  exit(code: number): never;
  engine?: string;
}

export function createQuickJSHost(hint: PlatformHint): { host: Host; stderr: (line: string) => void } {
  const g = globalThis as Record<string, unknown>;
  const std = g.std as QjsStd | undefined;
  const os = g.os as QjsOs | undefined;
  const runner = std === undefined ? (g.host as RunnerHost | undefined) : undefined;
  const console_ = g.console as Record<string, unknown> | undefined;
  const stderr = (line: string): void => {
    if (std) std.err.puts(`${line}\n`);
    else if (console_ && typeof console_.error === 'function') (console_.error as (s: string) => void)(line);
  };
  if (std && console_ && typeof console_.error !== 'function') {
    const toErr = (...parts: unknown[]) => stderr(parts.map((p) => (typeof p === 'string' ? p : String(p))).join(' '));
    console_.error = toErr;
    console_.warn = toErr;
  }
  const platform = () => platformFrom({ ...hint, os: os?.platform ?? hint.os, runtime: runner?.engine ?? hint.runtime });
  const host: Host = {
    platform,
    readFile(path) {
      if (!std) throw new Error('introspect: this QuickJS runner reads text files only');
      const f = std.open(path, 'rb');
      if (!f) throw new Error(`introspect: cannot open ${path}`);
      f.seek(0, std.SEEK_END);
      const n = f.tell();
      f.seek(0, std.SEEK_SET);
      const buffer = new ArrayBuffer(n);
      f.read(buffer, 0, n);
      f.close();
      return new Uint8Array(buffer);
    },
    writeFileAtomic(path, bytes) {
      if (!std || !os) throw new Error('introspect: checkpoints cannot be written from this QuickJS runner (no binary file API)');
      const temp = `${path}.tmp-introspect`;
      const f = std.open(temp, 'wb');
      if (!f) throw new Error(`introspect: cannot create ${temp}`);
      const copy = concatBytes(bytes).slice();
      f.write(copy.buffer, 0, copy.byteLength);
      f.flush();
      f.close();
      if (os.rename(temp, path) !== 0) throw new Error(`introspect: cannot rename ${temp} to ${path}`);
    },
    log: (message) => stderr(`introspect: ${message}`),
    // The native shell's timers are in `os`; the wasm runner's (if any) are globals. Neither can be
    // unref'd: a pending one keeps the runner alive, so an unref'd timer of the program is not armed.
    timers: quickJSTimers(os, g, (fn) => exitOnThrow(fn, () => host, stderr)),
    exit(code): never {
      if (std) {
        std.out.flush();
        std.err.flush();
        std.exit(code);
      }
      if (runner) runner.exit(code);
      stderr(exitLine(code));
      throw new Error(`introspect: exit ${code}`);
    },
  };
  return { host, stderr };
}

/**
 * The shell's timers: `os.setTimeout` of the native shell, else the wasm
 * runner's global `setTimeout` (none in the platforms' wrapper: the runtime
 * keeps virtual time then). Neither returns a handle that can be unref'd.
 */
function quickJSTimers(os: QjsOs | undefined, g: Record<string, unknown>, guard: (fn: () => void) => () => void): Host['timers'] {
  if (os && typeof os.setTimeout === 'function') return { set: (fn, ms) => os.setTimeout!(guard(fn), ms), clear: (h) => os.clearTimeout?.(h), noUnref: true };
  const set = g.setTimeout as ((fn: () => void, ms: number) => unknown) | undefined;
  const clear = g.clearTimeout as ((handle: unknown) => void) | undefined;
  if (typeof set !== 'function' || typeof clear !== 'function') return undefined;
  return { set: (fn, ms) => set(guard(fn), ms), clear: (h) => clear(h), noUnref: true };
}

/** Entry used by the restart bundle. */
/**
 * BigInt.asUintN(bits, x) is x modulo 2^bits, never negative; some QuickJS
 * releases return x unchanged for a negative x wider than the result. The
 * program's own arithmetic must come out as on the engine it started on.
 */
function fixBigIntAsUintN(): void {
  const native = BigInt.asUintN;
  if (native(64, -1n) === 18446744073709551615n) return;
  Object.defineProperty(BigInt, 'asUintN', {
    value: function asUintN(bits: number, x: bigint): bigint {
      const r = native(bits, x);
      if (r >= 0n) return r;
      const m = 1n << BigInt(bits);
      return ((BigInt(x) % m) + m) % m;
    },
    writable: true,
    configurable: true,
  });
}

/** The system's secure random bytes (node:crypto's randomBytes), read from /dev/urandom, opened on first use. */
function systemRandom(std: QjsStd): (bytes: Uint8Array) => void {
  let source: QjsFile | null | undefined;
  return (bytes) => {
    source ??= std.open('/dev/urandom', 'rb');
    if (!source) throw new Error('introspect: cannot open /dev/urandom for secure random bytes');
    for (let at = 0; at < bytes.length; ) {
      const n = source.read(bytes.buffer as ArrayBuffer, bytes.byteOffset + at, bytes.length - at);
      if (n <= 0) throw new Error('introspect: /dev/urandom gave no bytes');
      at += n;
    }
  };
}

export function bootBundle(checkpointBase64: string, hint: PlatformHint): void {
  fixBigIntAsUintN();
  const { host, stderr } = createQuickJSHost(hint);
  const std = (globalThis as { std?: QjsStd }).std;
  // The shell writes text as it is; the wasm runner's console prints lines.
  const raw = std ? { out: (text: string) => std.out.puts(text), err: (text: string) => std.err.puts(text) } : undefined;
  const output = printLikeNode(typeof console === 'undefined' ? undefined : (console as unknown as Record<string, unknown>), raw);
  offerSecureRandom(std ? 'the QuickJS shell' : 'QuickJS in wasm', std ? systemRandom(std) : undefined);
  bootRestart(host, checkpointBase64, stderr, { output, hint });
}
