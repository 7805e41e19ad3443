// Generated programs (fuzz/program-gen.ts) through the checkpoint-anywhere
// oracle: a few fixed seeds in the default run; `npm run fuzz` sweeps more.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts = require('typescript');
import { generatedFixture } from './fuzz/generated-fixture.js';
import { generateProgram } from './fuzz/program-gen.js';
import { checkFixture, configFor, formatReport } from './harness/oracle.js';
import { killAll } from './harness/process.js';

const SEEDS = [1, 2];
const work = mkdtempSync(join(tmpdir(), 'introspect-fuzz-test-'));

afterAll(() => {
  killAll();
  rmSync(work, { recursive: true, force: true });
});

describe('generated programs', () => {
  test('a seed always gives the same program, and different seeds different ones', () => {
    expect(generateProgram(7)).toBe(generateProgram(7));
    expect(generateProgram(7)).not.toBe(generateProgram(8));
  });

  test('generated programs parse without syntax errors', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { diagnostics = [] } = ts.transpileModule(generateProgram(seed), { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
      expect({ seed, errors: diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')) }).toEqual({ seed, errors: [] });
    }
  });

  test.each(SEEDS)(
    'seed %i passes the oracle',
    async (seed) => {
      const generated = await generatedFixture(seed, work);
      if ('rejected' in generated) throw new Error(`seed ${seed}: the generator made a program that fails natively: ${generated.rejected}`);
      const config = configFor(generated.fixture, { ...process.env, INTROSPECT_SAMPLES: process.env.INTROSPECT_SAMPLES ?? '3' });
      const report = await checkFixture(generated.fixture, config);
      if (report.failures.length > 0) throw new Error(formatReport(report, config));
      expect(report.points).toBeGreaterThan(100);
      expect(report.checks).toBe(report.ks.length * config.modes.length);
    },
    10 * 60_000,
  );
});
