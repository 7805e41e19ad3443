// Watching signals from a worker thread. Takes signal names and a callback;
// guarantees the callback runs on THIS thread's event loop when one of them
// arrives, even while the program's main thread is stuck in a long
// synchronous loop, or reports (returns false) that it cannot.
//
// Why this is needed: Node runs `process.on('SIGTERM')` handlers on the main
// thread's event loop, which does not turn while synchronous code runs, and
// worker threads get no signal events at all. libuv itself delivers a signal
// to every loop that watches it (its handler writes to each watching loop's
// pipe), so a signal watcher started on the worker's loop hears the signal at
// once. Node exposes that watcher as `process.binding('signal_wrap').Signal`,
// an old interface it still keeps on its public allow-list (its own tests
// assert so). It is used only when present and behaving as expected; else
// requests.ts falls back to `process.on` on the main thread, which works
// whenever the program waits in the event loop.

import { constants } from 'node:os';

interface SignalHandle {
  onsignal: ((signum: number) => void) | undefined;
  start(signum: number): number;
  close(): void;
}

type SignalBinding = { Signal: new () => SignalHandle };

/** Started watchers, referenced for as long as the thread lives. */
const watching: SignalHandle[] = [];

function loadBinding(): SignalBinding | undefined {
  const proc = process as unknown as { binding?: (name: string) => unknown; noDeprecation?: boolean };
  if (typeof proc.binding !== 'function') return undefined;
  // The access is documented as deprecated (DEP0111); this worker prints nothing of its own.
  const quiet = proc.noDeprecation;
  proc.noDeprecation = true;
  try {
    const binding = proc.binding('signal_wrap') as Partial<SignalBinding> | undefined;
    return typeof binding?.Signal === 'function' ? (binding as SignalBinding) : undefined;
  } catch {
    return undefined;
  } finally {
    proc.noDeprecation = quiet;
  }
}

/** Watches `names` on this thread; returns false (watching none) if this platform cannot. */
export function watchSignals(names: readonly string[], onSignal: (name: string) => void): boolean {
  const binding = loadBinding();
  if (binding === undefined) return false;
  const handles: SignalHandle[] = [];
  for (const name of names) {
    const signum = (constants.signals as Record<string, number | undefined>)[name];
    let ok = false;
    if (signum !== undefined) {
      try {
        const handle = new binding.Signal();
        handle.onsignal = () => onSignal(name);
        ok = handle.start(signum) === 0;
        handles.push(handle);
      } catch {
        ok = false;
      }
    }
    if (!ok) {
      for (const handle of handles) handle.close();
      return false;
    }
  }
  watching.push(...handles);
  return true;
}
