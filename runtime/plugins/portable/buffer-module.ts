// node:buffer on an engine without Node, for the restart bundle
// (cli/platform/bundle.ts resolves `node:buffer` and `buffer` here), and the
// global `Buffer` that every Node program has (boot.ts): the `buffer`
// package, which browserify and webpack give a page. Its Buffer is what
// Node's is where a checkpoint can see it: a Uint8Array whose prototype is
// `Buffer.prototype` (over Uint8Array.prototype), with no own state, so a
// Buffer saved on Node is restored here as a Buffer with the same bytes, and
// `Buffer`, `Buffer.from` or `Buffer.prototype.readUInt32BE` saved by their
// global paths (heap/builtins.ts) are found again on the global installed
// here. Where the package differs from Node 20 in what a program sees, this
// file gives Node's: UTF-8 decoding that replaces each maximal invalid
// subpart with one U+FFFD (the package gives one per byte of a truncated
// sequence), the `base64url` encoding (JWTs, URL tokens), which the package
// lacks, and the inspected form (`<Buffer 61 62 ... 3 more bytes>`).
// Imports nothing from a platform.

import { Buffer, SlowBuffer, kMaxLength } from 'buffer/index.js';
import { PortableTextDecoder, portableAtob, portableBtoa } from './text-encoding.js';

type Method = (this: unknown, ...args: unknown[]) => unknown;

/** Node's encoding names that the package reads the same as another: base64url input is base64 to its decoder, which takes `-` and `_`. */
function inputEncoding(arg: unknown): unknown {
  return typeof arg === 'string' && arg.toLowerCase() === 'base64url' ? 'base64' : arg;
}

const UTF8 = /^utf-?8$/i;
const HEX_PAIRS = /^(?:[0-9a-fA-F]{2})*/;
const WIDE = /[^\x00-\xff]/;
const WIDE_ALL = /[^\x00-\xff]/g;
const lowByte = (unit: string): string => String.fromCharCode(unit.charCodeAt(0) & 0xff);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as Node writes it in UTF-8: a lone surrogate as U+FFFD each (the package writes two in a row as one). */
function wellFormed(text: string): string {
  return /[\uD800-\uDFFF]/.test(text) ? text.replace(LONE_SURROGATE, '\uFFFD') : text;
}

/**
 * `method` of `holder` taking text at argument `textAt` and an encoding
 * among the next three (a string there is one: offsets and lengths are
 * numbers, and `alloc`'s size comes first) as Node does: `base64url`,
 * UTF-8 (the default) of text with lone surrogates, hex that is not. Keeps the
 * function's name, as a data property.
 */
function asNode(holder: Record<string, unknown>, key: string, textAt: number): void {
  const original = holder[key] as Method;
  const wrapped = {
    [key](this: unknown, ...args: unknown[]): unknown {
      let encoding: unknown;
      for (let i = textAt + 1; i < args.length && i <= textAt + 3; i++) {
        if (typeof args[i] !== 'string') continue;
        encoding = args[i];
        args[i] = inputEncoding(args[i]);
      }
      const text = args[textAt];
      if (typeof text === 'string' && (encoding === undefined || UTF8.test(encoding as string))) args[textAt] = wellFormed(text);
      // Node's hex decoding stops at the first pair that is not two hex digits (the package's parseInt takes `d/` for 0d)
      else if (typeof text === 'string' && (encoding as string).toLowerCase() === 'hex') args[textAt] = HEX_PAIRS.exec(text)![0];
      // Node's base64 decoder reads each UTF-16 unit of a wide string by its low byte (`😀` is \uD83D\uDE00: `=` then NUL, so it ends the data there)
      else if (typeof text === 'string' && (inputEncoding(encoding) as string).toLowerCase() === 'base64' && WIDE.test(text)) args[textAt] = text.replace(WIDE_ALL, lowByte);
      return Reflect.apply(original, this, args);
    },
  }[key]!;
  Object.defineProperty(holder, key, { value: wrapped, writable: true, enumerable: true, configurable: true });
}

const statics = Buffer as unknown as Record<string, unknown>;
const proto = Buffer.prototype as unknown as Record<string, unknown>;
asNode(statics, 'from', 0);
asNode(statics, 'alloc', 1);

/** Node counts base64 text as 3 bytes a 4 characters less its padding, where the package decodes it (the two differ on text that is not base64). */
const byteLength = Buffer.byteLength as Method;
statics.byteLength = function byteLength_(this: unknown, string: unknown, encoding?: unknown): number {
  if (typeof string === 'string' && (encoding === undefined || UTF8.test(encoding as string))) return Reflect.apply(byteLength, this, [wellFormed(string), encoding]) as number;
  if (typeof string !== 'string' || inputEncoding(encoding) !== 'base64') return Reflect.apply(byteLength, this, [string, encoding]) as number;
  let n = string.length;
  if (string.charCodeAt(n - 1) === 0x3d) n--;
  if (n > 1 && string.charCodeAt(n - 1) === 0x3d) n--;
  return (n * 3) >>> 2;
};
Object.defineProperty(statics.byteLength, 'name', { value: 'byteLength' });
for (const key of ['write', 'fill', 'indexOf', 'lastIndexOf', 'includes']) asNode(proto, key, 0);

