// The "lower half": modules the program imports but that are not
// instrumented (npm packages, Node's built-in modules). They are loaded fresh
// on restart, so what the program's data holds of them — an exported
// function, a class and the prototype its instances have, a singleton, a
// method taken off one — is saved as a name: the module specifier and the
// path of own data properties from the module's namespace object, found
// again after the restart's fresh import. Each instrumented module registers
// the namespaces of its imports as it loads (`$R.lib(spec, ns)`, emitted by
// the transform); the index from value to path is built when a checkpoint
// first needs it, and again after a registration.
//
//   saved as   lib:["decimal.js","default","prototype"]   (Decimal.prototype)
//
// A symbol the library made and keeps on such a path (yaml's `visit.BREAK`)
// is named the same way, so that it is the library's own again after the
// restart, not a fresh symbol the library would not recognise.
//
// The data of the program's JSON modules is named too (`json:conf/data.json`),
// so that every importer's binding and every reference the program keeps
// stay one object after a restart: the restart's fresh import. Its contents
// are the program's, though (it may have changed them): they are saved by
// value (`captureJsonData`) and written back into that fresh object.
//
// Instances of library classes are ordinary objects of the heap whose
// prototype is such a name; state a library keeps in closures or private
// fields cannot be seen, and a closure a library made fails the checkpoint.
// What a library keeps as primitive settings on its exports (decimal.js's
// `Decimal.precision` after `Decimal.set(...)`) is saved and set again after
// the fresh import (`captureSettings`/`restoreSettings`); so is a setting one
// level down in a plain object of an export (lodash's
// `_.templateSettings.interpolate`), and a setting the program replaced by a
// value of its own (a RegExp, its function, data): those are told from the
// library's own by what the exports held when the library was registered.

import { builtinPath } from './heap/builtins.js';

const PREFIX = 'lib:';
const JSON_PREFIX = 'json:';
/** How far from a namespace the index looks: export → member → prototype → method. */
const MAX_DEPTH = 4;
/** A bound on the index of one namespace (a huge library is indexed partly, near its surface first). */
const MAX_ENTRIES = 50_000;

/** What a named value is: see `named` below. */
type NamedKind = 'ns' | 'tpl' | 'platform' | 'json' | 'require';

export class Libraries {
  private readonly namespaces = new Map<string, object>();
  private index: Map<object | symbol, string> | undefined;

  /**
   * `getters: false` for a module object of the host's own (Host.libraries:
   * node:fs, registered to name its classes), whose getters are its own
   * business: reading Node 24's `fs.F_OK` prints a DeprecationWarning.
   * An import's namespace may hold its exports as getters (a bundler's, Bun's).
   */
  register(spec: string, ns: unknown, options: { getters?: boolean } = {}): void {
    if (ns === null || (typeof ns !== 'object' && typeof ns !== 'function')) return;
    if (this.namespaces.get(spec) === ns) return;
    if (options.getters === false) this.withoutGetters.add(spec);
    if (!this.namespaces.has(spec)) {
      this.namespaces.set(spec, ns);
      this.baselines.set(spec, settingSlots(ns, !this.withoutGetters.has(spec)));
      this.unfiltered.add(spec);
    }
    this.index = undefined;
  }

  private readonly withoutGetters = new Set<string>();

  /** The settings each library's exports held when it was registered (before the program could change them). */
  private readonly baselines = new Map<string, SettingSlot[]>();
  /** Libraries whose baseline still holds the slots of built-ins (see settingSlots). */
  private readonly unfiltered = new Set<string>();

  /** The baselines without the slots of built-in objects, which are the engine's, not settings. */
  private settingBaselines(): ReadonlyMap<string, SettingSlot[]> {
    for (const spec of this.unfiltered) {
      this.baselines.set(spec, this.baselines.get(spec)!.filter((slot) => builtinPath(slot.exported) === undefined && (slot.inner === undefined || builtinPath(slot.container) === undefined)));
    }
    this.unfiltered.clear();
    return this.baselines;
  }

