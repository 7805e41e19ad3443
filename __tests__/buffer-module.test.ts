// The script engines' node:buffer (runtime/plugins/portable/buffer-module.ts,
// the `buffer` package with Node's answers where it differs) encodes and
// decodes as Node's own: every encoding both ways on seeded random bytes and
// text (invalid UTF-8, lone surrogates, text that is not hex or base64),
// byteLength, the inspected form, and the shape a checkpoint relies on.

import { Buffer as PortableBuffer, isAscii, isUtf8 } from '../runtime/plugins/portable/buffer-module.js';
import * as nodeBuffer from 'node:buffer';
import { randomInts } from './harness/sampling.js';

const NodeBuffer = globalThis.Buffer;
const inspect = (b: Uint8Array): string => (b as unknown as { inspect(): string }).inspect();

/** The same cases on every run. */
const random = randomInts;

const ENCODINGS = [undefined, 'utf8', 'utf-8', 'latin1', 'binary', 'ascii', 'hex', 'base64', 'base64url', 'utf16le', 'ucs2'] as const;

describe('portable Buffer against Node', () => {
  test('decoding random bytes in every encoding, with bounds', () => {
    const rnd = random(1);
    const differ: unknown[] = [];
    for (let t = 0; t < 3000; t++) {
      const n = 1 + rnd(9);
      const bytes = Array.from({ length: n }, () => (rnd(10) < 6 ? 0x80 + rnd(0x80) : rnd(256)));
      for (const encoding of ENCODINGS) {
        const start = rnd(3);
        const end = n - rnd(3);
        const ours = PortableBuffer.from(bytes).toString(encoding, start, end);
        if (ours !== NodeBuffer.from(bytes).toString(encoding, start, end)) differ.push([bytes, encoding, start, end, ours]);
      }
    }
    expect(differ).toEqual([]);
  });

  test('encoding random text, and its byte length', () => {
    const rnd = random(2);
    const differ: unknown[] = [];
    for (let t = 0; t < 3000; t++) {
      const text = Array.from({ length: rnd(7) }, () => String.fromCharCode(rnd(5) === 0 ? 0xd800 + rnd(0x800) : rnd(0x3000))).join('');
      const ascii = Array.from({ length: rnd(10) }, () => String.fromCharCode(32 + rnd(95))).join('');
      for (const [encoding, s] of [['utf8', text], ['latin1', text], ['ascii', text], ['utf16le', text], ['base64', ascii], ['base64url', ascii], ['base64', text], ['base64url', text], ['hex', ascii]] as const) {
        const ours = [PortableBuffer.from(s, encoding).toString('hex'), PortableBuffer.byteLength(s, encoding)];
        const node = [NodeBuffer.from(s, encoding).toString('hex'), NodeBuffer.byteLength(s, encoding)];
        if (ours.join() !== node.join()) differ.push([s, encoding, ours, node]);
      }
      const into = (B: typeof NodeBuffer) => {
        const b = B.alloc(12, 0x2e);
        const written = b.write(text, 1, 'utf8');
        return [written, b.toString('hex'), B.alloc(7, text.length > 0 ? text : 'x').toString('hex')];
      };
      if (into(PortableBuffer as typeof NodeBuffer).join() !== into(NodeBuffer).join()) differ.push([text, 'write/alloc']);
    }
    expect(differ).toEqual([]);
  });

  test('base64url, binary fields, searching, inspecting', () => {
    const run = (B: typeof NodeBuffer) => {
      const b = B.from([0xfb, 0xff, 0xbf, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09]);
      const long = B.from('x'.repeat(53));
      return [
        b.toString('base64url'), B.from('-_-_AQID', 'base64url').toString('hex'), B.isEncoding('base64url'), B.isEncoding('nope'),
        b.readUInt32BE(0), b.readInt16LE(2), b.readDoubleLE(4), b.readBigUInt64BE(2), b.readUIntLE(1, 5), b.indexOf(0x03), b.indexOf('AQI', 0, 'base64url'),
        b.includes(B.from([4, 5])), B.compare(b, long), b.equals(B.from(b)), b.subarray(2, 4).toString('hex'), JSON.stringify(b.subarray(0, 2)),
        inspect(b), inspect(long), B.concat([b.subarray(0, 1), long.subarray(0, 2)]).toString('latin1'), B.from('abcd').swap16().toString(),
      ];
    };
    expect(run(PortableBuffer as typeof NodeBuffer)).toEqual(run(NodeBuffer));
  });

  test('isUtf8 and isAscii as Node 20', () => {
    const rnd = random(3);
    const differ: unknown[] = [];
    const nodeIsUtf8 = (nodeBuffer as { isUtf8?: (b: Uint8Array) => boolean }).isUtf8;
    for (let t = 0; t < 2000; t++) {
      const bytes = Uint8Array.from({ length: rnd(6) }, () => (rnd(2) ? 0x80 + rnd(0x80) : rnd(256)));
      if (nodeIsUtf8 !== undefined && isUtf8(bytes) !== nodeIsUtf8(bytes)) differ.push([...bytes]);
      if (isAscii(bytes) !== bytes.every((x) => x < 0x80)) differ.push([...bytes]);
    }
    expect(differ).toEqual([]);
  });

  test('a Buffer is what a checkpoint saves of Node\'s: a Uint8Array with Buffer.prototype and no own state', () => {
    const b = PortableBuffer.from('hello');
    expect(Object.getPrototypeOf(b)).toBe(PortableBuffer.prototype);
    expect(Object.getPrototypeOf(PortableBuffer.prototype)).toBe(Uint8Array.prototype);
    expect(Reflect.ownKeys(b)).toEqual(['0', '1', '2', '3', '4']);
    expect(PortableBuffer.prototype.constructor).toBe(PortableBuffer);
    const part = b.subarray(1, 3);
    part[0] = 0x45;
    expect([b.toString(), part.buffer === b.buffer, Object.getPrototypeOf(part) === PortableBuffer.prototype]).toEqual(['hEllo', true, true]);
    // global paths a checkpoint names are data properties
    for (const key of ['from', 'alloc', 'byteLength', 'isEncoding', 'concat']) expect('value' in Object.getOwnPropertyDescriptor(PortableBuffer, key)!).toBe(true);
    expect((PortableBuffer.from as Function).name).toBe('from');
  });
});
