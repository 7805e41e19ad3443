// Unit tests of the transform's passes, one row per guarantee a pass states
// in its opening comment. Each row compiles a snippet with TypeScript and our
// `after` transformer (as `introspect build` does) and checks the emitted
// JavaScript: the shape a pass promises, and that the result still parses.
// Behaviour under checkpoints is the oracle's job (oracle.test.ts).

import ts = require('typescript');
import { createTransformer } from '../transformer/index.js';
import { decodeFunctionTable, encodeFunctionTable } from '../runtime/function-table.js';

function emit(source: string, module: ts.ModuleKind = ts.ModuleKind.ESNext, options: ts.CompilerOptions = {}): string {
  const transformer = createTransformer({ runtimeImport: () => './__introspect/runtime.mjs', rootDir: '/p' });
  const out = ts.transpileModule(source, {
    fileName: '/p/main.ts',
    compilerOptions: { target: ts.ScriptTarget.ES2022, module, strict: true, ...options },
    transformers: { after: [transformer] },
  });
  // Whatever we emit must be valid JavaScript.
  const parsed = ts.createSourceFile('out.js', out.outputText, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const errors = (parsed as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  if (errors.length > 0) throw new Error(`emitted JavaScript does not parse: ${ts.flattenDiagnosticMessageText(errors[0].messageText, '\n')}\n${out.outputText}`);
  return out.outputText;
}

/** The function table the module registers: [id, name, line, locals, siteLines, dead?][]. */
function table(js: string): [string, string, number, string[], number[], (number[] | null)[]?][] {
  const m = /functions: ('(?:[^'\\]|\\.)*')/.exec(js);
  if (!m) throw new Error('no function table in the output');
  // a single-quoted JavaScript string literal holding the JSON text, spelled short (runtime/function-table.ts)
  return decodeFunctionTable('main.ts', JSON.parse(new Function(`return ${m[1]};`)() as string));
}

function row(js: string, name: string) {
  const r = table(js).find((x) => x[1] === name);
  if (!r) throw new Error(`no function ${name} in the table`);
  return r;
}

describe('pass 0: what TypeScript leaves behind', () => {
  test('an enum\'s IIFE parameter (a generated name) gets a plain name', () => {
    const js = emit('enum Op { Push = 1, Add }\nexport function f() { return Op.Add + g(); }\nfunction g() { return 1; }\n');
    expect(js).not.toContain('generated@');
  });

  test('a call inside a type assertion (x!, x as T) is split out like any call', () => {
    const js = emit('declare const it: { next(): { value: number } };\nexport function f(xs: number[]) { xs.push(it.next()!.value as number); }\n');
    expect(js).toMatch(/(\$t\d+) = \$R\.gn0\(it, "next"\);[\s\S]*\.push\(\1\.value\)/);
  });

  test('namespace variables and enum members used by bare name are qualified (TypeScript does it only while printing)', () => {
    const js = emit('namespace N { export let n = 0; export function f() { return ++n; } }\nenum E { A = "ab".length, B = A * 2 }\nexport const r = N.f() + E.B;\n');
    expect(js).toMatch(/return \+\+[\w$.]+\.n;/);
    expect(js).toMatch(/\["B"\] = [\w$]+\.A \* 2/);
  });

  test('CommonJS import bindings stay TypeScript\'s own generated names', () => {
    const js = emit("import { x } from './x';\nexport function f() { return x + 1; }\n", ts.ModuleKind.CommonJS);
    expect(js).toMatch(/const (\w+) = require\("\.\/x"\)[\s\S]*\1\.x \+ 1/);
  });

  test('with importHelpers, CommonJS output declares tslib under the name TypeScript prints its uses with', () => {
    const js = emit("import * as x from './x';\nexport function f() { return x.y + 1; }\n", ts.ModuleKind.CommonJS, { importHelpers: true, esModuleInterop: true });
    expect(js).toMatch(/const (\w+) = require\("tslib"\);[\s\S]*= \1\.__importStar\(require\("\.\/x"\)\)/);
  });
});

describe('pass 0b: generators', () => {
  test('function* becomes a plain function around a resumable body, run by one native generator function; yield stays a native yield that answers a capture with its frame', () => {
    const js = emit('export function* g(n: number) { for (let i = 0; i < n; i++) yield i; }\n');
    expect(js).toMatch(/function g\(\$?\w+\) \{[\s\S]*return \$R\.gen\(/);
    expect(js).not.toMatch(/export function\s*\*/);
    // The closure the factory makes calls a generator function declared once, at module level.
    const runner = /^function\* (\$g\d+)\(\$self, (\$e\d+)\) \{/m.exec(js);
    expect(runner).not.toBeNull();
    expect(js).toContain(`"": () => ${runner![1]}($self, ${runner![2]})`);
    // A yield, then the answer to a capture: the frame as data, suspended again at the same yield.
    expect(js).toMatch(/\$l = (\d+);\s*(\$t\d+) = yield i;\s*for \(; \2 === \$R\.CAPTURE;\)\s*\2 = yield \$R\.yf\(\1, \[i, \2\], \$self\);/);
    // A restored body resumes at the router's yield.
    expect(js).toMatch(/(\$t\d+) = yield \$R\.pr\(\);\s*for \(; \1 === \$R\.CAPTURE;\)/);
    // Its frame record says it is a body (re-entered by running a new native body).
    expect(js).toMatch(/return \$R\.fb\(\$self, \$l, \[i, \$t\d+\]\);/);
  });

  test('an async call makes no closure: its body\'s runner is called directly, and makes the closure only where a frame names it', () => {
    const js = emit('export async function f(n: number) { const a = await n; return a + n; }\n');
    const call = /= \$R\.task\((\$g\d+)\(void 0, (\$e\d+)\)\);/.exec(js);
    expect(call).not.toBeNull();
    // The runner's call is no resume point (it only makes the generator object): no temporary of its own.
    expect(js).not.toMatch(/\$t\d+ = \$g\d+\(/);
    const factory = /^function (\$mk\d+)\(\$e\d+\) \{/m.exec(js)![1];
    expect(js).toMatch(new RegExp(`yield \\$R\\.yf\\(\\d+, \\[[^\\]]*\\], \\(\\$self \\?\\?= \\${factory}\\(\\$e\\d+\\)\\)\\);`));
    expect(js).toMatch(new RegExp(`return \\$R\\.fb\\(\\(\\$self \\?\\?= \\${factory}\\(\\$e\\d+\\)\\), \\$l, `));
  });

  test('a yield inside try…finally stays a native yield; gen.return() reaches the finally through the body\'s own return (a completion record, or a native finally that skips while $R.u)', () => {
    // The finally has a resume point: `return` after the RT marker records the completion and runs the finally code.
    const record = emit('export function* g() { try { yield 1; } finally { console.log("x"); } }\n');
    expect(record).toMatch(/try \{[\s\S]*(\$t\d+) = yield 1;[\s\S]*if \(\1 === \$R\.RT\) \{\s*\{\s*(\$fv\d+) = \$R\.rv;/);
    // A finally without resume points stays native; it does nothing while a capture unwinds through it.
    const native = emit('let n = 0;\nexport function* g() { try { yield 1; } finally { n++; } }\n');
    expect(native).toMatch(/= yield 1;/);
    expect(native).toMatch(/finally \{\s*if \(!\$R\.u\) \{\s*n\+\+;/);
  });

  test('yield* takes its first step at a resume point, then suspends with the delegate (the runtime forwards the rest)', () => {
    const js = emit('function* a() { yield 1; }\nexport function* b() { const r = yield* a(); return r; }\n');
    expect(js).toContain('$R.dg(');
    expect(js).toMatch(/\$l = \d+;\s*(\$t\d+) = \$R\.ds\((\$t\d+), "next", void 0\);[\s\S]*= yield \$R\.yd\(\2, \1\);/);
  });

  test('an async generator delegating with yield* awaits each step of its delegate', () => {
    const js = emit('export async function* a(x: AsyncIterable<number>) { const r = yield* x; yield r; }\n');
    expect(js).not.toMatch(/async function\*/);
    expect(js).toContain('$R.adg(');
    expect(js).toContain('$R.ads(');
    expect(js).toContain('$R.dy(');
  });

  test('generator and async methods and arrows of a named class reach super through the class; an object literal\'s through the method\'s home; a write to super stays native', () => {
    const js = emit(
      'class B { *m() { yield 1; } static async s() { return 1; } }\nexport class C extends B { *m() { yield* super.m(); } static async s() { return (await super.s()) + 1; } f = () => super.m(); }\n' +
        'export const o = { __proto__: { *m() { yield 1; } }, *m() { yield* super.m(); } };\n' +
        'export const w = { __proto__: { x: 1 }, *m() { super.x = 2; yield 1; } };\n',
    );
    expect(js).toContain('$R.sg(C.prototype, "m", ');
    expect(js).toContain('$R.sg(C, "s", ');
    expect(js.match(/\$R\.sg\(C\.prototype, "m", /g)).toHaveLength(2); // the method's and the field arrow's
    // the literal's generator method keeps itself in a constant its body reads the home from
    expect(js).toMatch(/\$R\.hsg\(\$e(\d+)\.\$home1, "m", [\s\S]*\$e\1\.\$home1 = \$self;/);
    expect(js).toMatch(/o = \$R\.home\(\{/);
    expect(js).toMatch(/\*m\(\) \{\s*super\.x = 2;/);
  });

  test('an object literal\'s getters and setters that read super are made by factories and reach it through their home; a pair with a super write stays native, both halves', () => {
    const js = emit(
      'const base = { get x() { return 1; }, set x(v: number) {}, m() { return 2; } };\n' +
        'export const o = { __proto__: base, get x() { return super.x + [1].map(() => super.m())[0]; }, set x(v: number) { super.m(); } };\n' +
        'export const w = { __proto__: base, get x() { return 3; }, set x(v: number) { super.x = v; } };\n',
    );
    expect(js).toMatch(/o = \$R\.home\(\$R\.acc\(\{[\s\S]*"x": \$R\.PH[\s\S]*\["x", \$mk\d+\(\), \$mk\d+\(\)\]\]\), \["x"\]\)/);
    expect(js).toContain('$R.hsg($self, "x", this)');
    expect(js).toMatch(/\$R\.hsg\(\$e(\d+)\.\$home1, "m", \$e\1\.this\)/); // the getter's arrow
    // (had the getter been made by a factory over the placeholder, the native setter would be lost)
    expect(js).toMatch(/w = \{\s*__proto__: base,\s*get x\(\) \{[\s\S]*set x\(v\) \{[\s\S]*super\.x = v;/);
  });

  test('a function making a class whose field arrows, field initializers or static blocks read super is made by a factory: that super is the class\'s', () => {
    const js = emit(
      'class R { d() { return 1; } static k = 1; }\n' +
        'export const A = (B: typeof R) => class extends B { f = () => super.d(); g = super.d(); static { super.k; } };\n' +
        'export async function m(B: typeof R) { await null; return class extends B { h = () => super.d(); }; }\n',
    );
    expect(js).toMatch(/\bA = \$mk\d+\(\)/);
    expect(js).not.toMatch(/export async function m\(/); // (an async function holding such a class is lowered: its task can be saved)
    expect(js).not.toMatch(/\bA = \(B\) =>/);
  });

  test('an anonymous class expression whose members read super gets a name to read its home by, and keeps the name it would have had', () => {
    const js = emit(
      'class R { async d() { return 1; } *g() { yield 1; } }\n' +
        'export const C = class extends R { async d() { await null; return super.d(); } f = () => super.g(); };\n' +
        'export function M(B: typeof R) { return class extends B { *g() { yield* super.g(); } }; }\n',
    );
    expect(js).toMatch(/class \$cls1 extends \$base/);
    expect(js).toMatch(/\$R\.sg\((\$e\d+\.)?\$cls1\.prototype, "d", /); // (the name, captured in an env by the moved body)
    expect(js).toContain('$R.cname($self, "$cls1", "C")');
    expect(js).toContain('$R.cname($self, "$cls2", "")');
    expect(js).not.toMatch(/\bsuper\.(d|g)\(/); // (no method left native)
  });

  test('an anonymous default export is named "default"; an export default class whose members read super is made a class expression given a name', () => {
    expect(emit('export default () => 1;\n')).toMatch(/\{ "default": \(\) =>/);
    const js = emit('class B { async m() { return 1; } }\nexport default class extends B { async m() { await null; return super.m(); } }\n');
    expect(js).toContain('$R.cname($self, "$cls1", "default")');
    expect(js).not.toMatch(/\bsuper\.m\(/);
  });

  test('an object-literal method that reads super is made homeless by its factory, so $R.home marks only the literal\'s own methods', () => {
    const js = emit('const base = { m() { return 1; } };\nexport const o = { __proto__: base, m() { return super.m(); } };\n');
    expect(js).toMatch(/\$R\.homeless\(\$self\);/);
    expect(js).toMatch(/o = \$R\.home\(\{/);
  });

  test('async functions and arrows run their body as a task; their awaits become yields', () => {
    const js = emit('export async function f(p: Promise<number>) { const v = await p; return v + 1; }\nexport const g = async (x: number) => { for await (const y of [x]) return y; return 0; };\n');
    expect(js).not.toMatch(/\basync\b/);
    expect(js.match(/\$R\.task\(/g)).toHaveLength(2);
    expect(js).toMatch(/= yield \$e\d+\.p;/);
  });

  test('an async function with no await of its own runs its body as a plain function ($R.ptask): no generator', () => {
    const js = emit('export async function f(x: number) { const inner = async () => await x; return inner; }\nexport const g = async (x: number) => x * 2;\n');
    expect(js.match(/\$R\.ptask\(/g)).toHaveLength(2);
    expect(js.match(/\$R\.task\(/g)).toHaveLength(1); // the inner arrow awaits
    expect(js.match(/function\* /g)).toHaveLength(1);
  });

  test('an async function binds parameters that may throw (patterns, defaults) in a try of the wrapper: the error is a rejected promise; an async generator\'s throw from the call', () => {
    const js = emit(
      'declare function g(): number;\n' +
        'export async function f(a: number, { x }: { x: number }, y: number = g() + a, ...[z]: number[]) { return a + x + y + z + (await g()); }\n' +
        'export const h = async ([v]: number[]) => v;\n' +
        'export async function s(a: number, ...r: number[]) { return a + r.length; }\n' +
        'export async function k(n = 3, o = {}) { return [n, o, await g()]; }\n' +
        'export async function* ag({ w }: { w: number }) { yield w; }\n',
    );
    // The parameters that may throw become plain ones (`= void 0` where there
    // was a default: the same `length`), bound in order in the wrapper…
    const f = /function f\(\$p\d+, (\$p\d+), (\$p\d+) = void 0, \.\.\.(\$p\d+)\) \{[\s\S]*?\n\}/.exec(js);
    expect(f).not.toBeNull();
    const wrapper = f![0];
    const [, pattern, withDefault, rest] = f!;
    expect(wrapper).toMatch(new RegExp(`try \\{[\\s\\S]*\\{ x: \\$e\\d+\\.x \\} = \\${pattern}\\)[\\s\\S]*\\${withDefault} === void 0[\\s\\S]*= g\\(\\);[\\s\\S]*\\[\\$e\\d+\\.z\\] = \\$R\\.nsi\\(\\${rest}\\)[\\s\\S]*catch \\(\\$x\\)`));
    // …where a throw becomes the call's rejected promise, before any task is made.
    expect(wrapper).toMatch(/= \$R\.P\.reject\(\$pe\d+\);[\s\S]*\$R\.task\(/);
    // (`= void 0` only keeps the length: no code runs for it.)
    expect(wrapper).not.toMatch(/if \((\$p\d+) === void 0\)\s*\1 = void 0/);
    // An async arrow gets a block body for it; plain names need nothing.
    expect(js).toMatch(/"h": \(\$p\d+\) => \{[\s\S]*\$R\.P\.reject/);
    expect(/function s\(\$p\d+, \.\.\.\$p\d+\) \{[\s\S]*?\n\}/.exec(js)![0]).not.toContain('$R.P.reject');
    // Nor do constant defaults, which cannot throw.
    expect(/function k\([^)]*\) \{[\s\S]*?\n\}/.exec(js)![0]).not.toContain('$R.P.reject');
    // An async generator's parameter errors are thrown by the call, as natively.
    expect(/function ag\(\$p\d+\) \{[\s\S]*?\n\}/.exec(js)![0]).not.toContain('$R.P.reject');
  });

  test('async generators: awaits are yields of $R.aw, for await becomes a loop of awaits that closes the iterator', () => {
    const js = emit('export async function* f(src: AsyncIterable<number>) { for await (const x of src) { if (x > 3) break; yield await Promise.resolve(x); } }\n');
    expect(js).toContain('$R.agen(');
    expect(js).toContain('$R.aw(');
    expect(js).toContain('$R.ai(');
    expect(js).toContain('$R.aret(');
    expect(js).not.toMatch(/for await/);
  });

  test("the event loop's globals become the runtime's, unless the file declares them", () => {
    const js = emit('export function f() { return new Promise<void>((r) => setTimeout(r, 1)); }\nqueueMicrotask(() => {});\n');
    expect(js).toContain('new $R.P(');
    expect(js).toContain('$R.setTimeout');
    expect(js).toContain('$R.queueMicrotask');
    const own = emit('const setTimeout = (f: () => void) => f();\nexport function g() { setTimeout(() => {}); }\n');
    expect(own).not.toContain('$R.setTimeout');
    const imported = emit("import { setTimeout as later, setInterval } from 'node:timers';\nexport function h() { later(() => {}, 1); return setInterval; }\n");
    expect(imported).toMatch(/later = \$R\.setTimeout/);
    expect(imported).toMatch(/setInterval = \$R\.setInterval/);
    expect(imported).not.toMatch(/from 'node:timers'|from "node:timers"/);
    const promised = emit("import { setTimeout as sleep, scheduler, other } from 'node:timers/promises';\nimport * as tp from 'timers/promises';\nexport async function k() { await sleep(1); await tp.setImmediate(); return [scheduler, other]; }\n");
    expect(promised).toMatch(/sleep = \$R\.tp\.setTimeout/);
    expect(promised).toMatch(/scheduler = \$R\.tp\.scheduler/);
    expect(promised).toMatch(/tp = \$R\.tp\b/);
    const ticks = emit('export function t(f: () => void) { process.nextTick(f); const later = process.nextTick; return [later, process.env]; }\n');
    expect(ticks.match(/\$R\.nextTick/g)).toHaveLength(2);
    expect(ticks).toContain('process.env');
    expect(emit('import process from "node:process";\nexport function t(f: () => void) { process.nextTick(f); }\n')).not.toContain('$R.nextTick');
    const onced = emit("import { EventEmitter, once as when, on } from 'node:events';\nexport const bus = new EventEmitter();\nexport const ready = when(bus, 'ready');\nexport const ticks = on(bus, 'tick');\n");
    expect(onced).toMatch(/import \{ EventEmitter, once as \$once1, on as \$on1 \} from ['"]node:events['"]/);
    expect(onced).toMatch(/when = \$R\.eonce\(\$once1\)/);
    expect(onced).toMatch(/on = \$R\.eon\(\$on1\)/);
    // node:fs's descriptor functions reach the host's wrappers on Bun and Deno too (their bindings do not follow the module object)
    const files = emit("import fs, { openSync, readFileSync as slurp, existsSync } from 'node:fs';\nimport * as ns from 'node:fs';\nexport function f(p: string) { const fd = openSync(p, 'r'); ns.writeSync(fd, 'x'); fs.closeSync(fd); return [slurp(p), existsSync(p), ns.existsSync(p)]; }\n");
    expect(files).toMatch(/openSync = \$R\.fsd\(\$openSync1, "openSync"\)/);
    expect(files).toMatch(/slurp = \$R\.fsd\(\$readFileSync1, "readFileSync"\)/);
    expect(files).toContain('$R.fsd(ns.writeSync, "writeSync")');
    expect(files).toContain('fs.closeSync(');
    expect(files).not.toMatch(/fsd\(\$?existsSync|fsd\(ns\.existsSync/);
    const events = emit('export class Bus extends EventTarget {}\nexport class Lazy<T> extends Promise<T> {}\nexport const ac = new AbortController();\nexport const e: Event = new CustomEvent("x");\n');
    expect(events).toMatch(/class Bus extends \$R\.EventTarget/);
    expect(events).toMatch(/class Lazy extends \$R\.P/);
    expect(events).toContain('new $R.AbortController()');
    expect(events).toContain('new $R.CustomEvent("x")');
    // an export the runtime does not provide is still imported from the platform
    expect(promised).toMatch(/import \{ other \} from ["']node:timers\/promises["']/);
  });
});

describe('pass 2: scopes', () => {
  test('a static field without an initializer after a static block is set to undefined in its place (define semantics), and not under useDefineForClassFields: false', () => {
    const source = 'declare function log(n: number): number;\nexport class A { static { A.x = log(1); } static x: number; static y = log(2); declare static z: number; }\n';
    const defined = emit(source);
    expect(defined).toMatch(/A\.x = log\(1\);[\s\S]*this\.x = void 0;[\s\S]*this\.y = log\(2\);/);
    expect(defined).not.toContain('this.z');
    const legacy = emit(source, ts.ModuleKind.ESNext, { useDefineForClassFields: false });
    expect(legacy).toMatch(/this\.y = log\(2\);/);
    expect(legacy).not.toContain('this.x = void 0');
  });

  test('TypeScript\'s decorator emit (one identifier node in several scopes) lowers: the class variable its static block assigns is captured', () => {
    const js = emit('function d(c: any, ctx: ClassDecoratorContext) { ctx.addInitializer(() => {}); }\n@d export class K { m() { return 1; } }\n');
    expect(js).toContain('__esDecorate');
    expect(js).toMatch(/\$e\d+\.K = \$e\d+\.\$?_classThis\d* = /);
  });

  test('toString and valueOf, which the engine calls from places that are no call site, run as no-save regions', () => {
    const js = emit('export class M { toString() { return f(); } valueOf() { return f().length; } plus() { return f(); } }\nexport class N { valueOf() { return 1; } }\ndeclare function f(): string;\n');
    expect(js).toMatch(/toString\(\) \{\s*\$R\.ns\+\+;/);
    expect(js).toMatch(/valueOf\(\) \{\s*\$R\.ns\+\+;/);
    expect(js).not.toMatch(/plus\(\) \{\s*\$R\.ns\+\+;/);
    expect(js).toMatch(/valueOf\(\) \{\s*return 1;/); // reaches no program code: nothing to guard
    const valued = emit('export const o = { toString: () => f() };\nexport class C { valueOf = () => f().length; }\ndeclare function f(): string;\n');
    expect(valued).toMatch(/"toString": \(\) => \{\s*\$R\.ns\+\+;/); // a function-valued property the engine calls as well
    expect(valued).toMatch(/\(\) => \{\s*\$R\.ns\+\+;\s*try \{\s*return f\(\)\.length;/); // a class field's too
  });

  test('object-literal accessors come from factories, defined over placeholders (order kept)', () => {
    const js = emit('export function make(n: number) { return { a: 1, get v() { return n; }, set v(x: number) { n = x; }, b: 2 }; }\n');
    expect(js).toMatch(/\$R\.acc\(\{[\s\S]*"a": 1|a: 1/);
    expect(js).toContain('"v": $R.PH');
    expect(js).toContain('$R.accessorOf(');
  });

  test('keys()/values()/entries() calls make savable iterators', () => {
    const js = emit('export function f(m: Map<string, number>) { let s = 0; for (const [, v] of m.entries()) s += v; return s; }\n');
    expect(js).toContain('$R.ni(m, "entries")');
  });

  test('a class with private fields registers their reader and writer; constructors honour blank construction', () => {
    const js = emit('export class A { #x = 1; static #n = 0; constructor(y: number) { this.#x = y; A.#n++; } get x() { return this.#x; } }\n');
    expect(js).toMatch(/static \{\s*\$R\.priv\(this, o => #x in o \? \[o\.#x\] : void 0/);
    expect(js).toContain('this.#n');
    expect(js).toMatch(/if \(\$R\.bk\)\s*return;/);
  });

  test('a class made at run time comes from a module-level factory of its environments and base; its static initialization runs where it is declared', () => {
    const js = emit('export function make(k: number, B: new () => object) { class C extends B { static n = k; m() { return String(k); } } return C; }\n');
    expect(js).toMatch(/function (\$mk\d+)\((\$e\d+), \$base\) \{[\s\S]*const \$self = class C extends \$base \{/);
    expect(js).toMatch(/const \$ms = \$R\.rcls\(\$self, "[^"]*C", \[\$e\d+, \$base\], \[\["m", 0\]\], \$si\)/);
    expect(js).toMatch(/\$R\.f\(\$ms\[0\], void 0/); // a method's frame names the method the factory made (m reads no `this`)
    expect(js).toMatch(/C = \$mk\d+\(\$e\d+, B\);\s*\$R\.csi\(C\)/);
  });

  test('o.keys() may run the program\'s own keys method: a resume point of its own, not folded into the call on its result', () => {
    const js = emit('export function f(o: { keys(): string[] }) { return o.keys().join(","); }\n');
    expect(js).toMatch(/(\$t\d+) = \$R\.ni\(o, "keys"\);[\s\S]*\1\.join/);
  });

  test('what a spread or array destructuring iterates goes through $R.nsi (a program iterator is stepped as a no-save region); a rest target stays a target', () => {
    const js = emit('export function f(it: Iterable<number>, xs: number[]) { const [a, ...r] = it; let p = 0, q: number[] = []; [p, ...q] = xs; return Math.max(...it, a, p, ...r, ...q); }\n');
    expect(js).toMatch(/\[a, \.\.\.r\] = \$R\.nsi\(it\)/);
    expect(js).toMatch(/\[p, \.\.\.q\] = \$R\.nsi\(xs\)/);
    expect(js).toMatch(/max\(\.\.\.\$R\.nsi\(it\)/);
  });

  test('getters of descriptor literals and Proxy traps are no-save functions, made by factories', () => {
    const js = emit('export const o = Object.defineProperty({}, "x", { get() { return g(); } });\nexport const p = new Proxy({}, { get: (t, k) => g() });\ndeclare function g(): number;\n');
    expect(js.match(/\$R\.ns\+\+/g)).toHaveLength(2);
    expect(js).toContain('new $R.Proxy({}, '); // the runtime's Proxy notes target and handler (runtime/platform-values.ts)
  });

  test('a tagged template becomes a call with its site\'s strings object, made once at module level and named for the checkpoint', () => {
    const js = emit('export function f(x: number) { return String.raw`a${x}b`; }\n');
    expect(js).toMatch(/const (\$tp\d+) = \$R\.tpl\("main\.ts#\$tp\d+", \$R\.tso `a\$\{0\}b`\)/);
    expect(js).toMatch(/String\.raw\(\$tp\d+, x\)/);
  });

  test('a module with top-level await gets a resumable body, run as a task', () => {
    const js = emit('async function f() { return 1; }\nconsole.log(await f());\nexport {};\n');
    expect(js).toMatch(/function\* \$body\(\)/);
    expect(js).not.toMatch(/async function \$body/);
    expect(js).toMatch(/= yield \$t\d+;/);
    expect(js).toMatch(/task: true/);
  });

  test('a module\'s own for await becomes a loop of awaits: its body is a resumable task', () => {
    const js = emit('for await (const x of [1]) console.log(x);\nexport {};\n');
    expect(js).not.toMatch(/async function \$body/);
    expect(js).toMatch(/\$R\.ai\(\[1\]\)/);
    expect(js).toMatch(/task: true/);
  });
});

describe('pass 3: linearize', () => {
  test('super.m(call()) stays a member call on this', () => {
    const js = emit('class A { m(n: number) { return n; } }\nexport class B extends A { m(n: number) { return super.m(Math.abs(f(n))); } }\ndeclare function f(n: number): number;\n');
    // Math.abs, a leaf built-in, is read after its argument: held in a temporary it would be an unknown call
    expect(js).toMatch(/(\$t\d+) = f\(n\);[\s\S]*super\.m\(Math\.abs\(\1\)\)/);
    expect(js).not.toContain('$R.ns++');
    expect(js).not.toMatch(/= super\.m;/);
  });

  test('a function without calls into the program, loops or yields is a leaf: plain code, no poll, no handler', () => {
    const js = emit('export class T { p: (number | null)[] = []; pop(i: number) { const t = this.p[i]; if (t === null) throw new Error(`empty ${i}`); this.p[i] = null; return t; } }\n' +
      'export function g(n: number) { return new Float64Array(n * 2); }\nexport function h(xs: number[]) { return new Float64Array(xs); }\nexport function k(s: number) { return new Map([[s, s]]); }\n');
    const pop = /pop\(i\) \{[\s\S]*?\n    \}/.exec(js)![0];
    expect(pop).not.toContain('$R');
    expect(pop).not.toContain('try');
    expect(pop).toContain('throw new Error(`empty ${i}`)');
    expect(row(js, 'pop')[4]).toHaveLength(0);
    expect(row(js, 'g')[4]).toHaveLength(0); // new of a typed array of a number
    expect(row(js, 'h')[4].length).toBeGreaterThan(1); // a typed array from an iterable iterates it: a site
    expect(row(js, 'k')[4].length).toBeGreaterThan(1); // so does a Map given entries
  });

  test('calls of the file\'s own leaf functions are not resume points; recursion, reassignment and shadowing keep them sites', () => {
    const js = emit([
      'function rotr(x: number, n: number) { return (x >>> n) | (x << (32 - n)); }',
      'function mix(a: number) { return rotr(a, 2) ^ rotr(a, 13); }', // a leaf calling leaves
      'function fact(n: number): number { return n <= 1 ? 1 : n * fact(n - 1); }', // recursive: never a leaf
      'function swapped() { return 1; }',
      'function shadowed() { return 2; }',
      'function looping(n: number) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }',
      'export function f(a: number) { return mix(a) + rotr(a, 7) + fact(a) + swapped() + looping(a); }',
      'export function g() { const shadowed = () => 3; return shadowed(); }',
      'export function h(o: { m(a: number, b: number): number }) { return o.m(rotr(1, 2), fact(3)); }',
      'const clamp = (x: number) => Math.min(1, rotr(x, 1));', // a const arrow: a leaf too
      'let later = (x: number) => x;', // a let may be given another function: a site
      'export function k(x: number) { return clamp(x) + later(x); }',
      '(swapped as any) = () => 3;',
      '',
    ].join('\n'));
    expect(row(js, 'mix')[4]).toHaveLength(0);
    expect(row(js, 'fact')[4].length).toBeGreaterThan(1);
    // f: fact, swapped and looping are sites; mix and rotr are not
    expect(row(js, 'f')[4]).toHaveLength(4);
    expect(js).toMatch(/\$t\d+ = mix\(a\) \+ rotr\(a, 7\);/);
    expect(row(js, 'g')[4].length).toBeGreaterThan(1);
    expect(row(js, 'k')[4]).toHaveLength(2); // entry and later(x)
    expect(js).toMatch(/(\$t\d+) = clamp\(x\);/);
    // A leaf call before a site is still made first (its effects are the program's).
    expect(js).toMatch(/(\$t\d+) = rotr\(1, 2\);[\s\S]*= fact\(3\);[\s\S]*\.m\(\1, /);
  });

  test('calls to leaf built-ins are not resume points, unless the file declares the name', () => {
    const plain = emit('export function f(a: number, b: number) { return Math.max(a, b) + parseInt("1"); }\n');
    expect(row(plain, 'f')[4]).toHaveLength(0); // no point at all: a leaf (see below)
    const shadowed = emit('const Math = { max: (a: number, b: number) => a };\nexport function f(a: number, b: number) { return Math.max(a, b); }\n');
    expect(row(shadowed, 'f')[4].length).toBeGreaterThan(1);
  });

  test('for…of walks an array by index (two frame locals), anything else through its iterator, with one loop body', () => {
    const js = emit('declare function g(x: number): void;\nexport function f(o: { xs: number[] }) { for (const x of o.xs) g(x); for (const [a, b] of [[1, 2]]) g(a + b); }\n');
    expect(js).toMatch(/(\$t\d+) = o\.xs;\s*(\$t\d+) = \$R\.arr\(\1\);\s*(\$t\d+) = 0;\s*(\$t\d+) = \2 === void 0 \? \$R\.iter\(\1\) : void 0;/); // the iterable is read once
    expect(js).toMatch(/if \(\$t\d+ >= \$t\d+\.length\) \{\s*break;\s*\}\s*x = \$t\d+\[\$t\d+\+\+\];/);
    expect(js).toMatch(/= \$t\d+\.next\(\);/); // the other path is a call site
    expect((js.match(/g\(x\)/g) ?? []).length).toBe(1);
    expect(js).toMatch(/(\$t\d+) = \$t\d+\[\$t\d+\+\+\];[\s\S]*?\1 = \$t\d+\.value;/); // a pattern is assigned once, from a temporary
  });

  test('for…of closes its iterator when left early', () => {
    const js = emit('export function f(xs: Iterable<number>) { for (const x of xs) if (x > 1) return x; return 0; }\n');
    expect(js).toMatch(/finally \{[\s\S]*\$R\.close\(/);
  });
});

describe('pass 4 and liveness', () => {
  test('a temporary consumed before a later resume point is dead there', () => {
    const js = emit('declare function g(): number[];\ndeclare function h(): void;\nexport function f() { const n = g().length; h(); return n; }\n');
    const [, , , locals, , dead] = row(js, 'f');
    expect(dead).toBeDefined();
    const temp = locals.findIndex((l) => l.startsWith('$t'));
    expect(temp).toBeGreaterThanOrEqual(0);
    // At h()'s resume point (the last one), g()'s result is no longer needed.
    const last = dead![dead!.length - 1];
    expect(last).toContain(temp);
  });

  test('a call statement\'s callee and arguments are dead at its own resume point (a restore resumes the call and never reads them); what is read after the call is live', () => {
    const js = emit('declare function g(): number;\ndeclare function h(a: number, b: number): number;\ndeclare const o: number[];\nexport function f() { o[g()] = h(g(), g()); }\n');
    const [, , , locals, sites, dead] = row(js, 'f');
    const [, result, callee, a, b] = /(\$t\d+) = (\$t\d+)\((\$t\d+), (\$t\d+)\);/.exec(js)!;
    const [, target, key] = /(\$t\d+)\[(\$t\d+)\] = \$t\d+;/.exec(js)!;
    const atCall = (dead?.[sites.length - 1] ?? []).map((i) => locals[i]);
    expect(atCall).toEqual(expect.arrayContaining([callee, a, b, result]));
    expect(atCall).not.toContain(target);
    expect(atCall).not.toContain(key);
  });

  test('an await\'s value is live at a later resume point of the same statement (its only definition is where the await resumes)', () => {
    const js = emit('declare function a(): Promise<number>;\ndeclare function b(): number;\nexport async function f() { return [await a(), b()]; }\n');
    const [, , , locals, sites, dead] = row(js, '<arrow>');
    const sent = /(\$t\d+) = yield \$R\.pr\(\)/.exec(js)![1];
    const index = locals.indexOf(sent);
    expect(index).toBeGreaterThanOrEqual(0);
    // The last resume point is b()'s call, after the await: the await's value is still to be read.
    expect(dead?.[sites.length - 1] ?? []).not.toContain(index);
  });

  test('a capture unwinds by return: a test of $R.u after each point and call leaves the body for its frame record; no try block', () => {
    const js = emit('export function f(n: number) { let s = 0; for (let i = 0; i < n; i++) s += g(i); return s; }\nfunction g(i: number) { return i > 0 ? g(i - 1) : 0; }\n');
    const f = js.slice(js.indexOf('export function f'), js.indexOf('function g'));
    expect(f).not.toContain('try');
    expect(f).toMatch(/\$u: \{/);
    expect(f).toMatch(/\$t\d+ = g\(i\);\s*if \(\$R\.u\)\s*break \$u;/); // after the call
    expect(f).toMatch(/\$r = \$R\.poll\(\);\s*if \(\$R\.u\)\s*break \$u;/); // after the loop's point
    expect(f).toMatch(/else if \(\$R\.u\)\s*break \$u;/); // after the entry point
    // The record after the body; a top-level function never reassigned is named directly, and one
    // that reads no `this` records neither `this` nor `new.target`.
    expect(f).toMatch(/\}\s*return \$R\.f\(f, void 0, void 0, \$l, \[n, s, i, \$t\d+, \$t\d+\]\);\s*\}\s*$/);
  });

  test('restoring, the prologue puts the frame at the restored point ($l = $r): the router resumes a call with no `$l = n` of its own', () => {
    const js = emit('declare function g(i: number): number;\nexport function f(n: number) { let s = g(n); s += g(s); return s; }\n');
    const f = js.slice(js.indexOf('export function f'));
    expect(f).toMatch(/let \$l = 1, \$r = 0/); // the entry point, where an unwind from the prologue leaves
    expect(f).toMatch(/const \$s = \$R\.enter\(\);\s*if \(\$s\) \{\s*\$l = \$r = \$s\[0\];/);
    expect(f).toMatch(/\$r = 0;\s*s = \$R\.resume\(\);\s*break \$b\d+;/);
    expect(f.match(/\$l = \d+;/g)).toEqual(['$l = 2;', '$l = 3;']); // the calls' own only
  });

  test('a router is a switch over the sites it resumes where that prints shorter; a site before the block\'s first statement falls out of it; one statement to land at needs no labeled block', () => {
    const js = emit('declare function g(i: number): number;\nexport function f(n: number) {\n  let s = 0;\n  for (let i = 0; i < n; i++) {\n    for (let j = 0; j < i; j++) { s += g(j); s ^= g(s); }\n    s += g(i);\n  }\n  return s;\n}\n');
    const f = js.slice(js.indexOf('export function f'));
    // the inner loop body: its poll (3) has no case, its calls (4, 5) are resumed by theirs
    expect(f).toMatch(/if \(\$r\)\s*switch \(\$r\) \{\s*case 4:\s*\$r = 0;\s*\$t\d+ = \$R\.resume\(\);\s*break \$b\d+;\s*case 5:\s*\$r = 0;\s*\$t\d+ = \$R\.resume\(\);\s*break \$b\d+;\s*\}\s*if \(--\$R\.c < 0\) \{\s*\$l = 3;/);
    // the outer loop body: the inner loop holds several sites, so it shares `default` with the poll
    expect(f).toMatch(/case 6:\s*\$r = 0;\s*\$t\d+ = \$R\.resume\(\);\s*break \$b\d+;\s*default: if \(\$r <= 2\)\s*break;\s*else\s*break \$b\d+;/);
    expect(f).not.toMatch(/case [23]:/);
    // the function body: only the loop to land at, its initializers skipped
    expect(f).toMatch(/if \(!\$r\) \{\s*s = 0;\s*i = 0;\s*\}\s*for \(; \$r \|\| i < n; i\+\+\)/);
  });

  test('a call-free loop that shifts right unsigned polls through $R.lp(), so V8 can peel it; other call-free loops keep their own slow path', () => {
    const js = emit('export function hash(n: number) { let h = 2166136261; for (let i = 0; i < n; i++) h = Math.imul(h ^ i, 16777619) >>> 0; return h; }\nexport function sum(xs: number[]) { let t = 0; for (let i = 0; i < xs.length; i++) t += xs[i] * 0.5; return t; }\n');
    const hash = js.slice(js.indexOf('export function hash'), js.indexOf('export function sum'));
    const sum = js.slice(js.indexOf('export function sum'));
    expect(hash).toMatch(/if \(--\$k\d+ < 0 \|\| \$r\) \{\s*\$k\d+ = 127;\s*if \(\$R\.lp\(\)\) \{\s*\$l = 2;\s*break \$u;\s*\}\s*\$r = 0;\s*\}/);
    expect(hash).not.toContain('$R.poll()');
    expect(sum).toMatch(/if \(--\$R\.c < 0\) \{\s*\$l = 2;\s*\$r = \$R\.poll\(\);/);
    expect(sum).not.toContain('$R.lp()');
  });

  test('the frame record keeps `this` and `new.target` where the body reads `this`; a reassigned function is named by its static id', () => {
    const js = emit('export function P(this: any, n: number) { this.v = g(n); }\nlet g = (i: number) => i;\nexport function h(n: number) { return g(n); }\nexport function k(n: number) { return h(n); }\nk = h;\n');
    expect(js).toMatch(/return \$R\.f\(P, this, new\.target, \$l/);
    expect(js).toMatch(/return \$R\.f\(h, void 0, void 0, \$l/);
    expect(js).toMatch(/return \$R\.f\(\$R\.sf\("[^"]*#k"\), void 0, void 0, \$l/);
  });

  test('super(…) turns a base constructor\'s unwind (thrown, since its new.target is the subclass) back into a return', () => {
    const js = emit('function g() { return 1; }\nexport class B { constructor() { g(); } }\nexport class D extends B { x = 1; constructor() { super(); g(); } }\n');
    const d = js.slice(js.indexOf('class D'));
    expect(d).toMatch(/try \{\s*\$this\d+ = super\(\);\s*\}\s*catch \(\$x\) \{\s*if \(\$x === \$U\)\s*break \$u;\s*throw \$x;\s*\}\s*if \(\$R\.u\)\s*break \$u;/);
  });

  test('the function table is emitted short (ids without the module, derivable names, slots as one string, line steps, repeated dead lists) and decodes to the rows', () => {
    const rows: Parameters<typeof encodeFunctionTable>[1] = [
      ['main.ts#<body>', '<module body>', 1, [], [1, 9]],
      ['main.ts#C/run', 'run', 4, ['a', '$t1', '$t2'], [4, 5, 5, 3, 7], [null, [1, 2], [1, 2], [2], [1, 2]]],
      ['main.ts#f/<arrow>~2', '<arrow>', 8, ['x'], [8]],
      ['other.ts#g', 'renamed', 2, ['a,b'], []],
    ];
    const text = encodeFunctionTable('main.ts', rows);
    expect(JSON.parse(text)).toEqual([
      ['#<body>', '<module body>', 1, '', [0, 8]],
      ['#C/run', 0, 4, 'a,$t1,$t2', [0, 1, 0, -2, 4], [0, [1, 2], 1, [2], [1, 2]]],
      ['#f/<arrow>~2', 0, 8, 'x', [0]],
      ['other.ts#g', 'renamed', 2, ['a,b'], []],
    ]);
    expect(decodeFunctionTable('main.ts', JSON.parse(text))).toEqual(rows);
    // and what a module registers is that spelling
    const js = emit('declare function g(): number[];\nexport function f() { const n = g().length; g(); return n; }\n');
    expect(js).toContain(`functions: '[["#<body>","<module body>",1,"",[0]],["#f",0,2,"n,$t1",[0,0,0],[0,[1],1]]]'`);
    // a class's methods are registered without the ids the runtime derives (Runtime.cls, memberIdOf)
    const cls = emit('declare function g(): number;\nexport class C { m() { return g(); } static s() { return g(); } }\n');
    expect(cls).toContain('$R.cls(C, "main.ts#C", [["m", 0], ["s", 1]]);');
  });

  test('every instrumented function has its entry point and a line for each resume point', () => {
    const js = emit('export function f(n: number) {\n  let s = 0;\n  for (let i = 0; i < n; i++) {\n    s += g(i);\n  }\n  return s;\n}\ndeclare function g(i: number): number;\n');
    const [, , line, , sites] = row(js, 'f');
    expect(line).toBe(1);
    expect(sites[0]).toBe(1);
    expect(sites).toContain(4);
  });
});
