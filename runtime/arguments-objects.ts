// The program's `arguments` objects, saved as how to make them again. An
// instrumented function keeps its real `arguments` (so `Array.isArray` is
// false, `Object.prototype.toString` says Arguments, `JSON.stringify` writes
// an object and console.log shows `[Arguments]`), and a frame that holds it
// saves it. Its brand lives in an internal slot the heap cannot write, so a
// capture saves it like a platform value (platform-values.ts): its
// prototype, length, elements (holes kept), other own properties and
// integrity, and a restore makes a strict-mode arguments object of those
// elements and puts the rest back. Only unmapped (strict) ones are
// recognised, the kind every function of a module has; a sloppy library
// function's mapped one stays an ordinary object, as before.

import { functions } from './functions.js';
import { Integrity } from './heap/layout.js';
import { PlatformValue } from './transient.js';

const hasOwn = Object.prototype.hasOwnProperty;
const objectToString = Object.prototype.toString;
const ARGUMENTS_TAG = '[object Arguments]';
const INDEX = /^(?:0|[1-9]\d*)$/;

/** A strict arguments object of these elements (this module is strict, as every ES module is). */
function argumentsOf(..._elements: unknown[]): IArguments {
  return arguments;
}

/** The accessor every strict arguments object has as `callee`, and its default iterator. */
const blank = argumentsOf();
const THROWER = Object.getOwnPropertyDescriptor(blank, 'callee')?.get;
const VALUES = Object.getOwnPropertyDescriptor(blank, Symbol.iterator)?.value as unknown;

/** The stand-in a capture saves for `v`, if it is a strict arguments object. */
export function argumentsValue(v: object): PlatformValue | undefined {
  if (!hasOwn.call(v, 'callee') || objectToString.call(v) !== ARGUMENTS_TAG) return undefined;
  const callee = Object.getOwnPropertyDescriptor(v, 'callee')!;
  if (THROWER === undefined || callee.get !== THROWER) return undefined;
  const length = Object.getOwnPropertyDescriptor(v, 'length')?.value;
  const elements: unknown[] = [];
  // What a blank strict arguments object has anyway (`length`, the default iterator, plain elements) is not repeated in `rest`.
  const rest: [string | symbol, PropertyDescriptor][] = [];
  let keepsIterator = false;
  for (const key of Reflect.ownKeys(v)) {
    if (key === 'callee') continue;
    const d = Object.getOwnPropertyDescriptor(v, key)!;
    const plain = 'value' in d && d.writable === true && d.configurable === true;
    if (key === Symbol.iterator) keepsIterator = true;
    if (plain && d.enumerable && typeof key === 'string' && INDEX.test(key) && Number(key) < length) elements[Number(key)] = d.value;
    else if (!(plain && !d.enumerable && (key === 'length' || (key === Symbol.iterator && d.value === VALUES)))) rest.push([key, d]);
  }
  const integrity = Object.isExtensible(v) ? Integrity.extensible : Object.isFrozen(v) ? Integrity.frozen : Object.isSealed(v) ? Integrity.sealed : Integrity.preventExtensions;
  return new PlatformValue(remakeArguments.bind(undefined, Object.getPrototypeOf(v) as object | null, typeof length === 'number' ? length : 0, elements, rest, keepsIterator, integrity));
}

function remakeArguments(proto: object | null, length: number, elements: unknown[], rest: [string | symbol, PropertyDescriptor][], keepsIterator: boolean, integrity: number): IArguments {
  const made = Reflect.apply(argumentsOf, undefined, elements) as IArguments;
  for (let e = 0; e < elements.length; e++) if (!(e in elements)) delete (made as unknown as Record<number, unknown>)[e];
  if (!keepsIterator) delete (made as unknown as Record<symbol, unknown>)[Symbol.iterator];
  made.length = length;
  for (const [key, d] of rest) Object.defineProperty(made, key, d);
  if (Object.getPrototypeOf(made) !== proto) Object.setPrototypeOf(made, proto);
  if (integrity === Integrity.frozen) Object.freeze(made);
  else if (integrity === Integrity.sealed) Object.seal(made);
  else if (integrity === Integrity.preventExtensions) Object.preventExtensions(made);
  return made;
}

functions.registerStatic('introspect:remakeArguments', remakeArguments);
