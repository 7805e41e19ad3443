// A raw, program-independent view of a heap image for `introspect inspect`:
// counts and bytes by type, and a short human rendering of any node
// (`Point {x: 1, y: 2}`, `Array(3) [1, 2, 3]`, `fn main.ts#fib`). Takes an
// untrusted image; guarantees it never rebuilds a value, never needs the
// program or its function table, and never runs code from the file.

import type { HeapImage } from '../heap/image.js';
import { bytesLength } from './bytes.js';
import { decodeNodes, isRef, type HeapNode, type NodeProperty, type NodeValue } from '../heap/nodes.js';

export interface KindTotal {
  count: number;
  /** bytes in the file: node stream bytes, plus blob bytes for buffers */
  bytes: number;
}

export interface HeapDescription {
  nodeCount: number;
  /** by display type: "object", "Point", "Array", "Map", "Float64Array", "function", "string", ... */
  byType: Record<string, KindTotal>;
  strings: { count: number; chars: number };
  blobBytes: number;
  streamBytes: number;
  nodes: HeapNode[];
  /** The root, rendered. */
  root: string;
  /** Node `index`, rendered in one short line. */
  render(index: number): string;
  /** A value as stored (primitive or reference), rendered. */
  renderValue(value: NodeValue): string;
}

const MAX_ITEMS = 4;
const MAX_TEXT = 40;

