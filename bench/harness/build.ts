// Builds one benchmark program twice, in this process, from the same project
// settings (cli/build/project.ts's defaults for a program directory):
// "plain" = the pinned TypeScript compiler alone (type check + emit, what
// `tsc` does), "instrumented" = `introspect build` (cli/commands/build.ts).
// Reports wall time and the emitted program code size (.js files, without
// source maps and without the copied runtime in __introspect/).

import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { build as introspectBuild } from '../../cli/commands/build.js';
import { RUNTIME_DIR } from '../../cli/build/layout.js';
import { loadProject } from '../../cli/build/project.js';

export interface BuildMeasure {
  ms: number;
  codeBytes: number;
}

export function buildPlain(programDir: string, outDir: string): BuildMeasure {
  rmSync(outDir, { recursive: true, force: true });
  const t0 = performance.now();
  const project = loadProject(programDir, undefined, outDir);
  const program = ts.createProgram({ rootNames: project.commandLine.fileNames, options: project.commandLine.options });
  ts.getPreEmitDiagnostics(program);
  const result = program.emit();
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  const ms = performance.now() - t0;
  if (result.emitSkipped) throw new Error(`plain build of ${programDir} emitted nothing`);
  return { ms, codeBytes: codeBytes(outDir) };
}

export async function buildInstrumented(programDir: string, outDir: string): Promise<BuildMeasure> {
  rmSync(outDir, { recursive: true, force: true });
  const t0 = performance.now();
  await introspectBuild({ input: programDir, outDir, log: () => {} });
  const ms = performance.now() - t0;
  return { ms, codeBytes: codeBytes(outDir) };
}

/** Bytes of the program's emitted .js/.mjs/.cjs files, outside the runtime directory. */
export function codeBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    if (name === RUNTIME_DIR || name === 'node_modules') continue;
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) total += codeBytes(path);
    else if (/\.[cm]?js$/.test(name)) total += st.size;
  }
  return total;
}
