// `run --count-points`: when the process exits, prints exactly
// "introspect: N suspension points" as the LAST line on stderr, N read from
// the runtime the program loaded (globalThis[Symbol.for('introspect.runtime')]).
// N is the count when the process began to exit (a point inside an `exit`
// handler can hold no checkpoint). Guarantees the line stays last: the exit
// listener moves itself behind any exit listener the program adds later, and
// an uncaught error (which Node would report after the exit listeners ran)
// is reported here first, as Node would, before exiting with code 1.
//
// `run --checkpoint-at K`: a program that ends before its K-th point wrote
// no checkpoint; one line on stderr says so (with the count it reached), so
// that a missing file is not a mystery (a count that varies from run to run
// is a program whose work depends on timing or I/O order).

import { describeUncaught, ownListeners, programHandlesUncaught, writeStderr } from './uncaught.js';

const RUNTIME_KEY = Symbol.for('introspect.runtime');

interface RuntimeHandle {
  pointsReached(): number;
}

/** The count when the process began to exit: points in `exit` handlers can hold no checkpoint, so they are not counted. */
let countAtExit: number | undefined;

function runtimeHandle(): Partial<RuntimeHandle> | undefined {
  return (globalThis as Record<symbol, unknown>)[RUNTIME_KEY] as Partial<RuntimeHandle> | undefined;
}

export function pointsLine(): string {
  const runtime = runtimeHandle();
  if (typeof runtime?.pointsReached !== 'function') {
    return 'introspect: cannot count suspension points: no introspect runtime was loaded (the program did not start, or was not built by `introspect build`)';
  }
  return `introspect: ${countAtExit ?? runtime.pointsReached()} suspension points`;
}

export function reportPointsOnExit(): void {
  const report = () => writeStderr(`${pointsLine()}\n`);
  process.prependListener('exit', () => {
    countAtExit = runtimeHandle()?.pointsReached?.();
  });
  process.on('exit', report);
  process.on('newListener', (event: string | symbol, listener: unknown) => {
    if (event !== 'exit' || listener === report) return;
    // 'newListener' fires before the listener is added: move ours behind it afterwards.
    queueMicrotask(() => {
      process.removeListener('exit', report);
      process.on('exit', report);
    });
  });
  const reportFatal = (error: unknown, origin: string) => {
    if (programHandlesUncaught()) return; // the program handles its own
    writeStderr(describeUncaught(error, origin));
    process.exit(1);
  };
  ownListeners.add(reportFatal);
  process.on('uncaughtException', reportFatal);
}

/** `run --checkpoint-at K`: when the program ends before its K-th suspension point, says so on stderr. Call before reportPointsOnExit (its line stays last). */
export function reportUnreachedPointOnExit(k: number): void {
  process.on('exit', () => {
    const reached = runtimeHandle()?.pointsReached?.();
    if (typeof reached !== 'number' || reached >= k) return;
    writeStderr(`introspect: --checkpoint-at ${k} was not reached: the program ended after ${reached} suspension points, and no checkpoint was written\n`);
  });
}
