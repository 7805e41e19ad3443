// `TextEncoder`, `TextDecoder`, `atob` and `btoa` for the script engines that
// lack them (QuickJS and jsc have no TextEncoder/TextDecoder, QuickJS and
// gjs no atob/btoa, and gjs's TextDecoder no `stream` option): a program
// moved there from Node keeps calling them.
// UTF-8, and UTF-16LE/BE for decoding, as the WHATWG Encoding Standard
// specifies them: encoding writes a lone surrogate as U+FFFD; decoding
// replaces each maximal invalid subpart (UTF-16: a lone surrogate, an odd
// last byte) with U+FFFD (or throws a TypeError when `fatal`), skips a
// leading BOM unless `ignoreBOM`, and with `{ stream: true }` keeps an
// incomplete sequence at a chunk's end for the next call. Node decodes
// `utf-16le` too (a program restarted on jsc or QuickJS stopped at `new
// TextDecoder('utf-16le')`, "encoding is not supported", session 32
// probe). `atob` and `btoa` are the HTML Standard's forgiving base64 (a
// DOMException-like InvalidCharacterError where it throws). Where the
// engine's TextDecoder fails the stream probe and its global cannot be
// replaced (gjs), its instances decode UTF-8 and UTF-16 with ours
// (`decodeWithOurs`). Imports nothing from a platform.

import { utf8EncodePortable } from '../../format/bytes.js';
import { noteTextDecoderStreams, replaceDecode } from '../../text-decoder-streams.js';

const REPLACEMENT = 0xfffd;

class PortableTextEncoder {
  get encoding(): string {
    return 'utf-8';
  }

  encode(input: unknown = ''): Uint8Array {
    return utf8EncodePortable(String(input));
  }

  encodeInto(input: unknown, destination: Uint8Array): { read: number; written: number } {
    const text = String(input);
    let read = 0;
    let written = 0;
    for (const char of text) {
      const bytes = utf8EncodePortable(char);
      if (written + bytes.length > destination.length) break;
      destination.set(bytes, written);
      written += bytes.length;
      read += char.length;
    }
    return { read, written };
  }

  get [Symbol.toStringTag](): string {
    return 'TextEncoder';
  }
}

const UTF8_LABELS = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'x-unicode20utf8']);
/** The Encoding Standard's labels of UTF-16LE and UTF-16BE. */
const UTF16_LABELS = new Map<string, 'utf-16le' | 'utf-16be'>([
  ...['csunicode', 'iso-10646-ucs-2', 'ucs-2', 'unicode', 'unicodefeff', 'utf-16', 'utf-16le'].map((l) => [l, 'utf-16le'] as const),
  ...['unicodefffe', 'utf-16be'].map((l) => [l, 'utf-16be'] as const),
]);

function bytesOf(input: unknown): Uint8Array {
  if (input === undefined) return new Uint8Array(0);
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new TypeError('The "input" argument must be an instance of ArrayBuffer or ArrayBufferView');
}

class PortableTextDecoder {
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  /** The decoder's state between `stream` calls: the code point so far, bytes still needed and seen, the bounds of the next byte. */
  private codePoint = 0;
  private needed = 0;
  private seen = 0;
  private lower = 0x80;
  private upper = 0xbf;
  private bomSeen = false;
  private readonly name: 'utf-8' | 'utf-16le' | 'utf-16be';
  /** UTF-16's state between `stream` calls: the first byte of a code unit, a high surrogate waiting for its low one (-1: none). */
  private leadByte = -1;
  private leadSurrogate = -1;

  constructor(label: unknown = 'utf-8', options: { fatal?: boolean; ignoreBOM?: boolean } = {}) {
    const name = String(label).trim().toLowerCase();
    const known = UTF8_LABELS.has(name) ? 'utf-8' : UTF16_LABELS.get(name);
    if (known === undefined) throw new RangeError(`The "${String(label)}" encoding is not supported`);
    this.name = known;
    this.fatal = Boolean(options?.fatal);
    this.ignoreBOM = Boolean(options?.ignoreBOM);
  }

