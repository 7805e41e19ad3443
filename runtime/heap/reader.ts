// The heap reader: HeapImage → live values. Takes an untrusted image and the
// program's function table; guarantees that it never runs code from the image
// (no eval, no Function; the only code called is the program's own closure
// factories and built-in constructors), never assigns `__proto__` or through
// an inherited setter (assign.ts), and rejects anything malformed with a RestoreError
// naming the node. Three passes, none recursive:
//   1. scan      (scan.ts)  validate every byte, note where each node starts
//   2. allocate  create every object, each after the nodes it cannot exist
//                without (its prototype, a closure's environments, a view's
//                buffer, a prototype's function), by an explicit work stack
//   3. fill      define properties, elements and entries, then integrity;
//                then the WeakMap/WeakSet entries of the ephemeron trailer

import { bindAgain } from './bound.js';
import { builtinByPath, wellKnownSymbol } from './builtins.js';
import { swapViews, type BufferViews } from './byteorder.js';
import { RestoreError } from './errors.js';
import { flatImage, type FlatHeapImage, type HeapContext, type HeapImage } from './image.js';
import { HOST_BIG_ENDIAN, intrinsic } from './intrinsics.js';
import { BLANK_CONSTRUCTIBLE, CONSTRUCT_FROM, Flag, HAS_HIDDEN, INTEGRITY_MASK, Integrity, Kind, KIND_NAMES, PLAIN_PROPERTY, Shape, Tag, TYPED_ARRAY_NAMES } from './layout.js';
import { AssignRules } from './assign.js';
import { scanHeap, type Scan } from './scan.js';
import { ByteReader, unzigzag } from './stream.js';

export function readHeap(saved: HeapImage, ctx: HeapContext): unknown {
  const image = flatImage(saved);
  const scan = scanHeap(image);
  return new HeapReader(image, scan, ctx).read();
}

/**
 * Empties an object blank construction made: the field initializers it ran
 * left own properties (in their order, with their initial values) that the
 * saved object may have deleted, or held after properties its constructor
 * body added. The fill pass then defines the saved ones in the saved order.
 * What cannot be deleted (an array's `length`) stays. Last first: V8
 * undoes the newest property's transition, where deleting any other turns
 * the object into a dictionary (slow for the rest of the program).
 */
function clearOwn<T extends object>(made: T): T {
  const keys = Reflect.ownKeys(made);
  for (let k = keys.length - 1; k >= 0; k--) Reflect.deleteProperty(made, keys[k]!);
  return made;
}

type TypedArrayConstructor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArrayBufferView;
const TYPED_ARRAYS: (TypedArrayConstructor | undefined)[] = TYPED_ARRAY_NAMES.map((name) => {
  const ctor = (globalThis as Record<string, unknown>)[name];
  return typeof ctor === 'function' ? (ctor as TypedArrayConstructor) : undefined;
});

const NEW = 0;
const PENDING = 1;
const DONE = 2;
const HOLE = Symbol('hole');
/** missingDependency's answer when a hard dependency is already on the stack */
const CYCLE = -2;
const ObjectPrototype = Object.prototype;
const getPrototypeOf = Object.getPrototypeOf;
const defineProperty = Object.defineProperty;

/** A v2 shape as the reader uses it: keys and flags, and whether plain assignment is safe for a prototype. */
interface ReadShape {
  keys: (string | symbol)[];
  flags: number[];
  /** every property is `obj.k = v`-like (flags 7) with a string key */
  plain: boolean;
  /** the last prototype checked against, and whether assigning every key is safe for it */
  checkedProto: object | null | undefined;
  assignable: boolean;
}
const EMPTY_SHAPE: ReadShape = { keys: [], flags: [], plain: true, checkedProto: undefined, assignable: true };


class HeapReader {
  private readonly r: ByteReader;
  private readonly strings: string[];
  private readonly values: unknown[];
  private readonly state: Uint8Array;
  /** 1 when a node's prototype was part of an allocation cycle: set during fill */
  private readonly lateProto: Uint8Array;
  private readonly stack: number[] = [];
  private readonly rules = new AssignRules();
  /** v2 shapes in definition order (index = shape number) */
  private readonly shapes: (ReadShape | undefined)[] = [undefined, EMPTY_SHAPE];

