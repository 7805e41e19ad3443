// `npm run bench`: measures Introspect against SPEC §9. Builds every program
// of bench/programs plain and instrumented, runs them interleaved, measures
// checkpoint throughput, size, restart time and request latency, prints ONE
// table (markdown) on stdout and writes bench/results.json. Progress goes to
// stderr. Options: bench/harness/options.ts (--quick, --big, --only, ...).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildInstrumented } from './harness/build.js';
import { measureApi, type ApiFigure, type HeapKind } from './harness/checkpoint-api.js';
import { measureE2e, measureLatency, type E2eFigure, type Latency } from './harness/checkpoint-e2e.js';
import { machineInfo } from './harness/machine.js';
import { parseOptions } from './harness/options.js';
import { checkpointRows, renderTable, suiteRows } from './harness/report.js';
import { runSuite } from './harness/suite.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const log = (line: string): void => void process.stderr.write(`bench: ${line}\n`);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const machine = machineInfo();
  const work = mkdtempSync(join(tmpdir(), 'introspect-bench-'));
  const paths = { root, work, cli: join(root, 'bin/introspect.mjs') };
  const started = Date.now();
  try {
    const suite = await runSuite(paths, options, log);

    const e2e: E2eFigure[] = [];
    const api: ApiFigure[] = [];
    let small: E2eFigure | undefined;
    let latency: Latency | undefined;
    if (!options.skipCheckpoint) {
      const holderOut = join(work, 'holder');
      await buildInstrumented(join(root, 'bench/ckpt/holder'), holderOut);
      const holder = join(holderOut, 'main.js');
      for (const sizeMB of options.heapSizesMB) {
        for (const kind of ['objects', 'f64'] as HeapKind[]) {
          log(`checkpoint ${kind} ${sizeMB} MB`);
          e2e.push(measureE2e(paths.cli, holder, work, kind, sizeMB));
          // In-process, the bench's own heap limit applies: 1 GB graphs only end to end (the holder gets a big heap).
          if (sizeMB < 1024) api.push(measureApi(kind, sizeMB, work));
        }
      }
      log('small program restart');
      small = measureE2e(paths.cli, holder, work, 'small', 0, 5);
      log('checkpoint request latency');
      latency = await measureLatency(paths.cli, holder, work);
    }

    const rows = [...suiteRows(suite), ...checkpointRows(e2e, api, small, latency)];
    const table = renderTable(rows);
    process.stdout.write(`${table}\n`);
    const results = {
      date: new Date(started).toISOString(),
      seconds: Math.round((Date.now() - started) / 1000),
      options,
      machine,
      suite,
      checkpoint: { endToEnd: e2e, api, smallRestart: small, latency },
      table: rows,
    };
    writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify(results, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
    log(`done in ${results.seconds} s; figures in bench/results.json`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
