// List benchmark: the Takeuchi function over linked lists (Gabriel's TAKL):
// recursion and pointer chasing. Checksum: length of the resulting list,
// summed over `inner` runs.

class Element {
  next: Element | null = null;
  constructor(readonly value: number) {}

  length(): number {
    return this.next === null ? 1 : 1 + this.next.length();
  }
}

function makeList(length: number): Element | null {
  if (length === 0) return null;
  const e = new Element(length);
  e.next = makeList(length - 1);
  return e;
}

function isShorterThan(x: Element | null, y: Element | null): boolean {
  let xTail = x;
  let yTail = y;
  while (yTail !== null) {
    if (xTail === null) return true;
    xTail = xTail.next;
    yTail = yTail.next;
  }
  return false;
}

function tail(x: Element | null, y: Element | null, z: Element | null): Element | null {
  if (isShorterThan(y, x)) {
    return tail(tail(x!.next, y, z), tail(y!.next, z, x), tail(z!.next, x, y));
  }
  return z;
}

function iteration(inner: number): number {
  let total = 0;
  for (let i = 0; i < inner; i++) {
    const result = tail(makeList(15), makeList(10), makeList(6));
    total += result === null ? 0 : result.length();
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

runBench('list', 1800, iteration);
