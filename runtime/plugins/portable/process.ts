// `process` for an engine that has none (QuickJS, the jsc and gjs shells, a
// browser page), so that a program started on Node goes on after a restart
// there: its `process.stdout.write`, `process.argv`, `process.env`,
// `process.exit`, `process.hrtime` and `process.on` are the most common
// reads of Node's API in programs that use nothing else of it. Takes the
// host, the program's output streams (output.ts), its arguments and entry;
// guarantees a `globalThis.process` whose stdout and stderr write where
// `console` does, in order; whose argv is Node's shape (`[execPath, entry,
// ...args]`, the arguments the program was started with); whose env holds
// the restarting process's environment with the program's own changes, as
// on Node; whose hrtime and uptime read on from the checkpoint's readings
// (process-clocks.ts) as Node's do; and whose exit and exitCode end the program as
// Node's would (exitCode at a natural end through natural-end.ts, where the
// host's timers are seen). Its events (`process.on('exit', f)`) are kept but never
// emitted: this process never exits by Node's rules. Installed only where
// the engine has no `process`. Imports nothing from a platform.

import type { Host, ProcessChanges } from '../../host.js';
import type { OutputStream, ProgramOutput } from './output.js';
import { processClocks } from './process-clocks.js';

export interface ProcessView {
  /** The built program's entry, as `process.argv[1]` had it on Node. */
  entry: string;
  /** The program's own arguments (`process.argv.slice(2)`), from the checkpoint. */
  args: readonly string[];
  /** The working directory and environment the restart was started with. */
  cwd: string;
  env: Record<string, string>;
}

type Listener = (...args: unknown[]) => unknown;

/** Node's `stream.write(chunk[, encoding][, callback])` over one of the program's streams. */
function writable(stream: OutputStream, fd: number): Record<string, unknown> {
  const decoder = typeof TextDecoder === 'function' ? new TextDecoder() : undefined;
  const self: Record<string, unknown> = {
    fd,
    writable: true,
    write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
      const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array && decoder ? decoder.decode(chunk) : String(chunk);
      stream.write(text);
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') queueMicrotask(() => (done as Listener)(null));
      return true;
    },
    end(chunk?: unknown): void {
      if (chunk !== undefined && typeof chunk !== 'function') (self.write as (c: unknown) => boolean)(chunk);
    },
    on: () => self,
    once: () => self,
    off: () => self,
    removeListener: () => self,
    cork() {},
    uncork() {},
  };
  return self;
}

export function provideProcess(host: Host, output: ProgramOutput, view: ProcessView): void {
  const g = globalThis as Record<string, unknown>;
  if (g.process !== undefined) return;
  const info = host.platform();
  const env: Record<string, string> = { ...view.env };
  let cwd = view.cwd;
  const listeners = new Map<string | symbol, Listener[]>();
  // The engine's own clock, not the `performance.now` a restore re-bases (clocks.ts): the clocks here are re-based on their own.
  const perf = g.performance as { now(): number };
  const nativeNow = perf.now;
  const now = (): number => Reflect.apply(nativeNow, perf, []) as number;
  const started = now();
  const on = (name: string | symbol, fn: Listener): unknown => {
    listeners.set(name, [...(listeners.get(name) ?? []), fn]);
    return process;
  };
  const off = (name: string | symbol, fn: Listener): unknown => {
    const list = listeners.get(name) ?? [];
    const at = list.lastIndexOf(fn);
    if (at >= 0) listeners.set(name, [...list.slice(0, at), ...list.slice(at + 1)]);
    return process;
  };
  const hrtime = (previous?: [number, number]): [number, number] => {
    const ns = Math.round(now() * 1e6);
    let seconds = Math.floor(ns / 1e9);
    let nanos = ns % 1e9;
    if (previous) {
      seconds -= previous[0];
      nanos -= previous[1];
      if (nanos < 0) {
        seconds--;
        nanos += 1e9;
      }
    }
    return [seconds, nanos];
  };
  hrtime.bigint = (): bigint => BigInt(Math.round(now() * 1e6));
  const memoryUsage = (): Record<string, number> => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 });
  memoryUsage.rss = (): number => 0;
  const runtime = info.runtime.split(' ')[0] || 'introspect';
  const process: Record<string, unknown> = {
    title: info.runtime,
    argv: [runtime, view.entry, ...view.args],
    argv0: runtime,
    execArgv: [],
    execPath: runtime,
    env,
    platform: info.os,
    arch: info.cpu,
    pid: 1,
    ppid: 0,
    version: '',
    versions: {},
    release: { name: info.runtime },
    exitCode: undefined,
    stdout: writable(output.out, 1),
    stderr: writable(output.err, 2),
    stdin: { fd: 0, isTTY: undefined, on: () => undefined, once: () => undefined, resume() {}, pause() {} },
    cwd: (): string => cwd,
    chdir(dir: string): void {
      cwd = dir.startsWith('/') ? dir : `${cwd.replace(/\/$/, '')}/${dir}`;
    },
    exit(code?: number | string): never {
      return host.exit(Number(code ?? process.exitCode ?? 0) || 0);
    },
    hrtime,
    uptime: (): number => (now() - started) / 1000,
    memoryUsage,
    cpuUsage: (): { user: number; system: number } => ({ user: Math.round(now() * 1000), system: 0 }),
    emitWarning(warning: unknown, type?: unknown): void {
      const name = warning instanceof Error ? warning.name : typeof type === 'string' ? type : 'Warning';
      const message = warning instanceof Error ? warning.message : String(warning);
      output.err.write(`(node:1) ${name}: ${message}\n`);
    },
    nextTick(fn: Listener, ...args: unknown[]): void {
      queueMicrotask(() => fn(...args));
    },
    on,
    addListener: on,
    once: on,
    prependListener: on,
    off,
    removeListener: off,
    removeAllListeners(name?: string | symbol): unknown {
      if (name === undefined) listeners.clear();
      else listeners.delete(name);
      return process;
    },
    listeners: (name: string | symbol): Listener[] => [...(listeners.get(name) ?? [])],
    listenerCount: (name: string | symbol): number => listeners.get(name)?.length ?? 0,
    emit: (): boolean => false,
  };
  Object.defineProperty(g, 'process', { value: process, writable: true, enumerable: false, configurable: true });
  // Held by the program's data, Node's are saved by these names (plugins/node/host.ts): these are the same here.
  host.named = { ...host.named, process, 'process.stdout': process.stdout as object, 'process.stderr': process.stderr as object };
  // What a restore hands over: the exit code the program had set, and the variables and directory it changed (Host).
  // Read on from the checkpoint's readings of Node's hrtime and uptime (clocks.ts), as on Node.
  host.clocks ??= processClocks;
  host.setExitCode ??= (code) => {
    process.exitCode = code;
  };
  host.applyProcessChanges ??= (changes: ProcessChanges) => {
    for (const [name, value] of changes.env ?? []) {
      if (value === null) delete env[name];
      else env[name] = value;
    }
    if (changes.cwd !== undefined) cwd = changes.cwd;
  };
}
