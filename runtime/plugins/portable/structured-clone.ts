// `structuredClone` for the script engines that lack it (the QuickJS, jsc
// and gjs shells): a program moved there from Node keeps calling it. The
// HTML structured clone of the values a program can clone: primitives, plain
// objects (own enumerable string keys; the clone's prototype is
// Object.prototype, as natively), arrays (holes kept), Date, RegExp
// (lastIndex not kept), Map, Set, ArrayBuffer, typed arrays and DataView
// (sharing one cloned buffer), errors (name, message, cause), boxed
// primitives; shared and circular references stay shared. A function or a
// symbol is a DataCloneError, as natively. `transfer` is not supported.
// Imports nothing from a platform.

function dataCloneError(what: string): Error {
  const error = new Error(`${what} could not be cloned.`);
  error.name = 'DataCloneError';
  return error;
}

/** The valueOf of each boxed primitive's class: it throws for any other object. */
const UNBOXERS: ((this: unknown) => unknown)[] = [Number.prototype.valueOf, String.prototype.valueOf, Boolean.prototype.valueOf, BigInt.prototype.valueOf] as ((this: unknown) => unknown)[];

const ERROR_TYPES: Record<string, ErrorConstructor> = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };

function cloneValue(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value === 'function') throw dataCloneError(String(value).slice(0, 40));
  if (typeof value === 'symbol') throw dataCloneError(value.toString());
  if (typeof value !== 'object' || value === null) return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  const remember = <T>(copy: T): T => {
    seen.set(value, copy);
    return copy;
  };
  if (Array.isArray(value)) {
    const copy = remember(new Array(value.length));
    for (const key of Object.keys(value)) copy[key as unknown as number] = cloneValue((value as unknown as Record<string, unknown>)[key], seen);
    return copy;
  }
  if (value instanceof Date) return remember(new Date(value.getTime()));
  if (value instanceof RegExp) return remember(new RegExp(value.source, value.flags));
  if (value instanceof Map) {
    const copy = remember(new Map());
    for (const [k, v] of value) copy.set(cloneValue(k, seen), cloneValue(v, seen));
    return copy;
  }
  if (value instanceof Set) {
    const copy = remember(new Set());
    for (const v of value) copy.add(cloneValue(v, seen));
    return copy;
  }
  // By its tag: a buffer of another realm is one too.
  if (Object.prototype.toString.call(value) === '[object ArrayBuffer]') return remember((value as ArrayBuffer).slice(0));
  if (ArrayBuffer.isView(value)) {
    const buffer = cloneValue(value.buffer, seen) as ArrayBuffer;
    if (value instanceof DataView) return remember(new DataView(buffer, value.byteOffset, value.byteLength));
    const C = value.constructor as new (b: ArrayBuffer, offset: number, length: number) => object;
    return remember(new C(buffer, value.byteOffset, (value as unknown as { length: number }).length));
  }
  if (value instanceof Error) {
    const C = ERROR_TYPES[value.name] ?? Error;
    const copy = remember(new C(value.message));
    if ('cause' in value) Object.defineProperty(copy, 'cause', { value: cloneValue(value.cause, seen), writable: true, configurable: true });
    if (typeof value.stack === 'string') copy.stack = value.stack;
    return copy;
  }
  for (const unbox of UNBOXERS) {
    let primitive: unknown;
    try {
      primitive = unbox.call(value);
    } catch {
      continue;
    }
    return remember(Object(primitive));
  }
  if (value instanceof WeakMap || value instanceof WeakSet || value instanceof Promise) throw dataCloneError(`#<${value.constructor.name}>`);
  const copy = remember({} as Record<string, unknown>);
  for (const key of Object.keys(value)) copy[key] = cloneValue((value as Record<string, unknown>)[key], seen);
  return copy;
}

export function structuredClonePolyfill<T>(value: T, options?: { transfer?: unknown[] }): T {
  if (options?.transfer !== undefined && options.transfer.length > 0) throw new TypeError('structuredClone: transfer is not supported on this platform');
  return cloneValue(value, new Map()) as T;
}

/** Installs `structuredClone` where the engine has none. */
export function provideStructuredClone(): void {
  const g = globalThis as Record<string, unknown>;
  if (typeof g.structuredClone === 'function') return;
  Object.defineProperty(g, 'structuredClone', { value: structuredClonePolyfill, writable: true, configurable: true, enumerable: false });
}
