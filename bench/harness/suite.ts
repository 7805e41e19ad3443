// The CPU benchmark suite: every program of bench/programs built plain and
// instrumented (alternating, builds timed), then run in interleaved pairs
// (plain, instrumented; the next round instrumented first) so both builds see
// the same machine conditions. Medians over all timed iterations of all
// rounds. A program whose instrumented build fails, crashes or prints other
// output than the plain one is reported as failing, with the reason.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildInstrumented, buildPlain, type BuildMeasure } from './build.js';
import { runProgram } from './execute.js';
import type { BenchOptions } from './options.js';
import { median } from './stats.js';

export interface ProgramResult {
  name: string;
  plainMs: number;
  instrumentedMs: number;
  ratio: number;
  plainIterations: number[];
  instrumentedIterations: number[];
  build: { plain: BuildMeasure; instrumented: BuildMeasure };
  /** Set when the instrumented program could not be measured. */
  failure?: string;
}

export interface Paths {
  root: string;
  work: string;
  cli: string;
}

export function listPrograms(root: string, only: readonly string[]): string[] {
  const dir = join(root, 'bench/programs');
  const names = readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory()).sort();
  const unknown = only.filter((n) => !names.includes(n));
  if (unknown.length > 0) throw new Error(`no such benchmark: ${unknown.join(', ')} (have ${names.join(', ')})`);
  return only.length > 0 ? names.filter((n) => only.includes(n)) : names;
}

function medianBuild(samples: BuildMeasure[]): BuildMeasure {
  return { ms: median(samples.map((s) => s.ms)), codeBytes: samples[samples.length - 1]!.codeBytes };
}

async function buildBoth(paths: Paths, name: string, repeats: number): Promise<{ plain: BuildMeasure; instrumented: BuildMeasure; failure?: string }> {
  const src = join(paths.root, 'bench/programs', name);
  const plain: BuildMeasure[] = [];
  const instrumented: BuildMeasure[] = [];
  for (let i = 0; i < repeats; i++) {
    plain.push(buildPlain(src, join(paths.work, 'plain', name)));
    try {
      instrumented.push(await buildInstrumented(src, join(paths.work, 'instrumented', name)));
    } catch (e) {
      return { plain: medianBuild(plain), instrumented: { ms: NaN, codeBytes: NaN }, failure: `build: ${(e as Error).message.split('\n')[0]}` };
    }
  }
  return { plain: medianBuild(plain), instrumented: medianBuild(instrumented) };
}

export async function runSuite(paths: Paths, options: BenchOptions, log: (line: string) => void): Promise<ProgramResult[]> {
  const names = listPrograms(paths.root, options.only);
  // One throwaway build first: the compiler's own warm-up (JIT, lib files) is not the program's cost.
  buildPlain(join(paths.root, 'bench/programs', names[0]!), join(paths.work, 'warmup'));

  const results: ProgramResult[] = [];
  for (const name of names) {
    log(`building ${name}`);
    const build = await buildBoth(paths, name, options.buildRepeats);
    results.push({ name, plainMs: NaN, instrumentedMs: NaN, ratio: NaN, plainIterations: [], instrumentedIterations: [], build, failure: build.failure });
  }

  const timeoutMs = options.quick ? 60_000 : 300_000;
  for (let round = 0; round < options.rounds; round++) {
    for (const result of results) {
      const plainCmd = [process.execPath, join(paths.work, 'plain', result.name, 'main.js')];
      const instrCmd = [process.execPath, paths.cli, 'run', join(paths.work, 'instrumented', result.name, 'main.js')];
      log(`round ${round + 1}/${options.rounds}: ${result.name}`);
      const order = round % 2 === 0 ? ['plain', 'instrumented'] as const : ['instrumented', 'plain'] as const;
      const outputs: { plain?: string; instrumented?: string } = {};
      for (const variant of order) {
        if (variant === 'instrumented' && result.failure !== undefined) continue;
        const run = runProgram(variant === 'plain' ? plainCmd : instrCmd, options.programEnv, timeoutMs);
        if (variant === 'plain' && !run.ok) throw new Error(`the plain build of ${result.name} fails (a bug in the benchmark): ${run.failure}`);
        if (!run.ok) {
          result.failure = run.failure;
          continue;
        }
        outputs[variant] = run.output;
        (variant === 'plain' ? result.plainIterations : result.instrumentedIterations).push(...run.iterations);
      }
      if (result.failure === undefined && outputs.plain !== outputs.instrumented) {
        result.failure = `output differs: ${JSON.stringify((outputs.instrumented ?? '').slice(0, 80))}`;
      }
    }
  }

  for (const result of results) {
    result.plainMs = median(result.plainIterations);
    if (result.failure === undefined) {
      result.instrumentedMs = median(result.instrumentedIterations);
      result.ratio = result.instrumentedMs / result.plainMs;
    }
  }
  return results;
}