  /**
   * Values the program makes once at load, by a name the same code gives
   * them again on restart (so they stay the identical, live objects): a
   * program module's namespace as an importer sees it (`ns:["main.ts","./m.js"]`),
   * a tagged template's strings object (`tpl:main.ts#$tp1`), the platform's
   * own values of Host.named (`platform:node:events.onceWrapper`).
   */
  private readonly named = new Map<string, object | symbol>();
  private readonly names = new Map<object | symbol, string>();

  /** Named values not read yet (Host.namedLazily), by name: read all at the first lookup by value, one by one at a lookup by name. */
  private readonly lazy = new Map<string, () => unknown>();

  registerLazily(kind: NamedKind, key: string, read: () => unknown): void {
    this.lazy.set(`${kind}:${key}`, read);
  }

  private readLazily(name: string): object | symbol | undefined {
    const read = this.lazy.get(name);
    if (read === undefined) return undefined;
    this.lazy.delete(name);
    const colon = name.indexOf(':');
    this.registerNamed(name.slice(0, colon) as NamedKind, name.slice(colon + 1), read());
    return this.named.get(name);
  }

  registerNamed(kind: NamedKind, key: string, value: unknown): void {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol')) return;
    const name = `${kind}:${key}`;
    this.named.set(name, value);
    if (!this.names.has(value)) this.names.set(value, name);
  }

  /**
   * Named values of a kind that a restore makes again from their key when it
   * meets one (`require:main.ts`: a require function, made from that
   * module's URL): no code of the program makes them again at load.
   */
  private readonly makers = new Map<string, (key: string) => object | undefined>();
  /** Loads a library no module imported (a require function's, see Runtime.nameRequireFunctions) when the restore names it. */
  loadMissing: ((spec: string) => object | undefined) | undefined;

  makeWith(kind: NamedKind, make: (key: string) => object | undefined): void {
    this.makers.set(kind, make);
  }

  /** The program's named values. */
  namedValues(): Iterable<object> {
    return [...this.names.keys()].filter((v): v is object => typeof v !== 'symbol');
  }

  /** The saved name of a named value or of a value reachable from a library's exports, or undefined. */
  pathOf(value: object | symbol): string | undefined {
    // (once: the writer asks for every value it meets)
    if (this.lazy.size > 0) for (const name of [...this.lazy.keys()]) this.readLazily(name);
    const name = this.names.get(value);
    if (name !== undefined) return name;
    if (this.namespaces.size === 0) return undefined;
    this.index ??= this.build();
    return this.index.get(value);
  }

  /** The value a saved name denotes in this process, or undefined (not a library path, or gone). */
  resolve(path: string): object | undefined {
    const named = this.named.get(path) ?? this.readLazily(path);
    // (a platform's own symbol too: the heap reader takes it as the value it is)
    if (named !== undefined) return named as object;
    const colon = path.indexOf(':');
    const make = this.makers.get(path.slice(0, colon));
    if (make !== undefined) {
      const made = make(path.slice(colon + 1));
      if (made !== undefined) this.registerNamed(path.slice(0, colon) as NamedKind, path.slice(colon + 1), made);
      return made;
    }
    // A platform's symbol this platform does not have (`platform:<owner>#<description>`, Host.named): a fresh one.
    const hash = path.indexOf('#');
    if (path.startsWith('platform:') && hash > 0) return Symbol(path.slice(hash + 1)) as unknown as object;
    if (!path.startsWith(PREFIX)) return undefined;
    let parts: unknown;
    try {
      parts = JSON.parse(path.slice(PREFIX.length));
    } catch {
      return undefined;
    }
    if (!Array.isArray(parts) || parts.length === 0) return undefined;
    const keys = parts.map(String);
    // The same export may sit under `default` on one platform and not on
    // another (a CommonJS package's namespace on Node vs. Bun or a bundler).
    return this.walk(keys) ?? (keys[1] === 'default' ? this.walk([keys[0], ...keys.slice(2)]) : this.walk([keys[0], 'default', ...keys.slice(1)]));
  }

