// The Host for gjs (SpiderMonkey): the platform runner hands the script
// `console`, `host` ({readFile, writeFile, exit}) and timers as parameters of
// the function it runs, so they are reached as free identifiers, not as
// properties of globalThis. Takes the checkpoint and platform hint embedded
// by the restart bundle; boots the runtime. Absorbs: an exception in a
// promise job is only logged by gjs (exit 0); the microtask that starts the
// runtime is wrapped so it exits 1 like Node.
// Also absorbed: the runner's console is only a parameter and gjs's own
// globalThis.console (frozen) writes to stderr with a "Gjs-Console-Message"
// prefix, so a `console.log` saved in a checkpoint (a call target held across
// a point) is re-linked to the runner's console (Host.builtins), the one the
// program's own code calls. No crypto.getRandomValues: node:crypto's random
// bytes are read from /dev/urandom through Gio (portable/secure-random.ts).

import type { Host } from '../../host.js';
import { bootRestart, exitLine, exitOnThrow, platformFrom, type PlatformHint } from '../portable/boot.js';
import { printLikeNode } from '../portable/node-format.js';
import { offerSecureRandom } from '../portable/secure-random.js';

interface GjsRunnerHost {
  readFile(path: string): string;
  writeFile(path: string, text: string): void;
  exit(code: number): never;
  engine?: string;
}
declare const host: GjsRunnerHost | undefined;
declare const imports: { gi: { Gio: GioModule } } | undefined;
declare const printerr: ((s: string) => void) | undefined;
declare const setTimeout: ((fn: () => void, ms: number) => unknown) | undefined;
declare const clearTimeout: ((handle: unknown) => void) | undefined;

interface GioInputStream {
  read_bytes(count: number, cancellable: null): { get_data(): Uint8Array | null };
}
interface GioModule {
  File: { new_for_path(path: string): { read(cancellable: null): GioInputStream } };
}

/** The system's secure random bytes (node:crypto's randomBytes), read from /dev/urandom through Gio, opened on first use. */
function systemRandom(): ((bytes: Uint8Array) => void) | undefined {
  if (typeof imports === 'undefined') return undefined;
  let source: GioInputStream | undefined;
  return (bytes) => {
    source ??= imports!.gi.Gio.File.new_for_path('/dev/urandom').read(null);
    for (let at = 0; at < bytes.length; ) {
      const got = source.read_bytes(bytes.length - at, null).get_data();
      if (got === null || got.length === 0) throw new Error('introspect: /dev/urandom gave no bytes');
      bytes.set(got, at);
      at += got.length;
    }
  };
}

function runnerHost(): GjsRunnerHost | undefined {
  return typeof host !== 'undefined' ? host : undefined;
}

export function createGjsHost(hint: PlatformHint): { host: Host; stderr: (line: string) => void } {
  const runner = runnerHost();
  const stderr = (line: string): void => {
    if (typeof printerr === 'function') printerr(line);
    else console.error(line);
  };
  let exited = false;
  const result: Host = {
    platform: () => platformFrom({ ...hint, runtime: runner?.engine ?? hint.runtime }),
    readFile() {
      throw new Error('introspect: this gjs runner reads text files only');
    },
    writeFileAtomic() {
      throw new Error('introspect: checkpoints cannot be written from the gjs runner (no binary file API)');
    },
    log: (message) => stderr(`introspect: ${message}`),
    // The runner's timers are parameters of the function it runs, not globals.
    // The runner quits its main loop when a timer callback returns with no
    // timer pending, before the promise jobs that callback queued have run;
    // those often arm the next timer. An empty timer armed first keeps the
    // loop until they have.
    timers: typeof setTimeout === 'function'
      ? {
          set: (fn, ms) => setTimeout(() => {
            if (exited) return;
            setTimeout(() => {}, 0);
            exitOnThrow(fn, () => result, stderr)();
          }, ms),
          clear: (h) => clearTimeout?.(h),
          noUnref: true,
        }
      : undefined,
    builtins: {
      console,
      ...Object.fromEntries(['log', 'info', 'warn', 'error', 'debug', 'trace'].map((m) => [`console.${m}`, (console as unknown as Record<string, unknown>)[m]])),
    },
    exit(code): never {
      // gjs's System.exit inside a promise job ends the process only once the main loop runs again: no timer of the program fires before.
      exited = true;
      if (runner) runner.exit(code);
      stderr(exitLine(code));
      throw new Error(`introspect: exit ${code}`);
    },
  };
  return { host: result, stderr };
}

export function bootBundle(checkpointBase64: string, hint: PlatformHint): void {
  // Before the host lists the console's methods as built-ins (a saved `console.log` re-links to what the program prints with).
  const output = printLikeNode(console as unknown as Record<string, unknown>);
  const { host: h, stderr } = createGjsHost(hint);
  // The runner enters its main loop only if a timer is pending when the
  // script ends; the restart arms the program's timers in a microtask, after
  // that. One empty timer keeps the loop until then.
  setTimeout?.(() => {}, 0);
  offerSecureRandom('gjs', systemRandom());
  bootRestart(h, checkpointBase64, stderr, { wrapMicrotasks: true, output, hint });
}
