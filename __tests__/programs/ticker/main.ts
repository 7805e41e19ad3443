// A program for the restart-then-checkpoint-again tests (__tests__/requests.test.ts).
// Takes: argv[2] a stop file; argv[3] "tla" (the loop at top level, with
// top-level await) or "main" (the loop in an async function the module
// calls; at its third tick it asks for a checkpoint itself, and prints
// "restored" on every restart after). Each tick waits
// on a timer and counts in module state, until the stop file exists; then it
// prints whether the count is the number of ticks, so a restart that ran a
// body twice, or lost the count, shows in the output.

import { existsSync } from 'node:fs';

const stopFile = process.argv[2] ?? '';
const mode = process.argv[3] ?? 'tla';
let n = 0;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// The runtime's API, reached through its global key (the runtime object itself must not sit in a saved frame).
type Api = { request(): void; onRestore(hook: () => void): void };
function requestCheckpoint(): void {
  (globalThis as Record<symbol, Api | undefined>)[Symbol.for('introspect.runtime')]?.request();
}
function whenRestored(hook: () => void): void {
  (globalThis as Record<symbol, Api | undefined>)[Symbol.for('introspect.runtime')]?.onRestore(hook);
}

async function loop(): Promise<void> {
  console.log('ready main');
  for (let i = 0; ; i++) {
    await sleep(20);
    n++;
    if (i === 2) {
      whenRestored(() => console.log('restored'));
      requestCheckpoint();
    }
    if (existsSync(stopFile)) {
      console.log(`done, counted ${n === i + 1}`);
      return;
    }
  }
}

if (mode === 'tla') {
  console.log('ready tla');
  for (let i = 0; ; i++) {
    await sleep(20);
    n++;
    if (existsSync(stopFile)) {
      console.log(`done, counted ${n === i + 1}`);
      break;
    }
  }
} else {
  void loop();
}
