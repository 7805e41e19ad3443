// Builds the project: tsc over the sources into dist/, then esbuild bundles of
// what leaves this package: the runtime (ESM + CJS, copied next to every built
// program) and the ts-patch plugin entry (CJS, as ts-patch requires).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
const common = { bundle: true, platform: 'neutral', target: 'es2022', logLevel: 'warning', sourcemap: false, legalComments: 'none' };
// Every run and restart compiles the runtime: without whitespace it is a
// third smaller and compiles ~5 ms faster. Names are kept (no identifier
// minification): stack traces and class names stay readable. Lines are
// broken at 200 characters: Node prints the source line where an uncaught
// error was thrown, and a program's error rethrown by the runtime would
// otherwise print the whole bundle.
const runtimeBundle = { ...common, entryPoints: [join(root, 'dist/runtime/index.js')], minifyWhitespace: true, minifySyntax: true, lineLimit: 200 };
await build({ ...runtimeBundle, format: 'esm', outfile: join(root, 'dist/runtime.mjs') });
await build({ ...runtimeBundle, format: 'cjs', outfile: join(root, 'dist/runtime.cjs') });
// The CommonJS form is what built programs load on Node, Bun and Deno (their
// runtime.mjs requires it: runtime/plugins/node/runtime-entry.ts). Its first
// line starts with a content id, which names the V8 code cache `run` and
// `restart` keep of it (cli/code-cache.ts).
const runtimeCjs = join(root, 'dist/runtime.cjs');
const runtimeSource = readFileSync(runtimeCjs, 'utf8');
writeFileSync(runtimeCjs, `/*introspect-runtime ${createHash('sha256').update(runtimeSource).digest('hex').slice(0, 32)}*/${runtimeSource}`);
// What an ES-module program's __introspect/runtime.mjs is (copied alone: no source map).
const entrySource = readFileSync(join(root, 'dist/runtime/plugins/node/runtime-entry.js'), 'utf8');
writeFileSync(join(root, 'dist/runtime-entry.mjs'), entrySource.replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n'));
// The sources load TypeScript by `import ts = require('typescript')`, which
// tsc emits as createRequire(import.meta.url): in this CJS bundle
// import.meta.url is the bundle's own file URL.
await build({
  ...common,
  platform: 'node',
  entryPoints: [join(root, 'dist/transformer/plugin.js')],
  format: 'cjs',
  outfile: join(root, 'dist/transformer/plugin.cjs'),
  external: ['typescript'],
  banner: { js: 'const importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': 'importMetaUrl' },
});

// The command line as one module for the paths every run and restart takes
// (bin/introspect.mjs loads it): about 35 small modules are otherwise
// resolved, read and compiled on each start. Commands that run rarely, and
// modules that find files next to themselves or define the error classes
// every command shares, stay the separate modules of dist/cli, imported from
// the bundle by their relative path (it sits in dist/cli).
const cliDir = join(root, 'dist/cli');
const separate = ['cli/errors.js', 'cli/commands/build.js', 'cli/commands/inspect.js', 'cli/commands/checkpoint.js', 'cli/platform/restart.js', 'runtime/plugins/node/requests.js'].map((p) => join(root, 'dist', p));
const keepSeparate = {
  name: 'keep-separate',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = join(args.resolveDir, args.path);
      if (!separate.includes(target) || args.importer === target) return undefined;
      return { path: `./${relative(cliDir, target).split(sep).join('/')}`, external: true };
    });
  },
};
// Node's ESM facade of a builtin reads every export, and the lazy getters of
// node:fs (ReadStream, promises…) and node:util (transferableAbortSignal…)
// load the streams stack and more: ~12 ms of every start. The bundle takes
// them through require, which reads nothing, and exports the plain values by
// name (a lazy export is left out: using one fails the build's import check
// instead of loading it).
const LAZY_FACADES = ['fs', 'util'];
const withoutFacade = {
  name: 'without-facade',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(node:)?(${LAZY_FACADES.join('|')})$`) }, (args) => ({ path: args.path.replace(/^node:/, ''), namespace: 'without-facade' }));
    b.onLoad({ filter: /.*/, namespace: 'without-facade' }, async (args) => {
      const module = (await import(`node:${args.path}`)).default;
      const plain = Object.keys(module).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && 'value' in Object.getOwnPropertyDescriptor(module, name));
      return {
        contents: [
          "import { createRequire } from 'node:module';",
          `const module = createRequire(import.meta.url)('node:${args.path}');`,
          ...plain.map((name) => `export const ${name} = module.${name};`),
        ].join('\n'),
        loader: 'js',
      };
    });
  },
};
// Bare packages stay external (typescript, esbuild…), except @noble/hashes:
// resolving a package's exports map costs a start ~5 ms, and it is small.
const externalExceptNoble = {
  name: 'external-except-noble',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@noble/') || args.path.startsWith('node:') || LAZY_FACADES.includes(args.path) ? undefined : { path: args.path, external: true }));
  },
};
await build({ ...common, platform: 'node', format: 'esm', entryPoints: [join(cliDir, 'main.js')], outfile: join(cliDir, 'main.bundle.mjs'), plugins: [keepSeparate, withoutFacade, externalExceptNoble] });
