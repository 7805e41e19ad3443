// The checkpoint container: header + heap image ↔ bytes. Takes a header and
// a HeapImage (or a file's bytes); guarantees files are written in the
// current FORMAT_VERSION and that every version ever written can be read:
// the first 20 bytes (magic, version) are the same in all versions, and each
// version has its own decoder in the table below (add v2 beside v1, never
// change v1).

import type { HeapImage } from '../heap/image.js';
import { readU32 } from './bytes.js';
import { portableHash, type CheckpointHash } from './digest.js';
import { FormatError } from './errors.js';
import { FORMAT_VERSION, type CheckpointHeader } from './header.js';
import { MAGIC, VERSION_OFFSET } from './magic.js';
import { decodeV1, readHeaderV1, type CodecOptions } from './v1.js';
import { decodeV2, encodeV2Parts, readHeaderV2 } from './v2.js';
import { concatBytes } from './bytes.js';
import { HEAP_VERSION } from '../heap/layout.js';
import { bufferRanges } from '../heap/scan.js';
import { decodeStreamed, readAt, readHead, readHeaderFrom, type ByteSource } from './streamed.js';

export type { ByteSource };

export interface CheckpointOptions {
  /** Sign with (encode) or require and verify (decode) an HMAC-SHA256 with this key. */
  hmacKey?: Uint8Array;
  /** A faster SHA-256/HMAC implementation (e.g. node:crypto); default @noble/hashes. */
  hash?: CheckpointHash;
}

interface VersionCodec {
  decode(bytes: Uint8Array, opts: CodecOptions): { header: CheckpointHeader; heap: HeapImage };
  readHeader(bytes: Uint8Array): CheckpointHeader;
}

/** Every format version this build reads. */
const VERSIONS: Record<number, VersionCodec> = {
  1: { decode: decodeV1, readHeader: readHeaderV1 },
  2: { decode: decodeV2, readHeader: readHeaderV2 },
};

function codecOptions(opts: CheckpointOptions | undefined): CodecOptions {
  if (opts?.hmacKey !== undefined && !(opts.hmacKey instanceof Uint8Array)) {
    throw new FormatError('invalid-argument', 'hmacKey must be a Uint8Array');
  }
  return { hmacKey: opts?.hmacKey, hash: opts?.hash ?? portableHash };
}

export function encodeCheckpoint(header: CheckpointHeader, heap: HeapImage, opts?: CheckpointOptions): Uint8Array {
  return concatBytes(encodeCheckpointParts(header, heap, opts));
}

/**
 * The file as parts to write in order, without one copy of it all: a large
 * ArrayBuffer's bytes are its own (heap/writer.ts), so the parts must be
 * written before the program runs again.
 */
export function encodeCheckpointParts(header: CheckpointHeader, heap: HeapImage, opts?: CheckpointOptions): Uint8Array[] {
  const version = heap.version ?? HEAP_VERSION;
  if (version !== FORMAT_VERSION) {
    throw new FormatError('invalid-argument', `this heap image holds node stream version ${version}; only the current version ${FORMAT_VERSION} is written`);
  }
  return encodeV2Parts({ ...header, formatVersion: FORMAT_VERSION }, heap, codecOptions(opts));
}

/**
 * The header and heap image of a checkpoint: its bytes, or the file opened
 * as a ByteSource, which reads a large typed-array heap's buffers straight
 * into the ArrayBuffers the program gets (streamed.ts).
 */
export function decodeCheckpoint(file: Uint8Array | ByteSource, opts?: CheckpointOptions): { header: CheckpointHeader; heap: HeapImage } {
  if (file instanceof Uint8Array) return codecFor(file).decode(file, codecOptions(opts));
  try {
    const head = readHead(file);
    if (codecFor(head, file.size) === VERSIONS[FORMAT_VERSION]) {
      const decoded = decodeStreamed(file, head, FORMAT_VERSION, codecOptions(opts), bufferRanges);
      if (decoded !== undefined) return decoded;
    }
    return decodeCheckpoint(readAt(file, 0, file.size), opts);
  } finally {
    file.close?.();
  }
}

/** The header only: checks magic, version and size, not the hash (cheap for `inspect`/`ls`). */
export function readHeader(file: Uint8Array | ByteSource): CheckpointHeader {
  if (file instanceof Uint8Array) return codecFor(file).readHeader(file);
  const head = readHead(file);
  codecFor(head, file.size);
  return readHeaderFrom(file, head);
}

/** The format version of a checkpoint, after checking its magic (`bytes`: the file, or its first bytes of `size`). */
export function formatVersionOf(bytes: Uint8Array, size = bytes.length): number {
  if (!(bytes instanceof Uint8Array)) throw new FormatError('invalid-argument', 'a checkpoint must be given as a Uint8Array');
  const head = Math.min(bytes.length, MAGIC.length);
  for (let i = 0; i < head; i++) {
    if (bytes[i] !== MAGIC[i]) {
      throw new FormatError('not-a-checkpoint', `not an Introspect checkpoint: byte ${i} should be 0x${MAGIC[i]!.toString(16).padStart(2, '0')} (the magic "\\x89INTROSPECT\\r\\n\\x1a\\n\\0"), found 0x${bytes[i]!.toString(16).padStart(2, '0')} — check the file name`, i);
    }
  }
  if (size < VERSION_OFFSET + 4) {
    throw new FormatError('truncated', `checkpoint is truncated: ${size} bytes, too short to hold the magic and format version (${VERSION_OFFSET + 4} bytes) — use an earlier checkpoint`, size);
  }
  return readU32(bytes, VERSION_OFFSET);
}

function codecFor(bytes: Uint8Array, size = bytes.length): VersionCodec {
  const version = formatVersionOf(bytes, size);
  const codec = VERSIONS[version];
  if (codec === undefined || !Object.prototype.hasOwnProperty.call(VERSIONS, version)) {
    const known = Object.keys(VERSIONS).join(', ');
    throw new FormatError('unsupported-version', `checkpoint was written by format version ${version}; this Introspect reads ${known} — ${version > FORMAT_VERSION ? 'upgrade Introspect to load it' : 'the file is damaged'}`, VERSION_OFFSET);
  }
  return codec;
}
