// Which calls a walk takes over: only the genuine built-in with a function
// callback on the receiver it was made for; anything else (a subclass, a
// patched method, a non-function callback) runs as written.

import { arrayFromWalk } from './array-from.js';
import { runWalk, type WalkState } from './driver.js';
import { parseWalk, stringifyWalk } from './json.js';
import { replaceWalk } from './replace.js';
import { sortWalk } from './sort.js';
import { isWalkableArray } from '../walkable.js';

export { bindWalks } from './driver.js';

const arrayProto = Array.prototype as unknown as Record<string, unknown>;
const stringProto = String.prototype as unknown as Record<string, unknown>;
const nativeSort = arrayProto.sort;
const nativeToSorted = arrayProto.toSorted;
const nativeFrom = Array.from;
const nativeParse = JSON.parse;
const nativeStringify = JSON.stringify;
const regexpReplace = RegExp.prototype[Symbol.replace];

/** Does this engine pass JSON.parse's reviver a third argument (source text access)? Then a reviver that reads it runs natively. */
let reviverContext = false;
nativeParse('0', function (this: unknown, ...a: unknown[]) {
  reviverContext = a.length > 2;
  return a[1];
});

/** A plain array whose `method` is the built-in — or absent on an engine older than the method (the walk provides it). */
/** Below this length the walk's comparisons are V8's, call for call. */
const WALKED_SORT_LIMIT = 64;

function isPlainArray(o: unknown, method: string, native: unknown): o is unknown[] {
  return isWalkableArray(o) && (o as unknown as Record<string, unknown>)[method] === native;
}

function isPlainPattern(p: unknown): boolean {
  if (typeof p !== 'object' || p === null) return typeof p !== 'function';
  return p instanceof RegExp && Object.getPrototypeOf(p) === RegExp.prototype && (p as RegExp)[Symbol.replace] === regexpReplace;
}

function walkFor(o: unknown, name: string, args: unknown[]): WalkState | undefined {
  const cb = args[name === 'sort' || name === 'toSorted' ? 0 : 1];
  if (typeof cb !== 'function') return undefined;
  switch (name) {
    // From 64 elements V8 merges with galloping, which the walk does not
    // copy: the engine's own sort keeps the comparator's calls (a counting or
    // random comparator) as they are, the checkpoint waiting until it ends.
    case 'sort':
      return isPlainArray(o, name, nativeSort) && o.length < WALKED_SORT_LIMIT ? sortWalk(o, cb, true) : undefined;
    case 'toSorted':
      // An engine without toSorted (gjs 1.74's SpiderMonkey) gets the walk's at any length.
      return isPlainArray(o, name, nativeToSorted) && (o.length < WALKED_SORT_LIMIT || nativeToSorted === undefined) ? sortWalk(o, cb, false) : undefined;
    case 'from':
      // null or undefined items: the engine's own TypeError (its message is the program's output)
      return o === Array && Array.from === nativeFrom && args[0] != null ? arrayFromWalk(args[0], cb, args[2]) : undefined;
    case 'replace':
    case 'replaceAll': {
      const native = stringProto[name] as Function | undefined;
      if (typeof o !== 'string' || native === undefined || !isPlainPattern(args[0])) return undefined;
      return replaceWalk(o, native, args[0], cb);
    }
    case 'parse':
      return o === JSON && JSON.parse === nativeParse && !(reviverContext && cb.length > 2) ? parseWalk(args[0], cb) : undefined;
    case 'stringify':
      return o === JSON && JSON.stringify === nativeStringify ? stringifyWalk(args[0], cb, args[2]) : undefined;
  }
  return undefined;
}

const WALKED = new Set(['sort', 'toSorted', 'from', 'replace', 'replaceAll', 'parse', 'stringify']);
const NOT_WALKED: unique symbol = Symbol('not walked');

/** `o[name](...args)` run by a walk if it is one of the built-ins above, else NOT_WALKED. */
export function callThroughWalk(o: unknown, name: string, args: unknown[]): unknown {
  if (!WALKED.has(name)) return NOT_WALKED;
  const st = walkFor(o, name, args);
  return st === undefined ? NOT_WALKED : runWalk(st, false);
}

export { NOT_WALKED };
