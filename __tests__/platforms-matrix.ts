// `npm run test:platforms`: the oracle over the fixtures on every installed
// platform (SPEC §3 step 4, §6), printed as one table platform × fixture.
// Takes INTROSPECT_PLATFORMS (a directory installed by scripts/platforms.sh;
// without it only the built-in qjs-wasm runs), optionally
// INTROSPECT_FIXTURES=a,b, INTROSPECT_PLATFORM_NAMES=x,y, INTROSPECT_JOBS=J,
// INTROSPECT_DIRECTIONS=to|from (default both), INTROSPECT_EMULATED_MAX_POINTS=P
// (default 400).
// Checkpoints are taken once per fixture and k on this Node and restarted on
// each platform; native platforms get 1, N/2, N, emulated ones (qemu, ~10×
// slower) only N/2 and only fixtures of at most P points. Node-compatible
// platforms also take a checkpoint themselves (at N/2) that this Node
// restarts (row "name →node"); INTROSPECT_DIRECTIONS keeps one of the two
// kinds of rows (a sweep of the emulated platforms that fits the time). Fixtures whose fixture.json says
// `"portable": false` (their expected output is Node's console formatting)
// run on the Node rows only, or on every Node-compatible row (Bun, Deno) with
// `"nodeRuntimes": true` (they need Node's API, not its output), or on the
// ones it names (`"nodeRuntimes": ["deno"]`);
// `"emulated": false` (timer margins) skips the emulated rows,
// `"bigEndian": false` (byte order) the big-endian ones, `"otherNodes": false`
// (a Node module's wording) the Node-compatible ones of another version; those that say
// `"restartOnce": true` (their
// state outside the checkpoint, files, is used up by a restart) get a
// checkpoint of their own for each restart. A cell shows ok/FAIL and the slowest restart
// in ms; failures are detailed below the table; exit code 1 if any.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { installedPlatforms, platformSpec, type PlatformSpec } from '../cli/platform/registry.js';
import { fixtureNames, loadFixture, loadKnownFailing } from './harness/fixtures.js';
import { buildFixture, checkFrom, checkTo, cleanUp, restartOn, takeCheckpoint, type PlatformCheck } from './harness/platform-oracle.js';
import { pool } from './harness/process.js';
import { chooseKs } from './harness/sampling.js';

const EMULATED_MAX_POINTS = Number(process.env.INTROSPECT_EMULATED_MAX_POINTS ?? 400) || 400;

interface Cell {
  checks: PlatformCheck[];
  skipped?: string;
}

