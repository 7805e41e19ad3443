// Queens benchmark: the eight queens problem by backtracking over free rows
// and diagonals (boolean arrays), solved 10 times per inner repetition.
// Checksum: how many solves succeeded.

class Queens {
  private freeRows = new Array<boolean>(8).fill(true);
  private freeMaxs = new Array<boolean>(16).fill(true);
  private freeMins = new Array<boolean>(16).fill(true);
  private queenRows = new Array<number>(8).fill(-1);

  solve(): boolean {
    return this.place(0);
  }

  private place(c: number): boolean {
    for (let r = 0; r < 8; r++) {
      if (this.isFree(r, c)) {
        this.set(r, c, true);
        if (c === 7 || this.place(c + 1)) return true;
        this.set(r, c, false);
      }
    }
    return false;
  }

  private isFree(r: number, c: number): boolean {
    return this.freeRows[r] && this.freeMaxs[c + r] && this.freeMins[c - r + 7];
  }

  private set(r: number, c: number, queen: boolean): void {
    this.queenRows[r] = queen ? c : -1;
    this.freeRows[r] = !queen;
    this.freeMaxs[c + r] = !queen;
    this.freeMins[c - r + 7] = !queen;
  }
}

function iteration(inner: number): number {
  let solved = 0;
  for (let i = 0; i < inner; i++) {
    for (let k = 0; k < 10; k++) if (new Queens().solve()) solved++;
  }
  return solved;
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

runBench('queens', 1000, iteration);
