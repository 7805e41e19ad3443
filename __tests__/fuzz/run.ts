// `npm run fuzz -- [--count N] [--seed S] [--samples K] [--keep DIR]
// [--platforms qjs-wasm,jsc,…]`: generates N programs from seeds S, S+1, …
// (program-gen.ts) and puts each through the checkpoint-anywhere oracle
// (harness/oracle.ts: K sampled points, both modes), then restarts its
// checkpoints at the same points on each platform named (SPEC §3 step 4;
// the platforms directory is $INTROSPECT_PLATFORMS, except for the built-in
// qjs-wasm). Failing programs are copied to DIR (default
// $TMPDIR/introspect-fuzz-failures) with the oracle's report, to become a
// minimal fixture once reduced. Exit 1 when any program failed.

import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { platformSpec } from '../../cli/platform/registry.js';
import { checkFixture, configFor, formatReport } from '../harness/oracle.js';
import { buildFixture, checkTo, cleanUp } from '../harness/platform-oracle.js';
import { killAll } from '../harness/process.js';
import { generatedFixture } from './generated-fixture.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    samples: { type: 'string', default: '6' },
    keep: { type: 'string', default: join(tmpdir(), 'introspect-fuzz-failures') },
    platforms: { type: 'string', default: '' },
  },
});
const platforms = values.platforms.split(',').filter(Boolean).map((name) => {
  const spec = platformSpec(name);
  if (spec === undefined) throw new Error(`--platforms: no platform ${name} (cli/platform/registry.ts lists them)`);
  return spec;
});
const platformOptions = { platformsDir: process.env.INTROSPECT_PLATFORMS || undefined, timeoutMs: 120_000 };
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
    let text = report.failures.length > 0 ? formatReport(report, config) : '';
    if (text === '' && platforms.length > 0) text = await restartsElsewhere(fixture, report.ks);
    if (text === '') {
      console.log(`seed ${seed}: ok (${report.points} points, ks ${report.ks.join(',')}${platforms.length > 0 ? `, restarted on ${values.platforms}` : ''}, ${report.ms} ms)`);
      continue;
    }
    failed++;
    const kept = join(values.keep, fixture.name);
    mkdirSync(values.keep, { recursive: true });
    cpSync(fixture.dir, kept, { recursive: true });
    writeFileSync(join(kept, 'report.txt'), text);
    console.log(`seed ${seed}: FAILED, kept in ${kept}\n${text}`);
  }
} finally {
  killAll();
  rmSync(work, { recursive: true, force: true });
}
/** The same ks restarted on each platform; the problems as text, '' when none. */
async function restartsElsewhere(fixture: Parameters<typeof buildFixture>[0], ks: readonly number[]): Promise<string> {
  const built = await buildFixture(fixture, platformOptions);
  try {
    const problems: string[] = [];
    for (const spec of platforms) {
      for (const k of ks) {
        const check = await checkTo(built, spec, k, platformOptions);
        if (!check.ok) problems.push(`${fixture.name} k=${k} restarted on ${spec.name}: ${check.problem}`);
      }
    }
    return problems.join('\n');
  } finally {
    cleanUp(built);
  }
}

console.log(`fuzz: ${count} programs from seed ${first}: ${count - failed - rejected} passed, ${failed} failed, ${rejected} rejected by their own plain run`);
process.exit(failed > 0 ? 1 : 0);