  private walk(keys: string[]): object | undefined {
    let at: unknown = this.namespaces.get(keys[0]);
    if (at === undefined && this.loadMissing !== undefined) {
      try {
        at = this.loadMissing(keys[0]!);
      } catch {
        return undefined;
      }
      this.register(keys[0]!, at);
    }
    for (let i = 1; i < keys.length; i++) {
      if (at === null || (typeof at !== 'object' && typeof at !== 'function')) return undefined;
      at = ownValue(at as object, keys[i], i === 1 && !this.withoutGetters.has(keys[0]!));
      if (at === undefined) return undefined;
    }
    // (a library's own symbol too, `visit.BREAK`: the heap reader takes it as the value it is)
    return at !== null && (typeof at === 'object' || typeof at === 'function' || typeof at === 'symbol') ? (at as object) : undefined;
  }

  /**
   * A library's configuration, which the program may have changed: the
   * primitive own data properties of each export (and of the namespace's
   * default export), and the settings that changed since registration (see
   * the file comment). `savable`: a function of the program's.
   */
  captureSettings(savable: (fn: Function) => boolean = () => false): LibrarySetting[] {
    const rows: LibrarySetting[] = [];
    for (const [spec, slots] of this.settingBaselines()) {
      for (const slot of slots) {
        const now = changedValue(slot);
        if (now === undefined) continue;
        const v = now.value;
        const primitive = v === null || (typeof v !== 'object' && typeof v !== 'function' && typeof v !== 'symbol');
        // (primitives one level up are rows below, changed or not)
        if (primitive ? slot.inner === undefined : !this.programSetting(v, savable)) continue;
        rows.push(slot.inner === undefined ? [spec, slot.key, slot.prop, v] : [spec, slot.key, slot.prop, v, slot.inner]);
      }
    }
    for (const [spec, ns] of this.namespaces) {
      for (const key of Object.getOwnPropertyNames(ns)) {
        const exported = ownValue(ns, key, !this.withoutGetters.has(spec));
        if (exported === null || (typeof exported !== 'object' && typeof exported !== 'function') || builtinPath(exported) !== undefined) continue;
        for (const prop of Object.getOwnPropertyNames(exported)) {
          if (prop === 'length' || prop === 'name' || prop === 'prototype') continue;
          const pd = Object.getOwnPropertyDescriptor(exported, prop);
          if (!pd || !('value' in pd) || !pd.writable) continue;
          const v = pd.value as unknown;
          if (v === null || (typeof v !== 'object' && typeof v !== 'function' && typeof v !== 'symbol')) rows.push([spec, key, prop, v]);
        }
      }
    }
    return rows;
  }

  restoreSettings(rows: readonly LibrarySetting[] | undefined): void {
    for (const [spec, key, prop, value, inner] of rows ?? []) {
      const exported = this.resolve(PREFIX + JSON.stringify([spec, key])) as Record<string, unknown> | undefined;
      const d0 = exported === undefined || inner === undefined ? undefined : Object.getOwnPropertyDescriptor(exported, prop);
      const holder = (inner === undefined ? exported : d0 && 'value' in d0 && isPlainObject(d0.value) ? d0.value : undefined) as Record<string, unknown> | undefined;
      const name = inner ?? prop;
      if (holder === undefined || Object.is(holder[name], value)) continue;
      const d = Object.getOwnPropertyDescriptor(holder, name);
      if (d && 'value' in d && d.writable) holder[name] = value;
    }
  }

  /**
   * Whether a value that replaced a library's setting is the program's to
   * save: data (a plain object or array, a RegExp, a Date, an instance of
   * the program's), a function of the program's (`savable`), or a value of
   * a library named by another path (one of its constants). A function or
   * object the library made itself in place of the first (a lazily built
   * cache) is the fresh import's to make again.
   */
  private programSetting(v: unknown, savable: (fn: Function) => boolean): boolean {
    if (typeof v === 'symbol') return false;
    if (typeof v === 'function') {
      // (a library's value named by another path: the index leaves out the place of a changed setting)
      return savable(v as Function) || this.pathOf(v as Function) !== undefined;
    }
    const o = v as object;
    if (Array.isArray(o) || isPlainObject(o) || o instanceof RegExp || o instanceof Date) return true;
    const ctor = (Object.getPrototypeOf(o) as { constructor?: unknown } | null)?.constructor;
    return typeof ctor === 'function' && savable(ctor);
  }

