// Why a loop's point once cost a hash loop 5× (docs/PERFORMANCE.md §3,
// session 24). The loop of a hash function as the transform emits it, with a
// stand-in runtime, each shape in a fresh process:
//   node bench/experiments/poll-peeling.mjs
// Add --trace-turbo-loop to a shape's command (node THIS 'shape') to see
// whether TurboFan peeled its loop ("Cannot peel loop …").
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const step = 'h = (Math.imul(h, 2654435761) ^ (h >>> 13)) >>> 0;';
const entry = 'if (--$R.c < 0) { $l = 1; const $s = $R.enter(); if ($s !== void 0) { $r = $s[0]; size = $s[1]; h = $s[2]; i = $s[3]; $k1 = $s[4]; } else if ($R.u) break $u; }';
const start = '$b1: { if ($r) { break $b1; } h = size; i = 0; }';
const polls = {
  // until session 23: the loop's own slow path, a branch that never runs between two count windows
  branch: 'if (--$k1 < 0 || $r) { $k1 = 127; if (--$R.c < 0) { $l = 2; $r = $R.poll(); if ($R.u) break $u; } }',
  // since session 24: a call every 128th iteration, the slow path inside it
  lp: 'if (--$k1 < 0 || $r) { $k1 = 127; if ($R.lp()) { $l = 2; break $u; } $r = 0; }',
};
const emitted = (poll) => `let $l = 0, $r = 0, h, i, $k1 = 0;
  $u: { ${entry} ${start} for (; $r || i < size * 40; i++) { ${poll} ${step} } return h; }
  return $R.f(run, void 0, void 0, $l, [size, h, i, $k1]);`;
const shapes = {
  'plain': { body: `let h = size; for (let i = 0; i < size * 40; i++) { ${step} } return h;` },
  'own branch, 2^30 window (session 23)': { body: emitted(polls.branch), window: 2 ** 30 },
  'own branch, 1000-point window': { body: emitted(polls.branch), window: 1000 },
  '$R.lp(), 2^30 window (session 24)': { body: emitted(polls.lp), window: 2 ** 30 },
};

const name = process.argv[2];
if (name === undefined) {
  for (const shape of Object.keys(shapes)) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), shape], { encoding: 'utf8' });
    console.log(`${shape.padEnd(40)} ${out.trim()} ms`);
  }
} else {
  const { body, window = 0 } = shapes[name];
  // The runtime's countdown and slow paths, shaped like the real ones:
  // poll() inlines and has a branch a restore takes; event() is too big to inline.
  const $R = {
    c: window, u: false, landing: false,
    enter() { return undefined; },
    f() { return 0; },
    poll() { return this.landing ? (this.landing = false, 0) : (this.event(), 0); },
    lp() { return --this.c >= 0 ? false : (this.event(), this.u); },
    event: new Function(`return function event() { this.c = ${window}; if (this.u) { ${'this.x = (this.x | 0) + 1; '.repeat(120)} } }`)(),
  };
  for (let i = 0; i < 32; i++) { $R.c = 0; $R.lp(); } // as Runtime.warmPoints
  const run = new Function('$R', `return function run(size) { ${body} }`)($R);
  const rounds = Number(process.env.ROUNDS ?? 20000);
  let acc = 0;
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) acc = (acc + run(50 + (r % 400))) >>> 0;
  if (rounds === 20000 && acc !== 3488983118) throw new Error(`${name}: wrong result ${acc}`);
  console.log(Math.round(performance.now() - t0));
}
