// Well-known built-in objects and functions, named by a path from a standard
// global: `Math.max`, `Array.prototype`, `%TypedArray%.prototype`. Takes the
// global environment as the engine made it; guarantees a path names the same
// object on every engine that has it. The table is built once, lazily, by a
// breadth-first walk (so each object gets its shortest path) over a fixed list
// of standard globals and intrinsics, a few levels deep, reading data
// properties only (no getter is ever called below the roots, and a root that
// is a getter is read only when a lookup needs it: see TableBuilder). The
// properties read are those the engine made (pristine.ts), so what the program
// adds to built-ins or replaces there is never taken for a built-in.

import { intrinsics, ROOT_NAMES } from './roots.js';
import { pristineDescriptor, pristineKeys } from './pristine.js';

/** What a platform-only built-in becomes on a host that lacks it. */
const FALLBACKS: Record<string, string> = {
  'Buffer.prototype': 'Uint8Array.prototype',
};

// Explicit resource management's symbols, where the engine lacks them
// (QuickJS): defined here as Node 20 defines them, so that `using` works and
// a checkpoint names them by their well-known names on every platform.
for (const name of ['dispose', 'asyncDispose']) {
  if (typeof (Symbol as unknown as Record<string, unknown>)[name] !== 'symbol') Object.defineProperty(Symbol, name, { value: Symbol(`Symbol.${name}`) });
}

const WELL_KNOWN_SYMBOLS = wellKnownSymbols();

/**
 * Built-ins that turn strings into code. They get no path: a checkpoint can
 * then never hand the program `eval` or `Function` where it expects data or
 * one of its own functions (a tampered file could otherwise do so).
 */
export const CODE_EVALUATORS: ReadonlySet<object> = (() => {
  const set = new Set<object>([eval, Function]);
  for (const sample of [function* () {}, async function () {}, async function* () {}]) {
    const ctor = Object.getPrototypeOf(sample)?.constructor as unknown;
    if (typeof ctor === 'function') set.add(ctor);
  }
  return set;
})();
const MAX_DEPTH = 3;
/** `_stdout`, not `__proto__` or `__defineGetter__`. */
const INTERNAL_KEY = /^_(?!_)/;

export interface BuiltinTable {
  pathOf: Map<object, string>;
  byPath: Map<string, object>;
}

let table: TableBuilder | undefined;

/** Build the whole table now (idempotent): what a writer needs. */
export function prepareBuiltins(): BuiltinTable {
  const t = (table ??= new TableBuilder());
  t.complete();
  return t;
}

export function builtinPath(value: object): string | undefined {
  const t = prepareBuiltins() as TableBuilder;
  return t.pathOf.get(value) ?? (t.completeLazyRoots() ? t.pathOf.get(value) : undefined);
}

/**
 * The object a path names on this engine: from the table, else by walking
 * the path's own data properties from its root (never calling a getter).
 * Needs only the roots: a restore names a few dozen built-ins, and walking
 * them one by one costs less than the table's walk over every global
 * (~5 ms of a small program's restart), which waits for the first
 * checkpoint's writer.
 */
export function builtinByPath(path: string): object | undefined {
  const t = (table ??= new TableBuilder());
  const found = t.byPath.get(path) ?? walkPath(t, path) ?? (t.completeLazyRoots() ? t.byPath.get(path) ?? walkPath(t, path) : undefined);
  if (found !== undefined || !Object.prototype.hasOwnProperty.call(FALLBACKS, path)) return found;
  return builtinByPath(FALLBACKS[path]!);
}

const PATH = /^(%?[A-Za-z_$][\w$]*%?)((?:\.[A-Za-z_$][\w$]*|\[Symbol\.[A-Za-z]+\])*)$/;
const SEGMENT = /\.([A-Za-z_$][\w$]*)|\[Symbol\.([A-Za-z]+)\]/g;

function walkPath(t: BuiltinTable, path: string): object | undefined {
  const match = PATH.exec(path);
  if (match === null || match[1] === 'globalThis') return undefined;
  // A path may pass through a code evaluator (`Function.prototype`), never end at one.
  let at: unknown = t.byPath.get(match[1]!) ?? evaluatorRoot(match[1]!);
  for (const segment of match[2]!.matchAll(SEGMENT)) {
    if (!isObjectLike(at)) return undefined;
    const key = segment[1] ?? wellKnownSymbol(segment[2]!);
    if (key === undefined) return undefined;
    const descriptor = pristineDescriptor(at, key);
    if (descriptor === undefined || !('value' in descriptor)) return undefined;
    at = descriptor.value;
  }
  return isObjectLike(at) && !CODE_EVALUATORS.has(at) ? at : undefined;
}

/** A global that is a code evaluator (`Function`): no path names it, but paths below it start there. */
function evaluatorRoot(name: string): object | undefined {
  if (!ROOT_NAMES.includes(name)) return undefined;
  const descriptor = pristineDescriptor(globalThis, name);
  return descriptor !== undefined && 'value' in descriptor && CODE_EVALUATORS.has(descriptor.value as object) ? (descriptor.value as object) : undefined;
}

