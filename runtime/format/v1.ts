// Format version 1 of the container: the byte layout (docs/FORMAT.md §1).
// Takes a header and a heap image (encode) or the file's bytes after the
// version was read (decode); guarantees a decoded file is complete, its
// SHA-256 matches, its HMAC matches when a key is given, and its sections
// parse — or a FormatError saying which check failed and at which byte.
//
//   0   16  magic  89 'INTROSPECT' 0D 0A 1A 0A 00
//   16   4  u32 format version (1)
//   20   4  u32 flags (bit 0: an HMAC follows the hash)
//   24  32  u64 × 4: byte lengths of header, strings, nodes, blob
//   56   …  the four sections, each zero-padded to a multiple of 8
//   …   32  SHA-256 of every byte before it
//   …   32  HMAC-SHA256(key, every byte before it) — only with flag bit 0

import type { HeapImage } from '../heap/image.js';
import { bytesLength, pad8, readU32, readU64, sameBytes, utf8Decode, utf8Encode, writeU32, writeU64 } from './bytes.js';
import { DIGEST_LENGTH, hmacSha256Of, sha256Of, type CheckpointHash } from './digest.js';
import { FormatError } from './errors.js';
import { checkHeader, type CheckpointHeader } from './header.js';
import { MAGIC } from './magic.js';

const FLAG_HMAC = 1;
/** Bytes of the fixed part (magic, version, flags, section lengths): what `layoutOf` reads. */
export const FIXED = 56;
const SECTIONS = ['header', 'strings', 'nodes', 'blob'] as const;

export interface CodecOptions {
  hmacKey?: Uint8Array | undefined;
  hash: CheckpointHash;
}

/**
 * The file as parts in order: the fixed header and first three sections in
 * one array, then the blob's parts as the heap image holds them (not
 * copied), then the digests. `version` lets v2.ts write this same layout
 * under its own number.
 */
export function encodeV1Parts(header: CheckpointHeader, heap: HeapImage, opts: CodecOptions, version = 1): Uint8Array[] {
  const blob = heap.blob instanceof Uint8Array ? [heap.blob] : heap.blob;
  const sections = [utf8Encode(JSON.stringify(header)), utf8Encode(JSON.stringify(heap.strings)), heap.nodes];
  const lengths = [...sections.map((section) => section.length), bytesLength(blob)];
  const signed = opts.hmacKey !== undefined;
  let size = FIXED;
  for (const section of sections) size += pad8(section.length);
  const head = new Uint8Array(size);
  head.set(MAGIC, 0);
  writeU32(head, 16, version);
  writeU32(head, 20, signed ? FLAG_HMAC : 0);
  lengths.forEach((length, s) => writeU64(head, 24 + 8 * s, length));
  let at = FIXED;
  for (const section of sections) {
    head.set(section, at);
    at += pad8(section.length);
  }
  const parts = [head, ...blob];
  const tail = pad8(lengths[3]!) - lengths[3]!;
  if (tail > 0) parts.push(new Uint8Array(tail));
  const digest = sha256Of(opts.hash, parts);
  const signature = signed ? hmacSha256Of(opts.hash, opts.hmacKey!, [...parts, digest]) : undefined;
  parts.push(digest);
  if (signature) parts.push(signature);
  return parts;
}

export interface Layout {
  signed: boolean;
  /** [start, length] of each section */
  sections: [number, number][];
  hashAt: number;
}

/**
 * Checks the fixed part (the first 56 bytes, in `head`) against the file's
 * total size; cheap. A streamed decode (streamed.ts) learns from it where
 * each section is before reading them.
 */
export function layoutOf(head: Uint8Array, size: number): Layout {
  if (size < FIXED || head.length < FIXED) {
    throw new FormatError('truncated', `checkpoint is truncated: ${size} bytes, but its fixed header alone is ${FIXED} bytes — the file was cut short while being copied or written; use an earlier checkpoint`, size);
  }
  const flags = readU32(head, 20);
  if ((flags & ~FLAG_HMAC) !== 0) {
    throw new FormatError('corrupted', `checkpoint is corrupted: unknown flags 0x${flags.toString(16)} at byte 20 — the file is damaged; use an earlier checkpoint`, 20);
  }
  const signed = (flags & FLAG_HMAC) !== 0;
  const sections: [number, number][] = [];
  let at = FIXED;
  for (let s = 0; s < SECTIONS.length; s++) {
    const length = readU64(head, 24 + 8 * s);
    if (!Number.isFinite(length)) {
      throw new FormatError('corrupted', `checkpoint is corrupted: the ${SECTIONS[s]} section length at byte ${24 + 8 * s} is impossible — the file is damaged; use an earlier checkpoint`, 24 + 8 * s);
    }
    sections.push([at, length]);
    at += pad8(length);
  }
  const hashAt = at;
  const expected = hashAt + DIGEST_LENGTH * (signed ? 2 : 1);
  if (size < expected) {
    let where = signed ? 'HMAC' : 'hash';
    for (let s = SECTIONS.length - 1; s >= 0; s--) if (size < sections[s]![0] + sections[s]![1]) where = `${SECTIONS[s]} section`;
    if (size < hashAt + DIGEST_LENGTH && size >= sections[3]![0] + sections[3]![1]) where = 'hash';
    throw new FormatError('truncated', `checkpoint is truncated: ${size} bytes, expected ${expected} (it ends inside the ${where}) — the file was cut short while being copied or written; use an earlier checkpoint`, size);
  }
  if (size > expected) {
    throw new FormatError('corrupted', `checkpoint is corrupted: ${size} bytes, expected ${expected} (extra bytes after byte ${expected}, or damaged section lengths at bytes 24–55) — use an earlier checkpoint`, expected);
  }
  return { signed, sections, hashAt };
}

