// The program's monotonic clocks across a restart. `performance.now()` here,
// and the host's own (Node's `process.uptime()` and `process.hrtime()`,
// Host.clocks) count from the process's start; a restart is a new process,
// so an interval measured across it would come out wrong, often negative.
// Takes each clock's reading at the checkpoint; guarantees that after the
// restore each reads on from that value (the time the program was stopped
// does not pass for it, as for its timers), including after further
// restarts. The wall clock (`Date.now()`) is left alone: it is the world's.

/** A clock the program reads, that a restore can move on to a saved reading. */
export interface ProgramClock {
  readonly name: string;
  read(): number | string;
  /** From now on, read `saved` plus the time since this call. */
  continueFrom(saved: number | string): void;
}

export type ClockReadings = Record<string, number | string>;

/** `performance.now()`, where the platform has it (every one but the QuickJS shell). */
export function performanceClock(): ProgramClock | undefined {
  const perf = (globalThis as { performance?: { now?: () => number } }).performance;
  const native = perf?.now;
  if (perf === undefined || typeof native !== 'function') return undefined;
  return {
    name: 'performance.now',
    // what the program reads now: after a restore, the function put here below
    read: () => Reflect.apply(perf.now!, perf, []) as number,
    continueFrom(saved) {
      if (typeof saved !== 'number') return;
      const offset = saved - (Reflect.apply(native, perf, []) as number);
      Object.defineProperty(perf, 'now', {
        value: function now(): number {
          return (Reflect.apply(native, perf, []) as number) + offset;
        },
        writable: true,
        configurable: true,
      });
    },
  };
}

export function readClocks(clocks: readonly ProgramClock[]): ClockReadings {
  const out: ClockReadings = {};
  for (const c of clocks) out[c.name] = c.read();
  return out;
}

export function continueClocks(clocks: readonly ProgramClock[], saved: ClockReadings | undefined): void {
  if (saved === undefined) return;
  for (const c of clocks) if (Object.prototype.hasOwnProperty.call(saved, c.name)) c.continueFrom(saved[c.name]!);
}
