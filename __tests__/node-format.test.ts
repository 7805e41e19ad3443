// The console of the script engines prints what Node's prints
// (runtime/plugins/portable/node-format.ts), and structuredClone exists
// there (structured-clone.ts): both are checked against Node's own.

import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { format, inspect } from 'node:util';
import { formatLogArgs, printLikeNode } from '../runtime/plugins/portable/node-format.js';
import { structuredClonePolyfill } from '../runtime/plugins/portable/structured-clone.js';
import { noteTextDecoderStreams, textDecoderPrimer } from '../runtime/text-decoder-streams.js';
import { decodeWithOurs, PortableTextDecoder, PortableTextEncoder, portableAtob, portableBtoa } from '../runtime/plugins/portable/text-encoding.js';
import { provideTimerGlobals } from '../runtime/plugins/portable/timer-globals.js';

class Point {
  constructor(
    public x: number,
    public y: unknown,
  ) {}
}
class Empty {}

function battery(): unknown[][] {
  const circular: Record<string, unknown> = { name: 'c' };
  circular.self = circular;
  circular.list = [circular, 1];
  const sparse: (number | undefined)[] = [1, , 3];
  sparse[10] = 5;
  const extra = Object.assign([1, 2], { foo: 'bar' });
  const nullProto = Object.assign(Object.create(null) as object, { a: 1 });
  const accessors = {
    get g() {
      return 1;
    },
    set s(_v: number) {},
  };
  return [
    ['a', 'b'], [1, 2, 3], [[1, 2, 3]], [{ a: 1, b: 'two', c: [1, 2, { d: 3 }] }], [new Point(1, 2)], [new Empty()], [-0, 0, NaN, Infinity],
    [123n], [Symbol('s')], [undefined, null, true], [{ 'a-b': 1, [Symbol('k')]: 2, valid_id: 3 }], [circular], [sparse], [extra], [nullProto],
    [new Map<string, unknown>([['a', 1], ['b', { c: 2 }]])], [new Set([1, 'x', [2]])], [new Map()], [new Set()], [Array.from({ length: 30 }, (_, i) => i * 7)],
    [Array.from({ length: 120 }, (_, i) => i)], [Array.from({ length: 8 }, (_, i) => `item${i}`)], [new Uint8Array([1, 2, 3])], [new Float64Array(10)],
    [new Date(0)], [/ab+c/gi], [function foo() {}], [() => {}], [class A {}], [class B extends Point {}],
    [{ deep: { deeper: { deepest: { gone: 1 } } } }], [[[[[1]]]]], ["it's"], ['say "hi" it\'s'], [{ s: "it's", t: 'a\nb', u: 'tab\there' }],
    ['%s is %d years', 'Bob', 42], ['%i %f %j', '42.5', '3.25', { a: 1 }], ['100%', 5], ['%c styled', 'color: red'], ['%%s', 1],
    [new Number(3), new String('str'), new Boolean(false)], [accessors], [new ArrayBuffer(4)], [{ a: 'x'.repeat(100) }], ['x'.repeat(200)],
    [{ long1: 'aaaaaaaaaaaaaaaa', long2: 'bbbbbbbbbbbbbbbbbbbb', long3: 'cccccccccccccccccc', long4: 'dddddddddddd' }],
    [[{ a: 1, b: 2 }, { a: 3, b: 4 }]], [{ arr: Array.from({ length: 10 }, (_, i) => i), nested: { m: new Map([[1, { x: [1, 2] }]]) } }],
    [[1.5, -2.25, 1000000, 3, 4, 5, 6, 7, 8]], [['a', 'bb', 'ccc', 'dddd', 'e', 'f', 'g', 'h', 'i', 'j']], [Object.assign(Object.create({ inherited: 1 }) as object, { own: 2 })],
    [{ u: undefined, f() {}, g: function named() {} }], [[undefined, null]], [new WeakMap()], [{ 0: 'a', 1: 'b' }], [new DataView(new ArrayBuffer(2))],
    [[new Point(1, 2), new Point(3, 4), new Point(5, 6)]], [{ p: new Point(1, { q: [1, 2, 3] }) }], [Object.create(Point.prototype)],
  ];
}

