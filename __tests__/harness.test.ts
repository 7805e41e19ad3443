// Unit tests of the oracle harness itself: k sampling, output comparison,
// the point-count line, fixture settings, the process runner and the pool.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countLines, firstDifference, formatDiff, lastLine, parsePointCount, tail } from './harness/compare.js';
import { fixtureNames, loadFixture, loadKnownFailing, parseSettings } from './harness/fixtures.js';
import { configFor, formatReport, type FixtureReport } from './harness/oracle.js';
import { cliEntry, fixturesDir, repoRoot } from './harness/paths.js';
import { pool, runProcess } from './harness/process.js';
import { chooseKs } from './harness/sampling.js';

describe('chooseKs', () => {
  test('every k when n is within the limit', () => {
    expect(chooseKs(1, 5, 5, 'x')).toEqual([1]);
    expect(chooseKs(5, 5, 5, 'x')).toEqual([1, 2, 3, 4, 5]);
    expect(chooseKs(200, 200, 60, 'x')).toHaveLength(200);
  });

  test('nothing for n < 1', () => {
    expect(chooseKs(0, 5, 5, 'x')).toEqual([]);
  });

  test('a sample plus the first, middle and last point', () => {
    const ks = chooseKs(1000, 5, 5, 'life');
    expect(ks).toHaveLength(8);
    expect(ks).toContain(1);
    expect(ks).toContain(500);
    expect(ks).toContain(1000);
    expect([...ks].sort((a, b) => a - b)).toEqual(ks);
    expect(new Set(ks).size).toBe(ks.length);
    for (const k of ks) expect(k >= 1 && k <= 1000 && Number.isInteger(k)).toBe(true);
  });

  test('deterministic per name and seed, different across names', () => {
    expect(chooseKs(100000, 5, 5, 'sudoku')).toEqual(chooseKs(100000, 5, 5, 'sudoku'));
    expect(chooseKs(100000, 5, 5, 'sudoku')).not.toEqual(chooseKs(100000, 5, 5, 'nqueens'));
    expect(chooseKs(100000, 5, 5, 'sudoku', 1)).not.toEqual(chooseKs(100000, 5, 5, 'sudoku', 2));
  });

  test('small n just above the limit still terminates with distinct ks', () => {
    expect(chooseKs(6, 5, 5, 'x')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(chooseKs(7, 5, 5, 'x')).toHaveLength(7);
  });
});

describe('comparing output', () => {
  test('equal texts have no difference', () => {
    expect(firstDifference('a\nb\n', 'a\nb\n')).toBeNull();
  });

  test('the first differing line, 1-based', () => {
    expect(firstDifference('a\nb\nc\n', 'a\nB\nc\n')).toEqual({ line: 2, expected: 'b', actual: 'B' });
  });

  test('missing and extra output show as the end of output', () => {
    expect(firstDifference('a\nb\n', 'a\n')).toEqual({ line: 2, expected: 'b', actual: '<end of output>' });
    expect(firstDifference('a\n', 'a\nzz\n')).toEqual({ line: 2, expected: '<end of output>', actual: 'zz' });
    expect(firstDifference('a\n', '')).toEqual({ line: 1, expected: 'a', actual: '<end of output>' });
  });

  test('a missing final newline is a difference', () => {
    expect(firstDifference('x\na\n', 'x\na')).toEqual({ line: 2, expected: 'a\n', actual: 'a <no newline at end>' });
    expect(firstDifference('a', 'a\n')).toEqual({ line: 1, expected: 'a <no newline at end>', actual: 'a\n' });
  });

  test('long lines are clipped, and the diff is readable', () => {
    const d = firstDifference('x'.repeat(1000), 'y');
    expect(d!.expected.length).toBeLessThan(210);
    expect(formatDiff({ line: 3, expected: 'e', actual: 'a' })).toBe('first difference at line 3:\n    expected: "e"\n    actual:   "a"');
  });

  test('lines, tails, last lines', () => {
    expect(countLines('')).toBe(0);
    expect(countLines('a')).toBe(1);
    expect(countLines('a\nb\n')).toBe(2);
    expect(tail('1\n2\n3\n4\n', 2)).toBe('3\n4');
    expect(lastLine('x\ny\n\n')).toBe('y');
  });

  test('the point count is read from the last stderr line only', () => {
    expect(parsePointCount('introspect: 1234 suspension points\n')).toBe(1234);
    expect(parsePointCount('warning\nintrospect: 1 suspension point\n')).toBe(1);
    expect(parsePointCount('introspect: 12 suspension points\nlater noise\n')).toBeNull();
    expect(parsePointCount('')).toBeNull();
  });
});

describe('fixture settings', () => {
  test('known settings are accepted, anything else is refused', () => {
    expect(parseSettings('{ "samples": 30, "stackSizeKb": 4000 }', 'f')).toEqual({ samples: 30, stackSizeKb: 4000 });
    expect(() => parseSettings('{ "sample": 3 }', 'f')).toThrow(/unknown setting "sample"/);
    expect(() => parseSettings('{ "samples": 0 }', 'f')).toThrow(/positive integer/);
    expect(parseSettings('{ "nodeRuntimes": ["deno"] }', 'f')).toEqual({ nodeRuntimes: ['deno'] });
    expect(() => parseSettings('{ "nodeRuntimes": "deno" }', 'f')).toThrow(/a boolean or a list of platform names/);
    expect(() => parseSettings('[1]', 'f')).toThrow(/an object/);
    expect(() => parseSettings('{', 'f')).toThrow(/^f: /);
  });

  test('configuration from the environment', () => {
    const fixture = { name: 'x', dir: '/nowhere', expected: Buffer.alloc(0), settings: { samples: 9 } };
    expect(configFor(fixture, {})).toMatchObject({ limit: 9, samples: 9, seed: 1, modes: ['exit', 'continue'], ks: null });
    expect(configFor(fixture, { INTROSPECT_FULL: '1' })).toMatchObject({ limit: 200, samples: 60 });
    expect(configFor(fixture, { INTROSPECT_SAMPLES: '3', INTROSPECT_KS: '7,2,7', INTROSPECT_MODES: 'exit' })).toMatchObject({ limit: 3, samples: 3, ks: [2, 7], modes: ['exit'] });
    expect(() => configFor(fixture, { INTROSPECT_KS: 'a' })).toThrow(/INTROSPECT_KS/);
    expect(() => configFor(fixture, { INTROSPECT_MODES: 'exit,pause' })).toThrow(/INTROSPECT_MODES/);
  });

  test('every fixture has main.ts, expected.txt and valid settings', () => {
    const names = fixtureNames();
    expect(names.length).toBeGreaterThanOrEqual(28);
    for (const name of names) {
      const f = loadFixture(name);
      expect(existsSync(join(fixturesDir, name, 'main.ts'))).toBe(true);
      expect(f.expected.length).toBeGreaterThan(0);
      expect(f.expected.toString('utf8').endsWith('\n')).toBe(true);
    }
  });

  test('known-failing.json names real fixtures, each with a reason', () => {
    const known = loadKnownFailing();
    for (const [name, reason] of known) {
      expect(fixtureNames()).toContain(name);
      expect(reason.length).toBeGreaterThan(10);
    }
  });

  test('paths point into the repository', () => {
    expect(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).name).toBe('introspect');
    expect(cliEntry.startsWith(repoRoot)).toBe(true);
  });
});