function layout(bytes: Uint8Array): Layout {
  return layoutOf(bytes, bytes.length);
}

/** The section's bytes, from an array that holds the file from its start at least up to the section's end. */
function section(bytes: Uint8Array, l: Layout, s: number): Uint8Array {
  const [start, length] = l.sections[s]!;
  return bytes.subarray(start, start + length);
}

function parseJson(bytes: Uint8Array, l: Layout, s: number): unknown {
  try {
    return JSON.parse(utf8Decode(section(bytes, l, s)));
  } catch (error) {
    throw new FormatError('corrupted', `checkpoint is corrupted: the ${SECTIONS[s]} section (bytes ${l.sections[s]![0]}–${l.sections[s]![0] + l.sections[s]![1]}) is not valid UTF-8 JSON (${(error as Error).message}) — use an earlier checkpoint`, l.sections[s]![0]);
  }
}

export function readHeaderV1(bytes: Uint8Array): CheckpointHeader {
  return readHeaderAt(bytes, layout(bytes));
}

/** The header, from an array holding the file up to the header section's end at least. */
export function readHeaderAt(front: Uint8Array, l: Layout): CheckpointHeader {
  return checkHeader(parseJson(front, l, 0), `bytes ${l.sections[0]![0]}–${l.sections[0]![0] + l.sections[0]![1]}`);
}

export function decodeV1(bytes: Uint8Array, opts: CodecOptions): { header: CheckpointHeader; heap: HeapImage } {
  const l = layout(bytes);
  checkDigests([bytes.subarray(0, l.hashAt)], bytes.subarray(l.hashAt), l, opts);
  return decodeSections(bytes, l, section(bytes, l, 3));
}

/**
 * Checks the SHA-256 (and the HMAC when a key is given) of the file's bytes
 * before the digests, given as parts in order; `digests` holds the bytes
 * from the hash on.
 */
export function checkDigests(parts: readonly Uint8Array[], digests: Uint8Array, l: Layout, opts: CodecOptions): void {
  const hash = sha256Of(opts.hash, parts);
  if (!sameBytes(hash, digests.subarray(0, DIGEST_LENGTH))) {
    throw new FormatError('corrupted', `checkpoint is corrupted: its SHA-256 (bytes ${l.hashAt}–${l.hashAt + DIGEST_LENGTH}) does not match its contents — the file was damaged or changed after it was written; use an earlier checkpoint`, l.hashAt);
  }
  if (opts.hmacKey !== undefined) {
    if (!l.signed) {
      throw new FormatError('signature', 'checkpoint is not signed, but a signing key was given — refusing an unsigned file; sign checkpoints with the same key when writing them, or load without a key', 20);
    }
    const at = l.hashAt + DIGEST_LENGTH;
    const mac = hmacSha256Of(opts.hash, opts.hmacKey, [...parts, hash]);
    if (!sameBytes(mac, digests.subarray(DIGEST_LENGTH, 2 * DIGEST_LENGTH))) {
      throw new FormatError('signature', `checkpoint signature is invalid: the HMAC-SHA256 at bytes ${at}–${at + DIGEST_LENGTH} does not match this key — the file was tampered with or signed with another key; do not load it`, at);
    }
  }
}

/** Header, strings and nodes from `front` (the file from its start through the nodes section), with the blob given apart. */
export function decodeSections(front: Uint8Array, l: Layout, blob: Uint8Array): { header: CheckpointHeader; heap: HeapImage } {
  const header = readHeaderAt(front, l);
  const strings = parseJson(front, l, 1);
  if (!Array.isArray(strings) || !strings.every((s) => typeof s === 'string')) {
    throw new FormatError('corrupted', `checkpoint is corrupted: the strings section (byte ${l.sections[1]![0]}) is not an array of strings — use an earlier checkpoint`, l.sections[1]![0]);
  }
  const nodes = section(front, l, 2);
  return { header, heap: { version: 1, nodeCount: leadingVarint(nodes), strings: strings as string[], nodes, blob } };
}

/** The node count at the start of the nodes section (validated again by the heap reader). */
function leadingVarint(bytes: Uint8Array): number {
  let result = 0;
  let scale = 1;
  for (let i = 0; i < bytes.length && i < 8; i++) {
    result += (bytes[i]! & 0x7f) * scale;
    if (bytes[i]! < 0x80) return result;
    scale *= 0x80;
  }
  return 0;
}