  constructor(private readonly image: FlatHeapImage, private readonly scan: Scan, private readonly ctx: HeapContext) {
    this.r = new ByteReader(image.nodes);
    this.strings = image.strings;
    this.values = new Array(scan.nodeCount);
    this.state = new Uint8Array(scan.nodeCount);
    this.lateProto = new Uint8Array(scan.nodeCount);
  }

  /** [object, hidden state] pairs, given back at the end of `read`. */
  private readonly hidden: unknown[] = [];

  read(): unknown {
    const count = this.scan.nodeCount;
    for (let i = 0; i < count; i++) if (this.state[i] === NEW) this.allocate(i);
    if (HOST_BIG_ENDIAN) this.swapBuffers();
    for (let i = 0; i < count; i++) this.fillNode(i);
    if (this.scan.trailer >= 0) this.ephemerons();
    const hidden = this.hidden;
    for (let h = 0; h < hidden.length; h += 2) this.ctx.restoreHidden?.(hidden[h] as object, hidden[h + 1]);
    this.ctx.restored?.(this.values);
    this.r.pos = this.scan.root;
    return this.value();
  }

  private fail(message: string, node?: number): never {
    throw new RestoreError(message, node);
  }

  // ── values ────────────────────────────────────────────────────────────

  /**
   * One value. The scan has validated the whole stream, so the common
   * one-byte varints are read without bounds checks (still inside `bytes`).
   */
  private value(): unknown {
    const r = this.r;
    const bytes = r.bytes;
    const tag = r.pos < r.end ? bytes[r.pos++]! : r.u8();
    switch (tag) {
      case Tag.ref: {
        const n = bytes[r.pos]!;
        if (n < 0x80) {
          r.pos++;
          return this.values[n];
        }
        return this.values[r.varint()];
      }
      case Tag.string: {
        const n = bytes[r.pos]!;
        if (n < 0x80) {
          r.pos++;
          return this.strings[n];
        }
        return this.strings[r.varint()];
      }
      case Tag.int: return unzigzag(r.varint());
      case Tag.float: return r.f64();
      case Tag.undefined: return undefined;
      case Tag.null: return null;
      case Tag.false: return false;
      case Tag.true: return true;
      case Tag.bigint: return BigInt(this.strings[r.varint()]!);
      case Tag.hole: return HOLE;
      default: return this.fail(`unknown value tag ${tag} at heap stream byte ${r.pos - 1}`);
    }
  }

  /** The node index of a reference value, or -1 for any other value (skipped). */
  private refIndex(): number {
    const r = this.r;
    if (r.bytes[r.pos] === Tag.ref) {
      r.pos++;
      return r.varint();
    }
    this.value();
    return -1;
  }

  /** The node index referenced by the (reference) value at `pos`, without moving. */
  private refIndexAt(pos: number): number {
    const r = this.r;
    const saved = r.pos;
    r.pos = pos;
    const index = this.refIndex();
    r.pos = saved;
    return index;
  }

  // ── pass 2: allocation ────────────────────────────────────────────────

  private allocate(first: number): void {
    const stack = this.stack;
    const state = this.state;
    stack.push(first);
    state[first] = PENDING;
    while (stack.length > 0) {
      const i = stack[stack.length - 1]!;
      const dep = this.missingDependency(i);
      if (dep === CYCLE) {
        this.breakCycle(i);
        continue;
      }
      if (dep >= 0) {
        state[dep] = PENDING;
        stack.push(dep);
        continue;
      }
      this.values[i] = this.create(i);
      state[i] = DONE;
      stack.pop();
    }
  }

