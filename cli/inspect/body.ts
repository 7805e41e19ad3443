// `introspect inspect`'s body summary: every frame of the captured stack
// (innermost first) with its function, original TypeScript file:line and
// locals, each module's saved state, what the program changed in the global
// environment, and the heap summarised by type.
// Takes the checkpoint (bytes + decoded header); verifies the integrity hash
// and decodes the heap image into inert nodes (runtime/heap/nodes.ts) —
// never the program, never a live value, never code from the file. A file
// whose body is damaged is refused with CheckpointError (exit 3).

import { decodeCheckpoint, describeHeap, FormatError, type HeapDescription } from '../../runtime/format/index.js';
import { RestoreError } from '../../runtime/heap/index.js';
import { isRef } from '../../runtime/heap/nodes.js';
import type { CheckpointFile } from '../checkpoint-file.js';
import { CheckpointError } from '../errors.js';
import { readFunctionTable } from './function-table.js';
import { asNumber, Graph, type NodeValue } from './graph.js';
import { heapLines, summarizeHeap, type HeapSummary } from './heap-summary.js';
import { readStack, type FrameView } from './stack.js';

export interface BodySection {
  title: string;
  lines: string[];
}

export interface BodySummary {
  sections: BodySection[];
  /** What --json prints under "body". */
  data: BodyData;
}

export interface BodyData {
  /** Suspension points the program had reached when the checkpoint was taken. */
  points: number | undefined;
  /** Frames, innermost first (`order` says so for tools). */
  order: 'innermost-first';
  frames: FrameView[] | null;
  modules: { id: string; state: string[] }[];
  /** The program's changes to globalThis and the built-ins: `Math.random`, and what it is now. */
  globals: { name: string; now: string }[];
  heap: HeapSummary;
}

/** The text view shows this many innermost and outermost frames of a deeper stack. */
const SHOW_INNER = 30;
const SHOW_OUTER = 5;

export function describeBody(checkpoint: CheckpointFile): BodySummary {
  const heap = decodeHeap(checkpoint);
  const root = rootOf(heap);
  const frames = readStack(root, heap, readFunctionTable(checkpoint.header.functions)) ?? null;
  const modules = readModules(root, heap);
  const summary = summarizeHeap(heap);
  const points = asNumber(new Graph(heap.nodes).prop(root, 'points'));
  const globals = readGlobals(root, heap);
  const data: BodyData = { points, order: 'innermost-first', frames, modules, globals, heap: summary };
  return {
    sections: [
      { title: frames === null ? 'stack: not found in this checkpoint' : `stack (${frames.length} frame${frames.length === 1 ? '' : 's'}, innermost first)`, lines: frames === null ? [] : stackLines(frames) },
      { title: 'module state (top-level variables in declaration order; their names are not recorded)', lines: modules.map((m) => `${m.id}: ${m.state.length === 0 ? '(none)' : m.state.join(', ')}`) },
      ...(globals.length === 0 ? [] : [{ title: 'global changes (made again on restart)', lines: globals.map((g) => `${g.name} ${g.now}`) }]),
      { title: 'heap by type', lines: heapLines(summary) },
    ],
    data,
  };
}

function decodeHeap(checkpoint: CheckpointFile): HeapDescription {
  try {
    return describeHeap(decodeCheckpoint(checkpoint.source).heap);
  } catch (error) {
    if (error instanceof FormatError) throw new CheckpointError(`${checkpoint.path} is not a usable checkpoint: ${error.message}`, error.code, [], { cause: error });
    if (error instanceof RestoreError) throw new CheckpointError(`${checkpoint.path} is not a usable checkpoint: its heap is malformed: ${error.message}`, 'corrupted', [], { cause: error });
    throw error;
  }
}

/** The root object: nodes are numbered breadth-first from the root, so it is node 0 (docs/FORMAT.md). */
function rootOf(description: HeapDescription): NodeValue {
  const first = description.nodes[0];
  return first !== undefined && first.kind === 'object' ? { ref: 0 } : undefined;
}

