// TextDecoder streams across a checkpoint. A UTF-8 decoder in the middle of
// a `{ stream: true }` decode holds back the bytes of an incomplete character
// (and knows whether its stream has begun, past which a BOM is text), in
// internal state no API shows: a decoder made again from its encoding and
// flags alone turned the first character of the next chunk into U+FFFD.
// `noteTextDecoderStreams` puts the runtime's `decode` on
// TextDecoder.prototype (at load, and again by a host that provides the
// class later, plugins/portable/text-encoding.ts; Bun's `decode` is
// writable but not configurable, which is enough); after each call it notes
// those two facts, computed from the bytes it was given, so that a
// checkpoint can save them (platform-values.ts) and the restore can feed
// them to the new decoder (`primeTextDecoder`). Other encodings keep the old
// limit. A decoder whose streamed decode threw (`fatal`) starts over at the
// next call, as Node's does (Chromium's threw again). Imports no platform API.

interface StreamNote {
  /** The bytes of the incomplete character held back, at most 3. */
  held: Uint8Array;
  /** Whether a byte was consumed since the stream began (a leading BOM is then no longer skipped). */
  begun: boolean;
}

const EMPTY = new Uint8Array(0);
const BOM = [0xef, 0xbb, 0xbf];
const notes = new WeakMap<object, StreamNote>();
const installed = new WeakSet<Function>();

/** The second byte's bounds after a lead byte (WHATWG Encoding, UTF-8 decoder). */
function secondByteOk(lead: number, b: number): boolean {
  const lo = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
  const hi = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
  return b >= lo && b <= hi;
}

/** The bytes a UTF-8 decoder holds back after `held` then `bytes`: a valid but incomplete sequence at the end. */
function utf8Held(held: Uint8Array, bytes: Uint8Array): Uint8Array {
  const total = held.length + bytes.length;
  const at = (i: number): number => (i < held.length ? held[i]! : bytes[i - held.length]!);
  for (let k = 1; k <= 3 && k <= total; k++) {
    const b = at(total - k);
    if (b >= 0x80 && b <= 0xbf) continue;
    const need = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (need <= k || (k >= 2 && !secondByteOk(b, at(total - k + 1)))) return EMPTY;
    return Uint8Array.from({ length: k }, (_, i) => at(total - k + i));
  }
  return EMPTY;
}

function bytesOf(input: unknown): Uint8Array {
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (input instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && input instanceof SharedArrayBuffer)) return new Uint8Array(input);
  return EMPTY;
}

/**
 * Puts `wrap(native)` in place of the `decode` of class `C`'s prototype,
 * with the same attributes, unless `wrap` gives nothing. Bun's is writable
 * but not configurable: its value may still be changed.
 */
export function replaceDecode(C: unknown, wrap: (native: Function) => Function | undefined): void {
  const proto = typeof C === 'function' ? (C.prototype as object | undefined) : undefined;
  const d = proto === undefined ? undefined : Object.getOwnPropertyDescriptor(proto, 'decode');
  const native = d?.value as Function | undefined;
  if (typeof native !== 'function' || !(d!.configurable || d!.writable)) return;
  const decode = wrap(native);
  if (decode !== undefined) Object.defineProperty(proto, 'decode', { ...d, value: decode });
}

/** Wraps the current global TextDecoder's `decode`, once per function. */
export function noteTextDecoderStreams(): void {
  replaceDecode((globalThis as { TextDecoder?: unknown }).TextDecoder, (native) => (installed.has(native) ? undefined : streamNoting(native)));
}

function streamNoting(native: Function): Function {
  const decode = {
    decode(this: { encoding?: string }, ...args: unknown[]): string {
      let text: string;
      try {
        text = Reflect.apply(native, this, args) as string;
      } catch (e) {
        notes.delete(this);
        // A fatal error in a streamed decode: Node's decoder starts over at the next call, Chromium's
        // stays in the stream and throws again for any bytes (as the Standard's does); flushed, it starts over.
        if ((args[1] as { stream?: unknown } | null | undefined)?.stream) {
          try {
            Reflect.apply(native, this, []);
          } catch {
            // the flush of the bytes held before the error fails too: it is still reset
          }
        }
        throw e;
      }
      const options = args[1] as { stream?: unknown } | null | undefined;
      if (options === null || typeof options !== 'object' || !options.stream) notes.delete(this);
      else if (this.encoding === 'utf-8') {
        const before = notes.get(this);
        const bytes = bytesOf(args[0]);
        const held = utf8Held(before?.held ?? EMPTY, bytes);
        const begun = (before?.begun ?? false) || (before?.held.length ?? 0) + bytes.length > held.length;
        if (begun || held.length > 0) notes.set(this, { held, begun });
        else notes.delete(this);
      }
      return text;
    },
  }.decode;
  installed.add(decode);
  return decode;
}
noteTextDecoderStreams();

/** The bytes to feed a new decoder of the same encoding and flags so that it continues `d`'s stream, if it is in one. */
export function textDecoderPrimer(d: object): Uint8Array | undefined {
  const note = notes.get(d);
  if (note === undefined) return undefined;
  const ignoreBOM = (d as { ignoreBOM?: boolean }).ignoreBOM === true;
  // A BOM consumed first marks the new stream begun, as the old one was.
  return Uint8Array.from(note.begun && !ignoreBOM ? [...BOM, ...note.held] : note.held);
}

/** `d` fed `primer` as a stream: it then holds what the saved decoder held. */
export function primeTextDecoder(d: object, primer: Uint8Array): object {
  (d as { decode(input: Uint8Array, options: { stream: boolean }): string }).decode(primer, { stream: true });
  return d;
}
