// The byte-order rule for ArrayBuffer bytes (docs/FORMAT.md, "Byte order").
// Takes a buffer's bytes and the typed-array views the image has on it;
// guarantees that converting host order ↔ little-endian is the same
// deterministic operation on the writer and the reader, so element VALUES
// survive a change of host byte order. Only ever called on big-endian hosts.
//
// Rule: each element of each typed-array view is reversed in place, views
// taken widest element first (ties: node order); a byte already converted as
// part of an earlier (wider) view is left alone, so where views of different
// widths overlap the widest one wins. Bytes seen only by a DataView, by a
// 1-byte view, or by no view at all are copied as they are (a DataView names
// its byte order on every access, so its bytes are already portable).

import { TYPED_ARRAY_WIDTH } from './layout.js';

export interface BufferView {
  /** index into TYPED_ARRAY_NAMES */
  type: number;
  byteOffset: number;
  length: number;
}
export type BufferViews = BufferView[];

export function swapViews(bytes: Uint8Array, views: readonly BufferView[]): void {
  const order = views
    .map((view, position) => ({ view, position, width: TYPED_ARRAY_WIDTH[view.type] ?? 1 }))
    .filter((entry) => entry.width > 1)
    .sort((a, b) => b.width - a.width || a.position - b.position);
  if (order.length === 0) return;
  const done = new Uint8Array(bytes.length);
  for (const { view, width } of order) {
    for (let e = 0; e < view.length; e++) {
      const start = view.byteOffset + e * width;
      const end = start + width;
      if (end > bytes.length) break;
      let free = true;
      for (let b = start; b < end; b++) if (done[b]) free = false;
      if (!free) continue;
      for (let lo = start, hi = end - 1; lo < hi; lo++, hi--) {
        const t = bytes[lo]!;
        bytes[lo] = bytes[hi]!;
        bytes[hi] = t;
      }
      done.fill(1, start, end);
    }
  }
}