  /** A node that must exist before node i can be created, or -1. */
  private missingDependency(i: number): number {
    const r = this.r;
    r.pos = this.scan.headers[i]!;
    const kind = this.scan.kinds[i]!;
    switch (kind) {
      case Kind.staticFunction:
      case Kind.builtin:
      case Kind.symbol:
      case Kind.registeredSymbol:
      case Kind.wellKnownSymbol:
        return -1;
      case Kind.closure: {
        r.varint();
        const envs = r.varint();
        for (let e = 0; e < envs; e++) {
          const dep = this.hard(this.refIndex(), 'a closure environment');
          if (dep !== -1) return dep;
        }
        return -1;
      }
      case Kind.prototypeOf:
        return this.hard(this.refIndex(), 'the function of a prototype');
      case Kind.bound: {
        let dep = this.hard(this.refIndex(), 'the target of a bound function');
        if (dep !== -1) return dep;
        dep = this.hard(this.refIndex(), 'the this of a bound function');
        if (dep !== -1) return dep;
        for (let a = r.varint(); a > 0; a--) {
          dep = this.hard(this.refIndex(), 'an argument of a bound function');
          if (dep !== -1) return dep;
        }
        return -1;
      }
    }
    const proto = this.refIndex();
    if (proto >= 0 && this.state[proto] !== DONE && this.lateProto[i] === 0) {
      if (this.state[proto] === NEW) return proto;
      this.lateProto[i] = 1; // a prototype cycle through allocation: set it during fill
    }
    if (kind === Kind.typedarray) {
      r.u8();
      return this.hard(this.refIndex(), 'the buffer of a typed array');
    }
    if (kind === Kind.dataview) return this.hard(this.refIndex(), 'the buffer of a DataView');
    if (kind === Kind.boxed) return this.hard(this.refIndex(), 'a boxed symbol');
    if (kind === Kind.weakref) return this.hard(this.refIndex(), 'the target of a WeakRef');
    return -1;
  }

  private cycle = { at: -1, what: '' };

  /** A dependency that cannot be set later: NEW → its index, DONE → -1, PENDING → CYCLE. */
  private hard(dep: number, what: string): number {
    if (dep < 0 || this.state[dep] === DONE) return -1;
    if (this.state[dep] === PENDING) {
      this.cycle = { at: dep, what };
      return CYCLE;
    }
    return dep;
  }

  /**
   * Node i waits, through hard dependencies, on a node already on the stack.
   * The loop is only breakable at a prototype edge (an object can get its
   * prototype after it exists): the frame nearest the top that waits on its
   * prototype gives it up (set during fill), and the frames above it start over.
   */
  private breakCycle(i: number): void {
    const stack = this.stack;
    const from = stack.lastIndexOf(this.cycle.at);
    for (let k = stack.length - 2; k >= from; k--) {
      const frame = stack[k]!;
      if (this.lateProto[frame] === 0 && this.protoIndex(frame) === stack[k + 1]) {
        this.lateProto[frame] = 1;
        for (let above = k + 1; above < stack.length; above++) this.state[stack[above]!] = NEW;
        stack.length = k + 1;
        return;
      }
    }
    this.fail(`${this.cycle.what} (node ${this.cycle.at}) depends back on this node: an allocation cycle`, i);
  }

  /** The node index of node i's prototype, or -1 (kinds without one, or a null prototype). */
  private protoIndex(i: number): number {
    const kind = this.scan.kinds[i]!;
    if ((kind < Kind.object || kind > Kind.dataview) && kind !== Kind.weakref) return -1;
    const r = this.r;
    const saved = r.pos;
    r.pos = this.scan.headers[i]!;
    const index = this.refIndex();
    r.pos = saved;
    return index;
  }

  private proto(i: number): object | null {
    const r = this.r;
    if (this.lateProto[i] === 1) {
      this.value();
      return null;
    }
    const proto = this.value();
    if (proto === null || typeof proto === 'object' || typeof proto === 'function') return proto as object | null;
    return this.fail(`prototype is a ${typeof proto}, not an object or null (byte ${r.pos})`, i);
  }

