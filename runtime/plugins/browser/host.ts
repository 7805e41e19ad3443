// The Host for a headless browser page (Chromium, Firefox): no file system,
// output through console (console.log → stdout, console.error → stderr, as
// the platform runners relay them), no exit. Takes the checkpoint and
// platform hint embedded by the restart bundle; boots the runtime. Absorbs:
// a page cannot exit, so host.exit hands its code to the CLI as a marker line
// on stderr (EXIT_MARKER) and stops the current job by throwing; and a page
// lives on after its script, while the runners end the page when the
// script's completion value settles, so the bundle's completion value is a
// promise (globalThis[DONE_KEY]) settled once no timer of the program is
// pending any more (checked one macrotask after each, so that the jobs it
// queued have run and armed theirs) or the program exits.

import type { Host } from '../../host.js';
import { bootRestart, exitLine, platformFrom, type PlatformHint } from '../portable/boot.js';
import { printLikeNode } from '../portable/node-format.js';

/** Where the bundle's footer finds the promise of the program's end. */
export const DONE_KEY = '__introspect_done__';

export function createBrowserHost(hint: PlatformHint): { host: Host; stderr: (line: string) => void } {
  const stderr = (line: string): void => console.error(line);
  let finish: () => void = () => {};
  (globalThis as Record<string, unknown>)[DONE_KEY] = new Promise<void>((resolve) => (finish = resolve));
  const live = new Set<unknown>();
  const check = (): void => {
    setTimeout(() => {
      if (live.size === 0) finish();
    }, 0);
  };
  check();
  const ua = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent;
  const result: Host = {
    platform: () => platformFrom({ ...hint, runtime: ua ? `browser (${ua})` : hint.runtime }),
    readFile() {
      throw new Error('introspect: a browser page has no file system');
    },
    writeFileAtomic() {
      throw new Error('introspect: checkpoints cannot be written from a browser page (no file system)');
    },
    log: (message) => stderr(`introspect: ${message}`),
    timers: {
      set(fn, ms) {
        const h: unknown = setTimeout(() => {
          live.delete(h);
          try {
            fn();
          } finally {
            check();
          }
        }, ms);
        live.add(h);
        return h;
      },
      clear(h) {
        clearTimeout(h as ReturnType<typeof setTimeout>);
        if (live.delete(h)) check();
      },
      now: () => performance.now(),
      // a page's timers cannot be unref'd: one the program unref'd would keep the page (and the restart) alive
      noUnref: true,
    },
    exit(code): never {
      finish();
      stderr(exitLine(code));
      throw new Error(`introspect: exit ${code}`);
    },
  };
  return { host: result, stderr };
}

export function bootBundle(checkpointBase64: string, hint: PlatformHint): void {
  const output = printLikeNode(console as unknown as Record<string, unknown>);
  const { host, stderr } = createBrowserHost(hint);
  bootRestart(host, checkpointBase64, stderr, { wrapMicrotasks: true, output, hint });
}
