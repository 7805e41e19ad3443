// Which node kind an object (not a function, not a built-in) is saved as.
// Takes an object; guarantees a kind whose engine brand has been checked
// (an `Object.create(Map.prototype)` is a plain object, not a Map), or the
// reason it cannot be saved. The kind is found from the first well-known
// prototype on the object's chain, cached per prototype for the capture.

import { Kind } from './layout.js';
import { builtinPath } from './builtins.js';
import { hasBrand, intrinsic } from './intrinsics.js';

/** A node kind, or (string) why objects with this prototype chain cannot be saved. */
export type Classification = number | string;

const proto = Object.getPrototypeOf as (value: object) => object | null;

function tryProto(make: () => object): object | undefined {
  try {
    return proto(make()) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Well-known prototype → what an object inheriting from it is. */
const KNOWN = new Map<object, Classification>();
const known = (p: object | undefined, what: Classification) => {
  if (p !== undefined && !KNOWN.has(p)) KNOWN.set(p, what);
};
known(Object.prototype, Kind.object);
known(Array.prototype, Kind.array);
known(Map.prototype, Kind.map);
known(Set.prototype, Kind.set);
known(WeakMap.prototype, Kind.weakmap);
known(WeakSet.prototype, Kind.weakset);
known(Date.prototype, Kind.date);
known(RegExp.prototype, Kind.regexp);
known(Error.prototype, Kind.error);
known(Number.prototype, Kind.boxed);
known(String.prototype, Kind.boxed);
known(Boolean.prototype, Kind.boxed);
known(BigInt.prototype, Kind.boxed);
known(Symbol.prototype, Kind.boxed);
known(ArrayBuffer.prototype, Kind.arraybuffer);
known(tryProto(() => new Float64Array(0).buffer), Kind.arraybuffer);
if (intrinsic.SharedArrayBuffer) known(intrinsic.SharedArrayBuffer.prototype, Kind.sharedarraybuffer);
// A real typed array or DataView is told by ArrayBuffer.isView before this
// table is asked (writer.ts kindOf); what else inherits from their
// prototypes (a subclass's own prototype object) holds no hidden state.
known(tryProto(() => Int8Array.prototype), Kind.object); // %TypedArray%.prototype
for (const name of ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'DataView']) {
  const ctor = (globalThis as Record<string, unknown>)[name];
  if (typeof ctor === 'function') known((ctor as { prototype: object }).prototype, Kind.object);
}
known(Promise.prototype, "a promise of the platform (made by Node or a library: only the program's own promises can be saved; await it before the checkpoint, or wrap it with transient())");
if (typeof WeakRef === 'function') known(WeakRef.prototype, Kind.weakref);
if (typeof FinalizationRegistry === 'function') {
  known(FinalizationRegistry.prototype, 'a FinalizationRegistry (its registrations cannot be read; re-register on restore with onRestore())');
}
/** Prototypes of the runtime's own that inherit from a built-in one (the program's promises'): they, and what inherits from them, are plain objects. */
const RUNTIME_PROTOTYPES = new Set<object>();

export function runtimePrototype(p: object): void {
  KNOWN.set(p, Kind.object);
  RUNTIME_PROTOTYPES.add(p);
}

/** A platform's prototype whose objects keep their state in own properties (Host.plainPrototypes): they are plain objects. */
export function plainPrototype(p: object): void {
  KNOWN.set(p, Kind.object);
}

/** Prototypes only generator objects inherit from, two levels up (a generator function's own prototype sits between). */
const GENERATOR_PROTOS = new Set<object>();
for (const make of [() => proto(proto((function* () {})())!), () => proto(proto((async function* () {})())!)]) {
  try {
    const p = make();
    if (p !== null) GENERATOR_PROTOS.add(p);
  } catch {
    // no generators on this engine
  }
}
for (const p of GENERATOR_PROTOS) {
  known(p, 'a generator object of a generator function that runs natively: a library\'s, or one of the program that Introspect leaves uninstrumented (a method using `super` in an object literal or an anonymous class, or using #private names in a class that is not at the top level of its module or whose `extends` or computed keys read module variables)');
}
known(tryProto(() => [][Symbol.iterator]()), 'a native array iterator');
known(tryProto(() => new Map()[Symbol.iterator]()), 'a native Map iterator');
known(tryProto(() => new Set()[Symbol.iterator]()), 'a native Set iterator');
known(tryProto(() => ''[Symbol.iterator]()), 'a native string iterator');
known(tryProto(() => /x/[Symbol.matchAll]('')), 'a native RegExp string iterator');
/**
 * Intl.Segmenter's results: their prototypes are intrinsics no global path
 * reaches. Found only when a capture meets a prototype that could be one
 * (see `chainKind`), not at load nor at every first capture: making a
 * Segmenter loads ICU's break data (~17 ms, most of a small program's first
 * checkpoint).
 */
let segmentsKnown = false;
function knowSegments(): void {
  segmentsKnown = true;
  const Segmenter = (globalThis as { Intl?: { Segmenter?: new (locale?: string) => { segment(text: string): object } } }).Intl?.Segmenter;
  if (Segmenter === undefined) return;
  const segments = (): object => new Segmenter('en').segment('');
  known(tryProto(segments), 'the segments of an Intl.Segmenter (their text and segmenter live in internal slots: call segment() again after the checkpoint)');
  known(tryProto(() => (segments() as Iterable<unknown>)[Symbol.iterator]() as object), 'a native Intl.Segmenter segment iterator');
}

/** Does `value` really carry the internal slots of `kind`? */
function branded(kind: number, value: object): boolean {
  switch (kind) {
    case Kind.array: return Array.isArray(value);
    case Kind.map: return hasBrand(intrinsic.mapSize, value);
    case Kind.set: return hasBrand(intrinsic.setSize, value);
    case Kind.weakmap: return hasBrand(intrinsic.weakMapHas, value, {});
    case Kind.weakset: return hasBrand(intrinsic.weakSetHas, value, {});
    case Kind.date: return hasBrand(intrinsic.dateGetTime, value);
    case Kind.regexp: return hasBrand(intrinsic.regExpSource, value);
    case Kind.error: return intrinsic.objectToString.call(value) === '[object Error]';
    case Kind.boxed: return boxedPrimitive(value) !== NOT_BOXED;
    case Kind.arraybuffer: return hasBrand(intrinsic.arrayBufferByteLength, value);
    case Kind.sharedarraybuffer: return hasBrand(intrinsic.sharedByteLength, value);
    case Kind.weakref: return hasBrand(intrinsic.weakRefDeref, value);
    default: return true;
  }
}

export const NOT_BOXED = Symbol('not boxed');

/** The primitive inside a Number/String/Boolean/BigInt/Symbol object. */
export function boxedPrimitive(value: object): unknown {
  for (const valueOf of [intrinsic.numberValueOf, intrinsic.stringValueOf, intrinsic.booleanValueOf,
    intrinsic.bigintValueOf, intrinsic.symbolValueOf] as Function[]) {
    try {
      return Reflect.apply(valueOf, value, []);
    } catch {
      // not this box type
    }
  }
  return NOT_BOXED;
}

export class Classifier {
  private readonly byProto = new Map<object | null, Classification>();

  classify(value: object): Classification {
    if (RUNTIME_PROTOTYPES.has(value)) return Kind.object;
    const p = proto(value);
    let kind = this.byProto.get(p);
    if (kind === undefined) {
      kind = chainKind(p);
      this.byProto.set(p, kind);
    }
    if (typeof kind === 'number' && kind !== Kind.object && !branded(kind, value)) return Kind.object;
    return kind;
  }
}

/** Built-in prototypes that plain objects may inherit from: they carry no hidden state. */
const PLAIN_BUILTIN_PROTOS = new Set<object>([Function.prototype]);
for (const p of [tryProto(() => proto([][Symbol.iterator]())!), tryProto(() => proto((async function* () {})())!)]) {
  if (p !== undefined) PLAIN_BUILTIN_PROTOS.add(p);
}

/** The class whose prototype `p` is, linked both ways through data properties (a class's, the standard ones). */
function linkedConstructor(p: object): Function | undefined {
  const ctor = Object.getOwnPropertyDescriptor(p, 'constructor')?.value as unknown;
  return typeof ctor === 'function' && Object.getOwnPropertyDescriptor(ctor, 'prototype')?.value === p ? ctor : undefined;
}

function chainKind(start: object | null): Classification {
  // An object whose own prototype is %GeneratorPrototype% is some generator
  // function's `.prototype`, not a generator object: a plain object.
  if (start !== null && GENERATOR_PROTOS.has(start)) return Kind.object;
  // the first built-in class met on the way up (URL, TextEncoder, EventTarget, ...)
  let platformClass: string | undefined;
  for (let p = start, depth = 0; p !== null && depth < 10000; p = proto(p), depth++) {
    const kind = KNOWN.get(p);
    if (kind !== undefined) return kind === Kind.object && platformClass !== undefined ? platformInstance(platformClass, start) : kind;
    if (PLAIN_BUILTIN_PROTOS.has(p)) continue;
    // An Intl.Segmenter result's prototype has no constructor: one that may be it makes the segments known.
    if (!segmentsKnown && linkedConstructor(p) === undefined) {
      knowSegments();
      return chainKind(start);
    }
    if (platformClass === undefined) {
      const path = builtinPath(p);
      if (path !== undefined && path.endsWith('.prototype')) platformClass = path.slice(0, -'.prototype'.length);
      else if (path === undefined) platformClass = hostClass(p);
    }
  }
  return platformClass !== undefined ? platformInstance(platformClass, start) : Kind.object;
}

const functionSource = Function.prototype.toString;
const NATIVE_SOURCE = /\{\s*\[native code\]\s*\}\s*$/;

/**
 * The name of a class the host made in native code (a V8 FunctionTemplate:
 * Node's ContextifyScript under node:vm's Script) whose prototype `p` is,
 * though no global names it: its objects keep their state in internal
 * fields, so one saved as its own properties would come back an empty shell.
 */
function hostClass(p: object): string | undefined {
  const ctor = linkedConstructor(p);
  if (ctor === undefined) return undefined;
  let source: string;
  try {
    source = Reflect.apply(functionSource, ctor, []) as string;
  } catch {
    return undefined;
  }
  const name = typeof ctor.name === 'string' ? ctor.name : '';
  return NATIVE_SOURCE.test(source) && name !== '' && !name.startsWith('bound ') ? name : undefined;
}

/**
 * The message for an object of a platform class: named by its own class too
 * when that is another (a MessagePort, whose global Node makes lazily and
 * the built-ins table leaves out, below EventTarget).
 */
function platformInstance(name: string, start: object | null): string {
  const ctor = start === null ? undefined : Object.getOwnPropertyDescriptor(start, 'constructor')?.value as unknown;
  const own = typeof ctor === 'function' && typeof ctor.name === 'string' && ctor.name !== '' && ctor.name !== name ? ctor.name : undefined;
  const what = own === undefined ? `the platform class ${name}` : `${own}, a subclass of the platform class ${name}`;
  return `an instance of ${what} (its state lives in internal slots that JavaScript cannot read)`;
}
