// The program's monotonic clocks read on from the checkpoint's readings after
// a restore (runtime/clocks.ts, runtime/plugins/node/process-clocks.ts); the
// fixture `clocks` checks it end to end, these the cases one machine cannot
// show there: a restart on a machine whose clocks read less (hrtime), and
// the difference form of hrtime.
import { performanceClock, readClocks } from '../runtime/clocks.js';
import { processClocks } from '../runtime/plugins/portable/process-clocks.js';

const { uptime, hrtime } = process;
afterEach(() => {
  process.uptime = uptime;
  process.hrtime = hrtime;
  delete (performance as unknown as Record<string, unknown>).now;
});

test('performance.now() reads on from a larger saved reading', () => {
  const clock = performanceClock()!;
  clock.continueFrom(5_000_000);
  const a = performance.now();
  const b = performance.now();
  expect(a).toBeGreaterThanOrEqual(5_000_000);
  expect(a).toBeLessThan(5_000_000 + 60_000);
  expect(b).toBeGreaterThanOrEqual(a);
  expect(readClocks([clock])['performance.now']).toBeGreaterThanOrEqual(b);
});

test('process.uptime() and hrtime read on from readings of another machine, hrtime(previous) stays a difference', () => {
  const [up, hr] = processClocks();
  const saved = hrtime.bigint() + 3_600_000_000_000n;
  up!.continueFrom(7200);
  hr!.continueFrom(saved.toString());
  expect(process.uptime()).toBeGreaterThanOrEqual(7200);
  const big = process.hrtime.bigint();
  expect(big).toBeGreaterThanOrEqual(saved);
  const start = process.hrtime();
  expect(BigInt(start[0]) * 1_000_000_000n + BigInt(start[1])).toBeGreaterThanOrEqual(saved);
  const [s, ns] = process.hrtime(start);
  expect(s).toBe(0);
  expect(ns).toBeGreaterThanOrEqual(0);
  expect(readClocks([up!, hr!])).toEqual({ 'process.uptime': expect.any(Number), 'process.hrtime': expect.stringMatching(/^\d+$/) });
});

test('hrtime is left alone where it already reads more than was saved (the same machine)', () => {
  const [, hr] = processClocks();
  hr!.continueFrom('1000');
  expect(process.hrtime).toBe(hrtime);
});