describe('formatReport', () => {
  test('names fixture, k, mode, the difference, stderr and how to rerun', () => {
    const report: FixtureReport = {
      name: 'demo',
      points: 40,
      ks: [1, 20, 40],
      checks: 6,
      workDir: null,
      ms: 1,
      failures: [{ stage: 'restart', k: 20, mode: 'exit', what: 'restart: exit code 0, combined output differs', diff: { line: 5, expected: 'five', actual: 'FIVE' }, command: 'node bin/introspect.mjs restart /tmp/k20.ckpt', stderrTail: 'boom' }],
    };
    const text = formatReport(report, configFor({ name: 'demo', dir: '', expected: Buffer.alloc(0), settings: {} }, {}));
    expect(text).toContain('demo: 1 of 3 ks failed (N=40');
    expect(text).toContain('demo k=20 exit mode [restart]');
    expect(text).toContain('expected: "five"');
    expect(text).toContain('actual:   "FIVE"');
    expect(text).toContain('boom');
    expect(text).toContain('INTROSPECT_FIXTURES=demo INTROSPECT_KS=20 npm test');
  });
});

describe('runProcess', () => {
  const node = process.execPath;
  // Gone, or a zombie waiting for a parent that is not us to reap it.
  const isRunning = (pid: number): boolean => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };

  test('captures stdout, stderr and the exit code', async () => {
    const r = await runProcess([node, '-e', 'process.stdout.write("out"); process.stderr.write("err"); process.exitCode = 3'], { cwd: repoRoot, timeoutMs: 20_000 });
    expect(r.stdout.toString()).toBe('out');
    expect(r.stderr.toString()).toBe('err');
    expect(r.code).toBe(3);
    expect(r.timedOut).toBe(false);
  });

  test('kills the whole process group on timeout', async () => {
    // The child starts a grandchild that would outlive it; both must die.
    const script = `
      const { spawn } = require('node:child_process');
      const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      console.log(g.pid);
      setInterval(() => {}, 1000);`;
    const r = await runProcess([node, '-e', script], { cwd: repoRoot, timeoutMs: 1500 });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    const grandchild = Number(r.stdout.toString().trim());
    expect(grandchild).toBeGreaterThan(0);
    await new Promise((done) => setTimeout(done, 200));
    expect(isRunning(grandchild)).toBe(false);
  });

  test('reports a command that cannot start', async () => {
    const r = await runProcess(['/nonexistent/program'], { cwd: repoRoot, timeoutMs: 5000 });
    expect(r.code).not.toBe(0);
    expect(r.spawnError).not.toBeNull();
  });
});

describe('pool', () => {
  test('runs everything, never more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await pool([1, 2, 3, 4, 5, 6, 7], 2, async (i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5 * (i % 3)));
      done.push(i);
      running--;
    });
    expect(peak).toBe(2);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
