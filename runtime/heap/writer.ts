// The heap writer: live values → HeapImage. Takes a root value and the
// program's function table; guarantees either a complete image or a
// CaptureError naming the path to the first value that cannot be saved
// (nothing partial escapes). Identity and cycles survive: every object,
// function and symbol is one node, numbered in the order it is first reached,
// and written breadth-first from a flat work list (no recursion, so a
// million-long linked list is fine). Primitives are written inline.
//
//   root = { p: point, q: point }   →   nodes[0] = object {p: @1, q: @1}
//                                       nodes[1] = object {x: 1, y: 2}
//
// WeakMap/WeakSet entries cannot be enumerated, so they are found after the
// rest of the graph (an ephemeron pass): each weak collection is asked about
// every node (`has`); an entry found is written to the ephemeron trailer, and
// its value may reach new nodes, which are written and asked about in turn,
// until nothing new turns up. Entries whose key is not otherwise reachable
// are left out (the program could never observe them).

import { CLOSURE } from '../functions.js';
import { boundParts } from './bound.js';
import { builtinPath, CODE_EVALUATORS, prepareBuiltins, wellKnownSymbolName } from './builtins.js';
import { boxedPrimitive, Classifier } from './classify.js';
import { CaptureError } from './errors.js';
import type { HeapContext, HeapImage } from './image.js';
import { call, HOST_BIG_ENDIAN, intrinsic } from './intrinsics.js';
import { BLANK_CONSTRUCTIBLE, CONSTRUCT_FROM, FIRST_SHAPE, Flag, HAS_HIDDEN, HEAP_VERSION, Integrity, Kind, KIND_NAMES, Shape, SMALL_ARRAY, SMALL_TYPED_ARRAY, Tag, TYPED_ARRAY_NAMES } from './layout.js';
import { AccessorEdge, Edge, pathTo, type Trail, type Via } from './path.js';
import { ByteWriter, zigzag } from './stream.js';
import { swapViews, type BufferViews } from './byteorder.js';

/**
 * How a message names a library's class from its saved name (HeapContext.external):
 * `lib:["node:stream","Writable"]` → `Writable of node:stream`; a class that
 * is the module itself or its default export (`lib:["eventemitter3"]`,
 * `lib:["p-queue","default"]`) by the class's own name, `className`.
 */
function libraryDisplay(name: string, className?: string): { name: string; nested: boolean } {
  const colon = name.indexOf(':');
  try {
    const parts = JSON.parse(name.slice(colon + 1)) as unknown;
    if (Array.isArray(parts) && (parts.length === 1 || (parts.length === 2 && parts[1] === 'default'))) {
      return { name: `${className || 'default export'} of ${String(parts[0])}`, nested: false };
    }
    if (Array.isArray(parts) && parts.length > 1) {
      const exported = parts[1] === 'default' ? parts.length === 3 : parts.length === 2;
      return { name: `${String(parts[parts.length - 1])} of ${String(parts[0])}`, nested: !exported };
    }
  } catch {
    // another kind of name: shown as it is
  }
  return { name, nested: false };
}

/** A function's source text, or '' where reading it throws (a revoked proxy). */
function safeSource(fn: Function): string {
  try {
    return call<string>(intrinsic.functionToString, fn);
  } catch {
    return '';
  }
}

/** What to do about a value a library's object holds. */
const LIBRARY_REMEDY = 'a library object keeps state a checkpoint cannot read; hold it in a local variable of a function that is done with it by the checkpoint (one due while a frame or a pending task holds it is tried again until it is gone), or wrap it with transient(value, recreate) from introspect/runtime, so that a restart makes it again';

export function writeHeap(root: unknown, ctx: HeapContext, rootLabel = 'root'): HeapImage {
  prepareBuiltins();
  return new HeapWriter(ctx, rootLabel).write(root);
}

const TYPED_ARRAY_INDEX = new Map<string, number>(TYPED_ARRAY_NAMES.map((name, i) => [name, i]));
const INDEX_KEY = /^(?:0|[1-9]\d*)$/;
const HOLE = Symbol('hole');
/** From this many bytes an ArrayBuffer is its own part of the blob, not copied (see `blob`). */
const OWN_BLOB_PART = 64 * 1024;
const getOwnPropertyNames = Object.getOwnPropertyNames;
const getOwnPropertySymbols = Object.getOwnPropertySymbols;
const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;

/**
 * Reflect.ownKeys order (indexes, strings, symbols), but several times
 * faster on V8 for ordinary objects: names come from the enum cache.
 */
/**
 * Own keys that are not transient: a prototype may list, under
 * Symbol.for('introspect.transient'), fields its objects re-create when
 * needed (a cache, a live native iterator); they are not saved.
 */
const TRANSIENT = Symbol.for('introspect.transient');
function savedKeys(value: object): (string | symbol)[] {
  const keys = ownKeys(value);
  const transient = (value as Record<symbol, unknown>)[TRANSIENT];
  if (!Array.isArray(transient)) return keys;
  return keys.filter((k) => !transient.includes(k));
}

function ownKeys(value: object): (string | symbol)[] {
  const names: (string | symbol)[] = getOwnPropertyNames(value);
  const symbols = getOwnPropertySymbols(value);
  if (symbols.length === 0) return names;
  for (let k = 0; k < symbols.length; k++) names.push(symbols[k]!);
  return names;
}

/**
 * Value strings are deduplicated by a direct-mapped cache (cheap,
 * approximate: a repeat may get a second entry). It starts small and grows
 * when a quarter of it is used (then few of its entries were evicted): the
 * large one is 768 KB of fresh memory, which with the node stream's first
 * 1 MB made a small program's write ~20 times slower (2 ms, not 0.1).
 */