  get encoding(): string {
    return this.name;
  }

  decode(input?: unknown, options: { stream?: boolean } = {}): string {
    const bytes = bytesOf(input);
    const stream = Boolean(options?.stream);
    let out = '';
    const emit = (c: number): void => {
      if (c === 0xfeff && !this.bomSeen && !this.ignoreBOM && out.length === 0) {
        this.bomSeen = true;
        return;
      }
      this.bomSeen = true;
      out += String.fromCodePoint(c);
    };
    const error = (): void => {
      if (this.fatal) {
        this.reset();
        throw new TypeError(`The encoded data was not valid for encoding ${this.name}`);
      }
      emit(REPLACEMENT);
    };
    if (this.name !== 'utf-8') return this.decodeUtf16(bytes, stream, emit, error, () => out);
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (this.needed === 0) {
        if (b <= 0x7f) emit(b);
        else if (b >= 0xc2 && b <= 0xdf) this.start(1, b & 0x1f);
        else if (b >= 0xe0 && b <= 0xef) {
          if (b === 0xe0) this.lower = 0xa0;
          if (b === 0xed) this.upper = 0x9f;
          this.start(2, b & 0xf);
        } else if (b >= 0xf0 && b <= 0xf4) {
          if (b === 0xf0) this.lower = 0x90;
          if (b === 0xf4) this.upper = 0x8f;
          this.start(3, b & 0x7);
        } else error();
        continue;
      }
      if (b < this.lower || b > this.upper) {
        // the byte is not part of the sequence: the sequence so far is one error, the byte is read again
        this.reset();
        error();
        i--;
        continue;
      }
      this.lower = 0x80;
      this.upper = 0xbf;
      this.codePoint = (this.codePoint << 6) | (b & 0x3f);
      if (++this.seen === this.needed) {
        const c = this.codePoint;
        this.reset();
        emit(c);
      }
    }
    if (!stream) {
      if (this.needed !== 0) {
        this.reset();
        error();
      }
      this.bomSeen = false;
    }
    return out;
  }

  /** The Encoding Standard's shared UTF-16 decoder over `bytes`, continuing the stream's state. */
  private decodeUtf16(bytes: Uint8Array, stream: boolean, emit: (c: number) => void, error: () => void, result: () => string): string {
    const littleEndian = this.name === 'utf-16le';
    for (const b of bytes) {
      if (this.leadByte < 0) {
        this.leadByte = b;
        continue;
      }
      const unit = littleEndian ? this.leadByte | (b << 8) : (this.leadByte << 8) | b;
      this.leadByte = -1;
      if (this.leadSurrogate >= 0) {
        const high = this.leadSurrogate;
        this.leadSurrogate = -1;
        if (unit >= 0xdc00 && unit <= 0xdfff) {
          emit(0x10000 + ((high - 0xd800) << 10) + (unit - 0xdc00));
          continue;
        }
        // the high surrogate alone is one error; the unit is read again
        error();
      }
      if (unit >= 0xd800 && unit <= 0xdbff) this.leadSurrogate = unit;
      else if (unit >= 0xdc00 && unit <= 0xdfff) error();
      else emit(unit);
    }
    if (!stream) {
      if (this.leadByte >= 0 || this.leadSurrogate >= 0) {
        this.reset();
        error();
      }
      this.bomSeen = false;
    }
    return result();
  }

  private start(needed: number, bits: number): void {
    this.needed = needed;
    this.codePoint = bits;
  }

  private reset(): void {
    this.codePoint = 0;
    this.needed = 0;
    this.seen = 0;
    this.lower = 0x80;
    this.upper = 0xbf;
    this.leadByte = -1;
    this.leadSurrogate = -1;
  }

  get [Symbol.toStringTag](): string {
    return 'TextDecoder';
  }
}

/** The base64 alphabet (boot.ts decodes the embedded checkpoint with it too). */
export const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function invalidCharacter(message: string): Error {
  const error = new Error(message);
  error.name = 'InvalidCharacterError';
  return error;
}

