// Storage benchmark: builds a tree of arrays seven levels deep whose leaves
// are arrays of pseudo-random length (GC and allocation pressure).
// Checksum: arrays allocated over `inner` trees.

class Random {
  private seed = 74755;
  next(): number {
    this.seed = ((this.seed * 1309) + 13849) & 65535;
    return this.seed;
  }
}

let allocated = 0;

function buildTree(random: Random, depth: number): unknown[] {
  allocated++;
  if (depth === 1) return new Array<number>(random.next() % 10 + 1);
  const children = new Array<unknown>(4);
  for (let i = 0; i < 4; i++) children[i] = buildTree(random, depth - 1);
  return children;
}

function iteration(inner: number): number {
  allocated = 0;
  let leaves = 0;
  for (let i = 0; i < inner; i++) {
    const random = new Random();
    const tree = buildTree(random, 7);
    leaves += tree.length;
  }
  return allocated + leaves;
}

// ---- harness (the same in every benchmark program) ----
// BENCH_SCALE multiplies the work per iteration, BENCH_WARMUP and
// BENCH_ITERATIONS set the number of untimed and timed iterations. Prints one
// deterministic CHECKSUM line and one machine-readable BENCH line.
function benchEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const v = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

function runBench(name: string, innerDefault: number, iteration: (inner: number) => number | string): void {
  const inner = Math.max(1, Math.round(innerDefault * benchEnv('BENCH_SCALE', 1)));
  const warmup = benchEnv('BENCH_WARMUP', 3);
  const count = Math.max(1, benchEnv('BENCH_ITERATIONS', 10));
  const times: number[] = [];
  let check: number | string = '';
  for (let i = 0; i < warmup + count; i++) {
    const t0 = performance.now();
    const result = iteration(inner);
    const ms = performance.now() - t0;
    if (i === 0) check = result;
    else if (result !== check) throw new Error(`${name}: iteration ${i} gave ${result}, the first gave ${check}`);
    if (i >= warmup) times.push(Math.round(ms * 1000) / 1000);
  }
  console.log(`CHECKSUM ${name} inner=${inner} ${check}`);
  console.log(`BENCH ${JSON.stringify({ name, inner, warmup, iterations: times })}`);
}

runBench('storage', 1000, iteration);
