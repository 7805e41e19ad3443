// What a loop nest costs V8 once its restore path has run (docs/PERFORMANCE.md,
// session 25): the emitted shape of a three-deep floating-point loop nest (the
// mandelbrot benchmark's), driven by a stand-in runtime, timed before and
// after one capture at its middle loop and the restore of that frame (what a
// checkpoint that continues does), with its hoisted locals starting undefined
// (before session 25) or at 0. Each shape in a fresh process:
//   node bench/experiments/after-restore.mjs
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const locals = ['sum', 'y', 'ci', 'x', 'zr', 'zi', 'zrzr', 'zizi', 'cr', 'escape', 'z'];
const poll = (n) => `if (--$k1 < 0 || $r) { $k1 = 127; if (--$R.c < 0) { $l = ${n}; $r = $R.poll(); if ($R.u) break $u; } }`;
const emitted = (start) => `function nest(size) {
  let $l = 0, $r = 0, ${locals.map((v) => v + start).join(', ')}, $k1 = 0;
  $u: { if (--$R.c < 0) { $l = 1; const $s = $R.enter(); if ($s !== void 0) { $r = $s[0]; size = $s[1]; ${locals.map((v, i) => `${v} = $s[${i + 2}];`).join(' ')} $k1 = $s[${locals.length + 2}]; } else if ($R.u) break $u; }
    $b5: { if ($r) break $b5; sum = 0; y = 0; }
    for (; $r || y < size; y++) {
      $b4: { $b3: { if ($r) if ($r <= 2) break $b3; else break $b4; } ${poll(2)} ci = 2 * y / size - 1; x = 0; }
      for (; $r || x < size; x++) {
        $b2: { $b1: { if ($r) if ($r <= 3) break $b1; else break $b2; } ${poll(3)} zr = 0; zi = 0; zrzr = 0; zizi = 0; cr = 2 * x / size - 1.5; escape = 0; z = 0; }
        for (; $r || z < 50; z++) {
          ${poll(4)}
          zi = 2 * zr * zi + ci; zr = zrzr - zizi + cr; zizi = zi * zi; zrzr = zr * zr;
          if (zrzr + zizi > 4) { escape = 1; break; }
        }
        sum += escape;
      }
    }
    return sum;
  }
  return $R.f(nest, void 0, void 0, $l, [size, ${locals.join(', ')}, $k1]);
}`;
// The runtime's part: a count window that never ends unless asked, a capture that keeps the frame, a restore that hands it back.
const runtime = `const $R = { c: 2 ** 30, u: false, rs: false, capture: false, frame: undefined,
  enter() { if (this.rs) { this.rs = false; return [this.frame.pc, ...this.frame.values]; } this.event(); return undefined; },
  poll() { this.event(); return 0; },
  event() { this.c = 2 ** 30; if (this.capture) { this.capture = false; this.u = true; } },
  f(fn, self, nt, pc, values) { this.frame = { pc, values }; return undefined; } };`;
const timed = (label) => `{ const t = performance.now(); let s = 0; for (let r = 0; r < 6; r++) s += nest(600); console.log('${label}', Math.round(performance.now() - t), 'ms'); }`;
const program = (start, restore) => `${runtime}\n${emitted(start)}\n${timed('before')}\n${timed('before')}
${restore ? '$R.c = 40; $R.capture = true; nest(600); $R.u = false; $R.rs = true; $R.c = -1; nest(600);' : ''}
${timed('after ')}\n${timed('after ')}\n${timed('after ')}`;

if (process.argv[2]) {
  const [start, restore] = JSON.parse(process.argv[2]);
  new Function(program(start, restore))();
} else {
  for (const [name, start] of [['locals start undefined', ''], ['locals start at 0', ' = 0']]) {
    for (const restore of [false, true]) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), JSON.stringify([start, restore])], { encoding: 'utf8' });
      console.log(`${name}, ${restore ? 'one capture and restore between' : 'no restore'}: ${out.trim().split('\n').join('; ')}`);
    }
  }
}
