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
      readOnFromNow(perf as UserTiming);
    },
  };
}

type UserTiming = {
  now(): number;
  mark?: (name: string, options?: { startTime?: number }) => unknown;
  measure?: (name: string, start?: unknown, end?: unknown) => unknown;
};

/**
 * `performance.mark` and `performance.measure` take "now" from the engine's
 * clock, not from the `now` above: where the program leaves a time out, it
 * is given `performance.now()`, so that a mark made after the restore comes
 * after those made before it (timeline.ts restores them).
 */
function readOnFromNow(perf: UserTiming): void {
  const { mark, measure } = perf;
  if (typeof mark === 'function') {
    const wrapped = {
      mark(name: string, options?: { startTime?: number }): unknown {
        const timed = options?.startTime === undefined ? { ...options, startTime: perf.now() } : options;
        return Reflect.apply(mark, perf, [name, timed]);
      },
    }.mark;
    Object.defineProperty(perf, 'mark', {
      value: wrapped,
      writable: true,
      configurable: true,
    });
  }
  if (typeof measure === 'function') {
    const wrapped = {
      measure(name: string, start?: unknown, end?: unknown): unknown {
        if (start !== null && typeof start === 'object') {
          const o = start as { end?: unknown; duration?: unknown };
          return Reflect.apply(measure, perf, [name, o.end === undefined && o.duration === undefined ? { ...o, end: perf.now() } : o]);
        }
        if (end !== undefined) return Reflect.apply(measure, perf, [name, start, end]);
        return Reflect.apply(measure, perf, [name, start === undefined ? { end: perf.now() } : { start, end: perf.now() }]);
      },
    }.measure;
    Object.defineProperty(perf, 'measure', {
      value: wrapped,
      writable: true,
      configurable: true,
    });
  }
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
