// Decoding a checkpoint from a file read in pieces. Takes a ByteSource (the
// file's size and positioned reads) and the heap's own-buffer finder;
// guarantees the same checks and the same decoded image as decoding the
// whole file at once (v1.ts), with one difference in where the bytes land:
// a large ArrayBuffer's bytes are read straight into a new ArrayBuffer the
// reader gives the program (HeapImage.ownBuffers), instead of into one
// file-sized array that the reader then copies from. On a large typed-array
// heap that halves what a restart touches in fresh memory, which is what its
// time goes to (docs/PERFORMANCE.md §6).
//
// Nothing decoded here is trusted before the digests match: the nodes are
// scanned early only to learn the buffers' ranges (the scan is made for
// untrusted input), and the image is returned only after the check.

import type { HeapImage } from '../heap/image.js';
import type { CheckpointHeader } from './header.js';
import { checkDigests, decodeSections, FIXED, layoutOf, readHeaderAt, type CodecOptions } from './v1.js';

/** A checkpoint file opened for reading: its size and positioned reads of exactly `into.length` bytes. */
export interface ByteSource {
  readonly size: number;
  read(into: Uint8Array, position: number): void;
  /** Called once the decode no longer needs the file. */
  close?(): void;
}

/** Blob sizes from which reading in pieces pays (below, the file is read whole). */
const STREAM_FROM = 1 << 20;
/** Buffers from this size get their own ArrayBuffer read from the file. */
const OWN_BUFFER_FROM = 64 * 1024;

/** Where the ArrayBuffers' bytes are in the blob, as [offset, length] pairs (plain, non-resizable buffers only). */
export type BufferRanges = (image: HeapImage) => readonly number[];

export function readAt(source: ByteSource, position: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  if (length > 0) source.read(bytes, position);
  return bytes;
}

/** The file's fixed part (or all of a shorter file): what its magic, version and layout are read from. */
export function readHead(source: ByteSource): Uint8Array {
  return readAt(source, 0, Math.min(source.size, FIXED));
}

/** The header only, given the fixed part (`readHead`): reads the header section. */
export function readHeaderFrom(source: ByteSource, head: Uint8Array): CheckpointHeader {
  const l = layoutOf(head, source.size);
  const [start, length] = l.sections[0]!;
  return readHeaderAt(readAt(source, 0, start + length), l);
}

/**
 * Decodes a file (of a format `version` with version 1's layout, its fixed
 * part `head`) whose blob is at least STREAM_FROM bytes, reading large
 * buffers into their own ArrayBuffers; undefined for a smaller blob (read
 * the file whole instead).
 */
export function decodeStreamed(source: ByteSource, head: Uint8Array, version: number, opts: CodecOptions, bufferRanges: BufferRanges): { header: CheckpointHeader; heap: HeapImage } | undefined {
  const l = layoutOf(head, source.size);
  const [blobStart, blobLength] = l.sections[3]!;
  if (blobLength < STREAM_FROM) return undefined;
  const front = readAt(source, 0, blobStart);
  // Untouched pages cost nothing: the parts read into own buffers stay zero here.
  const blob = new Uint8Array(blobLength);
  let decoded: ReturnType<typeof decodeSections> | undefined;
  let damage: unknown;
  try {
    decoded = decodeSections(front, l, blob);
    decoded.heap.version = version;
  } catch (error) {
    damage = error; // reported after the digests, which say what is wrong more precisely
  }
  const own = decoded === undefined ? [] : ownRanges(decoded.heap, blob.length, bufferRanges);
  const parts: Uint8Array[] = [front];
  const ownBuffers = new Map<number, ArrayBuffer>();
  let at = 0;
  const readBlob = (end: number) => {
    if (end <= at) return;
    const part = blob.subarray(at, end);
    source.read(part, blobStart + at);
    parts.push(part);
    at = end;
  };
  for (let i = 0; i < own.length; i += 2) {
    const offset = own[i]!;
    const length = own[i + 1]!;
    readBlob(offset);
    const buffer = new ArrayBuffer(length);
    const bytes = new Uint8Array(buffer);
    source.read(bytes, blobStart + offset);
    parts.push(bytes);
    ownBuffers.set(offset, buffer);
    at = offset + length;
  }
  readBlob(blobLength);
  const tail = l.hashAt - (blobStart + blobLength);
  if (tail > 0) parts.push(readAt(source, blobStart + blobLength, tail));
  checkDigests(parts, readAt(source, l.hashAt, source.size - l.hashAt), l, opts);
  if (decoded === undefined) throw damage;
  decoded.heap.ownBuffers = ownBuffers;
  return decoded;
}

/**
 * The ranges to read into their own buffers: large, sorted, not overlapping,
 * each named by one buffer node. Anything else (and every range, when the
 * nodes do not scan: the digest check then reports the damage) is read into
 * the blob, where the reader copies it from as usual.
 */
function ownRanges(heap: HeapImage, blobLength: number, bufferRanges: BufferRanges): number[] {
  let ranges: readonly number[];
  try {
    ranges = bufferRanges(heap);
  } catch {
    return [];
  }
  const pairs: [number, number][] = [];
  for (let i = 0; i + 1 < ranges.length; i += 2) if (ranges[i + 1]! >= OWN_BUFFER_FROM) pairs.push([ranges[i]!, ranges[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const own: number[] = [];
  let end = 0;
  for (let i = 0; i < pairs.length; i++) {
    const [offset, length] = pairs[i]!;
    const next = pairs[i + 1];
    const overlapsNext = next !== undefined && next[0] < offset + length;
    if (offset >= end && !overlapsNext && offset + length <= blobLength) own.push(offset, length);
    end = Math.max(end, offset + length);
  }
  return own;
}
