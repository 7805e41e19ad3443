// The layout of a built program around the emitted JS. Takes the project and
// the output directory; guarantees:
//   <outDir>/package.json        {"type": "module" | "commonjs"}, matching the emitted .js files
//   <outDir>/__introspect/runtime.mjs, runtime.cjs   copies of this package's runtime bundles
//   runtimeSpecifier(file)       "./__introspect/runtime.mjs"-style path from an emitted file
//   <outDir>/node_modules        a link to the program's node_modules when outDir is elsewhere
//   data files of a bare program directory copied alongside (what the program may read)

import { copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts = require('typescript');
import { BuildError } from '../errors.js';
import { RUNTIME_DIR, RUNTIME_FILES, type ModuleFormat } from './layout.js';

export type { ModuleFormat } from './layout.js';

/** How TypeScript will emit this file's module syntax. */
export function moduleFormatOf(file: ts.SourceFile, options: ts.CompilerOptions): ModuleFormat {
  const ext = extname(file.fileName).toLowerCase();
  if (ext === '.mts' || ext === '.mjs') return 'esm';
  if (ext === '.cts' || ext === '.cjs') return 'cjs';
  const kind = options.module ?? ts.ModuleKind.ESNext;
  if (kind >= ts.ModuleKind.Node16 && kind <= ts.ModuleKind.NodeNext) {
    return file.impliedNodeFormat === ts.ModuleKind.CommonJS ? 'cjs' : 'esm';
  }
  if (kind === ts.ModuleKind.CommonJS) return 'cjs';
  if (kind === ts.ModuleKind.AMD || kind === ts.ModuleKind.UMD || kind === ts.ModuleKind.System) {
    throw new BuildError(`module kind "${ts.ModuleKind[kind]}" cannot run under Node; use ESNext, NodeNext or CommonJS`);
  }
  return 'esm';
}

/** The specifier an emitted file uses to import the runtime copy in <outDir>/__introspect/. */
export function runtimeSpecifier(outputFile: string, outDir: string, format: ModuleFormat): string {
  const target = join(outDir, RUNTIME_DIR, RUNTIME_FILES[format]);
  const rel = relative(dirname(outputFile), target).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/**
 * What a built program's runtime copy is made from: the CommonJS bundle
 * built by scripts/build.mjs (dist/runtime.cjs) and, for ES-module code,
 * the module that requires it (runtime/plugins/node/runtime-entry.ts, as
 * dist/runtime-entry.mjs).
 */
function bundledRuntime(format: ModuleFormat): string {
  // This file is dist/cli/build/output.js; the bundles sit in dist/.
  return fileURLToPath(new URL(format === 'cjs' ? `../../${RUNTIME_FILES.cjs}` : '../../runtime-entry.mjs', import.meta.url));
}

export function copyRuntime(outDir: string): void {
  const dir = join(outDir, RUNTIME_DIR);
  mkdirSync(dir, { recursive: true });
  for (const format of ['esm', 'cjs'] as const) {
    const source = bundledRuntime(format);
    if (!existsSync(source)) {
      throw new BuildError(`the introspect runtime bundle is missing: ${source}`, ['run `npm run build` in the introspect checkout']);
    }
    copyFileSync(source, join(dir, RUNTIME_FILES[format]));
  }
}

export function writePackageJson(outDir: string, format: ModuleFormat): void {
  const type = format === 'esm' ? 'module' : 'commonjs';
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ type }, null, 2)}\n`);
}

/** Bare imports of the emitted program resolve as they did from its sources. */
export function linkNodeModules(baseDir: string, outDir: string): void {
  // The program's packages: its own node_modules, else the nearest one above it (a monorepo, a checkout).
  let owner = resolve(baseDir);
  while (!existsSync(join(owner, 'node_modules')) && dirname(owner) !== owner) owner = dirname(owner);
  const source = join(owner, 'node_modules');
  const link = join(outDir, 'node_modules');
  if (!existsSync(source) || existsSync(link) || isInside(outDir, owner)) return;
  try {
    symlinkSync(relative(outDir, source), link, 'junction');
  } catch {
    /* not fatal: the program may not need it, and Node also searches parent directories */
  }
}

const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.map']);
const SKIPPED_NAMES = new Set(['node_modules', 'package.json', 'tsconfig.json', 'package-lock.json']);

/** Copies the non-source files of a bare program directory (data the program reads). */
export function copyDataFiles(programDir: string, outDir: string, written: ReadonlySet<string>): number {
  let copied = 0;
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || SKIPPED_NAMES.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (resolve(path) !== resolve(outDir) && !isInside(outDir, path)) visit(path);
      } else if (entry.isFile() && !SOURCE_EXTENSIONS.has(extname(entry.name).toLowerCase())) {
        const target = join(outDir, relative(programDir, path));
        if (written.has(resolve(target))) continue;
        mkdirSync(dirname(target), { recursive: true });
        copyFileSync(path, target);
        copied++;
      }
    }
  };
  visit(programDir);
  return copied;
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(resolve(parent), resolve(child));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
