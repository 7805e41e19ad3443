// Builds the project: tsc over the sources into dist/, then esbuild bundles of
// what leaves this package: the runtime (ESM + CJS, copied next to every built
// program) and the ts-patch plugin entry (CJS, as ts-patch requires).
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
const common = { bundle: true, platform: 'neutral', target: 'es2022', logLevel: 'warning', sourcemap: false, legalComments: 'none' };
await build({ ...common, entryPoints: [join(root, 'dist/runtime/index.js')], format: 'esm', outfile: join(root, 'dist/runtime.mjs') });
await build({ ...common, entryPoints: [join(root, 'dist/runtime/index.js')], format: 'cjs', outfile: join(root, 'dist/runtime.cjs') });
await build({ ...common, platform: 'node', entryPoints: [join(root, 'dist/transformer/plugin.js')], format: 'cjs', outfile: join(root, 'dist/transformer/plugin.cjs'), external: ['typescript'] });
