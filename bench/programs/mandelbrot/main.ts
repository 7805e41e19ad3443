// Mandelbrot benchmark: the set on a size×size grid, 50 iterations per
// point, bits packed into bytes and folded into a checksum (floating-point
// arithmetic in tight loops, no allocation).

function mandelbrot(size: number): number {
  let sum = 0;
  let byteAcc = 0;
  let bitNum = 0;
  for (let y = 0; y < size; y++) {
    const ci = (2.0 * y / size) - 1.0;
    for (let x = 0; x < size; x++) {
      let zr = 0.0, zrzr = 0.0, zi = 0.0, zizi = 0.0;
      const cr = (2.0 * x / size) - 1.5;
      let escape = 0;
      for (let z = 0; z < 50; z++) {
        zi = 2.0 * zr * zi + ci;
        zr = zrzr - zizi + cr;
        zizi = zi * zi;
        zrzr = zr * zr;
        if (zrzr + zizi > 4.0) {
          escape = 1;
          break;
        }
      }
      byteAcc = (byteAcc << 1) | (escape ^ 1);
      bitNum++;
      if (bitNum === 8) {
        sum ^= byteAcc;
        byteAcc = 0;
        bitNum = 0;
      } else if (x === size - 1) {
        byteAcc <<= 8 - bitNum;
        sum ^= byteAcc;
        byteAcc = 0;
        bitNum = 0;
      }
    }
  }
  return sum;
}

function iteration(inner: number): number {
  return mandelbrot(inner);
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

runBench('mandelbrot', 1000, iteration);
