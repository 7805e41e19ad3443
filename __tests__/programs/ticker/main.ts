// A program for the restart-then-checkpoint-again tests (__tests__/requests.test.ts).
// Takes: argv[2] "tla" (the loop at top level, with top-level await) or
// "main" (the loop in an async function the module calls); argv[3] the
// number of ticks. Each tick waits on a timer, then counts in module state
// and prints the count, so a restart that ran a body twice or lost the
// count shows in the output.

const mode = process.argv[2] ?? 'tla';
const ticks = Number(process.argv[3] ?? 12);
let n = 0;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function loop(): Promise<void> {
  for (let i = 0; i < ticks; i++) {
    await sleep(40);
    n++;
    console.log(`tick ${i} n ${n}`);
  }
  console.log('done');
}

if (mode === 'tla') {
  for (let i = 0; i < ticks; i++) {
    await sleep(40);
    n++;
    console.log(`tick ${i} n ${n}`);
  }
  console.log('done');
} else {
  void loop();
}
