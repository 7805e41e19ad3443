// The standard globals and intrinsics from which built-in objects get their
// paths (builtins.ts) and whose own properties are the program's to change
// (pristine.ts records them as the engine made them).

export const ROOT_NAMES = [
  'globalThis', 'Object', 'Function', 'Array', 'Number', 'Boolean', 'String', 'Symbol', 'BigInt',
  'Math', 'JSON', 'Reflect', 'Date', 'RegExp', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef',
  'FinalizationRegistry', 'Promise', 'Proxy', 'Error', 'AggregateError', 'EvalError', 'RangeError',
  'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'ArrayBuffer', 'SharedArrayBuffer',
  'DataView', 'Atomics', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
  'Uint16Array', 'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array',
  'BigInt64Array', 'BigUint64Array', 'Iterator', 'Intl', 'parseInt', 'parseFloat', 'isNaN',
  'isFinite', 'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape',
  'unescape', 'eval', 'console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval',
  'queueMicrotask', 'structuredClone', 'TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams',
  'AbortController', 'AbortSignal', 'Event', 'EventTarget', 'atob', 'btoa', 'performance',
  // platform globals: present on some hosts only (see FALLBACKS)
  'Buffer',
];

/** Intrinsics with no global name, reachable only through [[Prototype]] links. */
export function intrinsics(): [string, unknown][] {
  const proto = Object.getPrototypeOf;
  const found: [string, unknown][] = [];
  const add = (name: string, make: () => unknown) => {
    try {
      const value = make();
      if (value !== null && value !== undefined) found.push([name, value]);
    } catch {
      // absent on this engine: its paths simply do not exist here
    }
  };
  add('%TypedArray%', () => proto(Int8Array));
  // the realm's own ArrayBuffer.prototype, even where the global was replaced
  // by another realm's (as test runners do)
  add('%ArrayBufferPrototype%', () => proto(new Float64Array(0).buffer));
  add('%IteratorPrototype%', () => proto(proto([][Symbol.iterator]())));
  add('%ArrayIteratorPrototype%', () => proto([][Symbol.iterator]()));
  add('%MapIteratorPrototype%', () => proto(new Map()[Symbol.iterator]()));
  add('%SetIteratorPrototype%', () => proto(new Set()[Symbol.iterator]()));
  add('%StringIteratorPrototype%', () => proto(''[Symbol.iterator]()));
  add('%RegExpStringIteratorPrototype%', () => proto(/x/[Symbol.matchAll]('')));
  add('%GeneratorFunction%', () => proto(function* () {}).constructor);
  add('%AsyncFunction%', () => proto(async function () {}).constructor);
  add('%AsyncGeneratorFunction%', () => proto(async function* () {}).constructor);
  add('%AsyncIteratorPrototype%', () => proto(proto((async function* () {}).prototype)));
  return found;
}
