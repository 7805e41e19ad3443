// Loads what `introspect build` compiles: takes the positional input (a
// program directory, an entry file or a tsconfig.json), the optional
// `-p tsconfig.json` and the output directory; gives a TypeScript
// ParsedCommandLine whose outDir is ours, plus the root directory the output
// mirrors.
//
//   <dir> without tsconfig.json  ->  <dir>/main.ts (or main.js/.mts/.mjs) and
//                                    what it imports, with DEFAULT_OPTIONS
//   <file.ts> (any .ts/.mts/.tsx/.js/.mjs)  ->  that file and what it imports,
//                                    likewise; the output mirrors its directory
//   <dir> with tsconfig.json, <file.json>, -p <file.json>  ->  that config,
//                                    honoured, with the overrides in FORCED
//
// Throws InputError for missing paths, BuildError for unreadable configs.

import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import ts = require('typescript');
import { BuildError, InputError } from '../errors.js';
import { formatDiagnostics } from './diagnostics.js';

export interface Project {
  commandLine: ts.ParsedCommandLine;
  /** The directory the output mirrors (file ids are relative to it). */
  rootDir: string;
  /** The directory holding the sources: main.ts's directory or the tsconfig's. */
  baseDir: string;
  configPath: string | undefined;
}

const ENTRY_CANDIDATES = ['main.ts', 'main.mts', 'main.tsx', 'main.js', 'main.mjs'];

/** Without a tsconfig.json: what SPEC §3 promises for a bare program directory. */
const DEFAULT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowJs: true,
  checkJs: false,
  sourceMap: true,
  strict: false,
  skipLibCheck: true,
  noEmitOnError: false,
  esModuleInterop: true,
  resolveJsonModule: true,
  // `./x.ts` imports are accepted and emitted as `./x.js`.
  allowImportingTsExtensions: true,
  rewriteRelativeImportExtensions: true,
  // Every file is an ES module (Node loads them so): no script-scope clashes with globals.
  moduleDetection: ts.ModuleDetectionKind.Force,
  lib: ['lib.es2025.d.ts', 'lib.dom.d.ts'],
};

/** The runtime API's types (runtime/api.d.ts), for a program that imports 'introspect/runtime'. */
const API_TYPES = fileURLToPath(new URL('../../../runtime/api.d.ts', import.meta.url));

/** The program's `paths`, plus where 'introspect/runtime' is (unless it says). */
function apiPaths(paths: ts.MapLike<string[]> | undefined): ts.MapLike<string[]> | undefined {
  if (!existsSync(API_TYPES) || paths?.['introspect/runtime'] !== undefined) return paths;
  return { ...paths, 'introspect/runtime': [API_TYPES] };
}

/**
 * Applied over any tsconfig: we always emit JS with source maps, even with
 * type errors. TypeScript's helpers (`__decorate`, `__esDecorate`,
 * `__importStar`, …) are emitted into each file rather than imported from
 * tslib (`importHelpers`): there they are the program's code, instrumented
 * like the rest, while tslib's would be a library's, whose closures (a
 * standard decorator's `context.addInitializer`, the getters of an
 * `__importStar` namespace) a checkpoint cannot save; and the program no
 * longer needs tslib installed. They do the same either way.
 */
const FORCED: ts.CompilerOptions = {
  importHelpers: false,
  noEmit: false,
  noEmitOnError: false,
  emitDeclarationOnly: false,
  declaration: false,
  declarationMap: false,
  composite: false,
  incremental: false,
};

export function loadProject(input: string | undefined, tsconfig: string | undefined, outDir: string): Project {
  const configPath = findConfig(input, tsconfig);
  if (configPath !== undefined) return fromConfig(configPath, outDir);
  const path = resolve(input!);
  return statSync(path).isDirectory() ? fromDirectory(path, outDir) : fromEntry(path, outDir);
}

/** An input naming a program's source file rather than a tsconfig. */
const SOURCE_FILE = /\.(?:[mc]?[jt]s|tsx|jsx)$/;

