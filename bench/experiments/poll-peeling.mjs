// What a loop's point costs V8, in two kinds of loop (docs/PERFORMANCE.md
// §3, session 24): a `>>> 0` hash loop and a floating-point loop, plain and
// with the two shapes of point tried, each shape in a fresh process:
//   node bench/experiments/poll-peeling.mjs
// Add --trace-turbo-loop to a shape's command (node THIS 'shape') to see
// whether TurboFan peeled its loop ("Cannot peel loop …").
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bodies = {
  hash: { init: 'h = size;', step: 'h = (Math.imul(h, 2654435761) ^ (h >>> 13)) >>> 0;', result: 'h' },
  float: { init: 'h = size * 0.25;', step: 'h = h * 0.999 + Math.sqrt(i + 1.5) * 0.001;', result: '(h * 1000) | 0' },
};
const polls = {
  // a loop's own slow path, a branch that never runs between two count windows (every loop but the next)
  branch: 'if (--$k1 < 0 || $r) { $k1 = 127; if (--$R.c < 0) { $l = 2; $r = $R.poll(); if ($R.u) break $u; } }',
  // since session 24 for call-free loops with `>>>`: a call every 128th iteration, the slow path inside it
  call: 'if (--$k1 < 0 || $r) { $k1 = 127; if ($R.lp()) { $l = 2; break $u; } $r = 0; }',
};
const emitted = ({ init, step, result }, poll) => `let $l = 0, $r = 0, h, i, $k1 = 0;
  $u: { if (--$R.c < 0) { $l = 1; const $s = $R.enter(); if ($s !== void 0) { $r = $s[0]; size = $s[1]; h = $s[2]; i = $s[3]; $k1 = $s[4]; } else if ($R.u) break $u; }
    $b1: { if ($r) { break $b1; } ${init} i = 0; }
    for (; $r || i < size * 40; i++) { ${poll} ${step} } return ${result}; }
  return $R.f(run, void 0, void 0, $l, [size, h, i, $k1]);`;
const plain = ({ init, step, result }) => `let h, i; ${init} for (i = 0; i < size * 40; i++) { ${step} } return ${result};`;
const shapes = {};
for (const [kind, body] of Object.entries(bodies)) {
  shapes[`${kind}: plain`] = plain(body);
  shapes[`${kind}: own branch`] = emitted(body, polls.branch);
  shapes[`${kind}: call to the runtime`] = emitted(body, polls.call);
}

const name = process.argv[2];
if (name === undefined) {
  for (const shape of Object.keys(shapes)) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), shape], { encoding: 'utf8' });
    console.log(`${shape.padEnd(34)} ${out.trim()}`);
  }
} else {
  // The runtime's countdown and slow paths, shaped like the real ones: a
  // 2^30-point window (no window ends in a plain run), poll() inlines and has
  // a branch a restore takes, event() is too big to inline and has run
  // (as a warm-up would make it) before the loop is compiled.
  const $R = {
    c: 2 ** 30, u: false, landing: false,
    enter() { return undefined; },
    f() { return 0; },
    poll() { return this.landing ? (this.landing = false, 0) : (this.event(), 0); },
    lp() { return --this.c >= 0 ? false : (this.event(), this.u); },
    event: new Function(`return function event() { this.c = 2 ** 30; if (this.u) { ${'this.x = (this.x | 0) + 1; '.repeat(120)} } }`)(),
  };
  for (let i = 0; i < 32; i++) { $R.c = 0; $R.lp(); }
  const run = new Function('$R', `return function run(size) { ${shapes[name]} }`)($R);
  const rounds = Number(process.env.ROUNDS ?? 20000);
  let acc = 0;
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) acc = (acc + run(50 + (r % 400))) >>> 0;
  console.log(`${Math.round(performance.now() - t0)} ms (checksum ${acc})`);
}