  /**
   * The contents of each JSON module's data as the program left them:
   * [name, copy, frozen] rows, the copy an array of the elements or an
   * object with the own enumerable properties in order.
   */
  captureJsonData(): [string, unknown, boolean][] {
    const rows: [string, unknown, boolean][] = [];
    for (const [name, data] of this.named) {
      if (!name.startsWith(JSON_PREFIX) || typeof data !== 'object') continue;
      const copy: unknown = Array.isArray(data) ? Array.prototype.slice.call(data) : Object.fromEntries(Object.entries(data));
      rows.push([name, copy, Object.isFrozen(data)]);
    }
    return rows;
  }

  /** Writes saved contents into the fresh JSON module data of this process (same key order, frozen again if it was). */
  restoreJsonData(rows: readonly [string, unknown, boolean][] | undefined): void {
    for (const [name, copy, frozen] of rows ?? []) {
      const data = this.named.get(name);
      if (data === undefined || typeof data !== 'object' || Object.isFrozen(data)) continue;
      if (Array.isArray(data) && Array.isArray(copy)) {
        data.length = 0;
        for (let i = 0; i < copy.length; i++) data[i] = copy[i];
      } else if (!Array.isArray(data) && typeof copy === 'object' && copy !== null) {
        for (const key of Object.keys(data)) delete (data as Record<string, unknown>)[key];
        // (defined, not assigned: a "__proto__" key of JSON is an own property)
        for (const [key, value] of Object.entries(copy)) Reflect.defineProperty(data, key, { value, writable: true, enumerable: true, configurable: true });
      }
      if (frozen) Object.freeze(data);
    }
  }

  /** The settings that hold another value than at registration, by holder: the program's (see captureSettings), not named by their place. */
  private changedSettings(): Map<object, Set<string>> {
    const changed = new Map<object, Set<string>>();
    for (const slots of this.settingBaselines().values()) {
      for (const slot of slots) {
        if (changedValue(slot) === undefined) continue;
        const name = slot.inner ?? slot.prop;
        let names = changed.get(slot.container);
        if (names === undefined) changed.set(slot.container, (names = new Set()));
        names.add(name);
      }
    }
    return changed;
  }

  private build(): Map<object | symbol, string> {
    const index = new Map<object | symbol, string>();
    const changed = this.changedSettings();
    for (const [spec, ns] of this.namespaces) {
      // Breadth first: the shortest path names a value (an export before a re-export of it).
      let level: { value: object; path: string[] }[] = [{ value: ns, path: [spec] }];
      let count = 0;
      for (let depth = 0; depth <= MAX_DEPTH && level.length > 0 && count < MAX_ENTRIES; depth++) {
        const next: typeof level = [];
        for (const { value, path } of level) {
          if (index.has(value) || (depth > 0 && builtinPath(value) !== undefined)) continue;
          index.set(value, PREFIX + JSON.stringify(path));
          if (++count >= MAX_ENTRIES) break;
          if (depth === MAX_DEPTH) continue;
          for (const key of Object.getOwnPropertyNames(value)) {
            if (key === 'constructor' || key === 'caller' || key === 'callee' || key === 'arguments') continue;
            // a setting the program replaced holds the program's value, saved as such (a RegExp, its function)
            if (changed.get(value)?.has(key)) continue;
            const v = ownValue(value, key, depth === 0 && !this.withoutGetters.has(spec));
            if (isModuleCache(key, v)) continue;
            if (v !== null && (typeof v === 'object' || typeof v === 'function')) next.push({ value: v, path: [...path, key] });
            // A symbol the library made (not a registered or well-known one): named by where it is, like an object.
            else if (typeof v === 'symbol' && Symbol.keyFor(v) === undefined && !index.has(v) && builtinPath(v as unknown as object) === undefined) index.set(v, PREFIX + JSON.stringify([...path, key]));
          }
        }
        level = next;
      }
    }
    return index;
  }
}