export function describeHeap(image: HeapImage): HeapDescription {
  const { root, nodes, sizes } = decodeNodes(image);
  const byType: Record<string, KindTotal> = Object.create(null) as Record<string, KindTotal>;
  const add = (type: string, bytes: number) => {
    const total = (byType[type] ??= { count: 0, bytes: 0 });
    total.count++;
    total.bytes += bytes;
  };

  const nameOfFunction = (node: HeapNode | undefined): string | undefined => {
    if (node === undefined) return undefined;
    if (node.kind === 'staticFunction') return shortName(node.id);
    if (node.kind === 'closure') return shortName(node.factory);
    if (node.kind === 'builtin') return node.path.split('.').pop();
    return undefined;
  };
  /** The class name an object's prototype stands for, or undefined for a plain object. */
  const className = (proto: NodeValue): string | undefined => {
    if (proto === null) return '[Object: null prototype]';
    if (!isRef(proto)) return undefined;
    const p = nodes[proto.ref];
    if (p === undefined) return undefined;
    if (p.kind === 'prototypeOf') return isRef(p.fn) ? nameOfFunction(nodes[p.fn.ref]) : undefined;
    if (p.kind === 'builtin') {
      if (p.path === 'Object.prototype') return undefined;
      return p.path.endsWith('.prototype') ? p.path.slice(0, -'.prototype'.length) : p.path;
    }
    return undefined;
  };
  const typeOf = (node: HeapNode): string => {
    switch (node.kind) {
      case 'object': return className(node.proto) ?? 'object';
      case 'array': return 'Array';
      case 'typedarray': return node.type;
      case 'staticFunction':
      case 'closure':
      case 'bound':
      case 'builtin': return node.kind === 'builtin' ? 'built-in' : 'function';
      case 'prototypeOf': return 'prototype';
      case 'registeredSymbol':
      case 'wellKnownSymbol': return 'symbol';
      default: return DISPLAY[node.kind] ?? node.kind;
    }
  };

  nodes.forEach((node, i) => {
    const blob = node.kind === 'arraybuffer' || node.kind === 'sharedarraybuffer' ? node.byteLength : 0;
    add(typeOf(node), sizes[i]! + blob);
  });
  let chars = 0;
  let utf8 = 0;
  for (const s of image.strings) {
    chars += s.length;
    utf8 += utf8Length(s);
  }
  byType.string = { count: image.strings.length, bytes: utf8 };

  const renderValue = (value: NodeValue): string => {
    if (isRef(value)) return brief(value.ref);
    if (typeof value === 'object' && value !== null) return '<hole>';
    return literal(value);
  };
  /** A node in a few characters, for use inside another rendering. */
  const brief = (index: number): string => {
    const node = nodes[index];
    if (node === undefined) return `#${index}`;
    switch (node.kind) {
      case 'object': return `${className(node.proto) ?? ''} {…}`.trimStart();
      case 'array': return `Array(${node.length})`;
      default: return render(index);
    }
  };
  const props = (list: NodeProperty[]): string[] =>
    list.filter((p) => p.enumerable).map((p) => `${typeof p.key === 'string' ? keyText(p.key) : `[${brief(p.key.ref)}]`}: ${p.get !== undefined || p.set !== undefined ? '[accessor]' : renderValue(p.value)}`);
  const items = (parts: string[]): string => (parts.length > MAX_ITEMS ? [...parts.slice(0, MAX_ITEMS), '…'] : parts).join(', ');

  const render = (index: number): string => {
    const node = nodes[index];
    if (node === undefined) return `#${index} (no such node)`;
    switch (node.kind) {
      case 'object': {
        const name = className(node.proto);
        return `${name === undefined ? '' : `${name} `}{${items(props(node.props))}}`;
      }
      case 'array': return `Array(${node.length}) [${items(node.elements.map(renderValue))}]`;
      case 'map': return `Map(${node.entries.length}) {${items(node.entries.map(([k, v]) => `${renderValue(k)} => ${renderValue(v)}`))}}`;
      case 'set': return `Set(${node.members.length}) {${items(node.members.map(renderValue))}}`;
      case 'weakmap': return `WeakMap(${node.entries.length}) {${items(node.entries.map(([k, v]) => `${renderValue(k)} => ${renderValue(v)}`))}}`;
      case 'weakset': return `WeakSet(${node.members.length}) {${items(node.members.map(renderValue))}}`;
      case 'weakref': return `WeakRef → ${node.target === undefined ? '(cleared)' : renderValue(node.target)}`;
      case 'bound': return `bound ${renderValue(node.target)}`;
      case 'date': return Number.isNaN(node.time) ? 'Date Invalid' : `Date ${new Date(node.time).toISOString()}`;
      case 'regexp': return `/${clip(node.source)}/${node.flags}`;
      case 'error': {
        const message = node.props.find((p) => p.key === 'message')?.value;
        return `${className(node.proto) ?? 'Error'}: ${typeof message === 'string' ? clip(message) : ''}`;
      }
      case 'boxed': return `[${className(node.proto) ?? 'boxed'}: ${renderValue(node.primitive)}]`;
      case 'arraybuffer': return `ArrayBuffer(${node.byteLength})`;
      case 'sharedarraybuffer': return `SharedArrayBuffer(${node.byteLength})`;
      case 'typedarray': return `${node.type}(${node.length})`;
      case 'dataview': return `DataView(${node.byteLength})`;
      case 'staticFunction': return `fn ${node.id}`;
      case 'closure': return `closure ${node.factory} (${node.envs.length} env${node.envs.length === 1 ? '' : 's'})`;
      case 'builtin': return node.path;
      case 'prototypeOf': return `${(isRef(node.fn) ? nameOfFunction(nodes[node.fn.ref]) : undefined) ?? '?'}.prototype`;
      case 'symbol': return `Symbol(${node.description ?? ''})`;
      case 'registeredSymbol': return `Symbol.for(${JSON.stringify(clip(node.key))})`;
      case 'wellKnownSymbol': return `Symbol.${node.name}`;
    }
  };

  return {
    nodeCount: nodes.length,
    byType,
    strings: { count: image.strings.length, chars },
    blobBytes: bytesLength(image.blob),
    streamBytes: image.nodes.length,
    nodes,
    root: renderValue(root),
    render,
    renderValue,
  };
}

const DISPLAY: Partial<Record<HeapNode['kind'], string>> = {
  map: 'Map', set: 'Set', weakmap: 'WeakMap', weakset: 'WeakSet', weakref: 'WeakRef', date: 'Date', regexp: 'RegExp',
  error: 'Error', boxed: 'boxed primitive', arraybuffer: 'ArrayBuffer', sharedarraybuffer: 'SharedArrayBuffer',
  dataview: 'DataView', symbol: 'symbol',
};

function shortName(id: string): string {
  const cut = Math.max(id.lastIndexOf('#'), id.lastIndexOf('.'), id.lastIndexOf('/'));
  return cut >= 0 && cut < id.length - 1 ? id.slice(cut + 1) : id;
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

function keyText(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(clip(key));
}

function literal(value: Exclude<NodeValue, object> | null): string {
  switch (typeof value) {
    case 'string': return JSON.stringify(clip(value));
    case 'bigint': return `${value}n`;
    case 'number': return Object.is(value, -0) ? '-0' : String(value);
    default: return String(value);
  }
}

/** UTF-8 bytes of a string (lone surrogates count as the 3 bytes of U+FFFD). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