describe('console.log as Node prints it', () => {
  test.each(battery().map((args, i) => [i, args] as const))('case %i', (_i, args) => {
    expect(formatLogArgs(args)).toBe(format(...args));
  });
});

describe('a console made to print like Node', () => {
  test('groups indent, counts count, lone surrogates print as U+FFFD', () => {
    const lines: string[] = [];
    const console: Record<string, unknown> = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(`E ${line}`) };
    printLikeNode(console);
    const c = console as unknown as Console;
    c.log('top', [1, 2]);
    c.group('Group');
    c.log({ a: 1 }, 'x\ny');
    c.count();
    c.count('k');
    c.count();
    c.groupEnd();
    c.log('bad \ud800 end');
    c.countReset('nope');
    expect(lines).toEqual(['top [ 1, 2 ]', 'Group', '  { a: 1 } x', '  y', '  default: 1', '  k: 1', '  default: 2', 'bad \ufffd end', "E (node) Warning: Count for 'nope' does not exist"]);
  });

  test('text written without a newline joins the next line, on a shell that prints lines or one that writes text', () => {
    const lines: string[] = [];
    const output = printLikeNode({ log: (line: string) => lines.push(line), error: (line: string) => lines.push(`E ${line}`) })!;
    let raw = '';
    const rawOutput = printLikeNode({ log() {}, error() {} }, { out: (text) => (raw += text), err: (text) => (raw += `<${text}>`) })!;
    for (const o of [output, rawOutput]) {
      o.out.write('step 1 ');
      o.out.write('[##..] ');
      o.err.write('warn ');
      o.out.write('= 7\nnext');
      o.err.write('done\n');
      o.out.flush();
      o.err.flush();
    }
    expect(lines).toEqual(['step 1 [##..] = 7', 'E warn done', 'next']);
    expect(raw).toBe('step 1 [##..] <warn >= 7\nnext<done\n>');
  });
});

/** What Node's own console.table writes for these arguments (without the final newline). */
function nodeTable(args: unknown[]): string {
  let text = '';
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => ((text += chunk.toString()), done()) });
  (new Console({ stdout: sink, colorMode: false }).table as (...a: unknown[]) => void)(...args);
  return text.replace(/\n$/, '');
}

describe('console.table as Node prints it', () => {
  const rows = [{ a: 1, b: 'xy' }, { a: 22, c: true }, 5, null];
  const cases: unknown[][] = [
    [rows], [rows, ['a', 'c']], [[[1, 2], [3]]], [{ r1: { c: 1 }, r2: { c: 'long text' } }, ['c']], [{ z: { 10: 'ten', 2: 'two', name: 'n' } }],
    [new Map<unknown, unknown>([['k', { x: 1 }], [2, [1, 2, 3, 4]], [{ big: 1, bigger: 2, biggest: 3 }, 'v']])], [new Set(['a', 'bb', 'ｗｉｄｅ'])],
    [[{ nested: { deep: { deeper: 1 } }, list: Array.from({ length: 10 }, (_, i) => i), text: 'tab\there', wide: '日本語' }]],
    [['only', 'primitives', 3n, undefined]], ['not a table'], [42], [[]], [{}], [[{}, {}]],
  ];
  test.each(cases.map((args, i) => [i, args] as const))('case %i', (_i, args) => {
    const lines: string[] = [];
    const console: Record<string, unknown> = { log: (line: string) => lines.push(line) };
    printLikeNode(console);
    (console.table as (...a: unknown[]) => void)(...args);
    expect(lines.join('\n')).toBe(nodeTable(args));
  });
});