/**
 * A saved setting: [specifier, export, property, value], or for one inside a
 * plain object of an export, [specifier, export, object's property, value,
 * property] (`_.templateSettings.interpolate`).
 */
export type LibrarySetting = [string, string, string, unknown] | [string, string, string, unknown, string];

/** A writable data property of an export (`inner`: of a plain object an export holds in `prop`), and its value at registration. */
interface SettingSlot {
  key: string;
  prop: string;
  inner?: string;
  /** The export `key` holds. */
  exported: object;
  container: object;
  initial: unknown;
}

/** What a setting holds now, if that is a data value other than at registration. */
function changedValue(slot: SettingSlot): { value: unknown } | undefined {
  const d = Object.getOwnPropertyDescriptor(slot.container, slot.inner ?? slot.prop);
  return d === undefined || !('value' in d) || Object.is(d.value, slot.initial) ? undefined : { value: d.value as unknown };
}

/** At most this many properties of one plain object of an export are watched (settings objects are small). */
const MAX_SETTINGS_PER_OBJECT = 64;

function isPlainObject(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The writable data properties of a namespace's exports, and of the plain
 * objects they hold, with their values now. Those of built-in objects are
 * left out later (settingBaselines): telling them needs the table of every
 * built-in (heap/builtins.ts), which a run builds at its first checkpoint,
 * not at the start where the host's libraries are registered.
 */
function settingSlots(ns: object, getters: boolean): SettingSlot[] {
  const slots: SettingSlot[] = [];
  for (const key of Object.getOwnPropertyNames(ns)) {
    const exported = ownValue(ns, key, getters);
    if (exported === null || (typeof exported !== 'object' && typeof exported !== 'function')) continue;
    for (const prop of Object.getOwnPropertyNames(exported)) {
      if (prop === 'length' || prop === 'name' || prop === 'prototype' || prop === 'caller' || prop === 'arguments') continue;
      let pd: PropertyDescriptor | undefined;
      try {
        pd = Object.getOwnPropertyDescriptor(exported, prop);
      } catch {
        continue;
      }
      if (!pd || !('value' in pd) || !pd.writable) continue;
      const v = pd.value as unknown;
      slots.push({ key, prop, exported, container: exported, initial: v });
      if (!isPlainObject(v)) continue;
      const settings = v as object;
      if (Object.isFrozen(settings)) continue;
      const names = Object.getOwnPropertyNames(settings);
      if (names.length > MAX_SETTINGS_PER_OBJECT) continue;
      for (const inner of names) {
        const ipd = Object.getOwnPropertyDescriptor(settings, inner);
        if (ipd && 'value' in ipd && ipd.writable) slots.push({ key, prop, inner, exported, container: settings, initial: ipd.value });
      }
    }
  }
  return slots;
}

/**
 * A cache of loaded modules by file (node:module's `_cache` and
 * `_pathCache`, a require function's `cache`): what it holds is the
 * program's (a required JSON file's data), under a key that names this
 * machine's path, and is not there after a fresh start.
 */
function isModuleCache(key: string, v: unknown): boolean {
  if (key === '_cache' || key === '_pathCache') return true;
  return key === 'cache' && typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === null;
}

/**
 * An own data property's value; on a module namespace (`namespace`), a
 * getter's too: a bundler's namespace objects (esbuild) export through
 * getters, where an engine's module namespace has data properties.
 */
function ownValue(o: object, key: string, namespace: boolean): unknown {
  let d: PropertyDescriptor | undefined;
  try {
    d = Object.getOwnPropertyDescriptor(o, key);
  } catch {
    return undefined;
  }
  if (d === undefined) return undefined;
  if ('value' in d) return d.value as unknown;
  if (!namespace || typeof d.get !== 'function') return undefined;
  try {
    return Reflect.apply(d.get, o, []) as unknown;
  } catch {
    return undefined;
  }
}
