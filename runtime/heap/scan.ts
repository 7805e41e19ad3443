// Pass 1 of the reader: validate the whole image before anything is built.
// Takes an untrusted HeapImage; guarantees every node has a known kind, every
// value a known tag, every string index and node index is in range, every
// count fits in the bytes that remain, every blob range is inside the blob —
// or a RestoreError naming the node and byte offset. Records where each
// node's header (what allocation needs) and body (what filling needs) start,
// where the ephemeron trailer starts (v2), and checks that property lists
// only name shapes defined before them.

import { RestoreError } from './errors.js';
import type { FlatHeapImage, HeapImage } from './image.js';
import { CONSTRUCT_FROM, FIRST_SHAPE, Flag, HAS_HIDDEN, INTEGRITY_MASK, HEAP_VERSION, HEAP_VERSIONS, Kind, KIND_SINCE, Shape, Tag, TYPED_ARRAY_NAMES } from './layout.js';
import { ByteReader } from './stream.js';

export interface Scan {
  /** the stream version (1 or 2) */
  version: number;
  nodeCount: number;
  /** byte offset of the root value */
  root: number;
  kinds: Uint8Array;
  /** byte offset just after each node's kind byte */
  headers: Float64Array;
  /** byte offset of each node's body */
  bodies: Float64Array;
  /** v2: byte offset of the ephemeron trailer (entry count); -1 in v1 */
  trailer: number;
  /** [blob offset, byte length] of each plain (not shared, not resizable) ArrayBuffer */
  buffers: number[];
}

/** Where the plain ArrayBuffers' bytes are in the blob (what a streamed decode reads into buffers of their own). */
export function bufferRanges(image: HeapImage): readonly number[] {
  return scanHeap(image as FlatHeapImage).buffers;
}

const BIGINT_TEXT = /^-?(?:0|[1-9]\d*)$/;
const MAX_ARRAY_LENGTH = 4294967295;

export function checkImageShape(image: unknown): asserts image is FlatHeapImage {
  if (typeof image !== 'object' || image === null) throw new RestoreError('heap image is not an object');
  const { nodes, blob, strings, nodeCount } = image as Partial<HeapImage>;
  if (!(nodes instanceof Uint8Array)) throw new RestoreError('heap image: `nodes` is not a Uint8Array');
  if (!(blob instanceof Uint8Array)) throw new RestoreError('heap image: `blob` is not a Uint8Array');
  if (!Array.isArray(strings)) throw new RestoreError('heap image: `strings` is not an array');
  for (let s = 0; s < strings.length; s++) {
    if (typeof strings[s] !== 'string') throw new RestoreError(`heap image: string table entry ${s} is not a string`);
  }
  if (nodeCount !== undefined && (typeof nodeCount !== 'number' || !Number.isSafeInteger(nodeCount) || nodeCount < 0)) {
    throw new RestoreError('heap image: `nodeCount` is not a non-negative integer');
  }
  const { version } = image as Partial<HeapImage>;
  if (version !== undefined && !HEAP_VERSIONS.includes(version)) {
    throw new RestoreError(`heap image: stream version ${String(version)} is not one this Introspect reads (${HEAP_VERSIONS.join(', ')})`);
  }
}

export function scanHeap(image: FlatHeapImage): Scan {
  checkImageShape(image);
  return new Scanner(image).scan();
}

class Scanner {
  private readonly r: ByteReader;
  private readonly stringCount: number;
  private nodeCount = 0;
  private node = -1;
  private readonly version: number;
  /** v2: number of shapes defined so far; each one's slot count (values per object) */
  private readonly shapeSlots: number[] = [0, 0];
  private readonly buffers: number[] = [];

  constructor(private readonly image: FlatHeapImage) {
    this.r = new ByteReader(image.nodes);
    this.stringCount = image.strings.length;
    this.version = image.version ?? HEAP_VERSION;
  }

  private fail(message: string, at = this.r.pos): never {
    throw new RestoreError(`${message} (heap stream byte ${at})`, this.node < 0 ? undefined : this.node);
  }

