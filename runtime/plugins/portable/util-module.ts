// node:util on an engine without Node, for the restart bundle
// (cli/platform/bundle.ts resolves `node:util` and `util` here). Takes
// nothing; gives Node's exports that a compute or async program uses, by
// Node's names (so what a checkpoint taken on Node names of the module,
// `lib:["node:util","inspect"]`, is found again): format and inspect as
// Node's console prints (node-format.ts; inspect's depth, breakLength,
// maxArrayLength, compact, sorted), isDeepStrictEqual (deep-equal.ts),
// promisify and callbackify (the program's are the runtime's, which call
// these: runtime/promisify.ts, callbackify.ts), inherits, deprecate (its
// warning once on stderr, as Node's), debuglog (NODE_DEBUG), types (by the
// built-ins' tags; the runtime adds the program's promises and async
// functions, runtime/util-types.ts), TextEncoder/TextDecoder, and Node's
// old `is*` helpers. Not here: parseArgs, styleText, MIMEType, aborted,
// getSystemErrorName, a Proxy check (`types.isProxy` is false). Imports
// nothing from a platform.

import { formatLogArgs, inspectWithOptions, type InspectOptions } from './node-format.js';
import { isDeepEqual } from './deep-equal.js';
import { PortableTextDecoder, PortableTextEncoder } from './text-encoding.js';

type Fn = (...args: unknown[]) => unknown;

const INSPECT_CUSTOM = Symbol.for('nodejs.util.inspect.custom');
const PROMISIFY_CUSTOM = Symbol.for('nodejs.util.promisify.custom');

/** Node's ERR_INVALID_ARG_TYPE for an argument that must be a function. */
function notAFunction(name: string, value: unknown): TypeError {
  const received = value === undefined || value === null ? String(value) : `type ${typeof value} (${inspectWithOptions(value, { depth: -1 })})`;
  const e = new TypeError(`The "${name}" argument must be of type function. Received ${received}`) as TypeError & { code: string };
  e.code = 'ERR_INVALID_ARG_TYPE';
  return e;
}

export function format(...args: unknown[]): string {
  return formatLogArgs(args);
}

export function formatWithOptions(_options: InspectOptions, ...args: unknown[]): string {
  return formatLogArgs(args);
}

const defaultOptions = { showHidden: false, depth: 2, colors: false, customInspect: true, showProxy: false, maxArrayLength: 100, maxStringLength: 10000, breakLength: 128, compact: 3, sorted: false, getters: false, numericSeparator: false };

export function inspect(value: unknown, options?: InspectOptions | boolean, depth?: number | null): string {
  // The legacy form inspect(value, showHidden, depth) is read for its depth.
  const given: InspectOptions = typeof options === 'object' && options !== null ? options : depth !== undefined ? { depth } : {};
  return inspectWithOptions(value, given);
}
inspect.custom = INSPECT_CUSTOM;
inspect.defaultOptions = defaultOptions;

export function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  return isDeepEqual(a, b, true);
}

export function promisify(original: unknown): Fn {
  if (typeof original !== 'function') throw notAFunction('original', original);
  const custom = (original as unknown as Record<symbol, unknown>)[PROMISIFY_CUSTOM];
  if (custom !== undefined) {
    if (typeof custom !== 'function') throw notAFunction('util.promisify.custom', custom);
    return Object.defineProperty(custom, PROMISIFY_CUSTOM, { value: custom, enumerable: false, writable: false, configurable: true }) as Fn;
  }
  function fn(this: unknown, ...args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      args.push((err: unknown, ...values: unknown[]) => (err ? reject(err) : resolve(values[0])));
      Reflect.apply(original as Fn, this, args);
    });
  }
  Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
  Object.defineProperty(fn, PROMISIFY_CUSTOM, { value: fn, enumerable: false, writable: false, configurable: true });
  return Object.defineProperties(fn, Object.getOwnPropertyDescriptors(original)) as Fn;
}
promisify.custom = PROMISIFY_CUSTOM;

