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
//     Classes made at run time are closures too (their base class is the
//     last "environment"), and so are their members: (member id, [class]),
//     found again among the members of the class made on restore.

/** Own property carried by every closure a factory made: [factoryId, ...envs]. */
export const CLOSURE = Symbol.for('introspect.closure');

// The property is set by a plain assignment (a factory runs for every closure
// made: defineProperty would cost ten times as much), so it is enumerable, and
// `console.log(fn)` would show it. Node's, Bun's and Deno's inspectors ask a
// function for `nodejs.util.inspect.custom` first: this one, found on every
// function, hides the record (now, for good) and returns the function itself,
// which tells the inspector to go on as usual. An async or generator
// function of the program (a plain function with its kind's prototype,
// functionKind) is shown as the inspector shows a native one,
// `[AsyncFunction: f]`: asked, the inspector's own type check says
// `[Function: f] AsyncFunction`.
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const KIND_NAMES = ['Function', 'AsyncFunction', 'GeneratorFunction', 'AsyncGeneratorFunction'];
type Inspect = (value: unknown, options: unknown) => string;
function inspectFunction(this: unknown, _depth?: unknown, options?: { stylize?: (text: string, style: string) => string }, inspect?: Inspect): unknown {
  if (typeof this !== 'function') return this;
  if (Object.prototype.hasOwnProperty.call(this, CLOSURE)) Object.defineProperty(this, CLOSURE, { enumerable: false });
  const kind = writtenKind(this);
  if (kind === 0) return this;
  const text = `[${KIND_NAMES[kind]}${this.name === '' ? ' (anonymous)' : `: ${this.name}`}]`;
  const base = typeof options?.stylize === 'function' ? options.stylize(text, 'special') : text;
  const keys = Object.keys(this);
  if (keys.length === 0) return base;
  if (typeof inspect !== 'function') return this;
  const props: Record<string, unknown> = {};
  for (const key of keys) props[key] = (this as unknown as Record<string, unknown>)[key];
  return `${base} ${inspect(props, options)}`;
}
if (!Object.prototype.hasOwnProperty.call(Function.prototype, INSPECT)) {
  Object.defineProperty(Function.prototype, INSPECT, { value: inspectFunction, writable: true, configurable: true });
}

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
  /** See Table.loadedPrototype. */
  loadedPrototype?(fn: Function): object | undefined;
  /** See Table.loadedPrototypeOwner. */
  loadedPrototypeOwner?(proto: object): Function | undefined;
}

class Table implements FunctionTable {
  private readonly idsByFn = new Map<Function, string>();
  private readonly fnsById = new Map<string, Function>();
  private readonly factories = new Map<string, Factory>();
  /** Top-level functions and classes (the ones that can carry static state), with what loading gave each. */
  private readonly holderSet = new Map<Function, LoadedShape>();
  private readonly prototypeOwners = new WeakMap<object, Function>();

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
    if (!id.startsWith('introspect:')) this.registerHolder(C);
    forEachMember(C, id, (memberId, fn) => this.registerStatic(memberId, fn));
  }

  /** A top-level function of the program, whose own properties are program state. */
  registerHolder(fn: Function): void {
    if (this.holderSet.has(fn)) return;
    const prototype = ownPrototype(fn);
    if (prototype !== undefined) this.prototypeOwners.set(prototype, fn);
    this.holderSet.set(fn, {
      prototype,
      parent: Object.getPrototypeOf(fn),
      prototypeParent: prototype && Object.getPrototypeOf(prototype),
      attributes: attributesOf(fn),
      name: fn.name,
      length: fn.length,
      prototypeAttributes: prototype && attributesOf(prototype),
    });
  }

  holders(): Iterable<Function> {
    return this.holderSet.keys();
  }

  /**
   * The prototype object loading the program gave top-level function `fn`
   * (undefined for other functions): what a restart's loading gives it
   * again, unlike an object the program assigned to `fn.prototype` since.
   */
  loadedPrototype(fn: Function): object | undefined {
    return this.holderSet.get(fn)?.prototype;
  }

  /**
   * The top-level function whose prototype `proto` is, as loading made it
   * and still in place: how the writer knows a class's prototype after the
   * program deleted its `constructor`.
   */
  loadedPrototypeOwner(proto: object): Function | undefined {
    const fn = this.prototypeOwners.get(proto);
    return fn !== undefined && Object.getOwnPropertyDescriptor(fn, 'prototype')?.value === proto ? fn : undefined;
  }

  /** What loading gave top-level function `fn`: its prototype object, and the [[Prototype]]s of both. */
  loadedShape(fn: Function): LoadedShape | undefined {
    return this.holderSet.get(fn);
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

  /**
   * A class a factory made: tagged like a closure, and each function its
   * definition made (methods, accessors, statics) tagged as its member, by
   * key. Returns the own methods named in `instrumented` ([key, static]),
   * which their frames are saved with.
   */
  registerMadeClass(C: Function, id: string, envs: unknown[], instrumented: [string, number][]): Function[] {
    tag(C, [id, ...envs]);
    const members = new Map<string, Function>();
    forEachMember(C, id, (memberId, fn) => {
      // a static field holding a closure made during the definition is not a member
      if (Object.prototype.hasOwnProperty.call(fn, CLOSURE)) return;
      members.set(memberId, fn);
      tag(fn, [memberId, C]);
      if (!this.factories.has(memberId)) this.factories.set(memberId, (made: Function) => memberOf(made, memberId));
    });
    madeMembers.set(C, members);
    return instrumented.map(([key, flags]) => functionKind(Object.getOwnPropertyDescriptor(flags & 1 ? C : C.prototype, key)!.value as Function, flags >> 1));
  }

  hasFactory(id: string): boolean {
    return this.factories.has(id);
  }
}

