// The Host for the JavaScriptCore shell (`jsc`): print/printErr for output,
// readFile(path, 'binary') for files. Takes the checkpoint and platform hint
// embedded by the restart bundle; boots the runtime. Absorbs: no
// queueMicrotask (portable/boot.ts), an exception in a promise job is
// silently dropped (caught there instead), and quit() always exits 0, so the
// exit code travels to the CLI as a marker line on stderr (EXIT_MARKER).

import type { Host } from '../../host.js';
import { bootRestart, exitLine, platformFrom, type PlatformHint } from '../portable/boot.js';
import { printLikeNode } from '../portable/node-format.js';
import { offerSecureRandom } from '../portable/secure-random.js';

interface JscGlobals {
  printErr?: (s: string) => void;
  print?: (s: string) => void;
  readFile?: (path: string, mode: 'binary') => Uint8Array;
  writeFile?: (path: string, data: ArrayBuffer | string) => number;
  quit?: (code?: number) => never;
}

export function createJscHost(hint: PlatformHint): { host: Host; stderr: (line: string) => void } {
  const g = globalThis as unknown as JscGlobals;
  const stderr = (line: string): void => (g.printErr ?? g.print ?? (() => {}))(line);
  const host: Host = {
    platform: () => platformFrom(hint),
    readFile(path) {
      if (!g.readFile) throw new Error('introspect: this jsc shell has no readFile');
      return g.readFile(path, 'binary');
    },
    writeFileAtomic() {
      throw new Error('introspect: checkpoints cannot be written from the jsc shell (no atomic file API)');
    },
    log: (message) => stderr(`introspect: ${message}`),
    // The shell's timers cannot be unref'd: one the program unref'd (a
    // heartbeat interval) kept the restarted program from ever ending.
    timers: typeof setTimeout === 'function' ? { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as number), noUnref: true } : undefined,
    exit(code): never {
      stderr(exitLine(code));
      if (g.quit) g.quit(code);
      throw new Error(`introspect: exit ${code}`);
    },
  };
  return { host, stderr };
}

export function bootBundle(checkpointBase64: string, hint: PlatformHint): void {
  const output = printLikeNode(typeof console === 'undefined' ? undefined : (console as unknown as Record<string, unknown>));
  const { host, stderr } = createJscHost(hint);
  // The shell reads whole files only (not /dev/urandom) and has no crypto.getRandomValues: node:crypto's random functions fail, naming it.
  offerSecureRandom('the jsc shell');
  bootRestart(host, checkpointBase64, stderr, { output, hint });
}
