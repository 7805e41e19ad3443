// The program's modules as they register at load time, in evaluation order
// (ESM and CommonJS both evaluate dependencies first, so this is also the
// order their bodies run in).

import { functions, type Factory } from './functions.js';

/**
 * [id, name, line, local names, line of every resume point, and optionally
 * per resume point the indices of locals that are dead there (null: none)]
 */
export type FunctionRow = [string, string, number, string[], number[], (number[] | null)[]?];

export interface ModuleRecord {
  id: string;
  /** Hash of the module's source and transform version. */
  hash: string;
  /** import.meta.url (ESM) or __filename (CommonJS). */
  url: string;
  /** Runs the module's top-level statements (a promise: it has top-level await, uninstrumented). */
  body: () => unknown;
  /** The body has top-level await and is a resumable body: the runtime runs it as an async task. */
  task?: boolean;
  get: () => unknown[];
  set: (values: unknown[]) => void;
  /** The names of the module-level bindings `get` returns, in order (for messages). */
  stateNames?: string[];
  statics: Record<string, Function>;
  factories: Record<string, Factory>;
  exports?: object;
  /** The transform gives them as JSON text in a shorter spelling (function-table.ts), which `module` parses and expands (a program's module may declare a `JSON` of its own). */
  functions: FunctionRow[];
  done?: boolean;
  /** Loaded by `import()` while the program ran (Runtime.dynamicModule). */
  dynamic?: boolean;
}

export class ModuleRegistry {
  readonly list: ModuleRecord[] = [];
  private readonly files = new Set<string>();

  add(record: ModuleRecord): void {
    this.list.push(record);
    this.files.add(record.url);
    if (record.url.startsWith('file://')) this.files.add(decodeURIComponent(record.url.slice('file://'.length)));
    functions.registerStatic(`${record.id}#<body>`, record.body);
    for (const [id, fn] of Object.entries(record.statics)) {
      functions.registerStatic(id, fn);
      functions.registerHolder(fn);
    }
    for (const [id, make] of Object.entries(record.factories)) functions.registerFactory(id, make);
  }

  /** Another name stack traces use for a module's code (see Runtime.module). */
  addFile(file: string): void {
    this.files.add(file);
  }

  hasFile(file: string): boolean {
    return this.files.has(file);
  }

  /** The module at this URL or file path (import.meta.url, __filename), or undefined. */
  at(location: string): ModuleRecord | undefined {
    return this.list.find((m) => m.url === location || (m.url.startsWith('file://') && decodeURIComponent(m.url.slice('file://'.length)) === location));
  }

  byId(id: string): ModuleRecord | undefined {
    return this.list.find((m) => m.id === id);
  }

  /** The entry module: the last one to register before the program started (import() adds others later). */
  get entry(): ModuleRecord | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) if (!this.list[i]!.dynamic) return this.list[i];
    return undefined;
  }
}
