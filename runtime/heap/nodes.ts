// The node representation, readable: one tagged union with named fields,
// decoded from a HeapImage without building any live value (no program, no
// function table needed). Takes an untrusted image (validated by scan.ts
// first); guarantees one HeapNode per node index. The writer and reader work
// on the byte stream directly for speed; this view is for `inspect`, tests
// and anyone reading docs/FORMAT.md — it mirrors the stream field for field.
//
//   { kind: 'object', proto: { ref: 3 }, integrity: 'extensible',
//     props: [{ key: 'x', value: 1, writable: true, enumerable: true, configurable: true }] }

import { flatImage, type HeapImage } from './image.js';
import { CONSTRUCT_FROM, Flag, HAS_HIDDEN, INTEGRITY_MASK, INTEGRITY_NAMES, Kind, KIND_NAMES, Shape, Tag, TYPED_ARRAY_NAMES } from './layout.js';
import { scanHeap } from './scan.js';
import { ByteReader, unzigzag } from './stream.js';

export interface Ref {
  ref: number;
}
export interface Hole {
  hole: true;
}
/** A value as written: primitives as themselves, objects/functions/symbols as references. */
export type NodeValue = undefined | null | boolean | number | string | bigint | Ref | Hole;

export interface NodeProperty {
  key: string | Ref;
  enumerable: boolean;
  configurable: boolean;
  /** data properties */
  writable?: boolean;
  value?: NodeValue;
  /** accessor properties */
  get?: NodeValue;
  set?: NodeValue;
}

export type Integrity = (typeof INTEGRITY_NAMES)[number];

interface WithProps {
  integrity: Integrity;
  props: NodeProperty[];
  /** Hidden state (private #fields) saved with the object. */
  hidden?: NodeValue;
}
interface Ordinary extends WithProps {
  proto: NodeValue;
}

export type HeapNode =
  | ({ kind: 'object' | 'error' } & Ordinary)
  | ({ kind: 'weakmap'; entries: [NodeValue, NodeValue][] } & Ordinary)
  | ({ kind: 'weakset'; members: NodeValue[] } & Ordinary)
  | ({ kind: 'weakref'; target: NodeValue } & Ordinary)
  | ({ kind: 'bound'; target: NodeValue; thisArg: NodeValue; args: NodeValue[] } & WithProps)
  | ({ kind: 'array'; length: number; elements: NodeValue[] } & Ordinary)
  | ({ kind: 'map'; entries: [NodeValue, NodeValue][] } & Ordinary)
  | ({ kind: 'set'; members: NodeValue[] } & Ordinary)
  | ({ kind: 'date'; time: number } & Ordinary)
  | ({ kind: 'regexp'; source: string; flags: string } & Ordinary)
  | ({ kind: 'boxed'; primitive: NodeValue } & Ordinary)
  | ({ kind: 'arraybuffer' | 'sharedarraybuffer'; blobOffset: number; byteLength: number; maxByteLength: number | undefined } & Ordinary)
  | ({ kind: 'typedarray'; type: string; buffer: NodeValue; byteOffset: number; length: number } & Ordinary)
  | ({ kind: 'dataview'; buffer: NodeValue; byteOffset: number; byteLength: number } & Ordinary)
  | ({ kind: 'staticFunction'; id: string } & WithProps)
  | ({ kind: 'closure'; factory: string; envs: NodeValue[] } & WithProps)
  | ({ kind: 'prototypeOf'; fn: NodeValue } & WithProps)
  | { kind: 'builtin'; path: string }
  | { kind: 'symbol'; description: string | undefined }
  | { kind: 'registeredSymbol'; key: string }
  | { kind: 'wellKnownSymbol'; name: string };

export interface DecodedHeap {
  root: NodeValue;
  nodes: HeapNode[];
  /** bytes each node takes in the node stream */
  sizes: number[];
}

export function isRef(value: NodeValue): value is Ref {
  return typeof value === 'object' && value !== null && 'ref' in value;
}

