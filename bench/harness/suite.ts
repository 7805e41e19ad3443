// The CPU benchmark suite: all programs of bench/programs built plain and
// instrumented (alternating, builds timed), then run in interleaved pairs
// (plain, instrumented; the next round instrumented first) so both builds see
// the same machine conditions. Medians over all timed iterations of all
// rounds. A program whose instrumented build fails, crashes or prints other
// output than the plain one is reported as failing, with the reason.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildInstrumented, buildSuiteInstrumented, buildSuitePlain, writeSuiteTsconfig } from './build.js';
import { runProgram } from './execute.js';
import type { BenchOptions } from './options.js';
import { median } from './stats.js';

export interface ProgramResult {
  name: string;
  plainMs: number;
  instrumentedMs: number;
  ratio: number;
  /** Fastest instrumented / fastest plain iteration: less sensitive to other load on the machine. */
  minRatio: number;
  plainIterations: number[];
  instrumentedIterations: number[];
  codeBytes: { plain: { raw: number; unindented: number }; instrumented: { raw: number; unindented: number } };
  /** Set when the instrumented program could not be measured. */
  failure?: string;
}

export interface SuiteResult {
  programs: ProgramResult[];
  /** Median wall time of `tsc -p` and `introspect build -p` over the whole suite project. */
  build: { plainMs: number; instrumentedMs: number; plainSamples: number[]; instrumentedSamples: number[]; failure?: string };
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

export async function runSuite(paths: Paths, options: BenchOptions, log: (line: string) => void): Promise<SuiteResult> {
  const names = listPrograms(paths.root, options.only);
  const tsconfig = writeSuiteTsconfig(paths.root, names, join(paths.work, 'project'));
  const plainOut = join(paths.work, 'plain');
  let instrOut = join(paths.work, 'instrumented');
  const build: SuiteResult['build'] = { plainMs: NaN, instrumentedMs: NaN, plainSamples: [], instrumentedSamples: [] };
  let plainBuild, instrBuild;
  for (let i = 0; i < options.buildRepeats; i++) {
    log(`building the suite (${names.length} programs), ${i + 1}/${options.buildRepeats}: tsc, then introspect build`);
    plainBuild = buildSuitePlain(paths.root, tsconfig, plainOut, names);
    instrBuild = buildSuiteInstrumented(paths.cli, tsconfig, instrOut, names);
    build.plainSamples.push(plainBuild.ms);
    build.instrumentedSamples.push(instrBuild.ms);
    if (instrBuild.failure !== undefined) break;
  }
  build.plainMs = median(build.plainSamples);
  build.instrumentedMs = median(build.instrumentedSamples);

  const failures = new Map<string, string>();
  if (instrBuild!.failure !== undefined) {
    // Find which programs break the build: each alone, in its own directory.
    build.failure = instrBuild!.failure;
    instrOut = join(paths.work, 'instrumented-single');
    for (const name of names) {
      try {
        await buildInstrumented(join(paths.root, 'bench/programs', name), join(instrOut, name));
      } catch (e) {
        failures.set(name, `build: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  }
  const programs: ProgramResult[] = names.map((name) => ({
    name, plainMs: NaN, instrumentedMs: NaN, ratio: NaN, minRatio: NaN, plainIterations: [], instrumentedIterations: [],
    codeBytes: { plain: plainBuild!.codeBytes[name]!, instrumented: instrBuild!.codeBytes[name]! },
    failure: failures.get(name),
  }));
  const results = programs;

  const timeoutMs = options.quick ? 60_000 : 300_000;
  for (let round = 0; round < options.rounds; round++) {
    for (const result of results) {
      const plainCmd = [process.execPath, join(plainOut, result.name, 'main.js')];
      const instrCmd = [process.execPath, paths.cli, 'run', join(instrOut, result.name, 'main.js')];
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
      result.minRatio = Math.min(...result.instrumentedIterations) / Math.min(...result.plainIterations);
    }
  }
  return { programs: results, build };
}