/** Node's callbackify; the program's calls the runtime's (runtime/callbackify.ts), which hands this only what it refuses. */
export function callbackify(original: unknown): Fn {
  if (typeof original !== 'function') throw notAFunction('original', original);
  function callbackified(this: unknown, ...args: unknown[]): void {
    const cb = args.pop();
    if (typeof cb !== 'function') throw notAFunction('last argument', cb);
    const done = (error: unknown, value?: unknown): void => void Promise.resolve().then(() => (cb as Fn).call(this, error, value));
    (Reflect.apply(original as Fn, this, args) as Promise<unknown>).then(
      (value) => done(null, value),
      (reason) => {
        if (!reason) {
          const e = new Error('Promise was rejected with a falsy value') as Error & { code: string; reason: unknown };
          e.code = 'ERR_FALSY_VALUE_REJECTION';
          e.reason = reason;
          reason = e;
        }
        done(reason);
      },
    );
  }
  Object.setPrototypeOf(callbackified, Object.getPrototypeOf(original));
  return Object.defineProperties(callbackified, Object.getOwnPropertyDescriptors(original)) as Fn;
}

export function inherits(ctor: Function, superCtor: Function): void {
  if (typeof ctor !== 'function') throw notAFunction('ctor', ctor);
  if (typeof superCtor !== 'function') throw notAFunction('superCtor', superCtor);
  Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

const warned = new Set<string>();

/** `deprecate(fn, msg, code)`: fn, warning once (per code) on its first call, as Node's DeprecationWarning on stderr. */
export function deprecate<T extends Fn>(fn: T, msg: string, code?: string): T {
  if (typeof fn !== 'function') throw notAFunction('fn', fn);
  const env = (globalThis as { process?: { noDeprecation?: boolean; pid?: number } }).process;
  let warnedHere = false;
  function deprecated(this: unknown, ...args: unknown[]): unknown {
    if (!warnedHere && env?.noDeprecation !== true) {
      warnedHere = true;
      if (code === undefined || !warned.has(code)) {
        if (code !== undefined) warned.add(code);
        console.error(`(node:${env?.pid ?? 0}) ${code !== undefined ? `[${code}] ` : ''}DeprecationWarning: ${msg}\n(Use \`node --trace-deprecation ...\` to show where the warning was created)`);
      }
    }
    return new.target ? Reflect.construct(fn, args, new.target) : Reflect.apply(fn, this, args);
  }
  Object.setPrototypeOf(deprecated, fn);
  if (fn.prototype) deprecated.prototype = fn.prototype;
  return deprecated as unknown as T;
}

/** `debuglog(section)`: logs to stderr when NODE_DEBUG names the section, as Node's. */
export function debuglog(section: string): Fn & { enabled: boolean } {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined>; pid?: number } }).process;
  const wanted = (env?.env?.NODE_DEBUG ?? '').split(/[\s,]+/).filter(Boolean).map((s) => new RegExp(`^${s.replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i'));
  const enabled = wanted.some((r) => r.test(section));
  const log = (...args: unknown[]): void => {
    if (enabled) console.error(`${section.toUpperCase()} ${env?.pid ?? 0}: ${formatLogArgs(args)}`);
  };
  return Object.assign(log, { enabled });
}
export const debug = debuglog;

export function stripVTControlCharacters(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u001B\u009B][[\]()#;?]*(?:(?:(?:(?:;[-a-zA-Z\d/#&.:=?%@~_]+)*|[a-zA-Z\d]+(?:;[-a-zA-Z\d/#&.:=?%@~_]*)*)?\u0007)|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PR-TZcf-ntqry=><~]))/g, '');
}

export function toUSVString(text: string): string {
  return String(text).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

const tag = (v: unknown): string => Object.prototype.toString.call(v).slice(8, -1);
const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;
const tagged = (name: string) => (v: unknown): boolean => isObject(v) && tag(v) === name;
const typedArray = (name: string) => (v: unknown): boolean => ArrayBuffer.isView(v) && tag(v) === name;
const boxedOf = (v: unknown, ctor: Function): boolean => {
  if (!isObject(v)) return false;
  try {
    (ctor.prototype as { valueOf(): unknown }).valueOf.call(v);
    return true;
  } catch {
    return false;
  }
};
const TYPED = ['Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'Int8Array', 'Int16Array', 'Int32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array'];

/** util.types: by the built-ins' tags (a plain object: the runtime wraps isPromise and the function checks). */
export const types: Record<string, (v: unknown) => boolean> = {
  isExternal: () => false,
  isDate: (v) => v instanceof Date,
  isArgumentsObject: tagged('Arguments'),
  isBigIntObject: (v) => boxedOf(v, BigInt),
  isBooleanObject: (v) => boxedOf(v, Boolean),
  isNumberObject: (v) => boxedOf(v, Number),
  isStringObject: (v) => boxedOf(v, String),
  isSymbolObject: (v) => boxedOf(v, Symbol),
  isBoxedPrimitive: (v) => [BigInt, Boolean, Number, String, Symbol].some((c) => boxedOf(v, c)),
  isNativeError: (v) => v instanceof Error,
  isRegExp: (v) => v instanceof RegExp,
  isAsyncFunction: (v) => typeof v === 'function' && /^Async(Generator)?Function$/.test(tag(v)),
  isGeneratorFunction: (v) => typeof v === 'function' && /^(Async)?GeneratorFunction$/.test(tag(v)),
  isGeneratorObject: (v) => isObject(v) && /^(Async)?Generator$/.test(tag(v)),
  isPromise: (v) => v instanceof Promise,
  isMap: (v) => v instanceof Map,
  isSet: (v) => v instanceof Set,
  isMapIterator: tagged('Map Iterator'),
  isSetIterator: tagged('Set Iterator'),
  isWeakMap: (v) => v instanceof WeakMap,
  isWeakSet: (v) => v instanceof WeakSet,
  isArrayBuffer: (v) => v instanceof ArrayBuffer,
  isDataView: (v) => v instanceof DataView,
  isSharedArrayBuffer: tagged('SharedArrayBuffer'),
  isAnyArrayBuffer: (v) => v instanceof ArrayBuffer || tagged('SharedArrayBuffer')(v),
  isProxy: () => false,
  isModuleNamespaceObject: tagged('Module'),
  isArrayBufferView: (v) => ArrayBuffer.isView(v),
  isTypedArray: (v) => ArrayBuffer.isView(v) && !(v instanceof DataView),
  isKeyObject: () => false,
  isCryptoKey: () => false,
};
for (const name of TYPED) types[`is${name}`] = typedArray(name);

export const isArray = Array.isArray;
export const isBoolean = (v: unknown): boolean => typeof v === 'boolean';
export const isNull = (v: unknown): boolean => v === null;
export const isNullOrUndefined = (v: unknown): boolean => v === null || v === undefined;
export const isNumber = (v: unknown): boolean => typeof v === 'number';
export const isString = (v: unknown): boolean => typeof v === 'string';
export const isSymbol = (v: unknown): boolean => typeof v === 'symbol';
export const isUndefined = (v: unknown): boolean => v === undefined;
export const isRegExp = types.isRegExp!;
export const isObject_ = (v: unknown): boolean => v !== null && typeof v === 'object';
export const isDate = types.isDate!;
export const isError = (v: unknown): boolean => v instanceof Error;
export const isFunction = (v: unknown): boolean => typeof v === 'function';
export const isPrimitive = (v: unknown): boolean => v === null || (typeof v !== 'object' && typeof v !== 'function');

const g = globalThis as unknown as { TextEncoder?: typeof PortableTextEncoder; TextDecoder?: typeof PortableTextDecoder };
/** The global ones (the boot provides them where the engine has none: text-encoding.ts). */
const TextEncoder_ = g.TextEncoder ?? PortableTextEncoder;
const TextDecoder_ = g.TextDecoder ?? PortableTextDecoder;
export { isObject_ as isObject, TextEncoder_ as TextEncoder, TextDecoder_ as TextDecoder };

const util = {
  format, formatWithOptions, inspect, isDeepStrictEqual, promisify, callbackify, inherits, deprecate, debuglog, debug, stripVTControlCharacters, toUSVString, types,
  isArray, isBoolean, isNull, isNullOrUndefined, isNumber, isString, isSymbol, isUndefined, isRegExp, isObject: isObject_, isDate, isError, isFunction, isPrimitive,
  TextEncoder: TextEncoder_, TextDecoder: TextDecoder_,
};
export default util;
