// Where things are: the repository root (found by walking up from this file,
// which runs compiled from dist/__tests__/harness), the fixtures and the CLI.
import { existsSync, readFileSync } from 'node:fs';
import { safeStackKb } from '../../cli/platform/registry.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findRepoRoot(start: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'fixtures'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no repository root (a directory with package.json and fixtures/) above ${start}`);
  }
}

export const repoRoot = findRepoRoot();
export const fixturesDir = join(repoRoot, 'fixtures');
export const cliEntry = join(repoRoot, 'bin', 'introspect.mjs');

/**
 * The command that starts the CLI under this Node: `node --stack-size=K
 * bin/introspect.mjs`, K the fixture's own or the one bin/introspect.mjs would
 * pick (three quarters of ulimit -s). Given the flag, the launcher runs the
 * command in this process; without it, `run` and `restart` would start node a
 * second time to raise the limit, ~0.1 s of CPU on each of the oracle's
 * thousands of runs.
 */
export function cliCommand(stackSizeKb?: number): string[] {
  const kb = stackSizeKb ?? safeStackKb(existsSync('/proc/self/limits') ? readFileSync('/proc/self/limits', 'utf8') : undefined);
  return [process.execPath, ...(kb === undefined ? [] : [`--stack-size=${kb}`]), cliEntry];
}
