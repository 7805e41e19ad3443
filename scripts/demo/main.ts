// The fallback program of `npm run demo`: deterministic, many lines, with a
// generator, an async loop and closures, so a checkpoint taken half-way has
// real state to carry (generator position, pending awaits, captured counters).

function* primes(): Generator<number> {
  const found: number[] = [];
  for (let n = 2; ; n++) {
    if (found.every((p) => n % p !== 0)) {
      found.push(n);
      yield n;
    }
  }
}

function counter(label: string) {
  let count = 0;
  return (value: number) => `${label} #${++count}: ${value}`;
}

async function tick(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

async function main(): Promise<void> {
  const next = primes();
  const show = counter('prime');
  let sum = 0;
  for (let i = 0; i < 30; i++) {
    const p = next.next().value as number;
    sum += p;
    console.log(`${show(p)}  (running sum ${sum})`);
    await tick(1);
  }
  console.log(`done: the first 30 primes add up to ${sum}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