/** A value's one-line preview, clipped. */
function renderer(description: HeapDescription): (value: NodeValue) => string {
  return (value) => clip(isRef(value) ? description.render(value.ref) : description.renderValue(value));
}

function readModules(root: NodeValue, description: HeapDescription): { id: string; state: string[] }[] {
  const graph = new Graph(description.nodes);
  const render = renderer(description);
  return (graph.elements(graph.prop(root, 'modules')) ?? []).map((record) => {
    const id = graph.prop(record, 'id');
    return { id: typeof id === 'string' ? id : '?', state: (graph.elements(graph.prop(record, 'state')) ?? []).map(render) };
  });
}

/** root.globals: [object, key, descriptor | null] or [object, lock] (runtime/global-changes.ts). */
function readGlobals(root: NodeValue, description: HeapDescription): { name: string; now: string }[] {
  const graph = new Graph(description.nodes);
  const render = renderer(description);
  return (graph.elements(graph.prop(root, 'globals')) ?? []).map((entry) => {
    const [target, key, descriptor] = graph.elements(entry) ?? [];
    const holder = graph.node(target);
    const base = holder?.kind === 'builtin' ? holder.path : '?';
    // (the words of runtime/global-changes.ts's LOCKED; not imported: loading it would wrap Function.prototype.bind in this command)
    if (descriptor === undefined) return { name: base, now: `(${key === 'freeze' ? 'frozen' : key === 'seal' ? 'sealed' : 'made non-extensible'})` };
    const name = typeof key === 'string' ? `${base}.${key}` : `${base}[${render(key)}]`;
    if (descriptor === null) return { name, now: '(deleted)' };
    const value = graph.prop(descriptor, 'value');
    const has = (k: string) => (graph.node(descriptor) as { props?: { key: unknown }[] } | undefined)?.props?.some((p) => p.key === k) === true;
    if (has('value')) return { name, now: `= ${render(graph.prop(descriptor, 'value'))}` };
    const accessors = ['get', 'set'].filter((k) => graph.prop(descriptor, k) !== undefined);
    if (has('get') || has('set')) return { name, now: `(${accessors.join('/') || 'accessor'})` };
    const attributes = ['writable', 'enumerable', 'configurable'].filter(has).map((k) => `${graph.prop(descriptor, k) === true ? '' : 'not '}${k}`);
    return { name, now: `(now ${attributes.join(', ')})` };
  });
}

function stackLines(frames: FrameView[]): string[] {
  const lines: string[] = [];
  const show = (frame: FrameView) => {
    if (frame.builtin !== undefined) {
      lines.push(`at ${frame.builtin} (run by introspect)`);
      return;
    }
    const where = `${frame.file}:${frame.line ?? '?'}`;
    const path = frame.name === '<module body>' || !frame.id.includes('#') ? frame.name : frame.id.slice(frame.id.indexOf('#') + 1);
    lines.push(`at ${path} (${where})${frame.pc === 1 ? ' on entry' : ''}`);
    if (frame.self !== undefined) lines.push(`    this = ${frame.self}`);
    for (const local of frame.locals) {
      if (local.generated) continue;
      const note = local.captured ? '  (captured)' : local.outer ? '  (from the enclosing function)' : local.slot !== undefined ? `  (another binding named ${local.name})` : '';
      lines.push(`    ${local.name} = ${local.value}${note}`);
    }
  };
  if (frames.length <= SHOW_INNER + SHOW_OUTER) frames.forEach(show);
  else {
    frames.slice(0, SHOW_INNER).forEach(show);
    lines.push(`… ${frames.length - SHOW_INNER - SHOW_OUTER} more frames (all of them with --json) …`);
    frames.slice(-SHOW_OUTER).forEach(show);
  }
  return lines;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