async function main(): Promise<void> {
  const dirEnv = process.env.INTROSPECT_PLATFORMS;
  const dir = dirEnv && existsSync(join(dirEnv, 'bin')) ? dirEnv : undefined;
  const only = (process.env.INTROSPECT_PLATFORM_NAMES ?? '').split(',').filter(Boolean);
  let platforms: PlatformSpec[] = installedPlatforms(dir);
  if (!platforms.some((p) => p.name === 'qjs-wasm')) platforms.push(platformSpec('qjs-wasm')!);
  if (only.length > 0) platforms = platforms.filter((p) => only.includes(p.name));
  const known = loadKnownFailing();
  const wanted = (process.env.INTROSPECT_FIXTURES ?? '').split(',').filter(Boolean);
  const fixtures = fixtureNames().filter((n) => (wanted.length > 0 ? wanted.includes(n) : !known.has(n)));
  const jobs = Number(process.env.INTROSPECT_JOBS ?? 2) || 2;
  const options = { platformsDir: dir, timeoutMs: 180_000 };
  process.stderr.write(`platforms (${dir ?? 'no INTROSPECT_PLATFORMS: built-in only'}): ${platforms.map((p) => p.name).join(', ')}\nfixtures: ${fixtures.join(', ')}\n`);

  const directions = (process.env.INTROSPECT_DIRECTIONS ?? 'to,from').split(',').filter(Boolean);
  const rows = [
    ...(directions.includes('to') ? platforms.map((p) => ({ key: p.name, spec: p, from: false })) : []),
    ...(directions.includes('from') ? platforms.filter((p) => p.kind === 'node' && dir).map((p) => ({ key: `${p.name} →node`, spec: p, from: true })) : []),
  ];
  const table = new Map<string, Map<string, Cell>>(rows.map((r) => [r.key, new Map()]));
  const started = Date.now();
  for (const name of fixtures) {
    const fixture = loadFixture(name);
    let built;
    try {
      built = await buildFixture(fixture, options);
    } catch (error) {
      for (const r of rows) table.get(r.key)!.set(name, { checks: [{ k: 0, direction: 'to', ok: false, restartMs: 0, problem: String(error) }] });
      continue;
    }
    const b = built;
    const ks = chooseKs(b.points, 3, 0, name);
    const mid = Math.max(1, Math.floor(b.points / 2));
    const once = fixture.settings.restartOnce === true;
    // Only the ks some row restarts: N/2 alone when every "to" row is emulated.
    const toRows = rows.filter((r) => !r.from);
    const needed = toRows.some((r) => !r.spec.emulated) ? ks : toRows.length > 0 ? ks.filter((k) => k === mid) : [];
    const taken = once ? [] : await Promise.all(needed.map((k) => takeCheckpoint(b, k, options)));
    const tasks: { row: string; run: () => Promise<PlatformCheck> }[] = [];
    for (const r of rows) {
      const slow = r.spec.emulated;
      const runtimes = fixture.settings.nodeRuntimes;
      const onNodeRuntime = runtimes === true || (Array.isArray(runtimes) && runtimes.includes(r.spec.name));
      const nodeOnly = fixture.settings.portable === false && !(r.spec.kind === 'node' && (r.spec.name.startsWith('node') || onNodeRuntime));
      if (nodeOnly) {
        table.get(r.key)!.set(name, { checks: [], skipped: 'Node output' });
        continue;
      }
      if (r.spec.kind === 'node' && fixture.settings.otherNodes === false && !r.spec.name.startsWith(`node${process.versions.node.split('.')[0]}-`)) {
        table.get(r.key)!.set(name, { checks: [], skipped: 'Node version' });
        continue;
      }
      if (slow && fixture.settings.emulated === false) {
        table.get(r.key)!.set(name, { checks: [], skipped: 'timing' });
        continue;
      }
      if (r.spec.endianness === 'BE' && fixture.settings.bigEndian === false) {
        table.get(r.key)!.set(name, { checks: [], skipped: 'byte order' });
        continue;
      }
      if (slow && b.points > EMULATED_MAX_POINTS) {
        table.get(r.key)!.set(name, { checks: [], skipped: `${b.points} points` });
        continue;
      }
      table.get(r.key)!.set(name, { checks: [] });
      if (r.from) tasks.push({ row: r.key, run: () => checkFrom(b, r.spec, mid, options) });
      else if (once) for (const k of ks.filter((k) => !slow || k === mid)) tasks.push({ row: r.key, run: () => checkTo(b, r.spec, k, options) });
      else for (const t of taken.filter((t) => !slow || t.k === mid)) tasks.push({ row: r.key, run: () => restartOn(b, t, r.spec, options) });
    }
    await pool(tasks, jobs, async (task) => {
      const check = await task.run();
      table.get(task.row)!.get(name)!.checks.push(check);
      if (!check.ok) process.stderr.write(`  FAIL ${task.row} × ${name} k=${check.k}: ${(check.problem ?? '').split('\n').slice(0, 6).join(' | ')}\n`);
    });
    cleanUp(b);
    const done = rows.map((r) => table.get(r.key)!.get(name)!).filter((c) => c.checks.length > 0);
    const slowest = Math.max(0, ...done.flatMap((c) => c.checks.map((x) => x.restartMs)));
    process.stderr.write(`${name}: N=${b.points}, ${done.filter((c) => c.checks.every((x) => x.ok)).length}/${done.length} platforms ok, slowest restart ${slowest} ms (${Math.round((Date.now() - started) / 1000)}s)\n`);
  }

  // ---- the table ----
  const cellText = (c: Cell | undefined): string => {
    if (c === undefined) return '';
    if (c.skipped) return 'skip';
    if (c.checks.length === 0) return '-';
    const ms = Math.max(...c.checks.map((x) => x.restartMs));
    return `${c.checks.every((x) => x.ok) ? 'ok' : 'FAIL'} ${ms}`;
  };
  const header = ['platform', ...fixtures];
  const lines = [header, ...rows.map((r) => [r.key, ...fixtures.map((f) => cellText(table.get(r.key)!.get(f)))])];
  const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  const fmt = (l: string[]) => `| ${l.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [fmt(lines[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.slice(1).map(fmt)];
  let failed = 0;
  let passed = 0;
  const details: string[] = [];
  for (const r of rows) {
    for (const f of fixtures) {
      for (const c of table.get(r.key)!.get(f)?.checks ?? []) {
        if (c.ok) passed++;
        else {
          failed++;
          details.push(`${r.key} × ${f} k=${c.k} (${c.direction}):\n${(c.problem ?? '').replace(/^/gm, '    ')}`);
        }
      }
    }
  }
  process.stdout.write(`${out.join('\n')}\n\ncells: ok/FAIL and the slowest restart (ms, wall time of \`introspect restart --platform\`); skip: too many points for an emulated CPU, a fixture whose expected output is Node's console formatting (\"portable\": false), depends on timer margins an emulated CPU does not keep (\"emulated\": false) or on the byte order (\"bigEndian\": false)\n`);
  if (details.length > 0) process.stdout.write(`\nfailures:\n${details.join('\n')}\n`);
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 ? 1 : 0;
}

void main();
