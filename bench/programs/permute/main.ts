// Permute benchmark: generates every permutation of six elements by
// recursive swapping, counting the calls. Checksum: calls over `inner` runs.

class Permute {
  count = 0;
  private v: number[] = [];

  run(): number {
    this.count = 0;
    this.v = new Array<number>(6).fill(0);
    this.permute(6);
    return this.count;
  }

  private permute(n: number): void {
    this.count++;
    if (n !== 0) {
      const n1 = n - 1;
      this.permute(n1);
      for (let i = n1; i >= 0; i--) {
        this.swap(n1, i);
        this.permute(n1);
        this.swap(n1, i);
      }
    }
  }

  private swap(i: number, j: number): void {
    const tmp = this.v[i];
    this.v[i] = this.v[j];
    this.v[j] = tmp;
  }
}

function iteration(inner: number): number {
  let total = 0;
  for (let i = 0; i < inner; i++) total += new Permute().run();
  return total;
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

runBench('permute', 1200, iteration);
