// The program's function table: how a function value in the heap is named in
// a checkpoint and found again on restart. Nothing here is serialized as
// code; a function is saved as a reference into this table.
//
// Two kinds of instrumented functions exist:
//   - static: re-created by loading the program (top-level functions and
//     classes, methods of top-level classes). Saved by their stable id.
//   - closures: made at run time by a factory the transformer emitted, from a
//     list of environment objects. Saved as (factory id, environments); on
//     restore the factory is called again with the restored environments.

/** Own property carried by every closure a factory made: [factoryId, ...envs]. */
export const CLOSURE = Symbol.for('introspect.closure');

export type Factory = (...envs: any[]) => Function;

export interface ClosureInfo {
  factory: string;
  envs: readonly unknown[];
}

export interface FunctionTable {
  staticId(fn: Function): string | undefined;
  staticFunction(id: string): Function | undefined;
  closureOf(fn: Function): ClosureInfo | undefined;
  makeClosure(factory: string, envs: unknown[]): Function;
}

class Table implements FunctionTable {
  private readonly idsByFn = new Map<Function, string>();
  private readonly fnsById = new Map<string, Function>();
  private readonly factories = new Map<string, Factory>();
  /** Top-level functions and classes: the ones that can carry static state. */
  private readonly holderSet = new Set<Function>();

  registerStatic(id: string, fn: Function): void {
    if (!this.idsByFn.has(fn)) this.idsByFn.set(fn, id);
    this.fnsById.set(id, fn);
  }

  /**
   * Every function a class definition made (methods, accessors, statics) by
   * key, so a class's prototype can be saved by reference to its own members.
   */
  registerClassMembers(id: string, C: Function): void {
    this.registerStatic(id, C);
    if (!id.startsWith('introspect:')) this.holderSet.add(C);
    const walk = (holder: object, where: string) => {
      for (const key of Reflect.ownKeys(holder)) {
        if (where === 'static' && (key === 'prototype' || key === 'length' || key === 'name')) continue;
        const d = Object.getOwnPropertyDescriptor(holder, key)!;
        const name = typeof key === 'symbol' ? `[${key.description ?? ''}]` : key;
        if (typeof d.value === 'function' && key !== 'constructor') this.registerStatic(`${id}#${where}.${name}`, d.value);
        if (d.get) this.registerStatic(`${id}#${where}.get ${name}`, d.get);
        if (d.set) this.registerStatic(`${id}#${where}.set ${name}`, d.set);
      }
    };
    walk(C.prototype, 'proto');
    walk(C, 'static');
  }

  /** A top-level function of the program, whose own properties are program state. */
  registerHolder(fn: Function): void {
    this.holderSet.add(fn);
  }

  holders(): Iterable<Function> {
    return this.holderSet;
  }

  registerFactory(id: string, factory: Factory): void {
    this.factories.set(id, factory);
  }

  staticId(fn: Function): string | undefined {
    return this.idsByFn.get(fn);
  }

  staticFunction(id: string): Function | undefined {
    return this.fnsById.get(id);
  }

  closureOf(fn: Function): ClosureInfo | undefined {
    const tag = (fn as any)[CLOSURE] as unknown[] | undefined;
    if (tag === undefined || !Object.prototype.hasOwnProperty.call(fn, CLOSURE)) return undefined;
    return { factory: tag[0] as string, envs: tag.slice(1) };
  }

  makeClosure(factory: string, envs: unknown[]): Function {
    const make = this.factories.get(factory);
    if (make === undefined) throw new Error(`no factory ${factory} in this program`);
    return make(...envs);
  }

  hasFactory(id: string): boolean {
    return this.factories.has(id);
  }
}

export const functions = new Table();
export type { Table as FunctionRegistry };
