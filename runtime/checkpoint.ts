// What a checkpoint holds and how it is written and read back: the captured
// stack and every module's state, as one heap graph, inside the container of
// format/. Loading checks that the file belongs to this very program.

import { utf8Encode } from './format/bytes.js';
import { decodeCheckpoint, encodeCheckpointParts, FORMAT_VERSION, type ByteSource, portableHash, readHeader, type CheckpointHeader } from './format/index.js';
import type { Frame } from './frames.js';
import { functions, isProgramFunction } from './functions.js';
import { CollectionIter, LiveIter } from './iterators.js';
import { Generator } from './generators.js';
import { PlaceholderRestore, PlatformValue, transientFor } from './transient.js';
import { platformValueFor, proxyStandIn } from './platform-values.js';
import { readHeap, writeHeap } from './heap/index.js';
import { builtinByPath } from './heap/builtins.js';
import { CaptureError } from './heap/errors.js';
import type { FunctionRow, ModuleRecord } from './modules.js';
import type { LibrarySetting } from './libraries.js';
import type { AsyncState, CheckpointSink, Runtime } from './runtime.js';
import { captureStatics, loadedObjects, restoreStatics, type StaticState } from './statics.js';
import { applyGlobalChanges, captureGlobalChanges, changeSlots, describeGlobalChange, reapplyReplaced, type GlobalChange } from './global-changes.js';
import { settledStandIn } from './platform-promises.js';
import { savedDynamicImports, type SavedDynamicImports } from './dynamic-imports.js';

