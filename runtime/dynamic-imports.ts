// Program modules loaded by `import()`. The transform announces each import
// (`$R.dimp`, transformer/dynamic-imports.ts); the namespace a relative one
// gives is named `ns:[importer, spec]`, as a static `import * as` of it
// would be, so the program's references to it stay the live namespace. A
// checkpoint lists, in the header, the modules that registered after the
// program started (in that order, as URLs relative to the entry) and the
// imports that named a namespace. A restart imports those modules again,
// in the same order, before it reads the heap: they register with their
// bodies done (their state comes from the checkpoint), and each import is
// asked again for its namespace.
//
// A module with top-level await is no native async module once transformed
// (its body is a task of the runtime's), so the platform's import() settles
// as soon as the module has registered. `evaluate` and `load` keep what ESM
// evaluation guarantees: a module's body waits for a body registered before
// it in the same evaluation (its imports) that is still at a top-level
// await, and import() gives the namespace only once the module's body (and
// those it waited for) ended, or rejects with what the body threw. The links
// between bodies are reactions of the runtime's promises made of registered
// functions (`bodyAfter`, `bodyEnded`), so a checkpoint taken while a body
// waits saves them, and a restart runs the bodies that had not run yet.
//
//   header.dynamicImports = { modules: ['./plugins/alpha.js'], imports: [['main.ts', './plugins/alpha.js', './plugins/alpha.js']] }

import type { CheckpointHeader } from './format/index.js';
import { functions } from './functions.js';
import { HANDLED } from './hidden-fields.js';
import type { ModuleRecord } from './modules.js';
import type { IntroPromise } from './promises.js';
import { startPlainTask, startTask } from './tasks.js';

/**
 * `modules`: those registered by import(), in registration order, as URLs
 * relative to the entry's; `imports`: [importer module id, specifier, the
 * module's relative URL] of each import() whose namespace the program got.
 */
export type SavedDynamicImports = NonNullable<CheckpointHeader['dynamicImports']>;

/** The header's list, if it has a well-formed one. */
export function savedDynamicImports(header: CheckpointHeader): SavedDynamicImports | undefined {
  const v = header.dynamicImports as unknown;
  if (typeof v !== 'object' || v === null) return undefined;
  const { modules, imports } = v as Partial<SavedDynamicImports>;
  const strings = (a: unknown): boolean => Array.isArray(a) && a.every((x) => typeof x === 'string');
  return strings(modules) && Array.isArray(imports) && imports.every((i) => strings(i) && i.length === 3) ? (v as SavedDynamicImports) : undefined;
}

const NativePromise = Promise;
const nativeThen = NativePromise.prototype.then;

/** Whether a specifier names a file of the program (not a package or a platform module). */
function isRelative(spec: unknown): spec is string {
  return typeof spec === 'string' && (spec.startsWith('./') || spec.startsWith('../'));
}

/** Names a namespace `ns:[importer, spec]` (Runtime.pns). */
type Namer = (importer: string, spec: string, ns: unknown) => void;

/** The program's only instance, for the registered functions that link module bodies. */
let current: DynamicImports | undefined;

