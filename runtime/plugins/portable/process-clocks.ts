// Node's own monotonic clocks of the program (runtime/clocks.ts):
// `process.uptime()` and `process.hrtime()` with `process.hrtime.bigint()`,
// of Node's `process` or of the one process.ts makes where there is none.
// A restore puts functions in their place that read on from the saved
// readings; `hrtime(previous)` keeps its difference form. hrtime counts from
// the machine's boot, so on the same machine it goes on by itself and is
// left alone (Node 18's own performance.now() reads it): it is replaced
// only where it would read less than was saved (another machine).

import type { ProgramClock } from '../../clocks.js';

type HRTime = ((previous?: [number, number]) => [number, number]) & { bigint(): bigint };
interface ProcessClocks {
  uptime(): number;
  hrtime: HRTime;
}
declare const process: ProcessClocks;

const NS_PER_S = 1_000_000_000n;

export function processClocks(): ProgramClock[] {
  return [uptimeClock(), hrtimeClock()];
}

function uptimeClock(): ProgramClock {
  const native = process.uptime;
  return {
    name: 'process.uptime',
    read: () => process.uptime(),
    continueFrom(saved) {
      if (typeof saved !== 'number') return;
      const offset = saved - native();
      process.uptime = function uptime(): number {
        return native() + offset;
      };
    },
  };
}

function hrtimeClock(): ProgramClock {
  const nativeBigint = process.hrtime.bigint;
  return {
    name: 'process.hrtime',
    // nanoseconds, as text: a bigint reading is saved exactly
    read: () => process.hrtime.bigint().toString(),
    continueFrom(saved) {
      if (typeof saved !== 'string' || !/^\d+$/.test(saved)) return;
      const offset = BigInt(saved) - nativeBigint();
      if (offset <= 0n) return;
      const bigint = (): bigint => nativeBigint() + offset;
      const hrtime = function hrtime(previous?: [number, number]): [number, number] {
        let t = bigint();
        if (previous !== undefined) t -= BigInt(previous[0]) * NS_PER_S + BigInt(previous[1]);
        return [Number(t / NS_PER_S), Number(t % NS_PER_S)];
      } as HRTime;
      hrtime.bigint = bigint;
      process.hrtime = hrtime;
    },
  };
}
