// Every fixture program through the checkpoint-anywhere oracle (SPEC §3),
// driving bin/introspect.mjs as an outside tool would. The default run takes
// a small seeded sample of ks per fixture; INTROSPECT_FULL=1 sweeps every k
// (fixtures with at most 200 points) or 60 samples. See harness/oracle.ts for
// the other INTROSPECT_* knobs; INTROSPECT_FIXTURES=a,b limits the fixtures.
import { fixtureNames, loadFixture } from './harness/fixtures.js';
import { checkFixture, configFor, formatReport } from './harness/oracle.js';
import { killAll } from './harness/process.js';

const only = (process.env.INTROSPECT_FIXTURES ?? '').split(',').filter(Boolean);
const names = fixtureNames().filter((n) => only.length === 0 || only.includes(n));
const full = process.env.INTROSPECT_FULL === '1' || process.env.INTROSPECT_FULL === 'true';
const TIMEOUT_MS = (full ? 90 : 15) * 60_000;

afterAll(killAll);

describe('checkpoint-anywhere oracle', () => {
  if (only.length > 0 && names.length < only.length) {
    test('INTROSPECT_FIXTURES names existing fixtures', () => {
      expect(only.filter((n) => !names.includes(n))).toEqual([]);
    });
  }

  test.each(names)(
    '%s',
    async (name) => {
      const fixture = loadFixture(name);
      const config = configFor(fixture);
      const report = await checkFixture(fixture, config);
      if (report.failures.length > 0) throw new Error(formatReport(report, config));
      expect(report.points).toBeGreaterThan(0);
      expect(report.checks).toBe(report.ks.length * config.modes.length);
    },
    TIMEOUT_MS,
  );
});
