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
//   header.dynamicImports = { modules: ['./plugins/alpha.js'], imports: [['main.ts', './plugins/alpha.js', './plugins/alpha.js']] }

import type { CheckpointHeader } from './format/index.js';
import type { ModuleRecord } from './modules.js';

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

export class DynamicImports {
  /** [importer, spec] of each import whose namespace was named, once each (by their JSON). */
  private readonly imports = new Map<string, [string, string]>();

  constructor(private readonly name: Namer, private readonly urlOf: (id: string) => string | undefined) {}

  /** `$R.dimp`: runs the import; a relative one's namespace is named once it arrives. */
  load(importer: string, spec: unknown, load: (spec: unknown) => unknown): unknown {
    if (!isRelative(spec)) return load(spec);
    // In a restart bundle a computed specifier has no file to load: the bundle's loader of that module runs instead.
    const importerUrl = bundledLoaders() === undefined ? undefined : asUrl(this.urlOf(importer));
    const bundled = importerUrl === undefined ? undefined : bundledLoader(resolveUrl(spec, importerUrl));
    const loading = bundled !== undefined ? bundled() : load(spec);
    if (!(loading instanceof NativePromise)) return loading;
    // Only a fulfilment handler: a failed import stays the program's unhandled rejection, if it leaves it so.
    Reflect.apply(nativeThen, loading, [(ns: unknown) => this.named(importer, spec, ns)]);
    return loading;
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
      const from = asUrl(this.urlOf(importer));
      return from === undefined ? [] : [[importer, spec, relativeUrl(asUrl(entryUrl), resolveUrl(spec, from))]];
    });
    return { modules: dynamic.map((m) => relativeUrl(asUrl(entryUrl), asUrl(m.url))), imports };
  }

  /**
   * A restart's imports, before the heap is read: the modules, one after
   * the other (so they register in the saved order), then each saved
   * import's namespace named again.
   */
  async reload(saved: SavedDynamicImports, entryLocation: string): Promise<void> {
    const entryUrl = asUrl(entryLocation);
    for (const module of saved.modules) await importUrl(resolveUrl(module, entryUrl));
    for (const [importer, spec, url] of saved.imports) this.named(importer, spec, await importUrl(resolveUrl(url, entryUrl)));
  }
}

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

function importUrl(url: string): Promise<unknown> {
  const load = bundledLoader(url);
  return load !== undefined ? load() : (import(url) as Promise<unknown>);
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
