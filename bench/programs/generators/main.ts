// Generator-heavy benchmark: lazy pipelines of generators (range, map,
// filter, take, zip), recursive tree traversal with yield*, and a
// hand-driven coroutine fed with next(value). Checksum: a fold of results.

function* range(from: number, to: number): Generator<number> {
  for (let i = from; i < to; i++) yield i;
}

function* map<T, U>(source: Iterable<T>, fn: (x: T) => U): Generator<U> {
  for (const x of source) yield fn(x);
}

function* filter<T>(source: Iterable<T>, keep: (x: T) => boolean): Generator<T> {
  for (const x of source) if (keep(x)) yield x;
}

function* take<T>(source: Iterable<T>, n: number): Generator<T> {
  if (n <= 0) return;
  for (const x of source) {
    yield x;
    if (--n === 0) return;
  }
}

function* zip<A, B>(a: Iterable<A>, b: Iterable<B>): Generator<[A, B]> {
  const ia = a[Symbol.iterator](), ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next(), y = ib.next();
    if (x.done || y.done) return;
    yield [x.value, y.value];
  }
}

interface Tree { value: number; left: Tree | null; right: Tree | null }

function buildTree(depth: number, seed: number): Tree | null {
  if (depth === 0) return null;
  return { value: seed % 101, left: buildTree(depth - 1, seed * 3 + 1), right: buildTree(depth - 1, seed * 5 + 2) };
}

function* inOrder(tree: Tree | null): Generator<number> {
  if (tree === null) return;
  yield* inOrder(tree.left);
  yield tree.value;
  yield* inOrder(tree.right);
}

/** A running-average coroutine: send numbers in, get the average so far out. */
function* averager(): Generator<number, void, number> {
  let sum = 0, count = 0, average = 0;
  for (;;) {
    const x = yield average;
    sum += x;
    count++;
    average = sum / count;
  }
}

function round(seed: number): number {
  let acc = 0;
  const squares = map(filter(range(0, 2000), (x) => x % 3 === seed % 3), (x) => x * x);
  for (const v of take(squares, 500)) acc = (acc + v) % 1000003;
  for (const [a, b] of zip(range(0, 300), map(range(seed, seed + 300), (x) => x * 7))) acc = (acc + a * b) % 1000003;
  const tree = buildTree(9, seed);
  for (const v of inOrder(tree)) acc = (acc * 31 + v) % 1000003;
  const avg = averager();
  avg.next(0);
  let last = 0;
  for (let i = 0; i < 200; i++) last = avg.next((i * seed) % 17).value as number;
  return (acc + Math.round(last * 1000)) % 1000003;
}

function iteration(inner: number): number {
  let result = 0;
  for (let i = 0; i < inner; i++) result = (result * 7 + round(i % 50)) % 1000003;
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

runBench('generators', 300, iteration);