/**
 * Well-known symbols by their name on `Symbol`: the member id of
 * `[Symbol.dispose]() {}` must be the same on every platform, and the
 * symbol's description is not (Node 20's is the registered `nodejs.dispose`,
 * Bun's `Symbol.dispose`).
 */
const WELL_KNOWN = new Map<symbol, string>();
for (const name of Object.getOwnPropertyNames(Symbol)) {
  const value = (Symbol as unknown as Record<string, unknown>)[name];
  if (typeof value === 'symbol') WELL_KNOWN.set(value, `Symbol.${name}`);
}

function keyName(key: string | symbol): string {
  return typeof key === 'symbol' ? `[${WELL_KNOWN.get(key) ?? key.description ?? ''}]` : key;
}

/** The functions a class definition made, by member id: `${classId}#proto.m`, `#static.get x`. */
function forEachMember(C: Function, id: string, each: (memberId: string, fn: Function) => void): void {
  const walk = (holder: object, where: string) => {
    for (const key of Reflect.ownKeys(holder)) {
      // (`name` and `length` are members here only when the class defines them: `static name() {}`)
      if (where === 'static' && (key === 'prototype' || key === CLOSURE)) continue;
      const d = Object.getOwnPropertyDescriptor(holder, key)!;
      const name = keyName(key);
      if (typeof d.value === 'function' && key !== 'constructor') each(`${id}#${where}.${name}`, d.value);
      if (d.get) each(`${id}#${where}.get ${name}`, d.get);
      if (d.set) each(`${id}#${where}.set ${name}`, d.set);
    }
  };
  walk(C.prototype, 'proto');
  walk(C, 'static');
}

/**
 * The factories of closures that use the `#names` of a class made at run time
 * (scopes.ts runtimeClass), per class: each class made has its own, since its
 * private names are its own. The class's first static block registers them
 * (`$R.icf`); a closure one makes has the class as the last entry of its
 * record, so the module's factory for the id (`$R.mcf`) finds the class's.
 */
const madeClassFactories = new WeakMap<Function, Map<string, Factory>>();

/** `$R.icf(C, id, factory)`: the factory class C's code calls; each closure it makes records C too. */
export function inClassFactory(C: Function, id: string, factory: Factory): Factory {
  const tagged = (...envs: unknown[]): Function => {
    const fn = factory(...envs);
    ((fn as any)[CLOSURE] as unknown[]).push(C);
    return fn;
  };
  let table = madeClassFactories.get(C);
  if (table === undefined) madeClassFactories.set(C, (table = new Map()));
  table.set(id, tagged);
  return tagged;
}

/** `$R.mcf(id)`: the module's factory for `id`, which makes the closure with the factory of the class its record names. */
export function madeClassFactory(id: string): Factory {
  return (...envs: unknown[]): Function => {
    const C = envs[envs.length - 1] as Function;
    const make = madeClassFactories.get(C)?.get(id);
    if (make === undefined) throw new Error(`${id}: the class it was made in (${typeof C === 'function' ? C.name || '(anonymous)' : typeof C}) does not make it in this build`);
    return make(...envs.slice(0, -1));
  };
}

