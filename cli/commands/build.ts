// `introspect build`: compiles a program with this package's TypeScript and
// the introspect transformer into a runnable, checkpointable directory.
// Takes BuildOptions; guarantees on success that <outDir> holds the emitted
// JS (+ source maps) mirroring the program's root directory, a package.json
// with the matching module type, and the runtime in <outDir>/__introspect/
// (see cli/build/output.ts). Type errors are printed as warnings; syntax
// errors throw BuildError listing file:line:col.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import ts = require('typescript');
import { BuildError, UsageError } from '../errors.js';
import { formatDiagnostics, isError } from '../build/diagnostics.js';
import { directEvalWarnings } from '../build/direct-eval.js';
import { compactingWriter } from '../build/compact.js';
import { createProgress, type Progress } from '../build/progress.js';
import { loadProject, type Project } from '../build/project.js';
import { computedImportRoots } from '../build/dynamic-roots.js';
import { createSpecifierRewriter } from '../build/specifiers.js';
import { createTransformer } from '../../transformer/index.js';
import {
  copyDataFiles,
  copyRuntime,
  linkNodeModules,
  moduleFormatOf,
  runtimeSpecifier,
  writePackageJson,
  type ModuleFormat,
} from '../build/output.js';

export interface BuildOptions {
  /** A program directory or a tsconfig.json; optional when `project` is given. */
  input?: string;
  /** `-p tsconfig.json`. */
  project?: string;
  outDir: string;
  /** Where warnings and the summary go (stderr by default; never stdout). */
  log?: (line: string) => void;
}

export interface BuildResult {
  outDir: string;
  /** <outDir>/main.js for a program directory; undefined for a tsconfig build. */
  entry: string | undefined;
  emittedFiles: number;
  warnings: number;
  moduleFormat: ModuleFormat;
}

const WARNING_LIMIT = 30;

export async function build(options: BuildOptions): Promise<BuildResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const outDir = resolve(options.outDir);
  const project = loadProject(options.input, options.project, outDir);
  if (outDir === resolve(project.baseDir) || outDir === resolve(project.rootDir)) {
    throw new UsageError(`--out-dir must not be the program's own directory (${outDir}): the build would overwrite its files`, 'build');
  }

  // As tsc does since TypeScript 5.3: JSDoc is parsed only where it can give a
  // type error (JS files), not in the ~2 MB of lib .d.ts every build reads.
  const host = ts.createCompilerHost(project.commandLine.options);
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const programOf = (rootNames: readonly string[], oldProgram?: ts.Program) => ts.createProgram({
    rootNames,
    options: project.commandLine.options,
    host,
    projectReferences: project.commandLine.projectReferences,
    configFileParsingDiagnostics: project.commandLine.errors,
    oldProgram,
  });
  const sourcesOf = (p: ts.Program) => p.getSourceFiles().filter((file) => !file.isDeclarationFile && !p.isSourceFileFromExternalLibrary(file));
  let program = programOf(project.commandLine.fileNames);
  if (project.configPath === undefined) {
    // A computed import() specifier: the directory's other modules too (build/dynamic-roots.ts).
    const more = computedImportRoots(sourcesOf(program), project.baseDir, outDir);
    if (more !== undefined) program = programOf([...project.commandLine.fileNames, ...more.filter((f) => !project.commandLine.fileNames.includes(f))], program);
  }
  const sources = sourcesOf(program);
  const progress = createProgress(sources.length);
  try {
    failOnSyntaxErrors(program);
    const warnings = [...typeCheck(program, sources, progress), ...directEvalWarnings(program, sources)];
    if (warnings.length > 0) {
      log(`introspect: warning: ${warnings.length} diagnostics (types, options, direct eval; the build continues):`);
      for (const line of formatDiagnostics(warnings, WARNING_LIMIT)) log(`  ${line}`);
    }

    const formats = new Map(sources.map((file) => [file.fileName, moduleFormatOf(file, program.getCompilerOptions())]));
    const written = emit(program, project, outDir, formats, progress, sources.length);
    const moduleFormat = packageFormat(project, sources, formats);
    mkdirSync(outDir, { recursive: true });
    writePackageJson(outDir, moduleFormat);
    copyRuntime(outDir);
    linkNodeModules(project.baseDir, outDir);
    // Data the program reads next to its sources (`new URL('./data.txt', import.meta.url)`):
    // the directory's files, or with a tsconfig those under the root the output mirrors.
    copyDataFiles(project.configPath === undefined ? project.baseDir : project.rootDir, outDir, written);

    const entry = project.configPath === undefined ? outputOf(project, project.commandLine.fileNames[0]!) : undefined;
    progress.clear();
    log(`introspect: built ${sources.length} file(s) into ${relative(process.cwd(), outDir) || '.'}${entry ? ` (run ${relative(process.cwd(), entry)})` : ''}`);
    return { outDir, entry, emittedFiles: written.size, warnings: warnings.length, moduleFormat };
  } finally {
    progress.clear();
  }
}

function failOnSyntaxErrors(program: ts.Program): void {
  const errors = program.getSyntacticDiagnostics().filter(isError);
  if (errors.length === 0) return;
  const files = new Set(errors.map((d) => d.file?.fileName));
  throw new BuildError(`syntax errors in ${files.size} file(s); nothing was emitted`, formatDiagnostics(errors, WARNING_LIMIT));
}

