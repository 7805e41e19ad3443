// Measures the checkpoint-request path (docs/OPERATIONS.md), outside the
// tests (no timing asserts there). After `node scripts/build.mjs`:
//
//   node scripts/measure-requests.mjs [--runs N] [--baseline-runtime FILE]
//
// 1. latency: `introspect run` of __tests__/programs/spin (a long synchronous
//    loop) with --checkpoint-dir; N requests on the socket, each timed from
//    sending it to the answer "written" (sent after the file is durable), and
//    N SIGUSR2 signals, each timed until a new file appears in the directory.
// 2. overhead: a CPU-bound program (tight loops and calls: the most count
//    windows per second) run N times each, interleaved: with the runtime of
//    --baseline-runtime (another runtime.mjs to compare with) if given, with
//    this runtime and no request desk (2^30-point count windows, no check),
//    and with the request desk (--checkpoint-dir: 2^14-point windows, each
//    ending with the request check). Reports the median wall time.
// 3. startup: a trivial program, with and without the request desk.

import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { askToCheckpoint } from '../dist/runtime/plugins/node/request-client.js';
import { socketPath } from '../dist/runtime/plugins/node/request-socket.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'introspect.mjs');
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const RUNS = Number(opt('--runs', '15'));
const BASELINE = opt('--baseline-runtime', undefined);
const scratch = mkdtempSync(join(tmpdir(), 'introspect-measure-'));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${median(s).toFixed(1)} ms, p90 ${s[Math.floor(s.length * 0.9)].toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms (n=${s.length})`;
};

function build(dir, out) {
  const r = spawnSync(process.execPath, [BIN, 'build', dir, '--out-dir', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}

async function latency() {
  const out = join(scratch, 'spin');
  build(join(ROOT, '__tests__', 'programs', 'spin'), out);
  const stop = join(scratch, 'stop');
  const dir = join(scratch, 'ckpts');
  const child = spawn(process.execPath, [BIN, 'run', join(out, 'main.js'), '--checkpoint-dir', dir, stop], { stdio: ['ignore', 'pipe', 'ignore'] });
  while (!existsSync(socketPath(child.pid))) await sleep(10);
  await sleep(200);
  const socket = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const outcome = await askToCheckpoint(child.pid, { exit: false, wait: true, timeoutMs: 10_000 });
    if (outcome.kind !== 'written') throw new Error(JSON.stringify(outcome));
    socket.push(performance.now() - t0);
    await sleep(50);
  }
  const signal = [];
  for (let i = 0; i < RUNS; i++) {
    const before = readdirSync(dir).length;
    const t0 = performance.now();
    process.kill(child.pid, 'SIGUSR2');
    while (readdirSync(dir).filter((n) => n.endsWith('.ckpt')).length === before) await new Promise((resolve) => setImmediate(resolve));
    signal.push(performance.now() - t0);
    await sleep(50);
  }
  writeFileSync(stop, '');
  await new Promise((resolve) => child.on('close', resolve));
  console.log(`latency, request on the socket → answer "written" (file durable): ${fmt(socket)}`);
  console.log(`latency, SIGUSR2 → new file in the directory:                   ${fmt(signal)}`);
}

const CPU = `
function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
function sieve(n: number): number {
  const composite = new Uint8Array(n + 1);
  let count = 0;
  for (let i = 2; i <= n; i++) {
    if (composite[i]) continue;
    count++;
    for (let j = i * i; j <= n; j += i) composite[j] = 1;
  }
  return count;
}
function mix(rounds: number): number {
  let s = 0;
  for (let i = 0; i < rounds; i++) s = (s * 31 + i) % 1000003;
  return s;
}
let total = 0;
for (let r = 0; r < 6; r++) total += fib(27) + sieve(2_000_000) + mix(20_000_000);
console.log(total);
`;

function timeRun(entry, extra) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, 'run', entry, ...extra], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return performance.now() - t0;
}

function overhead() {
  const src = join(scratch, 'cpu-src');
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, 'main.ts'), CPU);
  const out = join(scratch, 'cpu');
  build(src, out);
  const variants = [];
  if (BASELINE) {
    const base = join(scratch, 'cpu-baseline');
    build(src, base);
    copyFileSync(BASELINE, join(base, '__introspect', 'runtime.mjs'));
    variants.push({ name: 'baseline runtime (--baseline-runtime)', entry: join(base, 'main.js'), extra: [] });
  }
  variants.push({ name: 'no request desk (2^30 windows)', entry: join(out, 'main.js'), extra: [] });
  variants.push({ name: 'request desk (2^14 windows + check)', entry: join(out, 'main.js'), extra: ['--checkpoint-dir', join(scratch, 'cpu-ckpts')] });
  const times = variants.map(() => []);
  for (let i = 0; i < RUNS; i++) variants.forEach((v, j) => times[j].push(timeRun(v.entry, v.extra)));
  const ref = median(times[0]);
  variants.forEach((v, j) => console.log(`cpu-bound program, ${v.name.padEnd(46)} ${fmt(times[j])}  ratio ${(median(times[j]) / ref).toFixed(3)}`));
}

function startup() {
  const src = join(scratch, 'tiny-src');
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, 'main.ts'), 'console.log("hi");\n');
  const out = join(scratch, 'tiny');
  build(src, out);
  const plain = [];
  const desk = [];
  for (let i = 0; i < RUNS; i++) {
    plain.push(timeRun(join(out, 'main.js'), []));
    desk.push(timeRun(join(out, 'main.js'), ['--checkpoint-dir', join(scratch, 'tiny-ckpts')]));
  }
  console.log(`startup, trivial program, plain run:            ${fmt(plain)}`);
  console.log(`startup, trivial program, with --checkpoint-dir: ${fmt(desk)}`);
}

try {
  await latency();
  overhead();
  startup();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