function findConfig(input: string | undefined, tsconfig: string | undefined): string | undefined {
  if (tsconfig !== undefined) {
    const path = resolve(tsconfig);
    if (!existsSync(path)) throw new InputError(`no such tsconfig: ${path}`);
    return statSync(path).isDirectory() ? requireFile(join(path, 'tsconfig.json')) : path;
  }
  const path = resolve(input!);
  if (!existsSync(path)) throw new InputError(`no such program directory, entry file or tsconfig: ${path}`);
  if (!statSync(path).isDirectory()) return SOURCE_FILE.test(path) ? undefined : path;
  const inDir = join(path, 'tsconfig.json');
  return existsSync(inDir) ? inDir : undefined;
}

function requireFile(path: string): string {
  if (!existsSync(path)) throw new InputError(`no such tsconfig: ${path}`);
  return path;
}

function fromDirectory(dir: string, outDir: string): Project {
  const entry = ENTRY_CANDIDATES.map((name) => join(dir, name)).find((path) => existsSync(path));
  if (entry === undefined) {
    throw new InputError(`${dir} has no main.ts (nor tsconfig.json): nothing to build`, [
      `looked for ${ENTRY_CANDIDATES.join(', ')}`,
    ]);
  }
  return fromEntry(entry, outDir);
}

function fromEntry(entry: string, outDir: string): Project {
  const dir = dirname(entry);
  const options: ts.CompilerOptions = { ...DEFAULT_OPTIONS, ...nodeTypes(), rootDir: dir, outDir, paths: apiPaths(undefined) };
  return {
    commandLine: { options, fileNames: [entry], errors: [] },
    rootDir: dir,
    baseDir: dir,
    configPath: undefined,
  };
}

function fromConfig(configPath: string, outDir: string): Project {
  let unrecoverable: ts.Diagnostic | undefined;
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => (unrecoverable = diagnostic),
  };
  const commandLine = ts.getParsedCommandLineOfConfigFile(configPath, { ...FORCED, outDir }, host);
  if (commandLine === undefined || unrecoverable !== undefined) {
    throw new BuildError(`cannot read ${configPath}`, unrecoverable ? formatDiagnostics([unrecoverable]) : []);
  }
  const fatal = commandLine.errors.filter((d) => d.category === ts.DiagnosticCategory.Error && d.code !== 18003);
  if (commandLine.fileNames.length === 0) {
    throw new BuildError(`${configPath} selects no source files`, formatDiagnostics(commandLine.errors));
  }
  if (commandLine.options.outFile !== undefined) {
    throw new BuildError(`${configPath}: "outFile" is not supported (each module must keep its own file)`);
  }
  if (fatal.length > 0 && fatal.some((d) => d.file !== undefined)) {
    throw new BuildError(`${configPath} has errors`, formatDiagnostics(fatal));
  }
  if (commandLine.options.inlineSourceMap !== true) commandLine.options.sourceMap = true;
  commandLine.options.paths = apiPaths(commandLine.options.paths);
  raiseTarget(commandLine.options);
  const baseDir = dirname(configPath);
  return {
    commandLine,
    rootDir: commandLine.options.rootDir ?? baseDir,
    baseDir,
    configPath,
  };
}

/**
 * The transform works on what TypeScript emits for ES2022 (SPEC §4): below
 * that, TypeScript would turn async functions and generators into helpers
 * (`__awaiter` over a native generator, `__asyncGenerator`) that run outside
 * the transform, and no checkpoint could be taken inside them. Every
 * platform Introspect runs on has ES2022, so an older target is raised to
 * it; class fields keep the semantics the older target gave them
 * (`useDefineForClassFields` is only on by default from ES2022). The emitted
 * code keeps the language's own async timing, which TypeScript's helpers
 * approximate (README).
 */
function raiseTarget(options: ts.CompilerOptions): void {
  // (No target: TypeScript 6's default, which is above ES2022.)
  if (options.target === undefined || options.target >= ts.ScriptTarget.ES2022) return;
  options.useDefineForClassFields ??= false;
  options.target = ts.ScriptTarget.ES2022;
}

/**
 * TypeScript 6 no longer picks up @types by itself: give a bare program the
 * Node typings shipped with this package, so `process` etc. type-check.
 */
function nodeTypes(): ts.CompilerOptions {
  try {
    const typesNode = createRequire(import.meta.url).resolve('@types/node/package.json');
    return { types: ['node'], typeRoots: [dirname(dirname(typesNode))] };
  } catch {
    return { types: [] };
  }
}
