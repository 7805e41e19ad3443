// `introspect inspect` end to end: builds a small two-module program, takes a
// checkpoint at the first point where four frames are on the stack (module
// body › Shelf.restock › its closure bump › log in another module), and
// checks that the text and --json views name the real functions, source
// lines and locals, the module state and a heap summary — and that the
// program was not loaded to do it.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedPrefix, slotRole, type SlotRole } from '../cli/inspect/local-names.js';
import { readHeader } from '../runtime/format/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'introspect.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'introspect-inspect-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function cli(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}

// Line numbers matter: the assertions below name them.
const MAIN = `// A tiny inventory: a class method calls a closure that logs each item.
import { log, Tally } from './tally.js';

interface Item { name: string; qty: number }

class Shelf {
  items: Item[] = [];
  constructor(readonly label: string) {}
  restock(extra: number): number {
    const bump = (item: Item): number => {
      item.qty += extra;
      log(\`\${this.label}: \${item.name} -> \${item.qty}\`);
      return item.qty;
    };
    let total = 0;
    for (const item of this.items) total += bump(item);
    return total;
  }
}

const shelf = new Shelf('north');
shelf.items.push({ name: 'bolts', qty: 3 }, { name: 'nuts', qty: 5 }, { name: 'gears', qty: 1 });
const tally = new Tally();
for (let round = 1; round <= 2; round++) tally.add(shelf.restock(round * 10));
log(\`total \${tally.sum}\`);
`;

const TALLY = `// Module-level state: how many lines were logged.
let lines = 0;
export function log(text: string): void {
  lines++;
  console.log(\`\${lines}. \${text}\`);
}
export class Tally {
  sum = 0;
  add(n: number): void { this.sum += n; }
}
`;

interface JsonLocal { name: string; value: string; captured?: true; outer?: true; generated?: true }
interface JsonFrame { depth: number; id: string; name: string; file: string; line: number; pc: number; self?: string; locals: JsonLocal[] }
interface JsonBody {
  order: string;
  points: number;
  frames: JsonFrame[];
  modules: { id: string; state: string[] }[];
  heap: { nodes: number; byType: { type: string; count: number; bytes: number }[] };
}

const program = join(scratch, 'shelf');
const out = join(scratch, 'out');
const file = join(scratch, 'shelf.ckpt');
let k = 0;

beforeAll(() => {
  mkdirSync(program, { recursive: true });
  writeFileSync(join(program, 'main.ts'), MAIN);
  writeFileSync(join(program, 'tally.ts'), TALLY);
  const build = cli(['build', program, '--out-dir', out]);
  expect(build.stderr).not.toMatch(/error/i);
  expect(build.status).toBe(0);
  const counted = cli(['run', join(out, 'main.js'), '--count-points']);
  expect(counted.status).toBe(0);
  const n = Number(/introspect: (\d+) suspension points\s*$/.exec(counted.stderr)?.[1]);
  expect(n).toBeGreaterThan(8);
  // The first point with four frames on the stack: inside log, called by bump.
  for (k = 1; k <= n; k++) {
    const r = cli(['run', join(out, 'main.js'), '--checkpoint-at', String(k), '--checkpoint-file', file, '--exit-after-checkpoint']);
    expect(r.status).toBe(0);
    const stack = readHeader(new Uint8Array(readFileSync(file))).stack as { fn: string }[];
    if (stack.length === 4) return;
  }
  throw new Error('no point with four frames on the stack');
});

