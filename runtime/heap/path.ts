// Paths from the root to a value, for capture errors and warnings:
// `frame main › local server › ._handle`. Takes the writer's parent trail
// (for each node: the node that first reached it and the edge it came by);
// guarantees strings are only built when a path is actually asked for.

/** Edges that are not property keys or array indexes (those are stored as themselves). */
export const Edge = {
  prototype: -1,
  mapKey: -2,
  mapValue: -3,
  setMember: -4,
  buffer: -5,
  boxedValue: -6,
  constructor: -7,
  /** the value of a WeakMap entry (its key is found through Trail.weakKey) */
  weakValue: -8,
  weakRefTarget: -9,
  boundTarget: -10,
  boundThis: -11,
  /** closure environment n is `Edge.env - n` */
  env: -100,
  /** bound argument n is `Edge.boundArg - n` (below every environment edge) */
  boundArg: -1_000_000_000,
} as const;

/** An accessor's getter or setter: the only edge that needs an object. */
export class AccessorEdge {
  constructor(readonly key: string | symbol, readonly which: 'get' | 'set') {}
}

export type Via = string | symbol | number | AccessorEdge;

export interface Trail {
  rootLabel: string;
  /** the node that first reached node n (-1 for the root) */
  parentOf(node: number): number;
  values: unknown[];
  labels?: { get(container: object): string | undefined } | undefined;
  edgeLabel?: ((container: object, key: string | symbol | number) => string | undefined) | undefined;
  /** a closure's environments, for naming `(closure environment n)` edges */
  closureEnvs(fn: Function): readonly unknown[] | undefined;
  /** a bound function's parts, for naming `(bound this)` edges */
  boundParts(fn: Function): { target: Function; thisArg: unknown; args: readonly unknown[] } | undefined;
  /** the key under which node `node` was first reached as a WeakMap value, if it was */
  weakKey(node: number): { key: unknown } | undefined;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

const INDEX = /^(?:0|[1-9]\d*)$/;

function keyText(key: string | symbol): string {
  if (typeof key === 'symbol') return `[${String(key)}]`;
  if (INDEX.test(key)) return `[${key}]`;
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** A short description of a map key in a path. */
function shortValue(value: unknown): string {
  switch (typeof value) {
    case 'string': return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'bigint': return `${value}n`;
    case 'symbol': return String(value);
    case 'function': return `function ${value.name || '(anonymous)'}`;
    case 'object': {
      if (value === null) return 'null';
      const ctor = Object.getPrototypeOf(value)?.constructor;
      return typeof ctor === 'function' && ctor.name ? `${ctor.name} {…}` : '{…}';
    }
    default: return String(value);
  }
}

/** Position of `child` as a key (or value) of a map or member of a set, for the path. */
function findEntry(container: unknown, child: unknown, via: number): string {
  let position = 0;
  let found = '';
  try {
    if (via === Edge.setMember) {
      Set.prototype.forEach.call(container, (member: unknown) => {
        if (found === '' && member === child) found = `[member ${position}]`;
        position++;
      });
    } else {
      Map.prototype.forEach.call(container, (value: unknown, key: unknown) => {
        if (found === '') {
          if (via === Edge.mapValue && value === child) found = `.get(${shortValue(key)})`;
          if (via === Edge.mapKey && key === child) found = `[key ${position}]`;
        }
        position++;
      });
    }
  } catch {
    // not a map/set after all: fall through to the generic text
  }
  return found || (via === Edge.setMember ? '[member]' : via === Edge.mapKey ? '[key]' : '.get(…)');
}

function edgeText(via: Via, container: unknown, child: unknown, trail?: Trail): string {
  if (trail?.edgeLabel !== undefined && typeof container === 'object' && container !== null
    && (typeof via === 'string' || typeof via === 'symbol' || (typeof via === 'number' && via >= 0))) {
    const key = typeof via === 'string' && INDEX.test(via) ? Number(via) : via as string | symbol | number;
    const label = trail.edgeLabel(container, key);
    if (label !== undefined) return label;
  }
  if (typeof via === 'string' || typeof via === 'symbol') return keyText(via);
  if (via instanceof AccessorEdge) return `${keyText(via.key)} (${via.which}ter)`;
  if (via >= 0) return `[${via}]`;
  switch (via) {
    case Edge.prototype: return '[[Prototype]]';
    case Edge.mapKey:
    case Edge.mapValue:
    case Edge.setMember: return findEntry(container, child, via);
    case Edge.buffer: return '.buffer';
    case Edge.boxedValue: return '.valueOf()';
    case Edge.constructor: return '.constructor';
    case Edge.weakValue: return '.get(…)';
    case Edge.weakRefTarget: return '.deref()';
    case Edge.boundTarget: return '(bound target)';
    case Edge.boundThis: return '(bound this)';
    default:
      if (via <= Edge.boundArg) return `(bound argument ${Edge.boundArg - via})`;
      return `(closure environment ${Edge.env - via})`;
  }
}

/** Edge.mapValue / mapKey / setMember when `container` is a Map or Set holding `child`. */
function entryEdge(container: object, child: unknown): Via | undefined {
  let edge: Via | undefined;
  try {
    Map.prototype.forEach.call(container, (value: unknown, key: unknown) => {
      if (edge === undefined && value === child) edge = Edge.mapValue;
      if (edge === undefined && key === child) edge = Edge.mapKey;
    });
    return edge;
  } catch {
    // not a Map
  }
  try {
    Set.prototype.forEach.call(container, (member: unknown) => {
      if (member === child) edge = Edge.setMember;
    });
  } catch {
    // not a Set
  }
  return edge;
}

/**
 * How `container` holds `child`, found again when a path is asked for (the
 * writer keeps only parent indexes, so the hot path stores no edges).
 */
function findEdge(trail: Trail, container: unknown, child: unknown): Via | undefined {
  if (typeof container !== 'object' && typeof container !== 'function') return undefined;
  if (container === null) return undefined;
  if (typeof container === 'function') {
    const envs = trail.closureEnvs(container);
    const at = envs === undefined ? -1 : envs.indexOf(child);
    if (at >= 0) return Edge.env - at;
    const bound = trail.boundParts(container);
    if (bound !== undefined) {
      if (bound.target === child) return Edge.boundTarget;
      if (bound.thisArg === child) return Edge.boundThis;
      const arg = bound.args.indexOf(child);
      if (arg >= 0) return Edge.boundArg - arg;
    }
  }
  if (typeof WeakRef === 'function') {
    try {
      if (WeakRef.prototype.deref.call(container as WeakRef<object>) === child) return Edge.weakRefTarget;
    } catch {
      // not a WeakRef
    }
  }
  if (Object.getPrototypeOf(container) === child) return Edge.prototype;
  for (const key of Reflect.ownKeys(container)) {
    const d = Object.getOwnPropertyDescriptor(container, key);
    if (d === undefined) continue;
    if ('value' in d && d.value === child) return key;
    if (d.get === child) return new AccessorEdge(key, 'get');
    if (d.set === child) return new AccessorEdge(key, 'set');
    if (key === child) return key;
  }
  const entry = entryEdge(container, child);
  if (entry !== undefined) return entry;
  if (ArrayBuffer.isView(container) && container.buffer === child) return Edge.buffer;
  return undefined;
}

/**
 * The path to node `node`, or to a value not yet in the table reached from
 * `node` by `via` (pass `child` for map/set lookups).
 */
export function pathTo(trail: Trail, node: number, via?: Via, child?: unknown, weakKey?: unknown): string {
  const segments: string[] = [];
  if (via === Edge.weakValue && node >= 0) segments.push(`.get(${shortValue(weakKey)})`);
  else if (via !== undefined && node >= 0) segments.push(edgeText(via, trail.values[node], child, trail));
  let label = trail.rootLabel;
  for (let at = node; at >= 0; at = trail.parentOf(at)) {
    const value = trail.values[at];
    const named = trail.labels && typeof value === 'object' && value !== null ? trail.labels.get(value) : undefined;
    if (named !== undefined) {
      label = named;
      break;
    }
    const parent = trail.parentOf(at);
    if (parent < 0) break;
    const container = trail.values[parent];
    const weak = trail.weakKey(at);
    if (weak !== undefined) {
      segments.push(`.get(${shortValue(weak.key)})`);
      continue;
    }
    const edge = findEdge(trail, container, value);
    segments.push(edge === undefined ? '(…)' : edgeText(edge, container, value, trail));
  }
  segments.push(label);
  return segments.reverse().join(' › ');
}