  private create(i: number): unknown {
    const r = this.r;
    const kind = this.scan.kinds[i]!;
    r.pos = this.scan.headers[i]!;
    switch (kind) {
      case Kind.staticFunction: {
        const id = this.strings[r.varint()]!;
        const fn = this.ctx.functions.staticFunction(id);
        if (fn === undefined) this.fail(`function ${id} is not in this program (was the program changed since the checkpoint?)`, i);
        return fn;
      }
      case Kind.closure: {
        const factory = this.strings[r.varint()]!;
        const envs: unknown[] = [];
        for (let e = r.varint(); e > 0; e--) envs.push(this.value());
        try {
          return this.ctx.functions.makeClosure(factory, envs);
        } catch (error) {
          return this.fail(`closure factory ${factory} failed: ${(error as Error)?.message ?? String(error)}`, i);
        }
      }
      case Kind.builtin: {
        const path = this.strings[r.varint()]!;
        const value = (this.ctx.builtin?.(path) as object | undefined) ?? builtinByPath(path);
        if (value === undefined) this.fail(`built-in ${path} does not exist on this platform (or is a code evaluator such as eval, which is never restored)`, i);
        return value;
      }
      case Kind.prototypeOf: {
        const owner = this.scan.kinds[this.refIndexAt(r.pos)]!;
        if (owner !== Kind.staticFunction && owner !== Kind.closure) {
          return this.fail('only a program function\'s prototype can be restored (never a built-in one)', i);
        }
        const fn = this.value();
        if (typeof fn !== 'function') return this.fail('the owner of a prototype is not a function', i);
        const proto = Object.getOwnPropertyDescriptor(fn, 'prototype')?.value as unknown;
        if (typeof proto !== 'object' || proto === null) return this.fail(`function ${fn.name} has no prototype object`, i);
        return proto;
      }
      case Kind.symbol: {
        const description = this.value() as string | undefined;
        return Symbol(description);
      }
      case Kind.bound: {
        const target = this.value();
        const thisArg = this.value();
        const args: unknown[] = [];
        for (let a = r.varint(); a > 0; a--) args.push(this.value());
        if (typeof target !== 'function') return this.fail('the target of a bound function is not a function', i);
        const bound = bindAgain(target, thisArg, args);
        this.ctx.madeBound?.(bound, thisArg, args);
        return bound;
      }
      case Kind.registeredSymbol:
        return Symbol.for(this.strings[r.varint()]!);
      case Kind.wellKnownSymbol: {
        const name = this.strings[r.varint()]!;
        const symbol = wellKnownSymbol(name);
        if (symbol === undefined) this.fail(`well-known symbol Symbol.${name} does not exist on this platform`, i);
        return symbol;
      }
    }
    if (kind === Kind.object) {
      const construct = this.ctx.construct;
      if (construct !== undefined && this.lateProto[i] === 0) {
        const at = this.refIndexAt(r.pos);
        const proto = this.proto(i);
        if (at >= 0 && this.scan.kinds[at] === Kind.prototypeOf) {
          const base = this.scan.version >= 2 && (r.u8() & CONSTRUCT_FROM) ? r.varint() : undefined;
          const made = construct.call(this.ctx, proto as object, base);
          if (made !== undefined) {
            if ((typeof made !== 'object' && typeof made !== 'function') || made === null) return this.fail('the construct hook returned a non-object', i);
            if (getPrototypeOf(made) !== proto) Object.setPrototypeOf(made, proto);
            return clearOwn(made);
          }
        }
        return Object.create(proto) as object;
      }
      const proto = this.proto(i);
      return proto === ObjectPrototype ? {} : Object.create(proto) as object;
    }
    const construct = this.ctx.construct;
    const at = construct !== undefined && this.lateProto[i] === 0 && BLANK_CONSTRUCTIBLE.has(kind) ? this.refIndexAt(r.pos) : -1;
    const proto = this.proto(i);
    const made = (at >= 0 && this.scan.kinds[at] === Kind.prototypeOf ? this.constructExotic(kind, proto as object, i) : undefined) ?? this.createExotic(kind, i);
    if (this.lateProto[i] === 0 && Object.getPrototypeOf(made) !== proto) Object.setPrototypeOf(made, proto);
    return made;
  }

