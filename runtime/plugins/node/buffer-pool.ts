// Node's Buffer pool, as the heap writer asks about it (Host.pooledView).
// Node cuts every Buffer smaller than half of `Buffer.poolSize` (8 KB) that
// `Buffer.from(string|array)`, `allocUnsafe` or `concat` makes from one
// shared ArrayBuffer of `poolSize` bytes, so a program holding one small
// Buffer holds, through its `buffer`, 8 KB of other Buffers' bytes: Node's
// own, a previous checkpoint's file name, whatever was cut before. A
// checkpoint keeps the pool's length and each held Buffer's place in it
// (so `.buffer`, `.byteOffset` and memory shared between a Buffer and its
// subarray are as they were) but only the bytes under held Buffers.
// Takes Node's Buffer; guarantees a test that costs a prototype read and a
// getter call per typed array, and says true only of a Buffer (never a
// plain typed array, which the program may have made over the pool itself).

import { Buffer } from 'node:buffer';

export function pooledBufferTest(): (view: ArrayBufferView) => boolean {
  const prototype = Buffer.prototype;
  return (view) => {
    if (Object.getPrototypeOf(view) !== prototype) return false;
    const poolSize = Buffer.poolSize;
    return view.buffer.byteLength === poolSize && view.byteLength < poolSize >>> 1;
  };
}