const SMALL_STRING_CACHE_BITS = 10;
const STRING_CACHE_BITS = 16;
/** The node stream's first capacity (it doubles as needed). */
const FIRST_CAPACITY = 1 << 14;

/** The keys and flags of a property list, numbered in the order shapes are defined. */
interface WrittenShape {
  id: number;
  keys: (string | symbol)[];
  flags: number[];
}

class HeapWriter implements Trail {
  /** where values go: the node stream, or (during the ephemeron pass) the trailer */
  private out = new ByteWriter(FIRST_CAPACITY);
  private readonly nodeStream = this.out;
  private readonly trailer = new ByteWriter(64);
  private trailerEntries = 0;
  /** weak collections met so far, and for each how many nodes it was asked about */
  private readonly weak: number[] = [];
  private readonly weakChecked: number[] = [];
  /** node index → the values saved as that node's substitute (ctx.substitute) */
  private readonly substituted = new Map<number, object[]>();
  /** nodes first reached as a WeakMap value → the entry's key (for paths) */
  private readonly weakKeys = new Map<number, unknown>();
  private cacheBits = SMALL_STRING_CACHE_BITS;
  private cachedStrings: (string | undefined)[] = new Array(1 << SMALL_STRING_CACHE_BITS);
  private cachedIds = new Int32Array(1 << SMALL_STRING_CACHE_BITS);
  private readonly shapes = new Map<string, WrittenShape>();
  private nextShape = FIRST_SHAPE;
  private lastShape: WrittenShape | undefined;
  /** one property list's flags and descriptors, reused (props never nests) */
  private readonly flagsScratch: number[] = [];
  private readonly descriptorScratch: PropertyDescriptor[] = [];
  /** node index → the value it stands for */
  readonly values: unknown[] = [];
  private kinds = new Uint8Array(1024);
  private readonly ids = new Map<unknown, number>();
  /** node index → the node that first reached it (-1 for the root); edges are found again on error */
  private parents = new Int32Array(1024);
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private readonly classifier = new Classifier();
  private readonly buffers: { node: number; buffer: ArrayBufferLike; offset: number; length: number }[] = [];
  private readonly views = new Map<number, BufferViews>();
  /**
   * ArrayBuffer node → [byteOffset, byteLength, …] of the pooled views
   * (ctx.pooledView) that reach it, for a buffer first reached through one
   * and since only through such views: its other bytes are not saved.
   */
  private pools: Map<number, number[]> | undefined;
  private blobSize = 0;
  private readonly warnings: string[] = [];
  /** reused buffer for a short array's elements */
  private readonly scratch: unknown[] = [];
  /** F.prototype objects met through F (generator functions' have no `constructor`). */
  private readonly protoOwners = new Map<object, Function>();
  readonly labels: HeapContext['labels'];
  readonly edgeLabel: HeapContext['edgeLabel'];

  constructor(private readonly ctx: HeapContext, readonly rootLabel: string) {
    this.labels = ctx.labels;
    this.edgeLabel = ctx.edgeLabel?.bind(ctx);
  }

  write(root: unknown): HeapImage {
    const out = this.out;
    // nodeCount is only known at the end: the stream is assembled from a
    // prefix (count + root) and the node bytes.
    this.value(root, -1, 0);
    let written = 0;
    do {
      for (; written < this.values.length; written++) this.readableNode(written);
      this.ephemerons();
    } while (written < this.values.length);
    const trailer = this.trailer;
    const prefix = new ByteWriter(16);
    prefix.varint(this.values.length);
    const count = new ByteWriter(16);
    count.varint(this.trailerEntries);
    const nodes = new Uint8Array(prefix.pos + out.pos + count.pos + trailer.pos);
    let at = 0;
    for (const part of [prefix, out, count, trailer]) {
      nodes.set(part.bytes.subarray(0, part.pos), at);
      at += part.pos;
    }
    return {
      version: HEAP_VERSION,
      nodeCount: this.values.length,
      strings: this.strings,
      nodes,
      blob: this.blob(),
      warnings: this.warnings,
    };
  }

  /**
   * One node; an exception of the engine while reading it or what it holds
   * (a revoked Proxy, a trap that throws) is a CaptureError with its path,
   * never an error without one.
   */
  private readableNode(i: number): void {
    try {
      this.node(i);
    } catch (error) {
      if (error instanceof CaptureError) throw error;
      let path: string;
      try {
        path = pathTo(this, i);
      } catch {
        path = this.rootLabel;
      }
      throw new CaptureError(`this value: reading it, or a value it holds, threw "${(error as Error)?.message ?? String(error)}"`, path, 'a revoked Proxy, or one whose traps throw, cannot be saved; drop the reference to it before the checkpoint, or wrap it with transient()');
    }
  }

  // ── values ────────────────────────────────────────────────────────────

