// Closure-heavy benchmark: higher-order code that creates and calls many
// small closures over mutable captured variables: counters, function
// composition, memoising factories, array pipelines with arrow callbacks and
// an event emitter of listener closures. Checksum: a fold of all results.

function makeCounter(start: number): { inc: () => number; add: (n: number) => number } {
  let value = start;
  return {
    inc: () => ++value,
    add: (n: number) => (value += n),
  };
}

function compose<T>(...fns: ((x: T) => T)[]): (x: T) => T {
  return (x: T) => fns.reduceRight((acc, f) => f(acc), x);
}

function memoize(fn: (n: number) => number): (n: number) => number {
  const cache = new Map<number, number>();
  return (n: number) => {
    let v = cache.get(n);
    if (v === undefined) {
      v = fn(n);
      cache.set(n, v);
    }
    return v;
  };
}

class Emitter {
  private listeners: ((value: number) => void)[] = [];
  on(fn: (value: number) => void): () => void {
    this.listeners.push(fn);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== fn);
    };
  }
  emit(value: number): void {
    for (const l of this.listeners) l(value);
  }
}

function round(seed: number): number {
  const counter = makeCounter(seed);
  for (let i = 0; i < 50; i++) counter.inc();
  const adders: ((x: number) => number)[] = [];
  for (let i = 0; i < 8; i++) adders.push((x) => x + i);
  const f = compose(...adders, (x: number) => x * 3);
  let acc = 0;
  for (let i = 0; i < 20; i++) acc = (acc + f(i + counter.add(1))) % 1000003;

  const fib: (n: number) => number = memoize((n) => (n < 2 ? n : (fib(n - 1) + fib(n - 2)) % 1000003));
  acc = (acc + fib(60 + (seed % 10))) % 1000003;

  const values = Array.from({ length: 64 }, (_, k) => (k * seed) % 97);
  acc += values
    .map((v) => v * 2)
    .filter((v) => v % 3 !== 0)
    .reduce((s, v) => s + v, 0);

  const emitter = new Emitter();
  let total = 0;
  const offs = [1, 2, 3, 4].map((k) => emitter.on((v) => { total += v * k; }));
  for (let i = 0; i < 10; i++) emitter.emit(i);
  offs[1]();
  for (let i = 0; i < 10; i++) emitter.emit(i);
  return (acc + total) % 1000003;
}

function iteration(inner: number): number {
  let result = 0;
  for (let i = 0; i < inner; i++) result = (result * 7 + round(i % 100)) % 1000003;
  return result;
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

runBench('closures', 4000, iteration);
