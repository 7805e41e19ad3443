// node:string_decoder on an engine without Node, for the restart bundle
// (cli/platform/bundle.ts resolves `node:string_decoder` and
// `string_decoder` here): the `string_decoder` package (Node's own
// JavaScript decoder of before Node 11, which browserify and webpack give a
// page), over the portable Buffer (buffer-module.ts, through its
// `safe-buffer`). Its decoder keeps its state in plain fields (`lastNeed`,
// `lastTotal`, `lastChar`), as a program reading `lastNeed` expects. Node's
// `write` and `end` take any Uint8Array or view, the package's only a
// Buffer: a restart remakes a decoder saved on Node by writing the bytes it
// held back as a Uint8Array (runtime/platform-values.ts), and programs pass
// typed arrays. Imports nothing from a platform.

import { StringDecoder } from 'string_decoder/lib/string_decoder.js';
import { Buffer } from './buffer-module.js';

type Decoder = { write(buf: unknown): string; end(buf?: unknown): string };

/** A view as a Buffer over the same bytes; a Buffer or a string as it is. */
function asBuffer(chunk: unknown): unknown {
  if (Buffer.isBuffer(chunk) || !ArrayBuffer.isView(chunk)) return chunk;
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

const proto = StringDecoder.prototype as unknown as Decoder;
const { write, end } = proto;
proto.write = function write_(this: Decoder, chunk: unknown): string {
  // (Node 20 returns a string written to it as it is)
  return typeof chunk === 'string' ? chunk : write.call(this, asBuffer(chunk));
};
proto.end = function end_(this: Decoder, chunk?: unknown): string {
  return typeof chunk === 'string' ? chunk + end.call(this) : end.call(this, asBuffer(chunk));
};
Object.defineProperty(proto.write, 'name', { value: 'write' });
Object.defineProperty(proto.end, 'name', { value: 'end' });

export { StringDecoder };
export default { StringDecoder };
