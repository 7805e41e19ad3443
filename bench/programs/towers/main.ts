// Towers benchmark: Towers of Hanoi with each pile a linked list of discs
// (allocation + recursion). Checksum: total moves over `inner` solves.

class Disc {
  next: Disc | null = null;
  constructor(readonly size: number) {}
}

class Towers {
  private piles: (Disc | null)[] = [null, null, null];
  moves = 0;

  push(pile: number, disc: Disc): void {
    const top = this.piles[pile];
    if (top !== null && disc.size >= top.size) throw new Error(`cannot put disc ${disc.size} on ${top.size}`);
    disc.next = top;
    this.piles[pile] = disc;
  }

  pop(pile: number): Disc {
    const top = this.piles[pile];
    if (top === null) throw new Error(`pile ${pile} is empty`);
    this.piles[pile] = top.next;
    top.next = null;
    return top;
  }

  build(pile: number, discs: number): void {
    for (let size = discs; size > 0; size--) this.push(pile, new Disc(size));
  }

  moveTop(from: number, to: number): void {
    this.push(to, this.pop(from));
    this.moves++;
  }

  move(from: number, to: number, discs: number): void {
    if (discs === 1) {
      this.moveTop(from, to);
      return;
    }
    const other = 3 - from - to;
    this.move(from, other, discs - 1);
    this.moveTop(from, to);
    this.move(other, to, discs - 1);
  }
}

function solve(): number {
  const towers = new Towers();
  towers.build(0, 13);
  towers.move(0, 1, 13);
  return towers.moves;
}

function iteration(inner: number): number {
  let total = 0;
  for (let i = 0; i < inner; i++) total += solve();
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

runBench('towers', 700, iteration);