test('text view: every frame innermost first, with its function, file:line and locals', () => {
  const r = cli(['inspect', file]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const text = r.stdout;
  expect(text).toContain('stack (4 frames, innermost first)');
  const frames = [...text.matchAll(/^ {2}at (.+?) \((\S+?):(\d+)\)/gm)].map((m) => [m[1], m[2]]);
  expect(frames).toEqual([
    ['log', 'tally.ts'],
    ['Shelf/restock/bump', 'main.ts'],
    ['Shelf/restock', 'main.ts'],
    ['<module body>', 'main.ts'],
  ]);
  // Locals by name with previews; the captured parameter is found in its environment.
  expect(text).toMatch(/^ {6}text = "north: bolts -> 13"$/m);
  expect(text).toMatch(/^ {6}item = \{name: "bolts", qty: 13\}$/m);
  expect(text).toMatch(/^ {6}extra = 10 {2}\(captured\)$/m);
  expect(text).toMatch(/^ {6}extra = 10 {2}\(from the enclosing function\)$/m);
  expect(text).toMatch(/^ {6}this = Shelf \{label: "north", items: Array\(3\)\}$/m);
  expect(text).toMatch(/^ {6}total = 0$/m);
  expect(text).toMatch(/^ {6}round = 1$/m);
  expect(text).toMatch(/^ {6}bump = closure main\.ts#Shelf\/restock\/bump/m);
  // The transformer's temporaries are not shown to people.
  expect(text).not.toMatch(/^ {6}\$/m);
  // Module state, and the heap by type with a user class in it.
  expect(text).toMatch(/^ {2}tally\.ts: 0$/m);
  expect(text).toMatch(/^ {2}main\.ts: Shelf \{.*\}, Tally \{sum: 0\}$/m);
  expect(text).toMatch(/^ {2}Shelf +1 +\d+$/m);
  expect(text).toMatch(/^ {2}string +\d+ +\d+$/m);
  // A program that leaves the global environment alone has no changes to it (none the host made count).
  expect(text).not.toContain('global changes');
});

test('--json: the same frames, names, lines and locals for tools', () => {
  const r = cli(['inspect', file, '--json']);
  expect(r.status).toBe(0);
  const body = (JSON.parse(r.stdout) as { body: JsonBody }).body;
  expect(body.order).toBe('innermost-first');
  expect(body.points).toBe(k);
  expect(body.frames.map((f) => [f.depth, f.id, f.file])).toEqual([
    [0, 'tally.ts#log', 'tally.ts'],
    [1, 'main.ts#Shelf/restock/bump', 'main.ts'],
    [2, 'main.ts#Shelf/restock', 'main.ts'],
    [3, 'main.ts#<body>', 'main.ts'],
  ]);
  const [log, bump, restock, body0] = body.frames as [JsonFrame, JsonFrame, JsonFrame, JsonFrame];
  expect(log.pc).toBe(1);
  expect(log.locals).toEqual([{ name: 'text', value: '"north: bolts -> 13"' }]);
  expect(bump.locals).toEqual([
    { name: 'item', value: '{name: "bolts", qty: 13}' },
    { name: 'extra', value: '10', outer: true },
  ]);
  expect(restock.self).toBe('Shelf {label: "north", items: Array(3)}');
  const named = (f: JsonFrame) => Object.fromEntries(f.locals.filter((l) => !l.generated).map((l) => [l.name, l.value]));
  expect(named(restock)).toEqual({ extra: '10', bump: expect.stringContaining('closure main.ts#Shelf/restock/bump') as unknown, total: '0', item: '{name: "bolts", qty: 13}' });
  expect(restock.locals.find((l) => l.name === 'extra')?.captured).toBe(true);
  expect(named(body0)).toEqual({ round: '1' });
  // Call sites inside expressions sit on the line of the call.
  expect(restock.line).toBe(16);
  expect(body0.line).toBe(24);
  expect(body.modules).toEqual([
    { id: 'tally.ts', state: ['0'] },
    { id: 'main.ts', state: ['Shelf {label: "north", items: Array(3)}', 'Tally {sum: 0}'] },
  ]);
  const types = Object.fromEntries(body.heap.byType.map((t) => [t.type, t.count]));
  expect(types).toMatchObject({ Shelf: 1, Tally: 1 });
  expect(body.heap.nodes).toBeGreaterThan(0);
});

// Lines are those of the node itself, not of the token before it (lineOf
// once scanned with trivia and reported the previous line).
test('--json: entry points and call statements are on their own lines', () => {
  const body = (JSON.parse(cli(['inspect', file, '--json']).stdout) as { body: JsonBody }).body;
  expect(body.frames.map((f) => f.line)).toEqual([3, 12, 16, 24]);
});

test('inspect does not need the program: it works with the build deleted', () => {
  const moved = join(scratch, 'elsewhere.ckpt');
  writeFileSync(moved, readFileSync(file));
  rmSync(out, { recursive: true, force: true });
  const r = cli(['inspect', moved]);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^ {2}at Shelf\/restock \(main\.ts:16\)$/m);
});

test('a checkpoint whose body is damaged is refused with exit 3, nothing on stdout', () => {
  const bytes = readFileSync(file);
  const bad = Buffer.from(bytes);
  bad[bad.length - 40] = bad[bad.length - 40]! ^ 0xff;
  const damaged = join(scratch, 'damaged.ckpt');
  writeFileSync(damaged, bad);
  const r = cli(['inspect', damaged]);
  expect(r.status).toBe(3);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/damaged\.ckpt is not a usable checkpoint/);
});

