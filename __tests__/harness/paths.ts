// Where things are: the repository root (found by walking up from this file,
// which runs compiled from dist/__tests__/harness), the fixtures and the CLI.
import { existsSync } from 'node:fs';
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
