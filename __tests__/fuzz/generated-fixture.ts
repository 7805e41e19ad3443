// A generated program as an oracle fixture: takes a seed and a directory,
// writes <dir>/main.ts from program-gen.ts and its expected output, which is
// what plain Node prints for TypeScript's own emit of it (transpileModule,
// no Introspect involved), so the oracle compares the transform with the
// language rather than with itself.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts = require('typescript');
import type { Fixture } from '../harness/fixtures.js';
import { describeExit, runProcess } from '../harness/process.js';
import { generateProgram } from './program-gen.js';

export type Generated = { fixture: Fixture } | { rejected: string; dir: string };

export async function generatedFixture(seed: number, parent: string): Promise<Generated> {
  const dir = join(parent, `fuzz-${seed}`);
  mkdirSync(dir, { recursive: true });
  const source = generateProgram(seed);
  writeFileSync(join(dir, 'main.ts'), source);
  const plain = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
  const plainFile = join(dir, 'plain.mjs');
  writeFileSync(plainFile, plain.outputText);
  const run = await runProcess([process.execPath, plainFile], { cwd: dir, timeoutMs: 20_000 });
  // A program that does not end cleanly natively is the generator's fault, not the transform's.
  if (run.code !== 0 || run.stderr.length > 0) return { rejected: `plain run: ${describeExit(run)} ${run.stderr.toString('utf8').slice(0, 300)}`, dir };
  // main() reports what escaped it: by construction nothing should.
  const escaped = /^uncaught .*$/m.exec(run.stdout.toString('utf8'));
  if (escaped) return { rejected: `plain run: ${escaped[0]}`, dir };
  writeFileSync(join(dir, 'expected.txt'), run.stdout);
  return { fixture: { name: `fuzz-${seed}`, dir, expected: run.stdout, settings: {} } };
}
