// A program for the checkpoint-request tests (__tests__/requests.test.ts).
// Takes: argv[2] a stop file, argv[3] "busy" (default) or "idle". Prints a
// few lines, then either computes in one long synchronous loop, or waits on
// a timer, until the stop file exists; then prints results that do not
// depend on how long it ran, and checks that the state it carried through
// the loop (which a checkpoint captures mid-way) is consistent.

import { existsSync } from 'node:fs';

const stopFile = process.argv[2] ?? '';
const mode = process.argv[3] ?? 'busy';
const table: number[] = [];
let total = 0;

function setup(size: number): void {
  for (let i = 0; i < size; i++) {
    table.push((i * 2654435761) % 1000);
    total += table[i]!;
  }
}

/** Moves weight between two cells: `total` stays the sum of `table`. */
function shuffle(round: number): void {
  for (let k = 0; k < 64; k++) {
    const from = (round * 31 + k * 7) % table.length;
    const to = (round * 17 + k * 13) % table.length;
    const amount = table[from]! % 3;
    table[from]! -= amount;
    table[to]! += amount;
  }
}

function busy(): number {
  let rounds = 0;
  for (;;) {
    shuffle(rounds);
    rounds++;
    if (rounds % 2048 === 0 && existsSync(stopFile)) return rounds;
  }
}

function finish(rounds: number): void {
  let sum = 0;
  for (const cell of table) sum += cell;
  console.log(`ran: ${rounds > 0}`);
  console.log(`consistent: ${sum === total}, total ${total}`);
  console.log('done');
}

setup(997);
console.log(`start: ${table.length} cells, total ${total}`);
console.log(`ready ${mode}`);
if (mode === 'idle') {
  let rounds = 0;
  const timer = setInterval(() => {
    shuffle(rounds++);
    if (existsSync(stopFile)) {
      clearInterval(timer);
      finish(rounds);
    }
  }, 20);
} else {
  finish(busy());
}