function typeCheck(program: ts.Program, sources: readonly ts.SourceFile[], progress: Progress): ts.Diagnostic[] {
  const diagnostics: ts.Diagnostic[] = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  sources.forEach((file, index) => {
    progress.step(index + 1, sources.length, `checking ${relative(process.cwd(), file.fileName)}`);
    diagnostics.push(...program.getSemanticDiagnostics(file));
  });
  return diagnostics;
}

function emit(
  program: ts.Program,
  project: Project,
  outDir: string,
  formats: ReadonlyMap<string, ModuleFormat>,
  progress: Progress,
  total: number,
): Set<string> {
  const written = new Set<string>();
  const output = memoize((sourceFileName: string) => outputOf(project, sourceFileName));
  const transformer = reportingFile(createTransformer({
    rootDir: project.rootDir,
    runtimeImport(sourceFileName) {
      const format = formats.get(sourceFileName);
      if (format === undefined) throw new BuildError(`runtimeImport: ${sourceFileName} is not a source of this program`);
      return runtimeSpecifier(output(sourceFileName), outDir, format);
    },
  }));
  const options = program.getCompilerOptions();
  const commonJs = (from: string) => formats.get(from) === 'cjs';
  const specifiers = createSpecifierRewriter((specifier, from) => {
    if (commonJs(from) && specifier.startsWith('.')) return undefined; // require() of './x' resolves under Node as it is
    const target = ts.resolveModuleName(specifier, from, options, ts.sys).resolvedModule?.resolvedFileName;
    if (target === undefined || !formats.has(target)) return undefined;
    return relativeSpecifier(output(from), output(target));
  }, commonJs);
  let emitted = 0;
  const compacting = compactingWriter((fileName, text) => {
    mkdirSync(dirname(fileName), { recursive: true });
    writeFileSync(fileName, text);
    written.add(resolve(fileName));
    if (/\.[cm]?js$/.test(fileName)) progress.step(Math.min(++emitted, total), total, `emitting ${relative(process.cwd(), fileName)}`);
  });
  let result: ts.EmitResult;
  try {
    result = program.emit(undefined, compacting.writeFile, undefined, false, { after: [specifiers, transformer] });
    compacting.flush();
  } catch (error) {
    if (error instanceof BuildError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new BuildError(`emitting the instrumented program failed: ${message}`, bugReport(error), { cause: error });
  }
  if (result.emitSkipped) {
    const errors = [...program.getOptionsDiagnostics(), ...result.diagnostics].filter(isError);
    throw new BuildError('TypeScript emitted nothing', formatDiagnostics(errors, WARNING_LIMIT));
  }
  const emitErrors = result.diagnostics.filter(isError);
  if (emitErrors.length > 0) throw new BuildError('emit failed', formatDiagnostics(emitErrors, WARNING_LIMIT));
  return written;
}

/** Failures inside the transformer name the file being transformed (they are bugs of introspect). */
function reportingFile(factory: ts.TransformerFactory<ts.SourceFile>): ts.TransformerFactory<ts.SourceFile> {
  return (context) => {
    const transform = factory(context);
    return (file) => {
      try {
        return transform(file);
      } catch (error) {
        if (error instanceof BuildError) throw error;
        const where = relative(process.cwd(), file.fileName) || file.fileName;
        const message = error instanceof Error ? error.message : String(error);
        throw new BuildError(`the introspect transformer failed on ${where}: ${message}`, bugReport(error), { cause: error });
      }
    };
  };
}

function bugReport(error: unknown): string[] {
  const stack = error instanceof Error ? (error.stack ?? '').split('\n').slice(1, 6).map((line) => line.trim()) : [];
  return ['this is a bug in introspect, not in your program; please report it with the program', ...stack];
}

function memoize<T>(compute: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, compute(key));
    return cache.get(key)!;
  };
}

function relativeSpecifier(fromFile: string, toFile: string): string {
  const rel = relative(dirname(fromFile), toFile).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/**
 * The emitted JS file of a source file: its path under rootDir, moved to
 * outDir, with TypeScript's extension mapping (TypeScript 6 takes rootDir
 * from the tsconfig's directory when it is not set).
 */
function outputOf(project: Project, sourceFileName: string): string {
  const { outDir } = project.commandLine.options;
  const rel = relative(project.rootDir, resolve(sourceFileName));
  const mapped = rel.replace(/\.([cm]?)tsx?$/i, (_all, m: string) => `.${m.toLowerCase()}js`).replace(/\.jsx$/i, '.js');
  return resolve(outDir ?? project.rootDir, mapped);
}

/** The module type for <outDir>/package.json: the entry's, else that of most .js outputs. */
function packageFormat(project: Project, sources: readonly ts.SourceFile[], formats: ReadonlyMap<string, ModuleFormat>): ModuleFormat {
  const entry = project.configPath === undefined ? project.commandLine.fileNames[0] : undefined;
  const entryFormat = entry === undefined ? undefined : formats.get(entry.split('\\').join('/'));
  if (entryFormat !== undefined) return entryFormat;
  let esm = 0;
  let cjs = 0;
  for (const file of sources) {
    if (!/\.(ts|tsx|js|jsx)$/.test(file.fileName)) continue; // .mts/.cts/.mjs/.cjs carry their own type
    if (formats.get(file.fileName) === 'cjs') cjs++;
    else esm++;
  }
  return cjs > esm ? 'cjs' : 'esm';
}
