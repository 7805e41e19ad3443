// `node dist/bench/profile.js <file.cpuprofile> [top]`: the functions with
// the most self time in a V8 CPU profile (from `node --cpu-prof`), as
// "self% total% function file:line". Used for docs/PERFORMANCE.md: profile
// an instrumented benchmark with
//   node --cpu-prof --cpu-prof-dir=D bin/introspect.mjs run <out>/<name>/main.js
// then summarize D/*.cpuprofile with this.

import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

function summarize(profile: Profile, top: number): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: ProfileNode): string => {
    const file = n.callFrame.url.split('/').slice(-2).join('/');
    return `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (const id of profile.samples) {
    const node = byId.get(id)!;
    self.set(key(node), (self.get(key(node)) ?? 0) + 1);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = key(byId.get(at)!);
      if (!seen.has(k)) total.set(k, (total.get(k) ?? 0) + 1);
      seen.add(k);
    }
  }
  const n = profile.samples.length;
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, v]) => `${((100 * v) / n).toFixed(1).padStart(5)}% ${((100 * (total.get(k) ?? 0)) / n).toFixed(1).padStart(5)}%  ${k}`);
}

const [file, top] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: node dist/bench/profile.js <file.cpuprofile> [top=15]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
process.stdout.write(` self% total%  function\n${summarize(profile, Number(top ?? 15)).join('\n')}\n`);
