// Builds the project: tsc over the sources into dist/, then esbuild bundles of
// what leaves this package: the runtime (ESM + CJS, copied next to every built
// program) and the ts-patch plugin entry (CJS, as ts-patch requires).
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
const common = { bundle: true, platform: 'neutral', target: 'es2022', logLevel: 'warning', sourcemap: false, legalComments: 'none' };
await build({ ...common, entryPoints: [join(root, 'dist/runtime/index.js')], format: 'esm', outfile: join(root, 'dist/runtime.mjs') });
await build({ ...common, entryPoints: [join(root, 'dist/runtime/index.js')], format: 'cjs', outfile: join(root, 'dist/runtime.cjs') });
await build({ ...common, platform: 'node', entryPoints: [join(root, 'dist/transformer/plugin.js')], format: 'cjs', outfile: join(root, 'dist/transformer/plugin.cjs'), external: ['typescript'] });

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
await build({ ...common, platform: 'node', format: 'esm', entryPoints: [join(cliDir, 'main.js')], outfile: join(cliDir, 'main.bundle.mjs'), packages: 'external', plugins: [keepSeparate] });
