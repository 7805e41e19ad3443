// Format version 2 of the container. Takes a header and a heap image (or a
// file's bytes after the version was read); guarantees the same checks as
// version 1, whose byte layout it keeps unchanged (v1.ts): what version 2
// changed is the heap node stream inside the nodes section (shapes, the
// ephemeron trailer, WeakRef and bound-function nodes; docs/FORMAT.md §3),
// so a decoded image says which stream its nodes section holds.

import type { HeapImage } from '../heap/image.js';
import type { CheckpointHeader } from './header.js';
import { decodeV1, encodeV1Parts, readHeaderV1, type CodecOptions } from './v1.js';

export function encodeV2Parts(header: CheckpointHeader, heap: HeapImage, opts: CodecOptions): Uint8Array[] {
  return encodeV1Parts(header, heap, opts, 2);
}

export function decodeV2(bytes: Uint8Array, opts: CodecOptions): { header: CheckpointHeader; heap: HeapImage } {
  const decoded = decodeV1(bytes, opts);
  decoded.heap.version = 2;
  return decoded;
}

export const readHeaderV2 = readHeaderV1;
