// `JSON.parse(text, reviver)` and `JSON.stringify(value, replacerFunction,
// space)` as walks (driver.ts), so a checkpoint can land inside the reviver,
// the replacer or a `toJSON` method. Both follow ECMA-262 §25.5 step by step
// with an explicit stack instead of recursion: InternalizeJSONProperty
// (post-order, keys taken once per object, `undefined` deletes) and
// SerializeJSONProperty (toJSON, then the replacer with the holder as this,
// boxed primitives unwrapped, cycles refused with V8's message). Parsing
// itself and string quoting are the engine's.

import { ask, defineWalk, type WalkState } from './driver.js';

const nativeParse = JSON.parse;
const nativeStringify = JSON.stringify;

// ---- parse ----------------------------------------------------------------------------------

interface Holder {
  /** The object holding the value, its key, the value read when the walk reached it. */
  h: Record<string, unknown>;
  n: string;
  v: unknown;
  /** Keys of v (an object) and the next one to visit. */
  ks: string[] | undefined;
  i: number;
}

interface ParseState extends WalkState {
  text: string;
  reviver: Function;
  s: Holder[];
}

const P_START = 0, P_DESCEND = 1, P_REVIVED = 2;

export function parseWalk(text: unknown, reviver: Function): ParseState {
  return { w: 'json.parse', p: 0, fn: undefined, self: undefined, args: undefined, result: undefined, text: String(text), reviver, s: [] };
}

function holder(h: Record<string, unknown>, n: string): Holder {
  const v = h[n];
  let ks: string[] | undefined;
  if (typeof v === 'object' && v !== null) {
    if (Array.isArray(v)) {
      const len = v.length;
      ks = [];
      for (let i = 0; i < len; i++) ks.push(String(i));
    } else ks = Object.keys(v);
  }
  return { h, n, v, ks, i: 0 };
}

function define(o: object, k: string, value: unknown): void {
  Reflect.defineProperty(o, k, { value, writable: true, enumerable: true, configurable: true });
}

function parseStep(st: ParseState, r: unknown): boolean {
  const s = st.s;
  for (;;) {
    switch (st.p) {
      case P_START: {
        const root: Record<string, unknown> = {};
        define(root, '', nativeParse(st.text));
        s.push(holder(root, ''));
        st.p = P_DESCEND;
        continue;
      }
      case P_DESCEND: {
        const top = s[s.length - 1];
        if (top.ks !== undefined && top.i < top.ks.length) {
          s.push(holder(top.v as Record<string, unknown>, top.ks[top.i]));
          continue;
        }
        return ask(st, P_REVIVED, st.reviver, top.h, [top.n, top.v]);
      }
      case P_REVIVED: {
        s.pop();
        if (s.length === 0) {
          st.result = r;
          return false;
        }
        const parent = s[s.length - 1];
        const k = parent.ks![parent.i++];
        if (r === undefined) Reflect.deleteProperty(parent.v as object, k);
        else define(parent.v as object, k, r);
        st.p = P_DESCEND;
        continue;
      }
    }
  }
}

defineWalk('json.parse', parseStep);

// ---- stringify ------------------------------------------------------------------------------

/** One SerializeJSONProperty in progress. */
interface Property {
  h: object;
  k: string;
  /** What it does next (S_* below) and the value so far. */
  ph: number;
  v: unknown;
  /** An object or array being serialized: its keys (objects), length (arrays), next index, members so far. */
  arr: boolean;
  ks: string[] | undefined;
  len: number;
  i: number;
  partial: string[];
  stepback: string;
}

interface StringifyState extends WalkState {
  replacer: Function;
  gap: string;
  indent: string;
  s: Property[];
  /** What the property just finished returned to its parent. */
  ret: string | undefined;
}

const S_READ = 0, S_REPLACE = 1, S_VALUE = 2, S_MEMBERS = 3, S_MEMBER_DONE = 4;
const W_STEP = 0;

export function stringifyWalk(value: unknown, replacer: Function, space: unknown): StringifyState {
  const wrapper = {};
  define(wrapper, '', value);
  return { w: 'json.stringify', p: 0, fn: undefined, self: undefined, args: undefined, result: undefined, replacer, gap: gapOf(space), indent: '', s: [property(wrapper, '')], ret: undefined };
}

function property(h: object, k: string): Property {
  return { h, k, ph: S_READ, v: undefined, arr: false, ks: undefined, len: 0, i: 0, partial: [], stepback: '' };
}

function gapOf(space: unknown): string {
  if (typeof space === 'object' && space !== null) {
    if (space instanceof Number) space = Number(space);
    else if (space instanceof String) space = String(space);
  }
  if (typeof space === 'number') return ' '.repeat(Math.max(0, Math.min(10, Math.trunc(space) || 0)));
  if (typeof space === 'string') return space.slice(0, 10);
  return '';
}

