// Runs a wrapper and relays it: stdout passes through untouched (it is the
// program's), stderr line by line except the exit-code marker a host writes
// where the engine cannot set an exit code (runtime/plugins/portable/boot.ts,
// EXIT_MARKER). Takes the command line; resolves to the exit code the CLI
// must exit with: the marker's, else the wrapper's (128+n when it was killed
// by signal n, as a shell reports it).

import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { EXIT_MARKER } from '../../runtime/plugins/portable/boot.js';

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface RelayOptions {
  /** Time limit; the wrapper's process group is killed when it passes. */
  timeoutMs?: number;
  /**
   * Also look for the marker on stdout, line by line (browser runners that
   * relay every console message to stdout put it there).
   */
  markerOnStdout?: boolean;
  /** Variables the wrapper gets besides the CLI's own environment. */
  env?: Record<string, string>;
}

/** Splits a text stream into lines; hands each whole line (without "\n") to onLine. */
function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void, onRest: (rest: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      onLine(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
  });
  stream.on('end', () => {
    if (pending !== '') onRest(pending);
  });
}

export function relay(argv: readonly string[], options: RelayOptions = {}): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      stdio: ['inherit', options.markerOnStdout ? 'pipe' : 'inherit', 'pipe'],
      detached: true,
      env: options.env === undefined ? process.env : { ...process.env, ...options.env },
    });
    let marker: number | undefined;
    const isMarker = (line: string): boolean => {
      if (!line.startsWith(EXIT_MARKER)) return false;
      const code = Number(line.slice(EXIT_MARKER.length).replace(/\]\s*$/, ''));
      if (!Number.isInteger(code)) return false;
      marker = code;
      return true;
    };
    const pass = (to: NodeJS.WritableStream) => (line: string) => {
      if (!isMarker(line)) to.write(`${line}\n`);
    };
    const passRest = (to: NodeJS.WritableStream) => (rest: string) => {
      if (!isMarker(rest)) to.write(rest);
    };
    lines(child.stderr!, pass(process.stderr), passRest(process.stderr));
    if (child.stdout) lines(child.stdout, pass(process.stdout), passRest(process.stdout));
    const kill = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = options.timeoutMs ? setTimeout(kill, options.timeoutMs) : undefined;
    process.once('exit', kill);
    // The wrapper has a process group of its own (so that a time limit ends
    // what it started, a browser too): a signal that would end the CLI (a
    // terminal's Ctrl-C, a supervisor's SIGTERM) goes to that group, and the
    // CLI ends as the wrapper does. Without this the wrapper ran on, holding
    // the CLI's output.
    const forward = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    for (const signal of FORWARDED) process.on(signal, forward);
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      process.removeListener('exit', kill);
      for (const signal of FORWARDED) process.removeListener(signal, forward);
      if (marker !== undefined) return resolvePromise(marker);
      if (code !== null) return resolvePromise(code);
      const n = signal ? (constants.signals as Record<string, number>)[signal] ?? 1 : 1;
      resolvePromise(128 + n);
    });
  });
}
