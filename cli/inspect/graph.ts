// Safe reading of a decoded heap graph (runtime/heap/nodes.ts) for inspect.
// Takes the nodes of an untrusted file; every accessor returns undefined
// instead of throwing when the graph does not have the expected shape, and
// nothing here rebuilds a live value or calls program code.

import { isRef, type HeapNode, type NodeValue } from '../../runtime/heap/nodes.js';

export type { HeapNode, NodeValue };

export class Graph {
  constructor(readonly nodes: readonly HeapNode[]) {}

  /** The node a value refers to, if it is a reference to an existing node. */
  node(value: NodeValue | undefined): HeapNode | undefined {
    return value !== undefined && isRef(value) ? this.nodes[value.ref] : undefined;
  }

  /** An own data property of an object-like node. */
  prop(value: NodeValue | undefined, key: string): NodeValue | undefined {
    const node = this.node(value);
    if (node === undefined || !('props' in node)) return undefined;
    return node.props.find((p) => p.key === key)?.value;
  }

  /** The elements of an array node (holes stay holes), or undefined. */
  elements(value: NodeValue | undefined): NodeValue[] | undefined {
    const node = this.node(value);
    return node?.kind === 'array' ? node.elements : undefined;
  }

  /** Is this value a plain object (its prototype is Object.prototype)? */
  isPlainObject(value: NodeValue | undefined): boolean {
    const node = this.node(value);
    if (node?.kind !== 'object') return false;
    const proto = this.node(node.proto);
    return proto?.kind === 'builtin' && proto.path === 'Object.prototype';
  }

  /** Own enumerable data properties with string keys, in order. */
  entries(value: NodeValue | undefined): [string, NodeValue][] {
    const node = this.node(value);
    if (node === undefined || !('props' in node)) return [];
    const out: [string, NodeValue][] = [];
    for (const p of node.props) if (typeof p.key === 'string' && p.enumerable && 'value' in p) out.push([p.key, p.value]);
    return out;
  }

  /** The function-table id a function value stands for (static id or closure factory id). */
  functionId(value: NodeValue | undefined): string | undefined {
    const node = this.node(value);
    if (node?.kind === 'staticFunction') return node.id;
    if (node?.kind === 'closure') return node.factory;
    if (node?.kind === 'builtin') return node.path;
    return undefined;
  }
}

export function asNumber(value: NodeValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