export class DynamicImports {
  /** [importer, spec] of each import whose namespace was named, once each (by their JSON). */
  private readonly imports = new Map<string, [string, string]>();
  /** The end of the last body of the evaluation under way that had not ended when it registered. */
  private pendingTail: IntroPromise | undefined;
  /** By module URL: when its body, and those it waited for, ended (only for those that had not when they registered). */
  private readonly ends = new Map<string, IntroPromise>();
  /** The imports waiting for a body, by token: their platform promise's settling, and the namespace (not saved: a restart has none). */
  private readonly waiters = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void; ns: unknown; landed: () => void }>();
  private nextToken = 0;
  /** The specifier of each import() whose promise has not settled yet, by a counter. */
  private readonly inFlight = new Map<number, string>();
  private nextLoad = 0;

  constructor(private readonly name: Namer, private readonly recordOf: (id: string) => ModuleRecord | undefined) {
    current = this;
  }

  /** The URL of a program module, by its id. */
  private urlOf(id: string): string | undefined {
    return asUrl(this.recordOf(id)?.url);
  }

  /**
   * Runs the body of a module that registered while the program ran (import()
   * loaded it): now, as natively, or once the body before it in the same
   * evaluation has ended, when that one is still at a top-level await.
   * Modules that registered together wait for each other in their order, as
   * the static bodies do (Runtime.driveBodies), even where ESM would let a
   * module that imports no async one run earlier.
   */
  evaluate(record: ModuleRecord): void {
    let end: IntroPromise | undefined;
    if (this.pendingTail !== undefined) end = this.pendingTail.then(bodyAfter.bind(undefined, record.id)) as IntroPromise;
    else if (record.task) end = startTask(record.body);
    else record.body();
    if (end === undefined) return;
    // A body's throw is the import's rejection, never one of its own (the
    // import() may settle after the body on engines that run timers first).
    end[HANDLED] = true;
    // One evaluation registers its modules in one go: the next one starts afresh.
    if (this.pendingTail === undefined) afterTicks(1, () => (this.pendingTail = undefined));
    this.pendingTail = end;
    this.ends.set(asUrl(record.url), end);
  }

  /** `bodyAfter`: the body of a module whose turn came. */
  runBody(id: string): unknown {
    const record = this.recordOf(id);
    if (record === undefined) return undefined;
    return record.task ? startTask(record.body) : startPlainTask(record.body);
  }

  /** What import() gives once the module's body ended: the namespace, or a promise of it while the body runs. */
  private whenEvaluated(url: string | undefined, ns: unknown, landed: () => void): unknown {
    const end = url === undefined ? undefined : this.ends.get(url);
    if (end === undefined) {
      landed();
      return ns;
    }
    return new NativePromise((resolve, reject) => {
      const token = this.nextToken++;
      this.waiters.set(token, { resolve, reject, ns, landed });
      end.then(bodyEnded.bind(undefined, token, true), bodyEnded.bind(undefined, token, false));
    });
  }

  /** `bodyEnded`: the import waiting as `token` settles (nothing waits after a restart). */
  ended(token: number, fulfilled: boolean, value: unknown): void {
    const waiter = this.waiters.get(token);
    if (waiter === undefined) return;
    this.waiters.delete(token);
    if (fulfilled) waiter.resolve(waiter.ns);
    else waiter.reject(value);
    waiter.landed();
  }

  /** `$R.dimp`: runs the import; a relative one's namespace is named once it arrives. */
  load(importer: string, spec: unknown, load: (spec: unknown) => unknown): unknown {
    if (!isRelative(spec)) return load(spec);
    // In a restart bundle a computed specifier has no file to load: the bundle's loader of that module runs instead.
    const from = this.urlOf(importer);
    const url = from === undefined ? undefined : resolveUrl(spec, from);
    const bundled = url === undefined || bundledLoaders() === undefined ? undefined : bundledLoader(url);
    const loading = bundled !== undefined ? bundled() : load(spec);
    if (!(loading instanceof NativePromise)) return loading;
    const loadNumber = this.nextLoad++;
    this.inFlight.set(loadNumber, spec);
    // Two ticks after the promise settled: the reactions it queued then (the program's
    // `.then(f)`, the runtime's adoption for an `await`) have run, and a program that
    // awaited it, going on synchronously past its next points, is not held up.
    const landed = (): void => afterTicks(2, () => this.inFlight.delete(loadNumber));
    Reflect.apply(nativeThen, loading, [undefined, landed]);
    // Only a fulfilment handler on what the program gets: a failed import stays its unhandled rejection, if it leaves it so.
    return Reflect.apply(nativeThen, loading, [
      (ns: unknown) => {
        this.named(importer, spec, ns);
        return this.whenEvaluated(url, ns, landed);
      },
    ]);
  }

  /**
   * The specifier of an import() still loading, if any. The platform's
   * promise it gave, and the reactions the program added to it, are no data
   * a checkpoint can hold (`import('./x.js').then(f)` would lose `f`), so a
   * capture is tried again once none is (checkpoint.ts). An import lands two
   * ticks after its promise settles: the program's reactions have run.
   */
  loadingNow(): string | undefined {
    for (const spec of this.inFlight.values()) return spec;
    return undefined;
  }

  private named(importer: string, spec: string, ns: unknown): void {
    this.name(importer, spec, ns);
    this.imports.set(JSON.stringify([importer, spec]), [importer, spec]);
  }

  /** What a checkpoint records, or undefined when the program imported nothing so (no module, no namespace). */
  capture(modules: readonly ModuleRecord[], entryUrl: string): SavedDynamicImports | undefined {
    // An import() of a module the static graph loaded too registers no module, but its namespace was still named.
    const dynamic = modules.filter((m) => m.dynamic);
    if (dynamic.length === 0 && this.imports.size === 0) return undefined;
    const imports = [...this.imports.values()].flatMap(([importer, spec]): [string, string, string][] => {
      const from = this.urlOf(importer);
      return from === undefined ? [] : [[importer, spec, relativeUrl(asUrl(entryUrl), resolveUrl(spec, from))]];
    });
    return { modules: dynamic.map((m) => relativeUrl(asUrl(entryUrl), asUrl(m.url))), imports };
  }

  /**
   * A restart's imports, before the heap is read: the modules, one after
   * the other (so they register in the saved order), then each saved
   * import's namespace named again.
   */
  async reload(saved: SavedDynamicImports, entryLocation: string, importModule?: (url: string) => Promise<unknown>): Promise<void> {
    const entryUrl = asUrl(entryLocation);
    const load = (url: string) => importUrl(url, importModule);
    for (const module of saved.modules) await load(resolveUrl(module, entryUrl));
    for (const [importer, spec, url] of saved.imports) this.named(importer, spec, await load(resolveUrl(url, entryUrl)));
  }
}

