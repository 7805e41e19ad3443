// ES2025 iterator helpers over the program's generators, arrays, Maps and
// an iterator of its own, long enough that checkpoints land while helpers
// are suspended in mid-chain. Needs an engine with the helpers to run from
// the start (Node 22+, Bun, Deno); restarted, any engine (platforms.test.ts).

function* naturals(): Generator<number> {
  let n = 0;
  for (;;) yield n++;
}

function* words(text: string): Generator<string> {
  for (const w of text.split(' ')) yield w;
}

function weight(x: number): number {
  let s = 0;
  for (let i = 0; i < 40; i++) s = (s * 31 + x * i) % 1000003;
  return s;
}

class Countdown implements Iterator<number> {
  constructor(private n: number) {}
  next(): IteratorResult<number> {
    return this.n > 0 ? { value: this.n--, done: false } : { value: undefined, done: true };
  }
}

const evens = naturals().map((x) => x * 3).filter((x) => x % 2 === 0).drop(2).take(25);
let total = 0;
for (const v of evens) {
  total = (total + weight(v)) % 1000003;
  console.log('even', v, total);
}

const table = new Map([['a', 1], ['b', 2], ['c', 3]]);
const pairs = table.entries().flatMap(([k, v]) => words(`${k}${v} ${k}${v * 10}`)).map((w, i) => `${i}:${w}`);
console.log(pairs.next().value);
for (const w of pairs) console.log('pair', w, weight(w.length));

const countdown = Iterator.from(new Countdown(6));
console.log('from', countdown instanceof Iterator, countdown.map((x) => x * x).toArray().join(','));
console.log('reduce', naturals().take(30).reduce((a, x) => a + weight(x), 0));
console.log('some', [3, 5, 8, 9].values().some((x) => x % 2 === 0), 'every', words('aa bb cc').every((w) => w.length === 2));
console.log('find', naturals().find((x) => weight(x) > 900000));
const seen: string[] = [];
words('x y z').forEach((w, i) => seen.push(w + i));
console.log('forEach', seen.join(' '));
const slow = naturals().map((x) => weight(x));
for (let i = 0; i < 20; i++) console.log('slow', slow.next().value);
console.log('tag', Object.prototype.toString.call(slow), typeof slow.return);