function btoa(data: unknown): string {
  const text = String(data);
  let out = '';
  for (let i = 0; i < text.length; i += 3) {
    const codes = [text.charCodeAt(i), text.charCodeAt(i + 1), text.charCodeAt(i + 2)];
    for (let j = 0; j < 3 && i + j < text.length; j++) if (codes[j]! > 0xff) throw invalidCharacter('Invalid character');
    const n = (codes[0]! << 16) | ((i + 1 < text.length ? codes[1]! : 0) << 8) | (i + 2 < text.length ? codes[2]! : 0);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + (i + 1 < text.length ? ALPHABET[(n >> 6) & 63]! : '=') + (i + 2 < text.length ? ALPHABET[n & 63]! : '=');
  }
  return out;
}

function atob(data: unknown): string {
  let text = String(data).replace(/[\t\n\f\r ]/g, '');
  if (text.length % 4 === 0) text = text.replace(/==?$/, '');
  if (text.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(text)) throw invalidCharacter('The string to be decoded is not correctly encoded.');
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const char of text) {
    acc = (acc << 6) | ALPHABET.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((acc >> bits) & 0xff);
    }
  }
  return out;
}

/** Whether `D` is a TextDecoder that takes `{ stream: true }`. */
function decodesStreams(D: unknown): boolean {
  if (typeof D !== 'function') return false;
  try {
    const d = new (D as typeof PortableTextDecoder)();
    return d.decode(Uint8Array.of(0xe6), { stream: true }) === '' && d.decode(Uint8Array.of(0x97, 0xa5)) === '\u65e5';
  } catch {
    return false;
  }
}

/**
 * Puts on the prototype of the engine's TextDecoder `D` a `decode` that
 * decodes UTF-8 and UTF-16 with a PortableTextDecoder of the instance's
 * encoding and flags (one per instance, so a stream goes on from call to
 * call), and any other encoding with the engine's. gjs 1.74's throws for `{ stream: true }`, and skips a
 * leading BOM only with `ignoreBOM` (the reverse of the Standard).
 */
export function decodeWithOurs(D: unknown): void {
  replaceDecode(D, (native) => {
    const ours = new WeakMap<object, PortableTextDecoder>();
    return {
      decode(this: { encoding?: string; fatal?: boolean; ignoreBOM?: boolean }, ...args: unknown[]): string {
        const encoding = this.encoding;
        if (encoding !== 'utf-8' && encoding !== 'utf-16le' && encoding !== 'utf-16be') return Reflect.apply(native, this, args) as string;
        let decoder = ours.get(this);
        if (decoder === undefined) ours.set(this, (decoder = new PortableTextDecoder(encoding, { fatal: this.fatal, ignoreBOM: this.ignoreBOM })));
        return decoder.decode(args[0], args[1] as { stream?: boolean });
      },
    }.decode;
  });
}

/** Installs what this engine lacks of TextEncoder, TextDecoder, atob and btoa, as globals that are writable and configurable. */
export function provideTextEncoding(): void {
  const g = globalThis as Record<string, unknown>;
  const provide = (name: string, value: unknown): void => {
    if (typeof g[name] === 'undefined') Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
  };
  Object.defineProperty(PortableTextEncoder, 'name', { value: 'TextEncoder' });
  Object.defineProperty(PortableTextDecoder, 'name', { value: 'TextDecoder' });
  provide('TextEncoder', PortableTextEncoder);
  if (!decodesStreams(g.TextDecoder)) {
    // gjs's TextDecoder throws for `{ stream: true }`: ours replaces it (where the global can be replaced).
    try {
      Object.defineProperty(g, 'TextDecoder', { value: PortableTextDecoder, writable: true, configurable: true, enumerable: false });
    } catch {
      // a non-configurable global (gjs): the engine's class stays, its UTF-8 decoding is ours
      decodeWithOurs(g.TextDecoder);
    }
  }
  provide('atob', atob);
  provide('btoa', btoa);
  // The class may be ours or the engine's, provided after the runtime loaded: its streams are noted too.
  noteTextDecoderStreams();
}

export { PortableTextDecoder, PortableTextEncoder, atob as portableAtob, btoa as portableBtoa };