function stringifyStep(st: StringifyState, r: unknown): boolean {
  for (;;) {
    const s = st.s;
    const top = s[s.length - 1];
    // A call's result goes to the property that asked for it.
    if (st.p !== W_STEP) {
      top.v = r;
      st.p = W_STEP;
    }
    switch (top.ph) {
      case S_READ: {
        top.v = (top.h as Record<string, unknown>)[top.k];
        top.ph = S_REPLACE;
        const v = top.v;
        if ((typeof v === 'object' && v !== null) || typeof v === 'bigint') {
          const toJSON = (v as { toJSON?: unknown }).toJSON;
          if (typeof toJSON === 'function') return ask(st, 1, toJSON, v, [top.k]);
        }
        continue;
      }
      case S_REPLACE:
        top.ph = S_VALUE;
        return ask(st, 1, st.replacer, top.h, [top.k, top.v]);
      case S_VALUE: {
        const v = unbox(top.v);
        if (typeof v !== 'object' || v === null) {
          if (settle(st, primitive(v))) return false;
          continue;
        }
        top.v = v;
        checkCycle(s);
        top.stepback = st.indent;
        st.indent += st.gap;
        top.arr = Array.isArray(v);
        if (top.arr) top.len = (v as unknown[]).length;
        else {
          top.ks = Object.keys(v);
          top.len = top.ks.length;
        }
        top.ph = S_MEMBERS;
        continue;
      }
      case S_MEMBERS:
        if (top.i < top.len) {
          top.ph = S_MEMBER_DONE;
          s.push(property(top.v as object, top.arr ? String(top.i) : top.ks![top.i]));
          continue;
        }
        st.indent = top.stepback;
        if (settle(st, members(st, top))) return false;
        continue;
      case S_MEMBER_DONE: {
        const str = st.ret;
        st.ret = undefined;
        if (top.arr) top.partial.push(str ?? 'null');
        else if (str !== undefined) top.partial.push(`${nativeStringify(top.ks![top.i])}:${st.gap ? ' ' : ''}${str}`);
        top.i++;
        top.ph = S_MEMBERS;
        continue;
      }
    }
  }
}

/** The property on top of the stack is serialized as `str`: its parent takes it; true when it was the root. */
function settle(st: StringifyState, str: string | undefined): boolean {
  st.s.pop();
  if (st.s.length === 0) {
    st.result = str;
    return true;
  }
  st.ret = str;
  return false;
}

const toTag = Object.prototype.toString;

/** Number, String, Boolean and BigInt objects serialize as their primitive. */
function unbox(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (v instanceof Number) return Number(v);
  if (v instanceof String) return String(v);
  const tag = toTag.call(v);
  if (tag === '[object Boolean]' || tag === '[object BigInt]') return (v as { valueOf(): unknown }).valueOf();
  return v;
}

/** SerializeJSONProperty of a value that is not an object: its text, or undefined (skipped). */
function primitive(v: unknown): string | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return nativeStringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    default:
      return undefined;
  }
}

function members(st: StringifyState, p: Property): string {
  const [open, close] = p.arr ? ['[', ']'] : ['{', '}'];
  if (p.partial.length === 0) return open + close;
  if (st.gap === '') return open + p.partial.join(',') + close;
  const inner = p.stepback + st.gap;
  return `${open}\n${inner}${p.partial.join(`,\n${inner}`)}\n${p.stepback}${close}`;
}

/** The value on top is already being serialized further down: V8's TypeError, with the path around the circle. */
function checkCycle(s: Property[]): void {
  const v = s[s.length - 1].v;
  const from = s.findIndex((p, i) => i < s.length - 1 && p.ph >= S_MEMBERS && p.v === v);
  if (from < 0) return;
  const name = (o: unknown) => {
    const c = (o as { constructor?: { name?: unknown } }).constructor;
    return typeof c === 'function' && typeof c.name === 'string' ? c.name : 'Object';
  };
  const key = (p: Property, parent: Property) => (parent.arr ? `index ${p.k}` : `property '${p.k}'`);
  const lines = ['Converting circular structure to JSON', `    --> starting at object with constructor '${name(v)}'`];
  for (let i = from + 1; i < s.length - 1; i++) lines.push(`    |     ${key(s[i], s[i - 1])} -> object with constructor '${name(s[i].v)}'`);
  lines.push(`    --- ${key(s[s.length - 1], s[s.length - 2])} closes the circle`);
  throw new TypeError(lines.join('\n'));
}

defineWalk('json.stringify', stringifyStep);