  /**
   * An Array, Map, Error… of a program class with private #fields, made by
   * its class (the construct hook's blank construction) so that it carries
   * the private names: empty, as createExotic would make it, for the reader
   * to fill. Undefined: the class has no private fields (createExotic makes it).
   */
  private constructExotic(kind: number, proto: object, i: number): object | undefined {
    const made = this.ctx.construct!.call(this.ctx, proto, undefined);
    if (made === undefined) return undefined;
    const fail = (what: string) => this.fail(`${what}: its class's constructor did not make a ${KIND_NAMES[kind]} (blank construction)`, i);
    if ((typeof made !== 'object' && typeof made !== 'function') || made === null) return fail('the construct hook returned a non-object');
    try {
      switch (kind) {
        case Kind.array:
          if (!Array.isArray(made)) return fail('not an array');
          (made as unknown[]).length = 0;
          break;
        case Kind.map:
          intrinsic.mapClear.call(made as Map<unknown, unknown>);
          break;
        case Kind.set:
          intrinsic.setClear.call(made as Set<unknown>);
          break;
        case Kind.weakmap:
          intrinsic.weakMapHas.call(made as WeakMap<object, unknown>, {});
          break;
        case Kind.weakset:
          intrinsic.weakSetHas.call(made as WeakSet<object>, {});
          break;
        case Kind.date:
          intrinsic.dateSetTime.call(made as Date, this.r.f64());
          break;
      }
      clearOwn(made);
    } catch {
      return fail(`not a ${KIND_NAMES[kind]}`);
    }
    return made;
  }

  private createExotic(kind: number, i: number): object {
    const r = this.r;
    switch (kind) {
      case Kind.array: return [];
      case Kind.map: return new Map();
      case Kind.set: return new Set();
      case Kind.weakmap: return new WeakMap();
      case Kind.weakset: return new WeakSet();
      case Kind.weakref: {
        // a target already collected at capture: a fresh object the next collection clears
        const target = this.value();
        const WeakRefCtor = intrinsic.WeakRef;
        if (WeakRefCtor === undefined) return this.fail('WeakRef is not available on this platform', i);
        try {
          const ref = new WeakRefCtor(target === undefined ? {} : target as object);
          if (target !== undefined) this.ctx.weakEdge?.(ref, target);
          return ref;
        } catch (error) {
          return this.fail(`cannot make a WeakRef to this target: ${(error as Error).message}`, i);
        }
      }
      case Kind.date: return new Date(r.f64());
      case Kind.regexp: {
        const source = this.strings[r.varint()]!;
        const flags = this.strings[r.varint()]!;
        try {
          return new RegExp(source, flags);
        } catch (error) {
          return this.fail(`invalid regular expression /${source}/${flags}: ${(error as Error).message}`, i);
        }
      }
      case Kind.error:
        return clearOwn(new Error());
      case Kind.boxed: {
        const primitive = this.value();
        const type = typeof primitive;
        if (type === 'object' || type === 'function' || primitive === undefined) this.fail('a boxed value is not a primitive', i);
        return Object(primitive) as object;
      }
      case Kind.arraybuffer:
      case Kind.sharedarraybuffer: {
        const offset = r.varint();
        const length = r.varint();
        const max = r.varint();
        const options = max > 0 ? { maxByteLength: max - 1 } : undefined;
        const own = kind === Kind.arraybuffer && max === 0 ? this.image.ownBuffers?.get(offset) : undefined;
        if (own !== undefined && own.byteLength === length) {
          this.image.ownBuffers!.delete(offset);
          return own;
        }
        let buffer: ArrayBufferLike;
        try {
          if (kind === Kind.arraybuffer) buffer = new (ArrayBuffer as any)(length, options);
          else {
            const Shared = intrinsic.SharedArrayBuffer;
            if (Shared === undefined) return this.fail('SharedArrayBuffer is not available on this platform', i);
            buffer = new (Shared as any)(length, options);
          }
        } catch (error) {
          return this.fail(`cannot allocate a ${length}-byte buffer: ${(error as Error).message}`, i);
        }
        new Uint8Array(buffer).set(this.image.blob.subarray(offset, offset + length));
        return buffer;
      }
      case Kind.typedarray: {
        const type = r.u8();
        const buffer = this.buffer(i);
        const byteOffset = r.varint();
        const length = r.varint();
        const Ctor = TYPED_ARRAYS[type];
        if (Ctor === undefined) return this.fail(`${TYPED_ARRAY_NAMES[type]} does not exist on this platform`, i);
        try {
          return new Ctor(buffer, byteOffset, length);
        } catch (error) {
          return this.fail(`${TYPED_ARRAY_NAMES[type]}(${byteOffset}, ${length}) does not fit its buffer: ${(error as Error).message}`, i);
        }
      }
      case Kind.dataview: {
        const buffer = this.buffer(i);
        const byteOffset = r.varint();
        const byteLength = r.varint();
        try {
          return new DataView(buffer, byteOffset, byteLength);
        } catch (error) {
          return this.fail(`DataView(${byteOffset}, ${byteLength}) does not fit its buffer: ${(error as Error).message}`, i);
        }
      }
      default:
        return this.fail(`unknown node kind ${kind}`, i);
    }
  }

