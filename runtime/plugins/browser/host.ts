// The Host for a headless browser page (Chromium, Firefox): no file system,
// output through console (console.log → stdout, console.error → stderr, as
// the platform runners relay them), no exit. Takes the checkpoint and
// platform hint embedded by the restart bundle; boots the runtime. Absorbs:
// a page cannot exit, so host.exit hands its code to the CLI as a marker line
// on stderr (EXIT_MARKER) and stops the current job by throwing.

import type { Host } from '../../host.js';
import { bootRestart, exitLine, platformFrom, type PlatformHint } from '../portable/boot.js';

export function createBrowserHost(hint: PlatformHint): { host: Host; stderr: (line: string) => void } {
  const stderr = (line: string): void => console.error(line);
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
    exit(code): never {
      stderr(exitLine(code));
      throw new Error(`introspect: exit ${code}`);
    },
  };
  return { host: result, stderr };
}

export function bootBundle(checkpointBase64: string, hint: PlatformHint): void {
  const { host, stderr } = createBrowserHost(hint);
  bootRestart(host, checkpointBase64, stderr, { wrapMicrotasks: true });
}
