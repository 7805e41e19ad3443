// The captured call stack of a checkpoint, as data for people and tools.
// Takes the decoded heap (root = {modules, stack, body, points}, built by
// runtime/checkpoint.ts; each frame {fn, self, nt, pc, values} as in
// runtime/frames.ts) and the header's function table. Gives the frames
// innermost first, each with its function, the original file:line of its
// resume point and its locals by name with short previews. Never rebuilds a
// value: functions appear by their table id, objects by a rendering of
// their stored node.
//
// Names: the frame's values are named by the function table (parameters,
// then locals; local-names.ts says what each generated name stands for).
// The transformer's temporaries are marked `generated`; an environment
// object (holding the variables that inner functions capture) is opened,
// its variables listed as `captured`; a closure's own environments
// (variables of enclosing functions) are listed as `outer`.

import type { HeapDescription } from '../../runtime/format/index.js';
import type { FunctionInfo } from './function-table.js';
import { isRef } from '../../runtime/heap/nodes.js';
import { asNumber, Graph, type NodeValue } from './graph.js';
import { slotRole } from './local-names.js';

export interface LocalView {
  name: string;
  /** A short rendering of the value. */
  value: string;
  /** Held in an environment object because an inner function captures it. */
  captured?: true;
  /** A variable of an enclosing function, reached through the closure. */
  outer?: true;
  /** A temporary the transformer made. */
  generated?: true;
  /** The frame slot's own name, when it differs from `name` (a renamed binding). */
  slot?: string;
}

export interface FrameView {
  /** 0 = innermost (where the checkpoint was taken). */
  depth: number;
  /** The function-table id, e.g. `main.ts#Shelf/restock`. */
  id: string;
  name: string;
  /** The original source file (relative to the program root) and line of the resume point. */
  file: string;
  line: number | undefined;
  /** Resume point: 1 = function entry, then the function's sites in source order. */
  pc: number | undefined;
  /** `this`, when the frame has one. */
  self?: string;
  /** A frame of the runtime's own: the built-in whose callback it runs (`Array.prototype.sort`). */
  builtin?: string;
  locals: LocalView[];
}

const PREVIEW_LIMIT = 80;

export function readStack(root: NodeValue, heap: HeapDescription, table: ReadonlyMap<string, FunctionInfo>): FrameView[] | undefined {
  const graph = new Graph(heap.nodes);
  const frames = graph.elements(graph.prop(root, 'stack'));
  if (frames === undefined) return undefined;
  const preview = (value: NodeValue): string => clip(isRef(value) ? heap.render(value.ref) : heap.renderValue(value));

  const views: FrameView[] = [];
  frames.forEach((frame, bottomIndex) => {
    const fn = graph.prop(frame, 'fn');
    const id = graph.functionId(fn) ?? '<unknown function>';
    const info = table.get(id);
    const pc = asNumber(graph.prop(frame, 'pc'));
    const values = graph.elements(graph.prop(frame, 'values')) ?? [];
    const self = graph.prop(frame, 'self');

    const locals: LocalView[] = [];
    const seen = new Set<string>();
    const addEnvironment = (env: NodeValue, flag: 'captured' | 'outer') => {
      for (const [key, value] of graph.entries(env)) {
        if (key === 'this' || key === 'newTarget' || seen.has(key)) continue;
        seen.add(key);
        locals.push({ name: key, value: preview(value), [flag]: true });
      }
    };
    values.forEach((value, i) => {
      const slot = info?.locals[i] ?? `[${i}]`;
      const role = slotRole(slot, info?.prefix ?? '');
      if (role.kind === 'environment' && graph.isPlainObject(value)) return addEnvironment(value, 'captured');
      if (role.kind === 'variable' || role.kind === 'renamed') {
        locals.push(role.kind === 'renamed' ? { name: role.name, value: preview(value), slot } : { name: role.name, value: preview(value) });
        seen.add(role.name);
      } else locals.push({ name: slot, value: preview(value), generated: true });
    });
    const fnNode = graph.node(fn);
    if (fnNode?.kind === 'closure') for (const env of fnNode.envs) if (graph.isPlainObject(env)) addEnvironment(env, 'outer');

    const builtin = runtimeFrame(id, self, graph);
    views.push({
      ...(builtin === undefined ? {} : { builtin }),
      depth: frames.length - 1 - bottomIndex,
      id,
      name: info?.name ?? id,
      file: info?.module ?? id.split('#')[0]!,
      line: pc === undefined ? undefined : info?.siteLines[pc - 1] ?? info?.line,
      pc,
      ...(self === undefined ? {} : { self: preview(self) }),
      locals,
    });
  });
  return views.reverse();
}

/** The walks of runtime/walks/ by their `w`. */
const WALKS: Record<string, string> = {
  sort: 'Array.prototype.sort',
  'json.parse': 'JSON.parse',
  'json.stringify': 'JSON.stringify',
  'string.replace': 'String.prototype.replace',
  'array.from': 'Array.from',
};

/** What a frame of the runtime stands for: the built-in it runs a callback for, or the runtime service. */
function runtimeFrame(id: string, self: NodeValue | undefined, graph: Graph): string | undefined {
  if (!id.startsWith('introspect:')) return undefined;
  const field = (key: string) => {
    const v = graph.prop(self, key);
    return typeof v === 'string' ? v : '?';
  };
  switch (id) {
    case 'introspect:walkFrame':
      return field('m') === 'from' ? 'Array.from' : `Array.prototype.${field('m')}`;
    case 'introspect:builtinWalkFrame':
      return WALKS[field('w')] ?? field('w');
    case 'introspect:collectionWalkFrame':
      return `${graph.prop(self, 'isSet') === true ? 'Set' : 'Map'}.prototype.forEach`;
    default:
      return id.slice('introspect:'.length);
  }
}

function clip(text: string): string {
  return text.length > PREVIEW_LIMIT ? `${text.slice(0, PREVIEW_LIMIT - 1)}…` : text;
}