  private buffer(i: number): ArrayBufferLike {
    const at = this.refIndex();
    const kind = this.scan.kinds[at]!;
    if (kind !== Kind.arraybuffer && kind !== Kind.sharedarraybuffer) {
      this.fail(`a view's buffer is node ${at}, a ${KIND_NAMES[kind] ?? kind}`, i);
    }
    return this.values[at] as ArrayBufferLike;
  }

  /** Big-endian hosts: file order (little-endian) → host order, by the rule in byteorder.ts. */
  private swapBuffers(): void {
    const views = new Map<number, BufferViews>();
    const r = this.r;
    for (let i = 0; i < this.scan.nodeCount; i++) {
      if (this.scan.kinds[i] !== Kind.typedarray) continue;
      r.pos = this.scan.headers[i]!;
      this.value();
      const type = r.u8();
      const buffer = this.refIndex();
      const byteOffset = r.varint();
      const length = r.varint();
      let list = views.get(buffer);
      if (list === undefined) views.set(buffer, (list = []));
      list.push({ type, byteOffset, length });
    }
    for (const [buffer, list] of views) swapViews(new Uint8Array(this.values[buffer] as ArrayBuffer), list);
  }

  // ── pass 3: fill ──────────────────────────────────────────────────────

  private fillNode(i: number): void {
    const kind = this.scan.kinds[i]!;
    if (kind === Kind.builtin || kind === Kind.symbol || kind === Kind.registeredSymbol || kind === Kind.wellKnownSymbol) return;
    const target = this.values[i] as object;
    try {
      if (this.lateProto[i] === 1) {
        this.r.pos = this.scan.headers[i]!;
        this.lateProto[i] = 0;
        Object.setPrototypeOf(target, this.proto(i));
      }
      this.r.pos = this.scan.bodies[i]!;
      switch (kind) {
        case Kind.object:
          return this.props(target, i, true);
        case Kind.array:
          return this.array(target as unknown[], i);
        case Kind.map: {
          const r = this.r;
          for (let n = r.varint(); n > 0; n--) intrinsic.mapSet.call(target as Map<unknown, unknown>, this.value(), this.value());
          return this.props(target, i, false);
        }
        case Kind.set: {
          for (let n = this.r.varint(); n > 0; n--) intrinsic.setAdd.call(target as Set<unknown>, this.value());
          return this.props(target, i, false);
        }
        default:
          return this.props(target, i, false);
      }
    } catch (error) {
      if (error instanceof RestoreError) throw error;
      this.fail(`cannot rebuild this ${KIND_NAMES[kind]}: ${(error as Error)?.message ?? String(error)}`, i);
    }
  }

  private array(array: unknown[], i: number): void {
    const r = this.r;
    const length = r.varint();
    const dense = r.varint();
    const assign = !this.rules.of(Object.getPrototypeOf(array)).indexesUnsafe;
    for (let e = 0; e < dense; e++) {
      const element = this.value();
      if (element === HOLE) continue;
      if (assign) array[e] = element;
      else Object.defineProperty(array, e, { value: element, writable: true, enumerable: true, configurable: true });
    }
    if (array.length !== length) array.length = length;
    this.props(array, i, false);
  }

