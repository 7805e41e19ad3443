// Promise-heavy benchmark: async functions awaiting chains of already
// resolved promises and each other, Promise.all fan-out/fan-in, an async
// producer/consumer queue and async iteration. Only microtasks, no timers or
// I/O. Checksum: a fold of results.

async function leaf(x: number): Promise<number> {
  return (x * 31 + 7) % 1009;
}

async function chain(depth: number, x: number): Promise<number> {
  if (depth === 0) return leaf(x);
  const a = await chain(depth - 1, x + 1);
  return (a + (await leaf(x))) % 1000003;
}

async function fanOut(width: number, seed: number): Promise<number> {
  const parts = await Promise.all(Array.from({ length: width }, (_, i) => chain(3, seed + i)));
  return parts.reduce((s, v) => (s + v) % 1000003, 0);
}

class AsyncQueue<T> {
  private items: T[] = [];
  private waiters: ((value: T) => void)[] = [];
  push(item: T): void {
    const w = this.waiters.shift();
    if (w) w(item);
    else this.items.push(item);
  }
  pop(): Promise<T> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift()!);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

async function producerConsumer(n: number): Promise<number> {
  const queue = new AsyncQueue<number>();
  const consumer = (async () => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum = (sum + (await queue.pop())) % 1000003;
    return sum;
  })();
  for (let i = 0; i < n; i++) {
    queue.push(i * i);
    if (i % 4 === 0) await null;
  }
  return consumer;
}

async function* ticks(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield await leaf(i);
}

async function round(seed: number): Promise<number> {
  let acc = await fanOut(40, seed);
  acc = (acc + (await producerConsumer(200))) % 1000003;
  for await (const t of ticks(100)) acc = (acc * 3 + t) % 1000003;
  return acc;
}

async function iteration(inner: number): Promise<number> {
  let result = 0;
  for (let i = 0; i < inner; i++) result = (result * 7 + (await round(i % 50))) % 1000003;
  return result;
}

// ---- harness (the same in every benchmark program, here awaiting each iteration) ----
// BENCH_SCALE multiplies the work per iteration, BENCH_WARMUP and
// BENCH_ITERATIONS set the number of untimed and timed iterations. Prints one
// deterministic CHECKSUM line and one machine-readable BENCH line.
function benchEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const v = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

async function runBench(name: string, innerDefault: number, iteration: (inner: number) => Promise<number | string>): Promise<void> {
  const inner = Math.max(1, Math.round(innerDefault * benchEnv('BENCH_SCALE', 1)));
  const warmup = benchEnv('BENCH_WARMUP', 3);
  const count = Math.max(1, benchEnv('BENCH_ITERATIONS', 10));
  const times: number[] = [];
  let check: number | string = '';
  for (let i = 0; i < warmup + count; i++) {
    const t0 = performance.now();
    const result = await iteration(inner);
    const ms = performance.now() - t0;
    if (i === 0) check = result;
    else if (result !== check) throw new Error(`${name}: iteration ${i} gave ${result}, the first gave ${check}`);
    if (i >= warmup) times.push(Math.round(ms * 1000) / 1000);
  }
  console.log(`CHECKSUM ${name} inner=${inner} ${check}`);
  console.log(`BENCH ${JSON.stringify({ name, inner, warmup, iterations: times })}`);
}

await runBench('promises', 1200, iteration);
