// The built-in getters and methods the heap module calls, captured once at
// load. Takes the engine's pristine built-ins; guarantees the writer and reader
// use the real [[MapData]]/[[ViewedArrayBuffer]]/... accessors, never an
// override a program (or a hostile prototype) put on a subclass.

type Getter = (this: unknown) => unknown;

function getter(proto: object | undefined, key: PropertyKey): Getter | undefined {
  if (proto === undefined) return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(proto, key);
  return descriptor?.get as Getter | undefined;
}

const TypedArrayPrototype = Object.getPrototypeOf(Int8Array.prototype) as object;
const SAB = typeof SharedArrayBuffer === 'function' ? SharedArrayBuffer : undefined;

/** Calls `fn` as a method of `self`; `fn` must exist on every supported engine. */
export function call<T>(fn: Getter | Function | undefined, self: unknown, ...args: unknown[]): T {
  return Reflect.apply(fn as Function, self, args) as T;
}

export const intrinsic = {
  typedArrayTag: getter(TypedArrayPrototype, Symbol.toStringTag)!,
  typedArrayBuffer: getter(TypedArrayPrototype, 'buffer')!,
  typedArrayByteOffset: getter(TypedArrayPrototype, 'byteOffset')!,
  typedArrayLength: getter(TypedArrayPrototype, 'length')!,
  dataViewBuffer: getter(DataView.prototype, 'buffer')!,
  dataViewByteOffset: getter(DataView.prototype, 'byteOffset')!,
  dataViewByteLength: getter(DataView.prototype, 'byteLength')!,
  arrayBufferByteLength: getter(ArrayBuffer.prototype, 'byteLength')!,
  arrayBufferMaxByteLength: getter(ArrayBuffer.prototype, 'maxByteLength'),
  arrayBufferResizable: getter(ArrayBuffer.prototype, 'resizable'),
  sharedByteLength: getter(SAB?.prototype, 'byteLength'),
  sharedMaxByteLength: getter(SAB?.prototype, 'maxByteLength'),
  sharedGrowable: getter(SAB?.prototype, 'growable'),
  mapSize: getter(Map.prototype, 'size')!,
  mapForEach: Map.prototype.forEach,
  mapSet: Map.prototype.set,
  mapClear: Map.prototype.clear,
  setSize: getter(Set.prototype, 'size')!,
  setForEach: Set.prototype.forEach,
  setAdd: Set.prototype.add,
  setClear: Set.prototype.clear,
  weakMapHas: WeakMap.prototype.has,
  weakMapGet: WeakMap.prototype.get,
  weakMapSet: WeakMap.prototype.set,
  weakSetHas: WeakSet.prototype.has,
  weakSetAdd: WeakSet.prototype.add,
  weakRefDeref: typeof WeakRef === 'function' ? WeakRef.prototype.deref : undefined,
  WeakRef: typeof WeakRef === 'function' ? WeakRef : undefined,
  dateGetTime: Date.prototype.getTime,
  dateSetTime: Date.prototype.setTime,
  regExpSource: getter(RegExp.prototype, 'source')!,
  regExpFlags: getter(RegExp.prototype, 'flags')!,
  numberValueOf: Number.prototype.valueOf,
  stringValueOf: String.prototype.valueOf,
  booleanValueOf: Boolean.prototype.valueOf,
  bigintValueOf: BigInt.prototype.valueOf,
  symbolValueOf: Symbol.prototype.valueOf,
  objectToString: Object.prototype.toString,
  functionToString: Function.prototype.toString,
  /** %IteratorPrototype%: what every built-in iterator inherits from. */
  iteratorPrototype: Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as object,
  SharedArrayBuffer: SAB,
};

/** True when `fn.call(value)` does not throw: the engine's brand check. */
export function hasBrand(fn: Function | undefined, value: unknown, ...args: unknown[]): boolean {
  if (fn === undefined) return false;
  try {
    Reflect.apply(fn, value, args);
    return true;
  } catch {
    return false;
  }
}

/** True on a big-endian host: typed-array bytes must be swapped to and from the file's little-endian order. */
export const HOST_BIG_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;