/** The root value of the heap graph. */
interface CheckpointRoot {
  /** `exports`: a CommonJS module's exported data (its module-level `export let`s live there). */
  modules: { id: string; state: unknown[]; exports?: Record<string, unknown> }[];
  stack: Frame[];
  body: number;
  points: number;
  statics?: StaticState;
  /** Static private fields: [class, values, …] (privates.ts). */
  privateStatics?: unknown[];
  /** The program's onRestore hooks. */
  restoreHooks?: (() => void)[];
  /** Settings of the libraries' exports (libraries.ts). */
  librarySettings?: LibrarySetting[];
  /** The contents of the program's JSON modules' data (Libraries.captureJsonData). */
  jsonData?: [string, unknown, boolean][];
  /** What the program changed in globalThis and the standard globals (global-changes.ts). */
  globals?: GlobalChange[];
  /** The event loop: driver of the stack, queued jobs, active timers (absent in files of format 2 writers before async). */
  async?: AsyncState;
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function programFingerprint(modules: readonly ModuleRecord[]): string {
  const text = modules.map((m) => `${m.id}:${m.hash}`).sort().join('\n');
  return hex(portableHash.sha256(utf8Encode(text))).slice(0, 32);
}

function splitEntry(url: string): { dir: string; entry: string } {
  const path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return { dir: path.slice(0, cut), entry: path.slice(cut + 1) };
}

/**
 * Frames save every local, but the transform knows which temporaries are dead
 * at each resume point (transformer/liveness.ts): clear those, so a value the
 * program no longer holds is neither saved nor able to fail the checkpoint.
 */
function clearDeadValues(frames: Frame[], mods: readonly { functions: FunctionRow[] }[]): void {
  const rows = new Map<string, FunctionRow>();
  for (const m of mods) for (const row of m.functions) if (row[5] !== undefined) rows.set(row[0], row);
  if (rows.size === 0) return;
  for (const fr of frames) {
    const id = functions.staticId(fr.fn) ?? functions.closureOf(fr.fn)?.factory;
    const dead = id === undefined ? undefined : rows.get(id)?.[5]?.[fr.pc - 1];
    if (dead) for (const i of dead) fr.values[i] = undefined;
  }
}

export const checkpointSink: CheckpointSink = {
  captured(rt: Runtime, frames: Frame[], bodyIndex: number, async: AsyncState): void {
    const host = rt.host;
    const file = rt.config.checkpointFile;
    if (!host || !file) throw new Error('no checkpoint file was given (run the program with `introspect run … --checkpoint-file F` or `--checkpoint-dir D`)');
    const loading = rt.dynamicImports.loadingNow();
    if (loading !== undefined) throw new CaptureError(`the promise of import(${JSON.stringify(loading)}), still loading, and the reactions the program gave it`, 'import()', 'the checkpoint is tried again once it has loaded');
    const mods = rt.modules.list;
    clearDeadValues(frames, mods);
    // Taken once the program has ended (nothing on the stack, every body run):
    // restarting it runs nothing, so no state is needed (and what is left,
    // such as a cleared timer's handle, need not be savable).
    // (Exit handlers of the program still have to run: not ended.)
    const ended = frames.length === 0 && bodyIndex >= mods.length && async.jobs.jobs.length === 0 && async.timers.active.length === 0 && !async.jobs.ticks?.length && !async.process?.length;
    const root: CheckpointRoot = {
      modules: ended ? [] : mods.map((m) => ({ id: m.id, state: m.get(), ...(m.exports !== undefined ? { exports: exportedData(m.exports) } : {}) })),
      stack: frames,
      body: bodyIndex,
      points: rt.pointsReached(),
      statics: ended ? [] : captureStatics(),
      privateStatics: ended ? [] : rt.privates.captureStatics(),
      async: ended ? undefined : async,
      librarySettings: ended ? undefined : rt.libraries.captureSettings(isProgramFunction),
      jsonData: ended ? undefined : rt.libraries.captureJsonData(),
      restoreHooks: ended || rt.restoreHooks.length === 0 ? undefined : rt.restoreHooks,
      globals: ended ? undefined : captureGlobalChanges((v) => rt.libraries.pathOf(v) !== undefined || proxyStandIn(v) !== undefined || transientFor(v) !== undefined || platformValueFor(v) !== undefined),
    };
    const labels = new Map<object, string>();
    for (const fr of frames) labels.set(fr.values, `frame ${describeFn(fr.fn)}`);
    for (const m of root.modules) {
      labels.set(m.state, `module ${m.id}`);
      if (m.exports !== undefined) labels.set(m.exports, `module ${m.id} › exports`);
    }
    for (const change of root.globals ?? []) if (change.length === 3 && change[2] !== null) labels.set(change[2], `global ${describeGlobalChange(change)}`);
    const slotNames = slotNamesOf(frames, mods, root.modules.map((m) => m.state));
    const edgeLabel = (container: object, key: string | symbol | number): string | undefined => {
      const slots = typeof key === 'number' ? slotNames.get(container) : undefined;
      const name = slots?.names[key as number];
      return name === undefined ? undefined : slotLabel(name, slots!.module);
    };
    let transients = 0;
    const exportsOf = new Map<object, string>();
    for (const m of mods) if (m.exports !== undefined && !exportsOf.has(m.exports)) exportsOf.set(m.exports, m.id);
    const settled: Generator[] = [];
    const substitute = (v: object): object | undefined => {
      // The program's proxies first: a revoked one throws at any question (instanceof too).
      const proxy = proxyStandIn(v);
      if (proxy !== undefined) {
        transients++;
        return proxy;
      }
      // A live Map or Set iterator's position, counted against the collection as it is now.
      if (v instanceof LiveIter || v instanceof CollectionIter) v.settle();
      // A suspended generator's body, as its frame.
      else if (v instanceof Generator && v.settle()) settled.push(v);
      const exportsId = exportsOf.get(v);
      const t = exportsId !== undefined ? new PlatformValue(moduleExports.bind(undefined, exportsId)) : transientFor(v) ?? platformValueFor(v) ?? settledStandIn(v);
      if (t !== undefined) transients++;
      return t;
    };
    let image: ReturnType<typeof writeHeap>;
    // What the restarted program has by name, asked of every weak collection (once per checkpoint).
    let named: object[] | undefined;
    try {
      image = writeHeap(root, { functions, labels, edgeLabel, external: (v) => rt.libraries.pathOf(v), named: () => (named ??= [...rt.libraries.namedValues(), ...loadedObjects()]), substitute, arrayMayHaveNamedKeys: host.arrayMayHaveNamedKeys, pooledView: host.pooledView, ...rt.privates.hooks((C, newTarget) => rt.blankConstruct(C, newTarget)) }, 'checkpoint');
    } finally {
      for (const g of settled) g.unsettle();
    }
    const entry = rt.modules.entry!;
    const header: CheckpointHeader = {
      formatVersion: FORMAT_VERSION,
      program: { fingerprint: programFingerprint(mods), ...splitEntry(entry.url) },
      createdAt: new Date().toISOString(),
      platform: host.platform(),
      plugins: [],
      args: host.args?.(),
      functions: mods.flatMap((m) => m.functions),
      modules: mods.map((m) => ({ id: m.id, hash: m.hash })),
      stack: frames.map((fr) => ({ fn: describeFn(fr.fn), pc: fr.pc })),
      points: root.points,
      deferred: rt.takeDeferral(),
      transients: transients > 0 ? transients : undefined,
      laterBuiltins: rt.laterBuiltins,
      // even for a program that has ended: its fingerprint counts them, so a restart must load them
      dynamicImports: rt.dynamicImports.capture(mods, entry.url),
    };
    host.writeFileAtomic(file, encodeCheckpointParts(header, image, host.hash ? { hash: host.hash } : undefined));
    // Waiting for a value that cannot be saved can take the checkpoint far from where it was asked (a
    // Worker: until it ends): the user hears of it here, not only from `inspect`.
    if (rt.retrying && header.deferred !== undefined) {
      host.log(`the checkpoint due at point ${header.deferred.point} was written at point ${header.points}: ${header.deferred.by}`);
    }
    if (rt.config.exitAfterCheckpoint) host.exit(0, isProgramFunction);
  },

  laterBuiltins(file: Uint8Array | ByteSource): readonly string[] | undefined {
    let list: unknown;
    try {
      list = readHeader(file).laterBuiltins;
    } catch {
      return undefined; // the restore reads it again, and says what is wrong
    }
    return Array.isArray(list) && list.every((name) => typeof name === 'string') ? (list as string[]) : undefined;
  },

  dynamicImports(file: Uint8Array | ByteSource): SavedDynamicImports | undefined {
    try {
      return savedDynamicImports(readHeader(file));
    } catch {
      return undefined; // the restore reads it again, and says what is wrong
    }
  },

  restore(rt: Runtime, file: Uint8Array | ByteSource): ReturnType<CheckpointSink['restore']> {
    const { header, heap } = decodeCheckpoint(file, rt.host?.hash ? { hash: rt.host.hash } : undefined);
    restoring = rt;
    const mods = rt.modules.list;
    const fingerprint = programFingerprint(mods);
    if (header.program.fingerprint !== fingerprint) {
      const saved = new Map(((header.modules as { id: string; hash: string }[] | undefined) ?? []).map((m) => [m.id, m.hash]));
      const changed = mods.filter((m) => saved.get(m.id) !== m.hash).map((m) => m.id);
      const gone = [...saved.keys()].filter((id) => !rt.modules.byId(id));
      const what = [...changed.map((id) => `${id} (${saved.has(id) ? 'changed' : 'new'})`), ...gone.map((id) => `${id} (missing)`)].join(', ');
      throw new Error(`this checkpoint was taken from a different build of the program: ${what || 'modules differ'}. Restart it with the build that wrote it.`);
    }
    const privates = rt.privates.hooks((C, newTarget) => rt.blankConstruct(C, newTarget));
    // Live Map and Set iterators are made again before the program goes on.
    const liveIters: (LiveIter | CollectionIter)[] = [];
    const construct = (proto: object, base?: number): object | undefined => {
      if (proto !== LiveIter.prototype && proto !== CollectionIter.prototype) return privates.construct!(proto, base);
      const it = Object.create(proto) as LiveIter | CollectionIter;
      liveIters.push(it);
      return it;
    };
    const placeholders = new PlaceholderRestore(privates.restoreHidden!);
    // What the file names instead of saving (built-ins, libraries' values): the engine's, nothing of the file's inside.
    const engineObjects = new Set<object>();
    const builtin = (path: string): unknown => {
      const v = rt.libraries.resolve(path) ?? rt.host?.builtins?.[path] ?? builtinByPath(path);
      if ((typeof v === 'object' && v !== null) || typeof v === 'function') engineObjects.add(v);
      return v;
    };
    const repair = rt.host?.repairRestored;
    const restored = repair === undefined ? undefined : (objects: readonly unknown[]): void => repair.call(rt.host, objects);
    const root = readHeap(heap, { functions, builtin, ...privates, construct, ...placeholders.hooks(), restored }) as CheckpointRoot;
    const warn = (message: string): void => rt.host?.log(message);
    applyGlobalChanges(root.globals, warn);
    for (const saved of root.modules) {
      const m = rt.modules.byId(saved.id);
      if (m) m.set(saved.state);
      if (m?.exports !== undefined && saved.exports !== undefined) restoreExported(m.exports, saved.exports);
    }
    if (typeof header.transients === 'number' && header.transients > 0) {
      // Module state is back, so `recreate` sees the program's variables; then
      // the modules get the rebuilt values too.
      const before = root.modules.map((saved) => saved.state.slice());
      const globalsBefore = changeSlots(root.globals);
      placeholders.rebuild([root], engineObjects);
      reapplyReplaced(root.globals, globalsBefore, warn);
      root.modules.forEach((saved, n) => {
        const m = rt.modules.byId(saved.id);
        if (m === undefined) return;
        // Only the variables the rebuild changed (a transient, a WeakRef to one): `recreate` may have changed others.
        const changed = saved.state.flatMap((v, i) => (v !== before[n]![i] ? [i] : []));
        if (changed.length === 0) return;
        const now = m.get();
        for (const i of changed) now[i] = saved.state[i];
        m.set(now);
      });
    }
    // After the rebuild: a Map or Set that held a placeholder was cleared and
    // filled again there, which sends the engine's iterators of it back to
    // the start.
    for (const it of liveIters) it.resync();
    rt.libraries.restoreSettings(root.librarySettings);
    rt.libraries.restoreJsonData(root.jsonData);
    rt.restoreHooks.push(...(root.restoreHooks ?? []));
    restoreStatics(root.statics);
    rt.privates.restoreStatics(root.privateStatics);
    placeholders.finish();
    return { frames: root.stack, bodyIndex: root.body, async: root.async };
  },
};

/** The runtime a restore is rebuilding stand-ins for (moduleExports). */
let restoring: Runtime | undefined;

/**
 * A CommonJS module's `exports` object held by the program (a frame's
 * temporary for `exports.table = build()` while `build` runs, a variable
 * given `exports` or a CommonJS module's top-level `this`): the loader
 * makes that object again on restart and importers hold the new one, so
 * the checkpoint names it by its module, a stand-in that resolves to it.
 */
function moduleExports(id: string): object {
  const m = restoring?.modules.byId(id);
  if (m?.exports === undefined) throw new Error(`introspect: the checkpoint holds the exports of module ${id}, which this program does not load`);
  return m.exports;
}
functions.registerStatic('introspect:moduleExports', moduleExports);

/**
 * A CommonJS module's own enumerable data exports. TypeScript's CommonJS
 * emit keeps the module's exported variables there (`exports.count++`), so
 * they are module state; the exports object itself is made by the loader
 * again on restart, which is where importers find it (`require` results are
 * not saved), so its data is copied back onto that one. Accessors (the
 * re-exports `export { x } from`) are made again by loading.
 */
function exportedData(exports: object): Record<string, unknown> {
  const entries: [string, unknown][] = [];
  for (const key of Object.keys(exports)) {
    const d = Object.getOwnPropertyDescriptor(exports, key);
    if (d !== undefined && 'value' in d) entries.push([key, d.value]);
  }
  return Object.fromEntries(entries);
}

function restoreExported(exports: object, saved: Record<string, unknown>): void {
  for (const key of Object.keys(saved)) {
    const d = Object.getOwnPropertyDescriptor(exports, key);
    if (d !== undefined && !('value' in d)) continue;
    if (d === undefined || d.writable) (exports as Record<string, unknown>)[key] = saved[key];
    else if (d.configurable) Object.defineProperty(exports, key, { value: saved[key] });
  }
}

/**
 * The names of the slots of each frame's values (the function table's row)
 * and of each module's state, so that a capture error's path says
 * `frame main.ts#run › local holder` rather than `› [1]`.
 */
function slotNamesOf(frames: readonly Frame[], mods: readonly ModuleRecord[], states: readonly unknown[][]): Map<object, { names: readonly string[]; module: boolean }> {
  const rows = new Map<string, FunctionRow>();
  for (const m of mods) for (const row of m.functions) rows.set(row[0], row);
  const names = new Map<object, { names: readonly string[]; module: boolean }>();
  for (const fr of frames) {
    const id = functions.staticId(fr.fn) ?? functions.closureOf(fr.fn)?.factory;
    const row = id === undefined ? undefined : rows.get(id);
    if (row !== undefined) names.set(fr.values, { names: row[3], module: false });
  }
  // states[i] is mods[i]'s (none once the program has ended)
  states.forEach((state, i) => {
    const stateNames = mods[i]!.stateNames;
    if (stateNames !== undefined) names.set(state, { names: stateNames, module: true });
  });
  return names;
}

/** `local holder`, `variable scene` (module level); the transform's own slots say what they are (`$t3` a temporary, `$e2` the variables closures share). */
function slotLabel(name: string, module: boolean): string {
  if (/^\$t\d+$/.test(name)) return `temporary ${name}`;
  if (/^\$e\d+$/.test(name)) return `shared variables ${name}`;
  return `${module ? 'variable' : 'local'} ${name}`;
}

function describeFn(fn: Function): string {
  return functions.staticId(fn) ?? functions.closureOf(fn)?.factory ?? (fn.name || '<function>');
}
