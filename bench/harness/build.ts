// Builds the benchmark programs twice from ONE generated tsconfig.json that
// lists every program (rootDir bench/programs, the options `introspect
// build` uses for a bare program directory): "plain" = `tsc -p` with the
// pinned TypeScript, "instrumented" = `introspect build -p`. Both are the
// real commands in fresh processes, timed from outside, so the build-time
// ratio is SPEC §9's "introspect build vs plain tsc on the same project".
// Code size = the emitted .js of each program (no source maps, not the
// runtime copied into __introspect/). buildInstrumented builds one program
// directory in this process (for the holder, and to find which program
// breaks a failing suite build).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build as introspectBuild } from '../../cli/commands/build.js';
import { RUNTIME_DIR } from '../../cli/build/layout.js';
import { firstErrorLine } from './execute.js';

export interface SuiteBuild {
  ms: number;
  /** Emitted code bytes per program name: as written, and without leading indentation. */
  codeBytes: Record<string, { raw: number; unindented: number }>;
  /** Set when the build produced no runnable output at all. */
  failure?: string;
}

/** The project both builds compile: every program, the options of a bare program directory. */
export function writeSuiteTsconfig(root: string, names: readonly string[], dir: string): string {
  mkdirSync(dir, { recursive: true });
  const config = {
    compilerOptions: {
      target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', allowJs: true, checkJs: false, sourceMap: true,
      strict: false, skipLibCheck: true, esModuleInterop: true, resolveJsonModule: true,
      moduleDetection: 'force', lib: ['es2023', 'dom'], types: ['node'], typeRoots: [join(root, 'node_modules/@types')],
      rootDir: join(root, 'bench/programs'),
    },
    files: names.map((n) => join(root, 'bench/programs', n, 'main.ts')),
  };
  const path = join(dir, 'tsconfig.json');
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
  return path;
}

function timed(command: string[]): { ms: number; status: number | null; stderr: string; stdout: string } {
  const t0 = performance.now();
  const child = spawnSync(command[0]!, command.slice(1), { encoding: 'utf8', maxBuffer: 16 << 20 });
  return { ms: performance.now() - t0, status: child.status, stderr: child.stderr ?? '', stdout: child.stdout ?? '' };
}

function sizes(outDir: string, names: readonly string[]): SuiteBuild['codeBytes'] {
  const none = { raw: NaN, unindented: NaN };
  return Object.fromEntries(names.map((n) => [n, existsSync(join(outDir, n)) ? codeBytes(join(outDir, n)) : none]));
}

export function buildSuitePlain(root: string, tsconfig: string, outDir: string, names: readonly string[]): SuiteBuild {
  rmSync(outDir, { recursive: true, force: true });
  const run = timed([process.execPath, join(root, 'node_modules/typescript/bin/tsc'), '-p', tsconfig, '--outDir', outDir]);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  const missing = names.filter((n) => !existsSync(join(outDir, n, 'main.js')));
  if (missing.length > 0) throw new Error(`plain tsc emitted no main.js for ${missing.join(', ')}: ${firstErrorLine(run.stdout + run.stderr)}`);
  return { ms: run.ms, codeBytes: sizes(outDir, names) };
}

export function buildSuiteInstrumented(cli: string, tsconfig: string, outDir: string, names: readonly string[]): SuiteBuild {
  rmSync(outDir, { recursive: true, force: true });
  const run = timed([process.execPath, cli, 'build', '-p', tsconfig, '--out-dir', outDir]);
  const result: SuiteBuild = { ms: run.ms, codeBytes: sizes(outDir, names) };
  if (run.status !== 0) result.failure = `introspect build exit ${run.status}: ${firstErrorLine(run.stderr)}`;
  return result;
}

export async function buildInstrumented(programDir: string, outDir: string): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  await introspectBuild({ input: programDir, outDir, log: () => {} });
}

/**
 * Bytes of the program's emitted .js/.mjs/.cjs files, outside the runtime
 * directory: as written, and with each line's leading indentation removed
 * (the printer indents every nesting level by 4 spaces, and the transform
 * nests deeply, so indentation alone can double the size).
 */
export function codeBytes(dir: string): { raw: number; unindented: number } {
  const total = { raw: 0, unindented: 0 };
  for (const name of readdirSync(dir)) {
    if (name === RUNTIME_DIR || name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const inner = codeBytes(path);
      total.raw += inner.raw;
      total.unindented += inner.unindented;
    } else if (/\.[cm]?js$/.test(name)) {
      const text = readFileSync(path);
      total.raw += text.length;
      total.unindented += Buffer.byteLength(text.toString('utf8').replace(/^[ \t]+/gm, ''));
    }
  }
  return total;
}