  private stringId(text: string): number {
    let id = this.stringIds.get(text);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(text);
      this.stringIds.set(text, id);
    }
    return id;
  }

  /** A string value's table index, deduplicated through the direct-mapped cache. */
  private valueStringId(text: string): number {
    const slot = this.stringSlot(text);
    if (this.cachedStrings[slot] === text) return this.cachedIds[slot]!;
    const id = this.strings.length;
    this.strings.push(text);
    this.cachedStrings[slot] = text;
    this.cachedIds[slot] = id;
    if (id === 1 << (this.cacheBits - 2) && this.cacheBits < STRING_CACHE_BITS) this.growStringCache();
    return id;
  }

  /**
   * A string's slot in the cache: a hash of its length and its characters,
   * every one of a short string (keys like `item-1042` differ anywhere),
   * 32 spread over a long one.
   */
  private stringSlot(text: string): number {
    const length = text.length;
    const step = length <= 32 ? 1 : length >>> 5;
    let h = Math.imul(length, 0x9e3779b1);
    for (let at = 0; at < length; at += step) h = Math.imul(h ^ text.charCodeAt(at), 0x01000193);
    h = Math.imul(h ^ text.charCodeAt(length - 1), 0x85ebca6b);
    h ^= h >>> 15;
    const bits = this.cacheBits;
    return (h ^ (h >>> bits)) & ((1 << bits) - 1);
  }

  /** The large cache, holding what the small one held (a string's slot depends on the size). */
  private growStringCache(): void {
    const strings = this.cachedStrings;
    const ids = this.cachedIds;
    this.cacheBits = STRING_CACHE_BITS;
    this.cachedStrings = new Array(1 << STRING_CACHE_BITS);
    this.cachedIds = new Int32Array(1 << STRING_CACHE_BITS);
    for (let slot = 0; slot < strings.length; slot++) {
      const text = strings[slot];
      if (text === undefined) continue;
      const at = this.stringSlot(text);
      this.cachedStrings[at] = text;
      this.cachedIds[at] = ids[slot]!;
    }
  }

  /**
   * Asks every weak collection about every node it has not been asked about
   * yet; writes the entries found to the trailer (their values may add nodes).
   */
  private ephemerons(): void {
    const values = this.values;
    for (let w = 0; w < this.weak.length; w++) {
      const node = this.weak[w]!;
      const collection = values[node] as object;
      const isMap = this.kinds[node] === Kind.weakmap;
      const has = isMap ? intrinsic.weakMapHas : intrinsic.weakSetHas;
      // Values the restarted program has by name are reachable there even
      // when nothing here holds them (a tagged template's strings as a key).
      for (const named of this.ctx.named?.() ?? []) {
        if (!this.ids.has(named) && call<boolean>(has, collection, named)) this.discover(named, node, Edge.weakValue, named);
      }
      for (let n = this.weakChecked[w]!; n < values.length; n++) {
        const kind = this.kinds[n]!;
        if (kind === Kind.registeredSymbol || kind === Kind.wellKnownSymbol) continue;
        let key = values[n];
        if (!call<boolean>(has, collection, key)) {
          key = this.substituted.get(n)?.find((original) => call<boolean>(has, collection, original));
          if (key === undefined) continue;
        }
        this.out = this.trailer;
        try {
          this.trailer.varint(node);
          this.trailer.tagged(Tag.ref, n);
          if (isMap) {
            const value = call<unknown>(intrinsic.weakMapGet, collection, key);
            const before = values.length;
            this.value(value, node, Edge.weakValue, key);
            if (values.length > before) this.weakKeys.set(before, key);
          }
        } finally {
          this.out = this.nodeStream;
        }
        this.trailerEntries++;
      }
      this.weakChecked[w] = values.length;
    }
  }

  weakKey(node: number): { key: unknown } | undefined {
    return this.weakKeys.has(node) ? { key: this.weakKeys.get(node) } : undefined;
  }

  boundParts(fn: Function) {
    return boundParts(fn);
  }

  /** Writes one value inline; objects, functions and symbols become references. */
  private value(value: unknown, parent: number, via: Via, weakKey?: unknown): void {
    const out = this.out;
    switch (typeof value) {
      case 'number':
        if ((value | 0) === value && (value !== 0 || 1 / value > 0)) out.tagged(Tag.int, zigzag(value));
        else {
          out.u8(Tag.float);
          out.f64(value);
        }
        return;
      case 'string':
        out.tagged(Tag.string, this.valueStringId(value));
        return;
      case 'boolean':
        out.u8(value ? Tag.true : Tag.false);
        return;
      case 'undefined':
        out.u8(Tag.undefined);
        return;
      case 'bigint':
        out.tagged(Tag.bigint, this.stringId(value.toString()));
        return;
      default: {
        // objects, functions and symbols are nodes
        if (value === null) {
          out.u8(Tag.null);
          return;
        }
        let id = this.ids.get(value);
        if (id === undefined) id = this.discover(value as object | symbol, parent, via, weakKey);
        // (a pool the program holds itself, or through a DataView, is its data: saved whole)
        else if (this.pools !== undefined && via !== Edge.buffer) this.pools.delete(id);
        out.tagged(Tag.ref, id);
      }
    }
  }

  parentOf(node: number): number {
    return this.parents[node]!;
  }

  closureEnvs(fn: Function): readonly unknown[] | undefined {
    return this.ctx.functions.closureOf(fn)?.envs;
  }

  private fail(what: string, parent: number, via: Via | undefined, child: unknown, remedy?: string, weakKey?: unknown): never {
    const owner = remedy === undefined ? this.libraryOwner(parent) : undefined;
    if (owner === undefined) throw new CaptureError(what, pathTo(this, parent, via, child, weakKey), remedy);
    throw new CaptureError(`${what}, part of ${owner}`, pathTo(this, parent, via, child, weakKey), LIBRARY_REMEDY);
  }

  /**
   * The nearest object on the way to a value that cannot be saved which is
   * an instance of a library's class (`a Transform of node:stream`, `a
   * Counter, a Readable of node:stream`): the value is that library's
   * (a function it made, a handle), so the message names the object the
   * program knows, not only its inner field.
   */
  private libraryOwner(node: number): string | undefined {
    // An inner class (node:stream's Writable.WritableState) gives way to the
    // exported one holding it (the Writable), which the program made.
    let inner: string | undefined;
    for (let at = node, steps = 0; at >= 0 && steps < 1000; at = this.parents[at]!, steps++) {
      const value = this.values[at];
      if (typeof value !== 'object' || value === null) continue;
      const owner = this.libraryClass(value);
      if (owner === undefined) {
        if (inner !== undefined) return inner;
        continue;
      }
      if (!owner.nested) return owner.text;
      inner ??= owner.text;
    }
    return inner;
  }

  /** `a C of lib` when a class of a library (an export the program imported) is on `value`'s prototype chain. */
  private libraryClass(value: object): { text: string; nested: boolean } | undefined {
    let own: string | undefined;
    try {
      for (let p = Object.getPrototypeOf(value) as object | null, depth = 0; p !== null && depth < 100; p = Object.getPrototypeOf(p) as object | null, depth++) {
        const ctor = this.constructorOf(p);
        if (ctor === undefined) continue;
        if (builtinPath(ctor) !== undefined) return undefined; // a standard class (Object, Error, …)
        own ??= ctor.name || '(anonymous class)';
        const library = this.ctx.external?.(ctor);
        if (library === undefined) continue;
        const { name, nested } = libraryDisplay(library, ctor.name);
        return { text: own === ctor.name ? `a ${name}` : `a ${own}, a ${name}`, nested };
      }
    } catch {
      // a library's proxy with a getPrototypeOf trap: no owner to name
    }
    return undefined;
  }

  /** Gives a new node index to `value` after checking it can be saved. */
  private discover(value: object | symbol, parent: number, via: Via | undefined, weakKey?: unknown): number {
    const substitute = typeof value === 'symbol' ? undefined : this.ctx.substitute?.(value);
    if (substitute !== undefined) {
      const id = this.ids.get(substitute) ?? this.discover(substitute, parent, via, weakKey);
      this.ids.set(value, id);
      // a weak collection holds the value itself, not what is saved for it (ephemerons)
      const originals = this.substituted.get(id);
      if (originals === undefined) this.substituted.set(id, [value as object]);
      else originals.push(value as object);
      return id;
    }
    const kind = this.kindOf(value, parent, via, weakKey);
    const id = this.values.length;
    this.ids.set(value, id);
    this.values.push(value);
    if (id === this.kinds.length) {
      const kinds = new Uint8Array(id * 2);
      kinds.set(this.kinds);
      this.kinds = kinds;
      const parents = new Int32Array(id * 2);
      parents.set(this.parents);
      this.parents = parents;
    }
    this.kinds[id] = kind;
    this.parents[id] = parent;
    if (kind === Kind.weakmap || kind === Kind.weakset) {
      this.weak.push(id);
      this.weakChecked.push(0);
    }
    return id;
  }

  private kindOf(value: object | symbol, parent: number, via: Via | undefined, weakKey?: unknown): number {
    const fail = (what: string, remedy?: string): never => this.fail(what, parent, via, value, remedy, weakKey);
    if (typeof value === 'symbol') {
      if (wellKnownSymbolName(value) !== undefined) return Kind.wellKnownSymbol;
      // One of the platform's own (Node's `errorMonitor`, a Dirent's type key): the same one again on restore,
      // even where this platform registered it (Bun's errorMonitor is `Symbol.for('events.errorMonitor')`, Node's is not).
      if (this.ctx.external?.(value) !== undefined) return Kind.builtin;
      return Symbol.keyFor(value) !== undefined ? Kind.registeredSymbol : Kind.symbol;
    }
    if (typeof value === 'function') {
      const fns = this.ctx.functions;
      if (fns.staticId(value) !== undefined) return this.ownPrototype(value, Kind.staticFunction);
      if (fns.closureOf(value) !== undefined) return this.ownPrototype(value, Kind.closure);
      if (this.builtinOf(value) !== undefined) return Kind.builtin;
      if (boundParts(value) !== undefined) return Kind.bound;
      if (CODE_EVALUATORS.has(value)) {
        return fail(`${value.name || 'a code evaluator'} (eval and the Function constructors are never saved in a checkpoint)`, 'do not keep a reference to it in program state, or wrap it with transient()');
      }
      const name = value.name ? `function ${value.name}` : 'an anonymous function';
      if (typeof value.name === 'string' && value.name.startsWith('bound ')) {
        return fail(`${name} (bound before Introspect's runtime was loaded, so its target and arguments are unknown)`, 'bind it after the runtime has loaded, or wrap it with transient()');
      }
      // (a library's function made at run time may bear an export's name: decimal.js's Decimal.clone() is a `Decimal`)
      const native = /\{\s*\[native code\]\s*\}$/.test(safeSource(value));
      return fail(
        native
          ? `${name} (a native function that is not one of the platform's built-ins the checkpoint can name)`
          : `${name} (not the program's, and not one of the exports of the libraries it imports: a function or class made by a library at run time — a closure, a clone, a memoized or debounced function — or a library's inner function)`,
      );
    }
    if (this.builtinOf(value) !== undefined) return Kind.builtin;
    if (Array.isArray(value)) return Kind.array;
    if (ArrayBuffer.isView(value)) {
      return call<string | undefined>(intrinsic.typedArrayTag, value) === undefined ? Kind.dataview : Kind.typedarray;
    }
    if (this.protoOwners.has(value)) return Kind.prototypeOf;
    const kind = this.classifier.classify(value);
    if (typeof kind === 'string') return fail(kind);
    const ctor = kind === Kind.object ? this.constructorOf(value) : undefined;
    if (ctor !== undefined && !this.replacedPrototype(ctor, value)) {
      if (this.ctx.functions.staticId(ctor) === undefined && this.ctx.functions.closureOf(ctor) === undefined) {
        return fail(`the prototype of class ${ctor.name || '(anonymous)'} (the class is not the program's, nor one the exports of the libraries it imports lead to: a library's inner class; so its objects cannot be saved)`);
      }
      return Kind.prototypeOf;
    }
    if (kind === Kind.object && ctor === undefined) {
      // A top-level function's prototype that lost its `constructor` (`delete K.prototype.constructor`).
      const owner = this.ctx.functions.loadedPrototypeOwner?.(value);
      if (owner !== undefined) {
        this.protoOwners.set(value, owner);
        return Kind.prototypeOf;
      }
    }
    return kind;
  }

  /** The name of a value saved by reference: a platform built-in, or an export of a library (ctx.external). */
  private builtinOf(value: object | symbol): string | undefined {
    return (typeof value === 'symbol' ? undefined : builtinPath(value)) ?? this.ctx.external?.(value);
  }

  /** Notes F.prototype as F's (generator functions' have no `constructor` link back). */
  private ownPrototype(fn: Function, kind: number): number {
    const own = Object.getOwnPropertyDescriptor(fn, 'prototype')?.value as unknown;
    if (typeof own === 'object' && own !== null && !this.ids.has(own) && this.builtinOf(own) === undefined && !this.replacedPrototype(fn, own)) {
      this.protoOwners.set(own, fn);
    }
    return kind;
  }

  /**
   * `value` is what the program assigned to top-level function F's
   * `prototype` (ES5 inheritance: `F.prototype = Object.create(Base.prototype)`),
   * not the object loading gave F: it is saved as the object it is, with its
   * own prototype, and set on F again on restore (statics.ts).
   */
  private replacedPrototype(fn: Function, value: object): boolean {
    const loaded = this.ctx.functions.loadedPrototype?.(fn);
    return loaded !== undefined && loaded !== value;
  }

  /** F when `value` is F.prototype (linked both ways through data properties). */
  private constructorOf(value: object): Function | undefined {
    if (!Object.prototype.hasOwnProperty.call(value, 'constructor')) return undefined;
    const ctor = Object.getOwnPropertyDescriptor(value, 'constructor')?.value;
    if (typeof ctor !== 'function') return undefined;
    const proto = Object.getOwnPropertyDescriptor(ctor, 'prototype');
    return proto !== undefined && proto.value === value ? ctor : undefined;
  }

  // ── nodes ─────────────────────────────────────────────────────────────

  private node(i: number): void {
    const out = this.out;
    const value = this.values[i] as object;
    const kind = this.kinds[i]!;
    out.u8(kind);
    switch (kind) {
      case Kind.object:
        this.proto(value, i);
        this.props(value, i, savedKeys(value));
        return;
      case Kind.error:
      case Kind.weakmap:
      case Kind.weakset:
        // weak collections' entries go to the trailer (ephemerons())
        this.proto(value, i);
        this.props(value, i, ownKeys(value));
        return;
      case Kind.weakref:
        this.proto(value, i);
        this.value(call(intrinsic.weakRefDeref, value), i, Edge.weakRefTarget);
        this.props(value, i, ownKeys(value));
        return;
      case Kind.bound: {
        const parts = boundParts(value as Function)!;
        this.value(parts.target, i, Edge.boundTarget);
        this.value(parts.thisArg, i, Edge.boundThis);
        out.varint(parts.args.length);
        for (let a = 0; a < parts.args.length; a++) this.value(parts.args[a], i, Edge.boundArg - a);
        this.functionProps(value as Function, i);
        return;
      }
      case Kind.array:
        return this.array(value as unknown[], i);
      case Kind.map:
        return this.map(value as Map<unknown, unknown>, i);
      case Kind.set:
        return this.set(value as Set<unknown>, i);
      case Kind.date:
        this.proto(value, i);
        out.f64(call<number>(intrinsic.dateGetTime, value));
        this.props(value, i, ownKeys(value));
        return;
      case Kind.regexp:
        this.proto(value, i);
        out.varint(this.stringId(call<string>(intrinsic.regExpSource, value)));
        out.varint(this.stringId(call<string>(intrinsic.regExpFlags, value)));
        this.props(value, i, ownKeys(value));
        return;
      case Kind.boxed:
        return this.boxed(value, i);
      case Kind.arraybuffer:
      case Kind.sharedarraybuffer:
        return this.arrayBuffer(value as ArrayBufferLike, i, kind);
      case Kind.typedarray:
        return this.typedArray(value as Uint8Array, i);
      case Kind.dataview: {
        this.proto(value, i);
        const buffer = call<ArrayBufferLike>(intrinsic.dataViewBuffer, value);
        this.value(buffer, i, Edge.buffer);
        this.pools?.delete(this.ids.get(buffer)!);
        out.varint(call<number>(intrinsic.dataViewByteOffset, value));
        out.varint(call<number>(intrinsic.dataViewByteLength, value));
        this.props(value, i, ownKeys(value));
        return;
      }
      case Kind.staticFunction:
        out.varint(this.stringId(this.ctx.functions.staticId(value as Function)!));
        this.functionProps(value as Function, i);
        return;
      case Kind.closure: {
        const closure = this.ctx.functions.closureOf(value as Function)!;
        out.varint(this.stringId(closure.factory));
        out.varint(closure.envs.length);
        for (let e = 0; e < closure.envs.length; e++) this.value(closure.envs[e], i, Edge.env - e);
        this.functionProps(value as Function, i);
        return;
      }
      case Kind.builtin:
        out.varint(this.stringId(this.builtinOf(value)!));
        return;
      case Kind.prototypeOf:
        this.value(this.protoOwners.get(value) ?? this.constructorOf(value), i, Edge.constructor);
        this.props(value, i, ownKeys(value));
        return;
      case Kind.symbol: {
        const description = (value as unknown as symbol).description;
        this.value(description, i, 0);
        return;
      }
      case Kind.registeredSymbol:
        out.varint(this.stringId(Symbol.keyFor(value as unknown as symbol)!));
        return;
      case Kind.wellKnownSymbol:
        out.varint(this.stringId(wellKnownSymbolName(value as unknown as symbol)!));
        return;
      default:
        throw new Error(`heap writer: no case for node kind ${kind}`);
    }
  }

  private lastProto: unknown = undefined;
  private lastProtoId = -1;

  /** The prototype, usually the same as the previous object's: skip the identity lookup then. */
  private proto(value: object, i: number): void {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto === this.lastProto && proto !== null) {
      this.out.tagged(Tag.ref, this.lastProtoId);
      return;
    }
    this.value(proto, i, Edge.prototype);
    if (proto !== null) {
      this.lastProto = proto;
      this.lastProtoId = this.ids.get(proto)!;
    }
  }

  private integrity(value: object): number {
    if (Object.isExtensible(value)) return Integrity.extensible;
    if (Object.isFrozen(value)) return Integrity.frozen;
    return Object.isSealed(value) ? Integrity.sealed : Integrity.preventExtensions;
  }

  /**
   * integrity, shape, then each property's value (an accessor's getter and
   * setter). Consecutive objects of one shape (same keys and flags) cost one
   * comparison; other shapes are found by their signature, or defined inline.
   */
  private props(value: object, i: number, keys: (string | symbol)[]): void {
    const out = this.out;
    const kind = this.kinds[i]!;
    const hidden = typeof value === 'object' && this.ctx.hidden !== undefined ? this.ctx.hidden(value) : undefined;
    if (hidden !== undefined && kind !== Kind.object && !BLANK_CONSTRUCTIBLE.has(kind)) {
      throw new CaptureError(`a ${KIND_NAMES[kind]} with private #fields of its class (a restore cannot give them back to a ${KIND_NAMES[kind]})`, pathTo(this, i), 'keep the private state in an ordinary object the instance points to, or in a WeakMap keyed by the instance');
    }
    const base = kind === Kind.object ? this.ctx.constructBase?.(value, hidden) : undefined;
    out.u8(this.integrity(value) | (hidden === undefined ? 0 : HAS_HIDDEN) | (base === undefined ? 0 : CONSTRUCT_FROM));
    if (base !== undefined) out.varint(base);
    const count = keys.length;
    if (count === 0) {
      out.varint(Shape.empty);
      if (hidden !== undefined) this.value(hidden, i, 'private state');
      return;
    }
    const flags = this.flagsScratch;
    const descriptors = this.descriptorScratch;
    for (let k = 0; k < count; k++) {
      const key = keys[k]!;
      const descriptor = getOwnPropertyDescriptor(value, key)!;
      if (key === 'stack' && descriptor.get !== undefined && this.kinds[i] === Kind.error) {
        // engines that make `stack` an own accessor (newer V8): save the text it shows
        descriptor.value = errorStack(value);
        descriptor.writable = true;
        delete descriptor.get;
        delete descriptor.set;
      }
      descriptors[k] = descriptor;
      flags[k] = 'value' in descriptor
        ? (descriptor.writable ? Flag.writable : 0) | (descriptor.enumerable ? Flag.enumerable : 0) | (descriptor.configurable ? Flag.configurable : 0)
        : Flag.accessor | (descriptor.enumerable ? Flag.enumerable : 0) | (descriptor.configurable ? Flag.configurable : 0);
    }
    this.shape(keys, count, i);
    for (let k = 0; k < count; k++) {
      const descriptor = descriptors[k]!;
      descriptors[k] = undefined!;
      if (flags[k]! & Flag.accessor) {
        this.value(descriptor.get, i, new AccessorEdge(keys[k]!, 'get'));
        this.value(descriptor.set, i, new AccessorEdge(keys[k]!, 'set'));
      } else {
        this.value(descriptor.value, i, keys[k]!);
      }
    }
    if (hidden !== undefined) this.value(hidden, i, 'private state');
  }

  /** Writes the shape of `keys` with flagsScratch: a number, or an inline definition. */
  private shape(keys: (string | symbol)[], count: number, i: number): void {
    const flags = this.flagsScratch;
    const last = this.lastShape;
    if (last !== undefined && last.keys.length === count) {
      let k = 0;
      while (k < count && last.keys[k] === keys[k] && last.flags[k] === flags[k]) k++;
      if (k === count) {
        this.out.varint(last.id);
        return;
      }
    }
    let signature = '';
    for (let k = 0; k < count; k++) {
      const key = keys[k]!;
      const id = typeof key === 'string' ? this.stringId(key) : -1 - (this.ids.get(key) ?? this.discover(key, i, key));
      signature += `${flags[k]}:${id},`;
    }
    let shape = this.shapes.get(signature);
    if (shape !== undefined) {
      this.out.varint(shape.id);
    } else {
      shape = { id: this.nextShape++, keys: keys.slice(0, count), flags: flags.slice(0, count) };
      this.shapes.set(signature, shape);
      const out = this.out;
      out.varint(Shape.inline);
      out.varint(count);
      for (let k = 0; k < count; k++) {
        out.u8(flags[k]!);
        const key = keys[k]!;
        if (typeof key === 'string') out.tagged(Tag.string, this.stringId(key));
        else out.tagged(Tag.ref, this.ids.get(key)!);
      }
    }
    this.lastShape = shape;
  }

  private functionProps(fn: Function, i: number): void {
    const keys: (string | symbol)[] = [];
    // `name` and `length` too: `Object.defineProperty(f, 'name', { value })`
    // keeps the default attributes, so only the value tells it was changed,
    // and what a restart's function would have is not known here.
    for (const key of ownKeys(fn)) {
      if (key === CLOSURE || key === 'arguments' || key === 'caller') continue;
      keys.push(key);
    }
    this.props(fn, i, keys);
  }

  /**
   * proto, length, the dense elements (holes allowed), then other own
   * properties. Short arrays are read through descriptors (exact); long
   * extensible dense ones element by element, then their other own
   * properties (listed only where the host cannot tell that there are
   * none, see `namedArrayKeys`); long sparse or non-extensible ones as
   * properties only.
   */
  private array(array: unknown[], i: number): void {
    const out = this.out;
    this.proto(array, i);
    const length = array.length;
    out.varint(length);
    if (length <= SMALL_ARRAY) {
      // dense part: leading elements that are plain data properties or holes
      const scratch = this.scratch;
      let dense = 0;
      let present = 0;
      while (dense < length) {
        const d = Object.getOwnPropertyDescriptor(array, dense);
        if (d === undefined) scratch[dense] = HOLE;
        else if (d.writable && d.enumerable && d.configurable && 'value' in d) {
          scratch[dense] = d.value;
          present++;
        } else break;
        dense++;
      }
      out.varint(dense);
      for (let e = 0; e < dense; e++) {
        const element = scratch[e];
        scratch[e] = undefined;
        if (element === HOLE) out.u8(Tag.hole);
        else this.value(element, i, e);
      }
      // own keys list the indices ascending first: skip the `present` ones
      // already written, then `length` unless it is read-only
      const keys = Reflect.ownKeys(array);
      if (keys.length === present + 1 && keys[present] === 'length' && Object.isExtensible(array)) {
        // the common case: no other property, `length` writable (an extensible array's is unless made read-only)
        if (getOwnPropertyDescriptor(array, 'length')!.writable) {
          this.props(array, i, []);
          return;
        }
      }
      const rest: (string | symbol)[] = [];
      for (let k = present; k < keys.length; k++) {
        const key = keys[k]!;
        if (key === 'length' && Object.getOwnPropertyDescriptor(array, 'length')!.writable) continue;
        rest.push(key);
      }
      this.props(array, i, rest);
      return;
    }
    if (!Object.isExtensible(array) || (probablySparse(array, length) && Object.keys(array).length < length / 2)) {
      // mostly holes (`a = []; a[1e9] = x`), or long and frozen/sealed:
      // every element as a property with its attributes
      out.varint(0);
      const keys = Reflect.ownKeys(array).filter((key) => key !== 'length' || !Object.getOwnPropertyDescriptor(array, 'length')!.writable);
      this.props(array, i, keys);
      return;
    }
    out.varint(length);
    let present = 0;
    for (let e = 0; e < length; e++) {
      const element = array[e];
      if (element === undefined && !Object.prototype.hasOwnProperty.call(array, e)) out.u8(Tag.hole);
      else {
        this.value(element, i, e);
        present++;
      }
    }
    this.props(array, i, this.namedArrayKeys(array, present));
  }

  /**
   * A long dense array's own keys other than its elements (and `length`
   * unless it is read-only): `Object.assign(rows, { columns })`, a result
   * with its statistics. Listing them costs a string per element, so only
   * where the host's test cannot rule them out; its symbols always.
   */
  private namedArrayKeys(array: unknown[], elements: number): (string | symbol)[] {
    const test = this.ctx.arrayMayHaveNamedKeys;
    if (test !== undefined && !test(array)) return getOwnPropertySymbols(array);
    // own keys list the `elements` indices first, ascending
    const names = getOwnPropertyNames(array);
    const keys: (string | symbol)[] = [];
    for (let k = elements; k < names.length; k++) {
      const key = names[k]!;
      if (key === 'length' && getOwnPropertyDescriptor(array, 'length')!.writable) continue;
      keys.push(key);
    }
    for (const symbol of getOwnPropertySymbols(array)) keys.push(symbol);
    return keys;
  }

  private map(map: Map<unknown, unknown>, i: number): void {
    const out = this.out;
    this.proto(map, i);
    out.varint(call<number>(intrinsic.mapSize, map));
    call(intrinsic.mapForEach, map, (value: unknown, key: unknown) => {
      this.value(key, i, Edge.mapKey);
      this.value(value, i, Edge.mapValue);
    });
    this.props(map, i, ownKeys(map));
  }

  private set(set: Set<unknown>, i: number): void {
    this.proto(set, i);
    this.out.varint(call<number>(intrinsic.setSize, set));
    call(intrinsic.setForEach, set, (member: unknown) => this.value(member, i, Edge.setMember));
    this.props(set, i, ownKeys(set));
  }

  private boxed(box: object, i: number): void {
    this.proto(box, i);
    const primitive = boxedPrimitive(box);
    this.value(primitive, i, Edge.boxedValue);
    let keys = ownKeys(box);
    if (typeof primitive === 'string') {
      const length = primitive.length;
      keys = keys.filter((key) => typeof key !== 'string' || !(key === 'length' || (INDEX_KEY.test(key) && Number(key) < length)));
    }
    this.props(box, i, keys);
  }

  private arrayBuffer(buffer: ArrayBufferLike, i: number, kind: number): void {
    const out = this.out;
    const shared = kind === Kind.sharedarraybuffer;
    this.proto(buffer, i);
    const length = call<number>(shared ? intrinsic.sharedByteLength : intrinsic.arrayBufferByteLength, buffer);
    const growable = shared
      ? intrinsic.sharedGrowable !== undefined && call<boolean>(intrinsic.sharedGrowable, buffer)
      : intrinsic.arrayBufferResizable !== undefined && call<boolean>(intrinsic.arrayBufferResizable, buffer);
    const max = growable ? call<number>(shared ? intrinsic.sharedMaxByteLength : intrinsic.arrayBufferMaxByteLength, buffer) : 0;
    const offset = this.blobSize;
    this.blobSize = offset + Math.ceil(length / 8) * 8;
    this.buffers.push({ node: i, buffer, offset, length });
    out.varint(offset);
    out.varint(length);
    out.varint(growable ? max + 1 : 0);
    this.props(buffer, i, ownKeys(buffer));
  }

  private typedArray(view: Uint8Array, i: number): void {
    const out = this.out;
    this.proto(view, i);
    const type = TYPED_ARRAY_INDEX.get(call<string>(intrinsic.typedArrayTag, view))!;
    out.u8(type);
    const buffer = call<ArrayBufferLike>(intrinsic.typedArrayBuffer, view);
    const known = this.values.length;
    this.value(buffer, i, Edge.buffer);
    const byteOffset = call<number>(intrinsic.typedArrayByteOffset, view);
    const length = call<number>(intrinsic.typedArrayLength, view);
    out.varint(byteOffset);
    out.varint(length);
    if (HOST_BIG_ENDIAN) this.noteView(buffer, type, byteOffset, length);
    if (this.ctx.pooledView !== undefined) this.notePooled(view, this.ids.get(buffer)!, known, byteOffset, length);
    let keys: (string | symbol)[];
    // own keys list the `length` element indices first
    if (length <= SMALL_TYPED_ARRAY) keys = Reflect.ownKeys(view).slice(length);
    else keys = Object.getOwnPropertySymbols(view);
    this.props(view, i, keys);
  }

  /** A pooled view (a Buffer; its length is in bytes) adds its range; any other view makes its buffer saved whole. */
  private notePooled(view: Uint8Array, node: number, known: number, byteOffset: number, length: number): void {
    if (!this.ctx.pooledView!(view)) {
      this.pools?.delete(node);
      return;
    }
    // first reached through this view: a pool; else it is one only if it was so far
    if (node >= known) (this.pools ??= new Map()).set(node, [byteOffset, length]);
    else this.pools?.get(node)?.push(byteOffset, length);
  }

  private noteView(buffer: ArrayBufferLike, type: number, byteOffset: number, length: number): void {
    const node = this.ids.get(buffer)!;
    let views = this.views.get(node);
    if (views === undefined) this.views.set(node, (views = []));
    views.push({ type, byteOffset, length });
  }

  /**
   * Every buffer's bytes, each at its 8-aligned offset, in little-endian
   * element order, as parts. On a little-endian host a large ArrayBuffer's
   * part is a view of the buffer itself: copying hundreds of megabytes into
   * fresh memory cost more than hashing and writing them. Small buffers are
   * packed together (one write for many), and a SharedArrayBuffer is copied,
   * since another thread may change it while the file is written.
   */
  private blob(): Uint8Array[] {
    type Saved = HeapWriter['buffers'][number];
    const parts: Uint8Array[] = [];
    let run: Saved[] = [];
    const pack = (end: number) => {
      if (run.length === 0) return;
      const start = run[0]!.offset;
      const bytes = new Uint8Array(end - start);
      for (const { node, buffer, offset, length } of run) {
        const at = offset - start;
        const pooled = this.pools?.get(node);
        // (an empty buffer may be detached, and a view of a detached one throws)
        if (pooled !== undefined) for (let r = 0; r < pooled.length; r += 2) bytes.set(new Uint8Array(buffer, pooled[r]!, pooled[r + 1]!), at + pooled[r]!);
        else if (length > 0) bytes.set(new Uint8Array(buffer, 0, length), at);
        if (HOST_BIG_ENDIAN) swapViews(bytes.subarray(at, at + length), this.views.get(node) ?? []);
      }
      parts.push(bytes);
      run = [];
    };
    for (const saved of this.buffers) {
      const { node, buffer, offset, length } = saved;
      if (length < OWN_BLOB_PART || HOST_BIG_ENDIAN || this.kinds[node] === Kind.sharedarraybuffer || this.pools?.has(node)) {
        run.push(saved);
        continue;
      }
      pack(offset);
      parts.push(new Uint8Array(buffer, 0, length));
      if (length % 8 !== 0) parts.push(new Uint8Array(8 - (length % 8)));
    }
    pack(this.blobSize);
    return parts;
  }
}

/** The stack text of an error whose `stack` is an engine accessor. */
function errorStack(error: object): unknown {
  try {
    return Reflect.get(error, 'stack');
  } catch {
    return undefined;
  }
}

/** A few probes for holes in a long array: only then is it worth counting its keys. */
function probablySparse(array: unknown[], length: number): boolean {
  const has = (e: number) => Object.prototype.hasOwnProperty.call(array, e);
  return !has(0) || !has(length - 1) || !has(length >>> 1) || !has(length >>> 2) || !has(length - (length >>> 2));
}