  scan(): Scan {
    const r = this.r;
    const count = r.varint();
    if (count > r.end) this.fail(`node count ${count} is larger than the stream`);
    if (this.image.nodeCount !== undefined && this.image.nodeCount !== count) {
      this.fail(`node count ${count} differs from the image's nodeCount ${this.image.nodeCount}`, 0);
    }
    this.nodeCount = count;
    const root = r.pos;
    this.value();
    const kinds = new Uint8Array(count);
    const headers = new Float64Array(count);
    const bodies = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      this.node = i;
      const kind = r.u8();
      kinds[i] = kind;
      headers[i] = r.pos;
      bodies[i] = this.header(kind);
      this.body(kind);
    }
    this.node = -1;
    let trailer = -1;
    if (this.version >= 2) {
      trailer = r.pos;
      const entries = this.count('ephemeron entry', 3);
      for (let e = 0; e < entries; e++) {
        const at = r.pos;
        const collection = r.varint();
        const kind = collection < count ? kinds[collection] : undefined;
        if (kind !== Kind.weakmap && kind !== Kind.weakset) this.fail(`ephemeron entry ${e} names node ${collection}, which is not a WeakMap or WeakSet`, at);
        this.refValue('an ephemeron key');
        if (kind === Kind.weakmap) this.value();
      }
    }
    if (r.pos !== r.end) this.fail(`${r.end - r.pos} unexpected bytes after the ${this.version >= 2 ? 'ephemeron trailer' : 'last node'}`);
    return { version: this.version, nodeCount: count, root, kinds, headers, bodies, trailer, buffers: this.buffers };
  }

  // ── values ────────────────────────────────────────────────────────────

  /** Validates one value; returns its tag. */
  private value(allowHole = false): number {
    const r = this.r;
    const at = r.pos;
    const tag = r.u8();
    switch (tag) {
      case Tag.undefined:
      case Tag.null:
      case Tag.false:
      case Tag.true:
        return tag;
      case Tag.int:
        if (r.varint() > 0xffffffff) this.fail('int value out of the 32-bit range', at);
        return tag;
      case Tag.float:
        r.f64();
        return tag;
      case Tag.string:
        this.stringIndex();
        return tag;
      case Tag.ref:
        this.ref();
        return tag;
      case Tag.bigint: {
        const text = this.image.strings[this.stringIndex()]!;
        if (!BIGINT_TEXT.test(text)) this.fail(`bigint text ${JSON.stringify(text.slice(0, 40))} is not a decimal integer`, at);
        return tag;
      }
      case Tag.hole:
        if (!allowHole) this.fail('array hole outside an array', at);
        return tag;
      default:
        return this.fail(`unknown value tag ${tag}`, at);
    }
  }

  private stringIndex(): number {
    const at = this.r.pos;
    const index = this.r.varint();
    if (index >= this.stringCount) this.fail(`string index ${index} out of range (table has ${this.stringCount})`, at);
    return index;
  }

  private ref(): number {
    const at = this.r.pos;
    const index = this.r.varint();
    if (index >= this.nodeCount) this.fail(`reference to node ${index}, but there are ${this.nodeCount} nodes`, at);
    return index;
  }

  /** A value that must be a reference to a node (or, when allowed, null/undefined). */
  private refValue(what: string, allow: number[] = []): void {
    const at = this.r.pos;
    const tag = this.value();
    if (tag !== Tag.ref && !allow.includes(tag)) this.fail(`${what} must be a reference, found value tag ${tag}`, at);
  }

  private count(what: string, perItem = 1): number {
    const at = this.r.pos;
    const n = this.r.varint();
    if (n * perItem > this.r.end - this.r.pos) this.fail(`${what} count ${n} exceeds the remaining ${this.r.end - this.r.pos} bytes`, at);
    return n;
  }

  // ── nodes ─────────────────────────────────────────────────────────────

  /** Validates the allocation fields of a node; returns where its body starts. */
  private header(kind: number): number {
    const r = this.r;
    const since = KIND_SINCE[kind];
    if (since !== undefined && this.version < since) this.fail(`node kind ${kind} does not exist in stream version ${this.version}`, r.pos - 1);
    switch (kind) {
      case Kind.staticFunction:
      case Kind.builtin:
      case Kind.registeredSymbol:
      case Kind.wellKnownSymbol:
        this.stringIndex();
        return r.pos;
      case Kind.closure: {
        this.stringIndex();
        const envs = this.count('environment');
        for (let e = 0; e < envs; e++) this.value();
        return r.pos;
      }
      case Kind.prototypeOf:
        this.refValue('the function of a prototype');
        return r.pos;
      case Kind.bound: {
        this.refValue('the target of a bound function');
        this.value();
        const args = this.count('bound argument');
        for (let a = 0; a < args; a++) this.value();
        return r.pos;
      }
      case Kind.symbol: {
        const at = r.pos;
        const tag = this.value();
        if (tag !== Tag.string && tag !== Tag.undefined) this.fail('a symbol description must be a string or undefined', at);
        return r.pos;
      }
      case Kind.object:
      case Kind.array:
      case Kind.map:
      case Kind.set:
      case Kind.weakmap:
      case Kind.weakset:
      case Kind.error:
      case Kind.date:
      case Kind.regexp:
      case Kind.boxed:
      case Kind.arraybuffer:
      case Kind.sharedarraybuffer:
      case Kind.typedarray:
      case Kind.dataview:
      case Kind.weakref:
        this.refValue('a prototype', [Tag.null]);
        break;
      default:
        return this.fail(`unknown node kind ${kind}`, r.pos - 1);
    }
    switch (kind) {
      case Kind.date:
        r.f64();
        break;
      case Kind.regexp:
        this.stringIndex();
        this.stringIndex();
        break;
      case Kind.boxed: {
        const at = r.pos;
        const tag = this.value();
        if (tag === Tag.undefined || tag === Tag.null) this.fail('a boxed primitive cannot be undefined or null', at);
        break;
      }
      case Kind.arraybuffer:
      case Kind.sharedarraybuffer: {
        const at = r.pos;
        const offset = r.varint();
        const length = r.varint();
        const max = r.varint();
        if (offset % 8 !== 0 || offset + length > this.image.blob.length) {
          this.fail(`buffer bytes [${offset}, ${offset + length}) are not an aligned range of the ${this.image.blob.length}-byte blob`, at);
        }
        if (max !== 0 && max - 1 < length) this.fail(`maxByteLength ${max - 1} is below byteLength ${length}`, at);
        if (kind === Kind.arraybuffer && max === 0) this.buffers.push(offset, length);
        break;
      }
      case Kind.typedarray: {
        const at = r.pos;
        const type = r.u8();
        if (type >= TYPED_ARRAY_NAMES.length) this.fail(`unknown typed array type ${type}`, at);
        this.refValue('the buffer of a typed array');
        r.varint();
        r.varint();
        break;
      }
      case Kind.dataview:
        this.refValue('the buffer of a DataView');
        r.varint();
        r.varint();
        break;
      case Kind.weakref:
        this.refValue('the target of a WeakRef', [Tag.undefined]);
        break;
    }
    return r.pos;
  }

  private body(kind: number): void {
    const r = this.r;
    switch (kind) {
      case Kind.builtin:
      case Kind.symbol:
      case Kind.registeredSymbol:
      case Kind.wellKnownSymbol:
        return;
      case Kind.array: {
        const at = r.pos;
        const length = r.varint();
        if (length > MAX_ARRAY_LENGTH) this.fail(`array length ${length} is not a valid length`, at);
        const dense = this.count('array element');
        if (dense > length) this.fail(`${dense} dense elements in an array of length ${length}`, at);
        for (let e = 0; e < dense; e++) this.value(true);
        break;
      }
      case Kind.map: {
        const size = this.count('map entry', 2);
        for (let e = 0; e < size; e++) {
          this.value();
          this.value();
        }
        break;
      }
      case Kind.set: {
        const size = this.count('set member');
        for (let e = 0; e < size; e++) this.value();
        break;
      }
    }
    if (this.version >= 2) this.shapedProps();
    else this.props();
  }

  /** v2: integrity, shape (an earlier one, or defined here), the values. */
  private shapedProps(): void {
    const r = this.r;
    const at = r.pos;
    const byte = r.u8();
    const integrity = byte & INTEGRITY_MASK;
    if (integrity > 3 || (byte & ~(INTEGRITY_MASK | HAS_HIDDEN | CONSTRUCT_FROM)) !== 0) this.fail(`unknown integrity byte ${byte}`, at);
    if (byte & CONSTRUCT_FROM) r.varint();
    const shapeAt = r.pos;
    const shape = r.varint();
    let slots: number;
    if (shape === Shape.inline) {
      const count = this.count('property', 3);
      slots = 0;
      for (let p = 0; p < count; p++) {
        const flags = this.flags();
        this.key();
        slots += flags & Flag.accessor ? 2 : 1;
      }
      this.shapeSlots.push(slots);
    } else {
      if (shape >= this.shapeSlots.length) this.fail(`shape ${shape} is not defined before its first use (${this.shapeSlots.length - FIRST_SHAPE} shapes so far)`, shapeAt);
      slots = this.shapeSlots[shape]!;
    }
    if (slots > r.end - r.pos) this.fail(`${slots} property values exceed the remaining ${r.end - r.pos} bytes`, r.pos);
    for (let v = 0; v < slots; v++) this.value();
    if (byte & HAS_HIDDEN) this.value();
  }

  private flags(): number {
    const r = this.r;
    const at = r.pos;
    const flags = r.u8();
    if (flags > 15 || (flags & Flag.accessor && flags & Flag.writable)) this.fail(`invalid property flags ${flags}`, at);
    return flags;
  }

  private key(): void {
    const at = this.r.pos;
    const tag = this.value();
    if (tag !== Tag.string && tag !== Tag.ref) this.fail('a property key must be a string or a symbol reference', at);
  }

  private props(): void {
    const r = this.r;
    const at = r.pos;
    const integrity = r.u8();
    if (integrity > 3) this.fail(`unknown integrity level ${integrity}`, at);
    const count = this.count('property', 3);
    for (let p = 0; p < count; p++) {
      const flags = this.flags();
      this.key();
      this.value();
      if (flags & Flag.accessor) this.value();
    }
  }
}
