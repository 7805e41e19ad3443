// The program behind the end-to-end checkpoint figures (bench/harness/
// checkpoint-e2e.ts). HOLD_KIND = objects | f64 | none | loop, HOLD_MB = size.
// objects/f64/none: builds that much live data, prints "LIVE <bytes>" and
// "T0 <epoch ms>", asks the runtime for a checkpoint (its public request(),
// reached through the runtime's global key), reaches a suspension point
// (where the checkpoint is taken), then prints "T1 <epoch ms> <checksum>" —
// after the checkpoint in the first run, right after the restore in a
// restart. loop: prints "LOOP <pid>" and spins in one synchronous loop for
// HOLD_SECONDS, so a request from outside lands inside it.

interface Rec {
  id: number;
  name: string;
  score: number;
  tags: string[];
  pos: { x: number; y: number };
}

/** Records until their JSON text (JSON.stringify of the array) reaches `bytes`. */
function makeObjects(bytes: number): { data: Rec[]; json: number } {
  const data: Rec[] = [];
  let json = 2;
  for (let i = 0; json < bytes; i++) {
    const rec: Rec = {
      id: i,
      name: `record-${i}`,
      score: (i * 7919) % 100003 / 7,
      tags: i % 3 === 0 ? ['a', 'bb'] : ['ccc'],
      pos: { x: i % 1000, y: (i * 31) % 977 },
    };
    data.push(rec);
    json += JSON.stringify(rec).length + (i > 0 ? 1 : 0);
  }
  return { data, json };
}

function makeF64(bytes: number): Float64Array {
  const a = new Float64Array(Math.floor(bytes / 8));
  for (let i = 0; i < a.length; i++) a[i] = i * 0.5;
  return a;
}

function checksum(data: Rec[] | Float64Array | null): number {
  if (data === null) return 0;
  let s = 0;
  if (data instanceof Float64Array) {
    for (let i = 0; i < data.length; i += 4096) s += data[i]!;
    return s + data.length;
  }
  for (let i = 0; i < data.length; i += 97) s += data[i]!.score + data[i]!.tags.length;
  return Math.round(s) + data.length;
}

/** The runtime's request(); the runtime object itself must not sit in a saved frame. */
function requestCheckpoint(): void {
  (globalThis as Record<symbol, { request(): void } | undefined>)[Symbol.for('introspect.runtime')]?.request();
}

/**
 * The suspension point at which the requested checkpoint is taken: its
 * entry. (It calls a function of the program through a variable: a function
 * that calls none is a leaf, which has no point at all, and so is one that
 * calls only leaves by their names.)
 */
function point(): number {
  return callOne();
}

function one(): number {
  return 1;
}
const callOne: () => number = one;

function spin(seconds: number): number {
  const end = Date.now() + seconds * 1000;
  let x = 0;
  while (Date.now() < end) {
    for (let i = 0; i < 100000; i++) x = (x * 31 + i) % 1000003;
  }
  return x;
}

function main(): void {
  const kind = process.env.HOLD_KIND ?? 'none';
  const bytes = Number(process.env.HOLD_MB ?? '0') * 1024 * 1024;
  if (kind === 'loop') {
    console.log(`LOOP ${process.pid}`);
    console.log(`DONE ${spin(Number(process.env.HOLD_SECONDS ?? '5'))}`);
    return;
  }
  let data: Rec[] | Float64Array | null = null;
  let live = 0;
  if (kind === 'objects') {
    const made = makeObjects(bytes);
    data = made.data;
    live = made.json;
  } else if (kind === 'f64') {
    data = makeF64(bytes);
    live = data.byteLength;
  }
  console.log(`LIVE ${live}`);
  console.log(`T0 ${Date.now()}`);
  requestCheckpoint();
  point();
  console.log(`T1 ${Date.now()} ${checksum(data)}`);
}

main();