describe('structuredClone where the engine has none', () => {
  test('clones what the native one clones, sharing and cycles included', () => {
    const value: Record<string, unknown> = {
      holes: [1, , 3], when: new Date(5), re: /x/g, map: new Map([[1, { z: 1 }]]), set: new Set([1]), floats: new Float64Array([1.5, 2]),
      error: new RangeError('bad', { cause: 1 }), boxed: new Number(3), nested: { q: 'x' }, point: new Point(1, 2),
    };
    value.self = value;
    value.bytes = new Uint8Array((value.floats as Float64Array).buffer, 0, 4);
    const ours = structuredClonePolyfill(value);
    expect(inspect(ours, { depth: 4 })).toBe(inspect(structuredClone(value), { depth: 4 }));
    expect(ours.self).toBe(ours);
    expect((ours.bytes as Uint8Array).buffer).toBe((ours.floats as Float64Array).buffer);
  });

  test('a function is a DataCloneError', () => {
    expect(() => structuredClonePolyfill({ f() {} })).toThrow(expect.objectContaining({ name: 'DataCloneError' }));
  });
});

describe('TextEncoder, TextDecoder, atob and btoa where the engine has none', () => {
  const texts = ['', 'plain ascii', 'é ü ß', '日本語テキスト', 'emoji 😀👍🏽', 'lone \ud800 high', 'lone \udc00 low', 'end \ud83d', '\ufeffBOM first'];
  test('encode and encodeInto write what Node writes', () => {
    for (const text of texts) {
      expect([...new PortableTextEncoder().encode(text)]).toEqual([...new TextEncoder().encode(text)]);
      for (const size of [0, 1, 3, 5, 64]) {
        const ours = new Uint8Array(size);
        const theirs = new Uint8Array(size);
        expect(new PortableTextEncoder().encodeInto(text, ours)).toEqual(new TextEncoder().encodeInto(text, theirs));
        expect([...ours]).toEqual([...theirs]);
      }
    }
  });

  const sequences: number[][] = [
    [0x68, 0x69], [0xef, 0xbb, 0xbf, 0x41], [0xc3, 0xa9], [0xe6, 0x97, 0xa5], [0xf0, 0x9f, 0x98, 0x80], [0x80], [0xc0, 0xaf], [0xc3], [0xe6, 0x97],
    [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x80, 0x80], [0xe0, 0x80, 0x41], [0xff, 0xfe, 0x41], [0xf0, 0x9f, 0x41, 0xe6, 0x97, 0xa5, 0xc3],
  ];
  /** noteTextDecoderStreams with D as the global TextDecoder, put back after. */
  const noteStreamsOf = (D: unknown): void => {
    const g = globalThis as Record<string, unknown>;
    const saved = Object.getOwnPropertyDescriptor(g, 'TextDecoder')!;
    Object.defineProperty(g, 'TextDecoder', { ...saved, value: D });
    try {
      noteTextDecoderStreams();
    } finally {
      Object.defineProperty(g, 'TextDecoder', saved);
    }
  };
  type Decoder = new (label?: string, o?: object) => { decode(b?: Uint8Array, o?: { stream?: boolean }): string };
  /** What a decoder of D reads from `all`, in one piece and streamed split at every place; or the error it throws. */
  const decodedEveryWay = (D: Decoder, all: Uint8Array, options: object, label = 'utf-8'): string => {
    try {
      const d = new D(label, options);
      const pieces = [d.decode(all)];
      for (let cut = 0; cut <= all.length; cut++) pieces.push(d.decode(all.subarray(0, cut), { stream: true }) + d.decode(all.subarray(cut)));
      return JSON.stringify(pieces);
    } catch (e) {
      return (e as Error).constructor.name;
    }
  };
  test('decode, in one piece and streamed in every split, reads what Node reads (replacement, fatal, BOM)', () => {
    for (const bytes of sequences) {
      const all = Uint8Array.from(bytes);
      for (const options of [{}, { ignoreBOM: true }, { fatal: true }]) {
        expect(decodedEveryWay(PortableTextDecoder as never, all, options)).toBe(decodedEveryWay(TextDecoder as never, all, options));
      }
    }
    expect(() => new PortableTextDecoder('latin1')).toThrow(RangeError);
    expect(new PortableTextDecoder('UTF8').encoding).toBe('utf-8');
  });

  test('UTF-16LE and BE decode as Node decodes them (surrogate pairs, lone surrogates, an odd last byte, BOM), streamed in every split', () => {
    // little-endian code units; each is swapped for BE
    const units: number[][] = [[0x68, 0x69], [0xfeff, 0x41], [0xe9, 0x65e5], [0xd83d, 0xde00], [0xd83d, 0x41], [0xde00, 0x41], [0x41, 0xd83d], [0xd83d, 0xd83d, 0xde00]];
    for (const sequence of units) {
      for (const [label, endian] of [['utf-16le', 'le'], ['utf-16be', 'be'], ['utf-16', 'le']] as const) {
        const bytes = sequence.flatMap((u) => (endian === 'le' ? [u & 0xff, u >> 8] : [u >> 8, u & 0xff]));
        for (const all of [Uint8Array.from(bytes), Uint8Array.from([...bytes, 0x41])]) {
          for (const options of [{}, { ignoreBOM: true }, { fatal: true }]) {
            expect(decodedEveryWay(PortableTextDecoder as never, all, options, label)).toBe(decodedEveryWay(TextDecoder as never, all, options, label));
          }
        }
      }
    }
    expect([new PortableTextDecoder('UTF-16').encoding, new PortableTextDecoder('unicodefffe').encoding]).toEqual(['utf-16le', 'utf-16be']);
  });

  test('an engine TextDecoder whose global cannot be replaced (gjs: no stream option, a BOM skipped only with ignoreBOM) decodes UTF-8 and UTF-16 with ours, streams too', () => {
    class GjsLike {
      readonly encoding: string;
      readonly fatal: boolean;
      readonly ignoreBOM: boolean;
      constructor(label = 'utf-8', options: { fatal?: boolean; ignoreBOM?: boolean } = {}) {
        this.encoding = label === 'utf-16le' || label === 'latin1' ? label : 'utf-8';
        this.fatal = Boolean(options.fatal);
        this.ignoreBOM = Boolean(options.ignoreBOM);
      }
      decode(_bytes?: Uint8Array, options?: { stream?: boolean }): string {
        if (options?.stream) throw new TypeError("TextDecoder does not implement the 'stream' option.");
        return `the engine's ${this.encoding}`;
      }
    }
    decodeWithOurs(GjsLike);
    for (const bytes of sequences) {
      const all = Uint8Array.from(bytes);
      for (const options of [{}, { ignoreBOM: true }, { fatal: true }]) {
        expect(decodedEveryWay(GjsLike as never, all, options)).toBe(decodedEveryWay(TextDecoder as never, all, options));
      }
    }
    const split = new GjsLike('utf-16le');
    expect(split.decode(Uint8Array.of(0x3d, 0xd8, 0x00), { stream: true }) + split.decode(Uint8Array.of(0xde))).toBe('😀');
    expect(new GjsLike('latin1').decode(Uint8Array.of(0x61))).toBe("the engine's latin1");
  });

  test('a TextDecoder whose decode is writable but not configurable (Bun) has its streams noted, so a checkpoint taken there keeps a character split across chunks', () => {
    class BunLike {
      readonly encoding = 'utf-8';
      readonly ignoreBOM = false;
      readonly fatal = false;
      readonly inner = new PortableTextDecoder();
    }
    Object.defineProperty(BunLike.prototype, 'decode', {
      value(this: BunLike, input?: Uint8Array, options?: { stream?: boolean }): string {
        return this.inner.decode(input, options);
      },
      writable: true,
      configurable: false,
    });
    noteStreamsOf(BunLike);
    const d = new BunLike() as BunLike & { decode(input?: Uint8Array, options?: { stream?: boolean }): string };
    expect(d.decode(Uint8Array.of(0x61, 0xef, 0xbb), { stream: true })).toBe('a');
    expect([...(textDecoderPrimer(d) ?? [])]).toEqual([0xef, 0xbb, 0xbf, 0xef, 0xbb]);
  });

  test('a decoder whose streamed decode threw (fatal) starts over at the next call, as Node\'s does (Chromium\'s threw again for any bytes)', () => {
    class ChromiumLike {
      readonly encoding = 'utf-8';
      readonly ignoreBOM = false;
      readonly fatal = true;
      failed = false;
      decode(input: Uint8Array = new Uint8Array(0), options?: { stream?: boolean }): string {
        const failed = this.failed;
        this.failed = Boolean(options?.stream) && (failed || input.includes(0xff));
        if (failed || input.includes(0xff)) throw new TypeError('The encoded data was not valid.');
        return String.fromCharCode(...input);
      }
    }
    noteStreamsOf(ChromiumLike);
    const d = new ChromiumLike();
    expect(d.decode(Uint8Array.of(0x61), { stream: true })).toBe('a');
    expect(() => d.decode(Uint8Array.of(0x62, 0xff), { stream: true })).toThrow(TypeError);
    expect(d.decode(Uint8Array.of(0x6f, 0x6b), { stream: true })).toBe('ok');
  });

  test('btoa and atob as Node has them, errors included', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'abcd', 'hello world', '\u00ff\u0000\u0080']) {
      expect(portableBtoa(text)).toBe(btoa(text));
      expect(portableAtob(btoa(text))).toBe(atob(btoa(text)));
    }
    for (const encoded of ['aGk', 'aGk=', ' aG\nk= ', 'aGVsbG8', 'a', 'a===', '*abc', 'ab=c']) {
      const outcome = (f: (s: string) => string): string => {
        try {
          return f(encoded);
        } catch (e) {
          return `throws ${(e as Error).name}`;
        }
      };
      expect(outcome(portableAtob)).toBe(outcome(atob));
    }
    expect(() => portableBtoa('日本')).toThrow(/Invalid character/);
  });

  test('timer globals a library calls are made from the host timers where the engine lacks them (QuickJS: none; jsc: no clearTimeout, no setInterval)', async () => {
    const names = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate'] as const;
    const g = globalThis as Record<string, unknown>;
    const saved = names.map((n) => Object.getOwnPropertyDescriptor(g, n));
    const realSet = setTimeout;
    const realClear = clearTimeout;
    const log: string[] = [];
    try {
      for (const n of names) delete g[n];
      // a QuickJS-like host: its timers only, no globals
      provideTimerGlobals({ set: (fn, ms) => realSet(fn, ms), clear: (h) => realClear(h as ReturnType<typeof setTimeout>), noUnref: true });
      for (const n of names) expect(typeof g[n]).toBe('function');
      const gs = g as unknown as Record<(typeof names)[number], (...a: unknown[]) => unknown>;
      let ticks = 0;
      const id = gs.setInterval((tag: unknown) => {
        log.push(`tick ${++ticks} ${String(tag)}`);
        if (ticks === 3) gs.clearInterval(id);
      }, 2, 'x');
      gs.setImmediate((a: unknown) => log.push(`immediate ${String(a)}`), 'y');
      gs.clearImmediate(gs.setImmediate(() => log.push('cleared immediate ran')));
      gs.clearTimeout(gs.setTimeout(() => log.push('cleared timeout ran'), 1));
      gs.setTimeout((a: unknown, b: unknown) => log.push(`timeout ${String(a)}${String(b)}`), 1, 'a', 'b');
      await new Promise((resolve) => realSet(resolve, 60));
    } finally {
      for (const [i, n] of names.entries()) {
        if (saved[i]) Object.defineProperty(g, n, saved[i]!);
        else delete g[n];
      }
    }
    expect(log[0]).toBe('immediate y');
    expect(log.filter((l) => l.startsWith('tick'))).toEqual(['tick 1 x', 'tick 2 x', 'tick 3 x']);
    expect(log).toContain('timeout ab');
    expect(log.some((l) => l.includes('cleared'))).toBe(false);
  });
});
