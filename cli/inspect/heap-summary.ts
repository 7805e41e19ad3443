// The heap of a checkpoint summarised by type: how many nodes of each
// display type (a class name, "object", "Array", "Map", "string", …) and how
// many bytes they take in the file. Takes runtime/format's HeapDescription;
// gives rows sorted by bytes, largest first. The counts include the
// checkpoint's own records (the root, one object and one array per frame
// and per module), which are ordinary objects and arrays in the graph.

import type { HeapDescription } from '../../runtime/format/index.js';

export interface HeapTypeRow {
  type: string;
  count: number;
  bytes: number;
}

export interface HeapSummary {
  nodes: number;
  strings: { count: number; chars: number };
  /** Bytes of the node stream and of the buffer blob. */
  streamBytes: number;
  blobBytes: number;
  byType: HeapTypeRow[];
}

export function summarizeHeap(heap: HeapDescription): HeapSummary {
  const byType = Object.entries(heap.byType)
    .map(([type, total]) => ({ type, count: total.count, bytes: total.bytes }))
    .sort((a, b) => b.bytes - a.bytes || b.count - a.count || a.type.localeCompare(b.type));
  return { nodes: heap.nodeCount, strings: heap.strings, streamBytes: heap.streamBytes, blobBytes: heap.blobBytes, byType };
}

export function heapLines(summary: HeapSummary): string[] {
  const header = ['type', 'count', 'bytes'];
  const rows = summary.byType.map((r) => [r.type, r.count.toLocaleString('en-US'), r.bytes.toLocaleString('en-US')]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    `${summary.nodes.toLocaleString('en-US')} nodes, ${summary.strings.count.toLocaleString('en-US')} strings; node stream ${summary.streamBytes.toLocaleString('en-US')} bytes, buffer data ${summary.blobBytes.toLocaleString('en-US')} bytes`,
    line(header),
    ...rows.map(line),
  ];
}