export function decodeNodes(saved: HeapImage): DecodedHeap {
  const image = flatImage(saved);
  const scan = scanHeap(image);
  const r = new ByteReader(image.nodes, scan.root);
  const strings = image.strings;
  const value = (): NodeValue => {
    const tag = r.u8();
    switch (tag) {
      case Tag.undefined: return undefined;
      case Tag.null: return null;
      case Tag.false: return false;
      case Tag.true: return true;
      case Tag.int: return unzigzag(r.varint());
      case Tag.float: return r.f64();
      case Tag.string: return strings[r.varint()]!;
      case Tag.ref: return { ref: r.varint() };
      case Tag.bigint: return BigInt(strings[r.varint()]!);
      default: return { hole: true };
    }
  };
  const string = () => strings[r.varint()]!;
  const list = (n: number): NodeValue[] => {
    const out: NodeValue[] = [];
    for (let e = 0; e < n; e++) out.push(value());
    return out;
  };
  /** v2 shapes: [flags, key] of each property */
  const shapes: [number, string | Ref][][] = [[], []];
  const shapedProps = (): WithProps => {
    const byte = r.u8();
    const integrity = INTEGRITY_NAMES[byte & INTEGRITY_MASK]!;
    if (byte & CONSTRUCT_FROM) r.varint();
    const n = r.varint();
    let shape: [number, string | Ref][];
    if (n === Shape.inline) {
      shape = [];
      for (let count = r.varint(); count > 0; count--) {
        const flags = r.u8();
        shape.push([flags, value() as string | Ref]);
      }
      shapes.push(shape);
    } else {
      shape = shapes[n]!;
    }
    const props: NodeProperty[] = shape.map(([flags, key]) => {
      const enumerable = (flags & Flag.enumerable) !== 0;
      const configurable = (flags & Flag.configurable) !== 0;
      if (flags & Flag.accessor) return { key, enumerable, configurable, get: value(), set: value() };
      return { key, enumerable, configurable, writable: (flags & Flag.writable) !== 0, value: value() };
    });
    if (byte & HAS_HIDDEN) return { integrity, props, hidden: value() };
    return { integrity, props };
  };
  const withProps = (): WithProps => {
    if (scan.version >= 2) return shapedProps();
    const integrity = INTEGRITY_NAMES[r.u8()]!;
    const props: NodeProperty[] = [];
    for (let n = r.varint(); n > 0; n--) {
      const flags = r.u8();
      const key = value() as string | Ref;
      const enumerable = (flags & Flag.enumerable) !== 0;
      const configurable = (flags & Flag.configurable) !== 0;
      if (flags & Flag.accessor) props.push({ key, enumerable, configurable, get: value(), set: value() });
      else props.push({ key, enumerable, configurable, writable: (flags & Flag.writable) !== 0, value: value() });
    }
    return { integrity, props };
  };

  const root = value();
  const nodes: HeapNode[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < scan.nodeCount; i++) {
    const start = scan.headers[i]! - 1;
    r.pos = scan.headers[i]!;
    const kind = scan.kinds[i]!;
    const name = KIND_NAMES[kind]!;
    let node: HeapNode;
    switch (kind) {
      case Kind.builtin: node = { kind: 'builtin', path: string() }; break;
      case Kind.symbol: node = { kind: 'symbol', description: value() as string | undefined }; break;
      case Kind.registeredSymbol: node = { kind: 'registeredSymbol', key: string() }; break;
      case Kind.wellKnownSymbol: node = { kind: 'wellKnownSymbol', name: string() }; break;
      case Kind.staticFunction: { const id = string(); node = { kind: 'staticFunction', id, ...withProps() }; break; }
      case Kind.closure: {
        const factory = string();
        const envs = list(r.varint());
        node = { kind: 'closure', factory, envs, ...withProps() };
        break;
      }
      case Kind.prototypeOf: { const fn = value(); node = { kind: 'prototypeOf', fn, ...withProps() }; break; }
      case Kind.bound: {
        const target = value();
        const thisArg = value();
        const args = list(r.varint());
        node = { kind: 'bound', target, thisArg, args, ...withProps() };
        break;
      }
      default: {
        const proto = value();
        switch (kind) {
          case Kind.array: {
            const length = r.varint();
            const elements = list(r.varint());
            node = { kind: 'array', proto, length, elements, ...withProps() };
            break;
          }
          case Kind.map: {
            const entries: [NodeValue, NodeValue][] = [];
            for (let n = r.varint(); n > 0; n--) entries.push([value(), value()]);
            node = { kind: 'map', proto, entries, ...withProps() };
            break;
          }
          case Kind.set: { const members = list(r.varint()); node = { kind: 'set', proto, members, ...withProps() }; break; }
          case Kind.date: { const time = r.f64(); node = { kind: 'date', proto, time, ...withProps() }; break; }
          case Kind.regexp: {
            const source = string();
            const flags = string();
            node = { kind: 'regexp', proto, source, flags, ...withProps() };
            break;
          }
          case Kind.boxed: { const primitive = value(); node = { kind: 'boxed', proto, primitive, ...withProps() }; break; }
          case Kind.arraybuffer:
          case Kind.sharedarraybuffer: {
            const blobOffset = r.varint();
            const byteLength = r.varint();
            const max = r.varint();
            node = { kind: name as 'arraybuffer', proto, blobOffset, byteLength, maxByteLength: max === 0 ? undefined : max - 1, ...withProps() };
            break;
          }
          case Kind.typedarray: {
            const type = TYPED_ARRAY_NAMES[r.u8()]!;
            const buffer = value();
            const byteOffset = r.varint();
            const length = r.varint();
            node = { kind: 'typedarray', proto, type, buffer, byteOffset, length, ...withProps() };
            break;
          }
          case Kind.dataview: {
            const buffer = value();
            const byteOffset = r.varint();
            const byteLength = r.varint();
            node = { kind: 'dataview', proto, buffer, byteOffset, byteLength, ...withProps() };
            break;
          }
          case Kind.weakref: { const target = value(); node = { kind: 'weakref', proto, target, ...withProps() }; break; }
          case Kind.weakmap: node = { kind: 'weakmap', proto, entries: [], ...withProps() }; break;
          case Kind.weakset: node = { kind: 'weakset', proto, members: [], ...withProps() }; break;
          default:
            node = { kind: name as 'object', proto, ...withProps() };
        }
      }
    }
    nodes.push(node);
    sizes.push(r.pos - start);
  }
  if (scan.trailer >= 0) {
    r.pos = scan.trailer;
    for (let n = r.varint(); n > 0; n--) {
      const node = nodes[r.varint()]!;
      const key = value();
      if (node.kind === 'weakmap') node.entries.push([key, value()]);
      else if (node.kind === 'weakset') node.members.push(key);
    }
  }
  return { root, nodes, sizes };
}