function isObjectLike(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/**
 * The breadth-first walk. A root that the host defines as a getter (Node's
 * lazy globals: `performance`, `AbortController`, `Buffer`…) is not read at
 * boot, since reading it loads a module (~5 ms of every start); it is walked
 * the first time a lookup misses, which a restart whose heap names none of
 * them never does. Its objects then get the paths they would have had,
 * unless a non-lazy root reaches them too.
 */
class TableBuilder implements BuiltinTable {
  readonly pathOf = new Map<object, string>();
  readonly byPath = new Map<string, object>();
  private readonly queue: object[] = [];
  private readonly paths: string[] = [];
  private readonly depths: number[] = [];
  private readonly seen = new Set<object>();
  private walked = 0;
  private lazyRoots: string[] = [];

  private intrinsics: [string, unknown][] | undefined;

  /** The roots only (enough for `walkPath`); `complete` walks from them. */
  constructor() {
    const global = globalThis as Record<string, unknown>;
    for (const name of ROOT_NAMES) {
      const descriptor = pristineDescriptor(global, name);
      if (descriptor === undefined) continue;
      if ('value' in descriptor) this.visit(name === 'globalThis' ? globalThis : descriptor.value, name, name === 'globalThis' ? MAX_DEPTH : 0);
      else this.lazyRoots.push(name);
    }
    this.intrinsics = intrinsics();
    for (const [name, value] of this.intrinsics) if (isObjectLike(value) && !this.byPath.has(name) && !CODE_EVALUATORS.has(value)) this.byPath.set(name, value);
  }

  /** Walks from the roots, once. */
  complete(): void {
    if (this.intrinsics === undefined) return;
    this.walk();
    // Intrinsics come after every object reachable from a global has its
    // global path, so they only name what has no other name.
    for (const [name, value] of this.intrinsics) this.visit(value, name, 0);
    this.intrinsics = undefined;
    this.walk();
  }

  /** Walks the lazy roots once; true if there were any. */
  completeLazyRoots(): boolean {
    if (this.lazyRoots.length === 0) return false;
    const global = globalThis as Record<string, unknown>;
    for (const name of this.lazyRoots) {
      try {
        this.visit(global[name], name, 0);
      } catch {
        // a getter that throws: the root does not exist here
      }
    }
    this.lazyRoots = [];
    this.walk();
    return true;
  }

  private visit(value: unknown, path: string, depth: number): void {
    if (!isObjectLike(value)) return;
    const evaluator = CODE_EVALUATORS.has(value);
    if (!evaluator && !this.byPath.has(path)) this.byPath.set(path, value);
    if (this.seen.has(value)) return;
    this.seen.add(value);
    if (!evaluator) this.pathOf.set(value, path);
    this.queue.push(value);
    this.paths.push(path);
    this.depths.push(depth);
  }

  private walk(): void {
    for (; this.walked < this.queue.length; this.walked++) {
      const i = this.walked;
      if (this.depths[i]! >= MAX_DEPTH) continue;
      const holder = this.queue[i]!;
      const base = this.paths[i]!;
      const depth = this.depths[i]! + 1;
      let keys: (string | symbol)[];
      try {
        keys = pristineKeys(holder) as (string | symbol)[];
      } catch {
        continue;
      }
      for (const key of keys) {
        let segment: string;
        if (typeof key === 'string') {
          // A host's internals under a standard global (Bun's `console._stdout`,
          // which is Node's `process.stdout`): no standard built-in has such a
          // name, and one that another platform lacks would fail its restart.
          if (INTERNAL_KEY.test(key)) continue;
          segment = `.${key}`;
        } else {
          const name = WELL_KNOWN_SYMBOLS.get(key);
          if (name === undefined) continue;
          segment = `[Symbol.${name}]`;
        }
        const descriptor = pristineDescriptor(holder, key);
        if (descriptor === undefined || !('value' in descriptor)) continue;
        this.visit(descriptor.value, base + segment, depth);
      }
    }
  }
}

/** Symbol.iterator → "iterator", for every well-known symbol of this engine. */
function wellKnownSymbols(): Map<symbol, string> {
  const names = new Map<symbol, string>();
  for (const name of Object.getOwnPropertyNames(Symbol)) {
    const value = (Symbol as unknown as Record<string, unknown>)[name];
    // (Node 20's Symbol.dispose and Symbol.asyncDispose are registered symbols
    // of its own: still saved by their well-known name, which other engines know.)
    if (typeof value === 'symbol') names.set(value, name);
  }
  return names;
}

export function wellKnownSymbolName(symbol: symbol): string | undefined {
  return WELL_KNOWN_SYMBOLS.get(symbol) ?? polyfilledName(symbol);
}

/**
 * A late well-known symbol the program defined itself where the engine
 * lacked it (`Symbol.metadata ??= Symbol('Symbol.metadata')`, as TypeScript
 * advises for decorators on Node 20): it stands for the well-known one, and
 * is saved by that name, so that a restart where the engine has its own
 * (Deno, Node 22) gives the program that one, which the engine's decorators
 * and `using` read too.
 */
function polyfilledName(symbol: symbol): string | undefined {
  for (const name of LATE_WELL_KNOWN) {
    const d = Object.getOwnPropertyDescriptor(Symbol, name);
    if (d !== undefined && 'value' in d && d.value === symbol) return name;
  }
  return undefined;
}

/**
 * Well-known symbols of proposals that some engines have and others lack
 * yet (Deno and Node 22+ have `Symbol.metadata`, which decorators use; Node
 * 20 has not). A checkpoint that holds one restarts where it is missing: the
 * symbol is then defined, as a polyfill would, and the program goes on with
 * it, as where it started.
 */
const LATE_WELL_KNOWN = new Set(['metadata', 'dispose', 'asyncDispose']);

export function wellKnownSymbol(name: string): symbol | undefined {
  if (!Object.prototype.hasOwnProperty.call(Symbol, name) && LATE_WELL_KNOWN.has(name)) {
    const symbol = Symbol(`Symbol.${name}`);
    Object.defineProperty(Symbol, name, { value: symbol });
    WELL_KNOWN_SYMBOLS.set(symbol, name);
  }
  if (!Object.prototype.hasOwnProperty.call(Symbol, name)) return undefined;
  const value = (Symbol as unknown as Record<string, unknown>)[name];
  return typeof value === 'symbol' && WELL_KNOWN_SYMBOLS.has(value) ? value : undefined;
}
