// Sieve benchmark: the sieve of Eratosthenes up to 5000 over a boolean
// array. Checksum: primes found, summed over `inner` sieves (669 each).

function sieve(flags: boolean[], size: number): number {
  let primes = 0;
  for (let i = 2; i <= size; i++) {
    if (flags[i - 1]) {
      primes++;
      for (let k = i + i; k <= size; k += i) flags[k - 1] = false;
    }
  }
  return primes;
}

function iteration(inner: number): number {
  let total = 0;
  for (let i = 0; i < inner; i++) {
    const flags = new Array<boolean>(5000).fill(true);
    total += sieve(flags, 5000);
  }
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

runBench('sieve', 2500, iteration);
