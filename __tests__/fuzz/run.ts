// `npm run fuzz -- [--count N] [--seed S] [--samples K] [--keep DIR]`:
// generates N programs from seeds S, S+1, … (program-gen.ts) and puts each
// through the checkpoint-anywhere oracle (harness/oracle.ts: K sampled
// points, both modes). Failing programs are copied to DIR (default
// $TMPDIR/introspect-fuzz-failures) with the oracle's report, to become a
// minimal fixture once reduced. Exit 1 when any program failed.

import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkFixture, configFor, formatReport } from '../harness/oracle.js';
import { killAll } from '../harness/process.js';
import { generatedFixture } from './generated-fixture.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    samples: { type: 'string', default: '6' },
    keep: { type: 'string', default: join(tmpdir(), 'introspect-fuzz-failures') },
  },
});
const count = Number(values.count);
const first = Number(values.seed);
const work = mkdtempSync(join(tmpdir(), 'introspect-fuzz-'));
let failed = 0;
let rejected = 0;
try {
  for (let seed = first; seed < first + count; seed++) {
    const generated = await generatedFixture(seed, work);
    if ('rejected' in generated) {
      rejected++;
      console.log(`seed ${seed}: rejected (${generated.rejected.split('\n')[0]})`);
      continue;
    }
    const { fixture } = generated;
    const config = configFor(fixture, { ...process.env, INTROSPECT_SAMPLES: values.samples });
    const report = await checkFixture(fixture, config);
    if (report.failures.length === 0) {
      console.log(`seed ${seed}: ok (${report.points} points, ks ${report.ks.join(',')}, ${report.ms} ms)`);
      continue;
    }
    failed++;
    const kept = join(values.keep, fixture.name);
    mkdirSync(values.keep, { recursive: true });
    cpSync(fixture.dir, kept, { recursive: true });
    const text = formatReport(report, config);
    writeFileSync(join(kept, 'report.txt'), text);
    console.log(`seed ${seed}: FAILED, kept in ${kept}\n${text}`);
  }
} finally {
  killAll();
  rmSync(work, { recursive: true, force: true });
}
console.log(`fuzz: ${count} programs from seed ${first}: ${count - failed - rejected} passed, ${failed} failed, ${rejected} rejected by their own plain run`);
process.exit(failed > 0 ? 1 : 0);