/** Members of the classes factories made, by member id. */
const madeMembers = new WeakMap<Function, Map<string, Function>>();

function memberOf(C: Function, memberId: string): Function {
  const fn = madeMembers.get(C)?.get(memberId);
  if (fn === undefined) throw new Error(`${memberId} is not a member of the class ${C.name || '(anonymous)'} made on restore`);
  return fn;
}

/** Not enumerable, unlike a closure's tag: a class's own keys are program-visible statics. */
function tag(fn: Function, value: unknown[]): void {
  Object.defineProperty(fn, CLOSURE, { value, writable: true, configurable: true });
}

export const functions = new Table();
export type { Table as FunctionRegistry };

/**
 * The engine's prototypes of async functions (1), generator functions (2)
 * and async generator functions (3), by the code the transform gives a plain
 * function it made of one (transformer/plan.ts WRAPPER_CODE). Set by
 * `functionKind` where the function is made, by load or factory alike, so a
 * restart makes it again and the heap need not save it.
 */
const KIND_PROTOTYPES: (object | undefined)[] = [
  undefined,
  Object.getPrototypeOf(async function () {}),
  Object.getPrototypeOf(function* () {}),
  Object.getPrototypeOf(async function* () {}),
];

/** What a program function was written as: the code of its kind (1–3), or 0 for a plain one or any other function. */
export function writtenKind(fn: Function): number {
  const code = KIND_PROTOTYPES.indexOf(Object.getPrototypeOf(fn) as object);
  return code > 0 && isProgramFunction(fn) ? code : 0;
}

/** Gives an instrumented async or generator function its kind's prototype (code 0: leaves it). */
export function functionKind<F extends Function>(fn: F, code: number): F {
  const proto = KIND_PROTOTYPES[code];
  if (proto !== undefined) Object.setPrototypeOf(fn, proto);
  return fn;
}

/**
 * A top-level function as loading made it. The program may change the
 * [[Prototype]] of the function or of its prototype object afterwards
 * (`Object.setPrototypeOf(Sub.prototype, Base.prototype)`, ES5 inheritance
 * without replacing the prototype): statics.ts saves that change.
 */
export interface LoadedShape {
  prototype: object | undefined;
  parent: object | null;
  prototypeParent: object | null | undefined;
  /** The attributes (`attributeBits`) of the function's own properties (strings and symbols), and of its prototype's. */
  attributes: Map<string | symbol, number>;
  prototypeAttributes: Map<string | symbol, number> | undefined;
  /** The function's `name` and `length` as loading made them (a program may redefine both). */
  name: string;
  length: number;
}

export const WRITABLE = 1;
export const ENUMERABLE = 2;
export const CONFIGURABLE = 4;
export const ACCESSOR = 8;

/** A property's attributes as bits: what statics.ts compares with the loaded ones. */
export function attributeBits(d: PropertyDescriptor): number {
  return (d.writable ? WRITABLE : 0) | (d.enumerable ? ENUMERABLE : 0) | (d.configurable ? CONFIGURABLE : 0) | ('value' in d ? 0 : ACCESSOR);
}

/** The keys of `o` that are program state: its own, strings and symbols, but the runtime's closure record. */
export function stateKeys(o: object): (string | symbol)[] {
  return Reflect.ownKeys(o).filter((key) => key !== CLOSURE);
}

function attributesOf(o: object): Map<string | symbol, number> {
  const out = new Map<string | symbol, number>();
  for (const key of stateKeys(o)) out.set(key, attributeBits(Object.getOwnPropertyDescriptor(o, key)!));
  return out;
}

function ownPrototype(fn: Function): object | undefined {
  const proto = Object.getOwnPropertyDescriptor(fn, 'prototype')?.value as unknown;
  return typeof proto === 'object' && proto !== null ? proto : undefined;
}

/** A function of the program (not of the runtime), by its id in the function table. */
export function isProgramFunction(fn: Function): boolean {
  const id = functions.staticId(fn) ?? functions.closureOf(fn)?.factory;
  return id !== undefined && !id.startsWith('introspect:');
}
