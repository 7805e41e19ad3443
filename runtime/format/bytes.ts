// Little-endian integers and UTF-8 for the container. Takes byte arrays and
// numbers; guarantees the same bytes on every host (explicit little-endian,
// no platform API beyond TextEncoder/TextDecoder, with a portable fallback
// for engines without them, e.g. bare QuickJS).

const TWO_32 = 4294967296;

export function writeU32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
  bytes[at + 2] = (value >>> 16) & 0xff;
  bytes[at + 3] = (value >>> 24) & 0xff;
}

export function readU32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

/** A u64 holding a safe integer (< 2^53). */
export function writeU64(bytes: Uint8Array, at: number, value: number): void {
  writeU32(bytes, at, value % TWO_32);
  writeU32(bytes, at + 4, Math.floor(value / TWO_32));
}

/** A u64; values ≥ 2^53 come back as Infinity (callers treat them as a size error). */
export function readU64(bytes: Uint8Array, at: number): number {
  const hi = readU32(bytes, at + 4);
  if (hi >= 0x200000) return Infinity;
  return hi * TWO_32 + readU32(bytes, at);
}

export function pad8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

const encoder = typeof TextEncoder === 'function' ? new TextEncoder() : undefined;
const decoder = typeof TextDecoder === 'function' ? new TextDecoder('utf-8', { fatal: true }) : undefined;

export function utf8Encode(text: string): Uint8Array {
  return encoder !== undefined ? encoder.encode(text) : utf8EncodePortable(text);
}

/** UTF-8 of `text` without a TextEncoder (a lone surrogate as U+FFFD): the engines that lack one. */
export function utf8EncodePortable(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Strict UTF-8 → string; throws on malformed input. */
export function utf8Decode(bytes: Uint8Array): string {
  if (decoder !== undefined) return decoder.decode(bytes);
  const parts: string[] = [];
  let units: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    let c: number;
    let n: number;
    if (b < 0x80) { c = b; n = 1; }
    else if (b >= 0xc2 && b < 0xe0) { c = b & 31; n = 2; }
    else if (b >= 0xe0 && b < 0xf0) { c = b & 15; n = 3; }
    else if (b >= 0xf0 && b < 0xf5) { c = b & 7; n = 4; }
    else throw new TypeError(`invalid UTF-8 byte at ${i}`);
    if (i + n > bytes.length) throw new TypeError(`truncated UTF-8 sequence at ${i}`);
    for (let k = 1; k < n; k++) {
      const cont = bytes[i + k]!;
      if ((cont & 0xc0) !== 0x80) throw new TypeError(`invalid UTF-8 continuation at ${i + k}`);
      c = (c << 6) | (cont & 63);
    }
    if ((n === 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) || (n === 4 && (c < 0x10000 || c > 0x10ffff))) {
      throw new TypeError(`invalid UTF-8 sequence at ${i}`);
    }
    if (c >= 0x10000) units.push(0xd800 + ((c - 0x10000) >> 10), 0xdc00 + ((c - 0x10000) & 1023));
    else units.push(c);
    if (units.length > 4096) {
      parts.push(String.fromCharCode(...units));
      units = [];
    }
    i += n;
  }
  parts.push(String.fromCharCode(...units));
  return parts.join('');
}

/** Constant-time comparison of two digests. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Total length of bytes given as one array or as parts in order. */
export function bytesLength(bytes: Uint8Array | readonly Uint8Array[]): number {
  if (bytes instanceof Uint8Array) return bytes.length;
  let n = 0;
  for (const part of bytes) n += part.length;
  return n;
}

/** Bytes given as parts, as one array (the array itself when it is one). */
export function concatBytes(bytes: Uint8Array | readonly Uint8Array[]): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes.length === 1) return bytes[0]!;
  const out = new Uint8Array(bytesLength(bytes));
  let at = 0;
  for (const part of bytes) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
