// Runs a wrapper and relays it: stdout passes through untouched (it is the
// program's), stderr line by line except the exit-code marker a host writes
// where the engine cannot set an exit code (runtime/plugins/portable/boot.ts,
// EXIT_MARKER). Takes the command line; resolves to the exit code the CLI
// must exit with: the marker's, else the wrapper's (128+n when it was killed
// by signal n, as a shell reports it).

import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { EXIT_MARKER } from '../../runtime/plugins/portable/boot.js';

export interface RelayOptions {
  /** Time limit; the wrapper's process group is killed when it passes. */
  timeoutMs?: number;
}

export function relay(argv: readonly string[], options: RelayOptions = {}): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['inherit', 'inherit', 'pipe'], detached: true });
    let marker: number | undefined;
    let pending = '';
    const flushLine = (line: string) => {
      if (line.startsWith(EXIT_MARKER)) {
        const code = Number(line.slice(EXIT_MARKER.length).replace(/\]\s*$/, ''));
        if (Number.isInteger(code)) {
          marker = code;
          return;
        }
      }
      process.stderr.write(`${line}\n`);
    };
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        flushLine(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    });
    const kill = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = options.timeoutMs ? setTimeout(kill, options.timeoutMs) : undefined;
    process.once('exit', kill);
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      process.removeListener('exit', kill);
      if (pending !== '') {
        if (pending.startsWith(EXIT_MARKER)) flushLine(pending);
        else process.stderr.write(pending);
      }
      if (marker !== undefined) return resolvePromise(marker);
      if (code !== null) return resolvePromise(code);
      const n = signal ? (constants.signals as Record<string, number>)[signal] ?? 1 : 1;
      resolvePromise(128 + n);
    });
  });
}