/** Runs `fn` after `n` rounds of the platform's microtasks. */
function afterTicks(n: number, fn: () => void): void {
  Reflect.apply(nativeThen, NativePromise.resolve(), [n <= 1 ? fn : () => afterTicks(n - 1, fn)]);
}

/** The continuation of a module body waiting for the one before it (bound to the module's id; saved as such). */
function bodyAfter(id: string): unknown {
  return current?.runBody(id);
}

/** The reaction that settles an import() waiting for a module's body (bound to its token and outcome). */
function bodyEnded(token: number, fulfilled: boolean, value: unknown): void {
  current?.ended(token, fulfilled, value);
}

functions.registerStatic('introspect:dynamicImports.bodyAfter', bodyAfter);
functions.registerStatic('introspect:dynamicImports.bodyEnded', bodyEnded);

/**
 * Where a restart bundle runs (cli/platform/bundle.ts) there are no files to
 * import: the bundle holds the modules, and loaders for them by URL here.
 */
export const BUNDLED_MODULES_KEY = 'introspect.bundledModules';
const BUNDLED_MODULES = Symbol.for(BUNDLED_MODULES_KEY);

function bundledLoaders(): Record<string, () => Promise<unknown>> | undefined {
  return (globalThis as Record<symbol, Record<string, () => Promise<unknown>> | undefined>)[BUNDLED_MODULES];
}

function bundledLoader(url: string): (() => Promise<unknown>) | undefined {
  const bundled = bundledLoaders();
  return bundled !== undefined && Object.hasOwn(bundled, url) ? bundled[url] : undefined;
}

/** The host's import (Host.importModule) where it gives one: code the host compiled itself may have no import() of its own. */
function importUrl(url: string, importModule?: (url: string) => Promise<unknown>): Promise<unknown> {
  const load = bundledLoader(url);
  if (load !== undefined) return load();
  return importModule !== undefined ? importModule(url) : (import(url) as Promise<unknown>);
}

/**
 * A module's location as a URL: a CommonJS module's is its path (__filename),
 * an ES module's a file: URL, and a CommonJS program can import() ES modules,
 * so the two must meet in one form before they are compared or resolved.
 */
function asUrl(location: string): string;
function asUrl(location: string | undefined): string | undefined;
function asUrl(location: string | undefined): string | undefined {
  if (location === undefined || /^[a-z][a-z0-9+.-]+:\/\//i.test(location)) return location;
  const path = location.replace(/\\/g, '/');
  const encoded = encodeURI(path).replace(/[?#]/g, (c) => encodeURIComponent(c));
  return encoded.startsWith('/') ? `file://${encoded}` : /^[a-z]:\//i.test(path) ? `file:///${encoded}` : location;
}

/** `to` relative to the directory of `from` (both URLs of one scheme), as `./a/b.js` or `../c.js`. */
function relativeUrl(from: string, to: string): string {
  const base = from.slice(0, from.lastIndexOf('/') + 1);
  if (to.startsWith(base)) return `./${to.slice(base.length)}`;
  const fromParts = base.split('/');
  const toParts = to.split('/');
  let common = 0;
  while (common < fromParts.length - 1 && fromParts[common] === toParts[common]) common++;
  const up = fromParts.length - 1 - common;
  return `${'../'.repeat(up)}${toParts.slice(common).join('/')}`;
}

/** A relative URL (`./x.js`, `../y/z.js`) against `base`, by its path segments (QuickJS has no URL). */
function resolveUrl(relative: string, base: string): string {
  const parts = base.slice(0, base.lastIndexOf('/')).split('/');
  // (`file:///a/b` splits as file:, '', '', a, b: never above the root)
  const root = base.startsWith('file://') ? 3 : 1;
  for (const segment of relative.split('/')) {
    if (segment === '.' || segment === '') continue;
    if (segment === '..') {
      if (parts.length > root) parts.pop();
    } else parts.push(segment);
  }
  return parts.join('/');
}