  private props(target: object, i: number, assign: boolean): void {
    if (this.scan.version >= 2) this.shapedProps(target, i, assign);
    else this.propsV1(target, i, assign);
  }

  /** v2: the shape with this number, or the one defined here. */
  private shape(i: number): ReadShape {
    const r = this.r;
    const n = r.varint();
    if (n !== Shape.inline) return this.shapes[n]!;
    const count = r.varint();
    const keys: (string | symbol)[] = [];
    const flags: number[] = [];
    let plain = true;
    for (let p = 0; p < count; p++) {
      const flag = r.u8();
      const key = this.value();
      if (typeof key !== 'string' && typeof key !== 'symbol') this.fail(`property key is a ${typeof key}`, i);
      keys.push(key);
      flags.push(flag);
      if (flag !== PLAIN_PROPERTY || typeof key !== 'string') plain = false;
    }
    const shape: ReadShape = { keys, flags, plain, checkedProto: undefined, assignable: false };
    this.shapes.push(shape);
    return shape;
  }

  /**
   * v2: integrity, shape, the values. A plain shape whose keys no prototype
   * intercepts is filled by assignment (fast, V8 shares the hidden class);
   * everything else goes through Object.defineProperty.
   */
  private shapedProps(target: object, i: number, assign: boolean): void {
    const r = this.r;
    const byte = r.u8();
    const integrity = byte & INTEGRITY_MASK;
    if (byte & CONSTRUCT_FROM) r.varint();
    const shape = this.shape(i);
    const keys = shape.keys;
    const count = keys.length;
    if (count > 0) {
      let fast = false;
      if (assign && shape.plain) {
        const proto = getPrototypeOf(target) as object | null;
        if (shape.checkedProto !== proto) {
          const unsafe = this.rules.of(proto).unsafe;
          shape.assignable = keys.every((key) => !unsafe.has(key as string));
          shape.checkedProto = proto;
        }
        fast = shape.assignable;
      }
      if (fast) {
        for (let p = 0; p < count; p++) {
          const value = this.value();
          if (value === HOLE) this.fail(`property ${String(keys[p])} holds an array hole`, i);
          (target as Record<string, unknown>)[keys[p] as string] = value;
        }
      } else {
        this.defineAll(target, i, shape, assign);
      }
    }
    // Given back once every node is filled: the state's own nodes may come later.
    if (byte & HAS_HIDDEN) this.hidden.push(target, this.value());
    this.integrity(target, integrity);
  }

  private defineAll(target: object, i: number, shape: ReadShape, assign: boolean): void {
    const { keys, flags } = shape;
    const unsafe = assign ? this.rules.of(getPrototypeOf(target) as object | null).unsafe : undefined;
    for (let p = 0; p < keys.length; p++) {
      const key = keys[p]!;
      const flag = flags[p]!;
      if (flag & Flag.accessor) {
        this.accessor(target, i, key, flag);
        continue;
      }
      const value = this.value();
      if (value === HOLE) this.fail(`property ${String(key)} holds an array hole`, i);
      if (flag === PLAIN_PROPERTY && unsafe !== undefined && typeof key === 'string' && !unsafe.has(key)) {
        (target as Record<string, unknown>)[key] = value;
      } else {
        // (a read-only property whose value is still to be replaced is made read-only by the caller, later)
        const later = (flag & (Flag.writable | Flag.configurable)) !== (Flag.writable | Flag.configurable) && this.ctx.lockLater?.(target, key, value, flag) === true;
        defineProperty(target, key, {
          value,
          writable: later || (flag & Flag.writable) !== 0,
          enumerable: (flag & Flag.enumerable) !== 0,
          configurable: later || (flag & Flag.configurable) !== 0,
        });
      }
    }
  }

  /** Reads a getter and a setter and defines the accessor. */
  private accessor(target: object, i: number, key: string | symbol, flags: number): void {
    const get = this.value();
    const set = this.value();
    if ((get !== undefined && typeof get !== 'function') || (set !== undefined && typeof set !== 'function')) {
      this.fail(`accessor ${String(key)} has a getter or setter that is not a function`, i);
    }
    defineProperty(target, key, {
      get: get as (() => unknown) | undefined,
      set: set as ((v: unknown) => void) | undefined,
      enumerable: (flags & Flag.enumerable) !== 0,
      configurable: (flags & Flag.configurable) !== 0,
    });
  }

