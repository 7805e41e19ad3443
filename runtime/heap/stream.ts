// The byte stream the heap nodes are written to: unsigned LEB128 varints,
// single bytes and little-endian float64s. Takes numbers; guarantees the
// bytes are the same on every host (explicit little-endian), and the reader
// never reads past its end (a short stream is a RestoreError, never a crash).

import { RestoreError } from './errors.js';

const TWO_32 = 4294967296;

export class ByteWriter {
  bytes: Uint8Array;
  private view: DataView;
  pos = 0;

  constructor(capacity = 1 << 16) {
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
  }

  private grow(need: number): void {
    let size = this.bytes.length * 2;
    while (size < this.pos + need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.pos));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }

  u8(byte: number): void {
    if (this.pos >= this.bytes.length) this.grow(1);
    this.bytes[this.pos++] = byte;
  }

  /** A non-negative integer up to 2^53 - 1. */
  varint(n: number): void {
    if (this.pos + 8 > this.bytes.length) this.grow(8);
    const bytes = this.bytes;
    if (n < 0x80) {
      bytes[this.pos++] = n;
      return;
    }
    while (n >= 0x80) {
      bytes[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    bytes[this.pos++] = n;
  }

  /** Tag byte followed by a varint: the most common value shape. */
  tagged(tag: number, n: number): void {
    if (this.pos + 9 > this.bytes.length) this.grow(9);
    this.bytes[this.pos++] = tag;
    if (n < 0x80) this.bytes[this.pos++] = n;
    else this.varint(n);
  }

  f64(value: number): void {
    if (this.pos + 8 > this.bytes.length) this.grow(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** The written bytes, copied to an exactly sized array. */
  finish(): Uint8Array {
    return this.bytes.slice(0, this.pos);
  }
}

export class ByteReader {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  pos: number;
  readonly end: number;

  constructor(bytes: Uint8Array, pos = 0) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = pos;
    this.end = bytes.length;
  }

  private short(what: string): never {
    throw new RestoreError(`heap stream ends inside a ${what} at byte ${this.pos} of ${this.end}`);
  }

  u8(): number {
    if (this.pos >= this.end) this.short('byte');
    return this.bytes[this.pos++]!;
  }

  varint(): number {
    const bytes = this.bytes;
    let pos = this.pos;
    if (pos >= this.end) this.short('varint');
    let byte = bytes[pos++]!;
    if (byte < 0x80) {
      this.pos = pos;
      return byte;
    }
    let result = byte & 0x7f;
    let scale = 0x80;
    for (;;) {
      if (pos >= this.end) { this.pos = pos; this.short('varint'); }
      byte = bytes[pos++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
      if (scale > TWO_32 * 0x200000) { this.pos = pos; throw new RestoreError(`varint longer than 53 bits at byte ${pos}`); }
    }
    if (result > Number.MAX_SAFE_INTEGER) throw new RestoreError(`varint larger than 2^53 at byte ${pos}`);
    this.pos = pos;
    return result;
  }

  f64(): number {
    if (this.pos + 8 > this.end) this.short('float64');
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }
}

/** zigzag: int32 → unsigned, so small negative numbers stay short. */
export function zigzag(n: number): number {
  return ((n << 1) ^ (n >> 31)) >>> 0;
}

export function unzigzag(n: number): number {
  return (n >>> 1) ^ -(n & 1);
}
