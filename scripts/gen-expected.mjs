#!/usr/bin/env node
// Writes fixtures/<name>/expected.txt: the exact stdout of the fixture built
// with plain TypeScript (no instrumentation) and run with plain node.
//
//   node scripts/gen-expected.mjs                 # every fixture
//   node scripts/gen-expected.mjs life sudoku     # only these (names or paths)
//   node scripts/gen-expected.mjs --check         # compare, write nothing; exit 1 on a difference
//
// Each fixture is compiled into a temporary directory (target
// ES2022, module ESNext (JSON imports), strict, lib ES2023, @types/node for `console`, every file a module)
// unless it brings
// its own tsconfig.json (CommonJS output then runs as CommonJS), then run twice: the two runs must agree (the program
// is deterministic), exit 0 and write nothing to stderr unless its
// fixture.json says `"allowStderr": true`. Anything else fails loudly.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ts = createRequire(import.meta.url)(join(root, 'node_modules/typescript'));
const fixturesDir = join(root, 'fixtures');
const SLOW_MS = 1000;
const TIMEOUT_MS = 30_000;

class FixtureError extends Error {}

function listFixtures(args) {
  if (args.length === 0) {
    return readdirSync(fixturesDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(fixturesDir, d.name, 'main.ts')))
      .map((d) => join(fixturesDir, d.name))
      .sort();
  }
  return args.map((arg) => {
    const dir = existsSync(arg) && statSync(arg).isDirectory() ? resolve(arg) : join(fixturesDir, arg);
    if (!existsSync(join(dir, 'main.ts'))) throw new FixtureError(`${arg}: no main.ts in ${dir}`);
    return dir;
  });
}

function tsFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...tsFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files.sort();
}

function compilerOptions(dir, outDir) {
  const overrides = { outDir, rootDir: dir, noEmit: false, noEmitOnError: true, sourceMap: false, declaration: false };
  const configPath = join(dir, 'tsconfig.json');
  if (existsSync(configPath)) {
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, overrides, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new FixtureError(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    });
    if (parsed.errors.length > 0) throw new FixtureError(formatDiagnostics(parsed.errors));
    return { options: parsed.options, files: parsed.fileNames };
  }
  return {
    options: {
      ...overrides,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      resolveJsonModule: true,
      lib: ['lib.es2023.d.ts'],
      types: ['node'],
      typeRoots: [join(root, 'node_modules/@types')],
      moduleDetection: ts.ModuleDetectionKind.Force,
      strict: true,
      skipLibCheck: true,
    },
    files: tsFiles(dir),
  };
}

function formatDiagnostics(diagnostics) {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => root,
    getNewLine: () => '\n',
  });
}

function compile(dir, outDir) {
  const { options, files } = compilerOptions(dir, outDir);
  const program = ts.createProgram(files, options);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) throw new FixtureError(`TypeScript errors:\n${formatDiagnostics(diagnostics)}`);
  const emitted = program.emit();
  if (emitted.emitSkipped || emitted.diagnostics.length > 0) throw new FixtureError(`emit failed:\n${formatDiagnostics(emitted.diagnostics)}`);
  // A fixture whose tsconfig asks for CommonJS output runs as CommonJS, as its Introspect build does.
  // Under module node16/nodenext each file's format is its own (extension, nearest package.json "type"): main.ts's decides.
  const nodeFormat = options.module >= ts.ModuleKind.Node16 && options.module <= ts.ModuleKind.NodeNext ? program.getSourceFile(join(dir, 'main.ts'))?.impliedNodeFormat : undefined;
  const commonJs = nodeFormat !== undefined ? nodeFormat === ts.ModuleKind.CommonJS : options.module === ts.ModuleKind.CommonJS || options.module === ts.ModuleKind.UMD || options.module === ts.ModuleKind.AMD;
  writeFileSync(join(outDir, 'package.json'), commonJs ? '{ "type": "commonjs" }\n' : '{ "type": "module" }\n');
  // Data files the program reads at run time (a JSON file it requires), as `introspect build` copies them.
  for (const name of readdirSync(dir)) {
    if (/\.json$/.test(name) && !['expected.txt', 'fixture.json', 'tsconfig.json', 'package.json'].includes(name) && !existsSync(join(outDir, name))) copyFileSync(join(dir, name), join(outDir, name));
  }
  const main = join(outDir, 'main.js');
  if (!existsSync(main)) throw new FixtureError(`compiled, but there is no ${main}`);
  return main;
}

function runOnce(main, settings) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [main], { encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.error) throw new FixtureError(`could not run: ${r.error.message}`);
  if (r.signal) throw new FixtureError(`killed by ${r.signal}${r.signal === 'SIGTERM' ? ` (timeout ${TIMEOUT_MS} ms)` : ''}\n${r.stderr}`);
  if (r.status !== 0) throw new FixtureError(`exit code ${r.status}\nstderr:\n${r.stderr}`);
  if (r.stderr !== '' && !settings.allowStderr) throw new FixtureError(`unexpected stderr:\n${r.stderr}`);
  if (r.stdout === '') throw new FixtureError('printed nothing');
  return { stdout: r.stdout, ms };
}

function readSettings(dir) {
  const path = join(dir, 'fixture.json');
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new FixtureError(`fixture.json: ${e.message}`);
  }
}

function processFixture(dir, check) {
  const name = basename(dir);
  const settings = readSettings(dir);
  const work = mkdtempSync(join(tmpdir(), `gen-expected-${name}-`));
  try {
    const main = compile(dir, work);
    // Packages the fixture imports (npm libraries) resolve from its own node_modules, else the checkout's.
    const own = join(dir, 'node_modules');
    symlinkSync(existsSync(own) ? own : join(root, 'node_modules'), join(work, 'node_modules'), 'junction');
    const first = runOnce(main, settings);
    const second = runOnce(main, settings);
    if (first.stdout !== second.stdout) throw new FixtureError('two runs printed different output: the program is not deterministic');
    const lines = first.stdout.split('\n').length - 1;
    const slow = first.ms > SLOW_MS ? ` (SLOW: over ${SLOW_MS} ms)` : '';
    const expectedPath = join(dir, 'expected.txt');
    if (check) {
      const old = existsSync(expectedPath) ? readFileSync(expectedPath, 'utf8') : null;
      if (old !== first.stdout) throw new FixtureError(`${relative(root, expectedPath)} is ${old === null ? 'missing' : 'out of date'}`);
      console.log(`ok    ${name}: ${lines} lines, ${first.ms.toFixed(0)} ms${slow}`);
    } else {
      writeFileSync(expectedPath, first.stdout);
      console.log(`wrote ${name}: ${lines} lines, ${first.ms.toFixed(0)} ms${slow}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function main() {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const names = args.filter((a) => a !== '--check');
  let failed = 0;
  for (const dir of listFixtures(names)) {
    try {
      processFixture(dir, check);
    } catch (e) {
      if (!(e instanceof FixtureError)) throw e;
      failed++;
      console.error(`FAIL  ${basename(dir)}: ${e.message}`);
    }
  }
  if (failed > 0) {
    console.error(`${failed} fixture(s) failed`);
    process.exitCode = 1;
  }
}

try {
  main();
} catch (e) {
  console.error(`gen-expected: ${e instanceof FixtureError ? e.message : e.stack}`);
  process.exitCode = 1;
}