  private integrity(target: object, integrity: number): void {
    if (integrity === Integrity.extensible) return;
    if (this.ctx.integrity !== undefined) this.ctx.integrity(target, integrity);
    else applyIntegrity(target, integrity);
  }

  /** v2: the WeakMap/WeakSet entries after the last node. */
  private ephemerons(): void {
    const r = this.r;
    r.pos = this.scan.trailer;
    for (let n = r.varint(); n > 0; n--) {
      const node = r.varint();
      const collection = this.values[node];
      const key = this.value();
      const isMap = this.scan.kinds[node] === Kind.weakmap;
      const value = isMap ? this.value() : undefined;
      try {
        if (isMap) Reflect.apply(intrinsic.weakMapSet, collection, [key, value]);
        else Reflect.apply(intrinsic.weakSetAdd, collection, [key]);
      } catch (error) {
        this.fail(`cannot add an entry to this weak collection: ${(error as Error).message}`, node);
      }
      this.ctx.weakEdge?.(collection as object, key, value);
    }
  }

  /**
   * v1: integrity, count, then properties. With `assign`, plain properties whose
   * key no prototype intercepts are assigned (fast); everything else goes
   * through Object.defineProperty.
   */
  private propsV1(target: object, i: number, assign: boolean): void {
    const r = this.r;
    const integrity = r.u8();
    const count = r.varint();
    const unsafe = assign ? this.rules.of(Object.getPrototypeOf(target)).unsafe : undefined;
    // usually only `__proto__` is intercepted: compare instead of a Set lookup
    const onlyProto = unsafe !== undefined && unsafe.size === 1;
    for (let p = 0; p < count; p++) {
      const flags = r.u8();
      const key = this.value();
      if (typeof key !== 'string' && typeof key !== 'symbol') this.fail(`property key is a ${typeof key}`, i);
      if (flags & Flag.accessor) {
        const get = this.value();
        const set = this.value();
        if ((get !== undefined && typeof get !== 'function') || (set !== undefined && typeof set !== 'function')) {
          this.fail(`accessor ${String(key)} has a getter or setter that is not a function`, i);
        }
        Object.defineProperty(target, key, {
          get: get as (() => unknown) | undefined,
          set: set as ((v: unknown) => void) | undefined,
          enumerable: (flags & Flag.enumerable) !== 0,
          configurable: (flags & Flag.configurable) !== 0,
        });
        continue;
      }
      const value = this.value();
      if (value === HOLE) this.fail(`property ${String(key)} holds an array hole`, i);
      if (flags === PLAIN_PROPERTY && unsafe !== undefined && typeof key === 'string' && (onlyProto ? key !== '__proto__' : !unsafe.has(key))) {
        (target as Record<string, unknown>)[key] = value;
      } else {
        Object.defineProperty(target, key, {
          value,
          writable: (flags & Flag.writable) !== 0,
          enumerable: (flags & Flag.enumerable) !== 0,
          configurable: (flags & Flag.configurable) !== 0,
        });
      }
    }
    this.integrity(target, integrity);
  }
}

/** Gives a data property the attributes `flags` saved for it (HeapContext.lockLater), keeping its value. */
export function lockProperty(target: object, key: string | symbol, flags: number): void {
  const d = Object.getOwnPropertyDescriptor(target, key);
  if (d === undefined || !('value' in d)) return;
  defineProperty(target, key, { value: d.value, writable: (flags & Flag.writable) !== 0, enumerable: (flags & Flag.enumerable) !== 0, configurable: (flags & Flag.configurable) !== 0 });
}

/** Makes `target` non-extensible, sealed or frozen (an Integrity level of the stream). */
export function applyIntegrity(target: object, integrity: number): void {
  if (integrity === Integrity.preventExtensions) Object.preventExtensions(target);
  else if (integrity === Integrity.sealed) Object.seal(target);
  else if (integrity === Integrity.frozen) Object.freeze(target);
}