const isEncoding = Buffer.isEncoding;
statics.isEncoding = function isEncoding_(encoding: unknown): boolean {
  return inputEncoding(encoding) !== encoding || isEncoding(encoding as string);
};
Object.defineProperty(statics.isEncoding, 'name', { value: 'isEncoding' });

const toString = Buffer.prototype.toString as Method;
/** Node's buffer decoding is the Encoding Standard's, and keeps a BOM. */
const utf8 = new PortableTextDecoder('utf-8', { ignoreBOM: true });

/** Node's bounds of `toString(encoding, start, end)`, as [start, end) within the length. */
function bounds(length: number, start: unknown, end: unknown): [number, number] {
  let s = start as number;
  if (s <= 0) s = 0;
  else if (s >= length) return [0, 0];
  else s = Math.trunc(s) || 0;
  let e = end as number;
  if (e === undefined || e > length) e = length;
  else e = Math.trunc(e) || 0;
  return e <= s ? [0, 0] : [s, e];
}

proto.toString = function toString_(this: Buffer, ...args: unknown[]): string {
  const encoding = args[0];
  if (encoding === undefined || (typeof encoding === 'string' && /^utf-?8$/i.test(encoding))) {
    const [s, e] = bounds(this.length, args[1], args[2]);
    return utf8.decode(new Uint8Array(this.buffer, this.byteOffset + s, e - s));
  }
  if (inputEncoding(encoding) === encoding) return Reflect.apply(toString, this, args) as string;
  const base64 = Reflect.apply(toString, this, ['base64', ...args.slice(1)]) as string;
  return base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
Object.defineProperty(proto.toString, 'name', { value: 'toString' });
proto.toLocaleString = proto.toString;

export const INSPECT_MAX_BYTES = 50;

/** Node's `<Buffer 61 62 ... 3 more bytes>`, by the constructor's name as Node's (a subclass shows its own). */
proto.inspect = function inspect(this: Buffer): string {
  const shown = Math.min(INSPECT_MAX_BYTES, this.length);
  const remaining = this.length - INSPECT_MAX_BYTES;
  let text = (toString.call(this, 'hex', 0, shown) as string).replace(/(.{2})/g, '$1 ').trim();
  if (remaining > 0) text += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  const name = (this.constructor as { name?: string } | undefined)?.name ?? 'Buffer';
  return `<${name} ${text}>`;
};
proto[Symbol.for('nodejs.util.inspect.custom') as unknown as string] = proto.inspect;

/** What the engine can make: the package's limit, not Node's (which differs between Node versions too). */
export const kStringMaxLength = 2 ** 29 - 24;
export const constants = Object.freeze({ MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: kStringMaxLength });

/** Node 19.4+: whether the bytes are valid UTF-8 (the Encoding Standard's decoder would not replace any). */
export function isUtf8(input: ArrayBufferView | ArrayBuffer): boolean {
  const b = input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    const need = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0 || i + need >= b.length) return false;
    // the second byte's range narrows after E0, ED, F0 and F4 (no overlongs, surrogates or past U+10FFFF)
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k]!;
      if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return false;
    }
    i += need + 1;
  }
  return true;
}

export function isAscii(input: ArrayBufferView | ArrayBuffer): boolean {
  const b = input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  for (let i = 0; i < b.length; i++) if (b[i]! > 0x7f) return false;
  return true;
}

const g = globalThis as Record<string, unknown>;
export const atob = (typeof g.atob === 'function' ? g.atob : portableAtob) as (data: string) => string;
export const btoa = (typeof g.btoa === 'function' ? g.btoa : portableBtoa) as (data: string) => string;
/** The engine's, where it has them (browsers). */
export const Blob = g.Blob as typeof globalThis.Blob | undefined;
export const File = g.File as unknown;

/** The global `Buffer`, where the engine has none: a program from Node uses it without an import. */
export function provideBuffer(): void {
  if (typeof g.Buffer === 'function') return;
  Object.defineProperty(g, 'Buffer', { value: Buffer, writable: true, enumerable: false, configurable: true });
}

export { Buffer, SlowBuffer, kMaxLength };
export default { Buffer, SlowBuffer, kMaxLength, kStringMaxLength, constants, INSPECT_MAX_BYTES, isUtf8, isAscii, atob, btoa, Blob, File };