test('the program\'s changes to globals are listed, and --json has them', () => {
  const dir = join(scratch, 'globals');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'main.ts'),
    `(globalThis as any).config = { level: 3 };
(Array.prototype as any).sum = function (this: number[]) { return this.reduce((a, b) => a + b, 0); };
Math.random = () => 0.5;
delete (globalThis as any).escape;
for (let i = 0; i < 3; i++) console.log(i, (globalThis as any).config.level, ([1, 2, i] as any).sum());
export {};
`,
  );
  const built = join(scratch, 'globals-out');
  expect(cli(['build', dir, '--out-dir', built]).status).toBe(0);
  const ckpt = join(scratch, 'globals.ckpt');
  expect(cli(['run', join(built, 'main.js'), '--checkpoint-at', '2', '--checkpoint-file', ckpt, '--exit-after-checkpoint']).status).toBe(0);
  const text = cli(['inspect', ckpt]).stdout;
  const section = text.slice(text.indexOf('global changes'), text.indexOf('heap by type'));
  expect(section.split('\n').slice(1).filter(Boolean)).toEqual([
    '  globalThis.config = {level: 3}',
    '  globalThis.escape (deleted)',
    '  Array.prototype.sum = closure main.ts#<anonymous> (0 envs)',
    '  Math.random = closure main.ts#<arrow> (0 envs)',
  ]);
  const json = JSON.parse(cli(['inspect', ckpt, '--json']).stdout) as { body: { globals: { name: string }[] } };
  expect(json.body.globals.map((g) => g.name)).toEqual(['globalThis.config', 'globalThis.escape', 'Array.prototype.sum', 'Math.random']);
});

describe('frame slot names', () => {
  const rows: [string[], string, SlotRole][] = [
    [['x', '$t1'], 'x', { kind: 'variable', name: 'x' }],
    [['x', '$t1'], '$t1', { kind: 'generated' }],
    [['$e3', 'x'], '$e3', { kind: 'environment' }],
    [['i', '$i_1'], '$i_1', { kind: 'renamed', name: 'i' }],
    [['$args1'], '$args1', { kind: 'renamed', name: 'arguments' }],
    [['$nt2'], '$nt2', { kind: 'renamed', name: 'new.target' }],
    [['$this1'], '$this1', { kind: 'generated' }],
    // A module that uses `$`-names of its own gets the prefix `$$`: its `$el` is the program's.
    [['$el', '$$t1'], '$el', { kind: 'variable', name: '$el' }],
    [['$el', '$$t1'], '$$t1', { kind: 'generated' }],
    // No generated names at all: nothing is taken for one.
    [['$', 'a'], '$', { kind: 'variable', name: '$' }],
  ];
  test.each(rows)('in a module with %j, %s', (names, slot, role) => {
    expect(slotRole(slot, generatedPrefix(names))).toEqual(role);
  });
});
