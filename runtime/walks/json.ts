// `JSON.parse(text, reviver)` and `JSON.stringify(value, replacerFunction,
// space)` as walks (driver.ts), so a checkpoint can land inside the reviver,
// the replacer or a `toJSON` method. Both follow ECMA-262 §25.5 step by step
// with an explicit stack instead of recursion: InternalizeJSONProperty
// (post-order, keys taken once per object, `undefined` deletes) and
// SerializeJSONProperty (toJSON, then the replacer with the holder as this,
// boxed primitives unwrapped, cycles refused with V8's message). Parsing
// itself and string quoting are the engine's.
//
// The reviver's result is put in place by CreateDataProperty, which V8 runs
// through its runtime (Reflect.defineProperty: ~190 ns a property, more than
// the reviver's call). On an object the engine's parse made, a property that
// is still a plain data property (writable, enumerable, configurable) takes
// the result by assignment instead, which ECMA-262 makes the same operation
// there (OrdinarySet of an own writable data property is DefineOwnProperty
// of its value); anything the reviver reshaped or put in the tree (a
// proxy, an accessor, a frozen or foreign object) gets the define.

import { ask, defineWalk, type WalkState } from './driver.js';

const nativeParse = JSON.parse;
const nativeStringify = JSON.stringify;

// ---- parse ----------------------------------------------------------------------------------

interface Holder {
  /** The object holding the value, its key, the value read when the walk reached it. */
  h: Record<string, unknown>;
  n: string;
  v: unknown;
  /** Keys of v (an object); undefined for an array, whose keys are its indices up to `len`, or a primitive. */
  ks: string[] | undefined;
  len: number;
  /** The next key (index) to visit. */
  i: number;
}

interface ParseState extends WalkState {
  text: string;
  reviver: Function;
  s: Holder[];
  /** Every object and array of the engine's parse, before the reviver ran (see the file comment). */
  made: Set<object> | undefined;
}

const P_START = 0, P_DESCEND = 1, P_REVIVED = 2;

export function parseWalk(text: unknown, reviver: Function): ParseState {
  return { w: 'json.parse', p: 0, fn: undefined, self: undefined, args: undefined, result: undefined, text: String(text), reviver, s: [], made: undefined };
}

/** InternalizeJSONProperty's first steps: the value (Get), and its keys, or its length (LengthOfArrayLike) if it is an array. */
function holder(h: Record<string, unknown>, n: string): Holder {
  const v = h[n];
  let ks: string[] | undefined;
  let len = 0;
  if (typeof v === 'object' && v !== null) {
    if (Array.isArray(v)) len = v.length;
    else ks = Object.keys(v);
  }
  return { h, n, v, ks, len, i: 0 };
}

const ownDescriptor = Object.getOwnPropertyDescriptor;
const defineProperty = Reflect.defineProperty;

/** The objects and arrays of a fresh parse: ordinary, every property a plain data property, no reviver has seen them. */
function parsedObjects(root: unknown): Set<object> {
  const made = new Set<object>();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const v = pending.pop();
    if (typeof v !== 'object' || v === null) continue;
    made.add(v);
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) pending.push(v[i]);
    else for (const member of Object.values(v)) pending.push(member);
  }
  return made;
}

/** CreateDataProperty(o, k, value): see the file comment for when an assignment is that. */
function define(o: object, k: string, value: unknown, made: Set<object> | undefined): void {
  if (made !== undefined && made.has(o)) {
    const own = ownDescriptor(o, k);
    if (own !== undefined && own.writable === true && own.enumerable === true && own.configurable === true) {
      (o as Record<string, unknown>)[k] = value;
      return;
    }
  }
  defineProperty(o, k, { value, writable: true, enumerable: true, configurable: true });
}

function parseStep(st: ParseState, r: unknown): boolean {
  const s = st.s;
  for (;;) {
    switch (st.p) {
      case P_START: {
        const root: Record<string, unknown> = {};
        const parsed = nativeParse(st.text);
        define(root, '', parsed, undefined);
        st.made = parsedObjects(parsed);
        s.push(holder(root, ''));
        st.p = P_DESCEND;
        continue;
      }
      case P_DESCEND: {
        const top = s[s.length - 1];
        // (`ks` first: a walk saved by an older runtime listed an array's keys too, and has no `len`)
        if (top.i < (top.ks !== undefined ? top.ks.length : top.len)) {
          s.push(holder(top.v as Record<string, unknown>, top.ks === undefined ? String(top.i) : top.ks[top.i]));
          continue;
        }
        return ask(st, P_REVIVED, st.reviver, top.h, [top.n, top.v]);
      }
      case P_REVIVED: {
        s.pop();
        if (s.length === 0) {
          st.result = r;
          st.made = undefined;
          return false;
        }
        const parent = s[s.length - 1];
        const k = parent.ks === undefined ? String(parent.i) : parent.ks[parent.i];
        parent.i++;
        if (r === undefined) Reflect.deleteProperty(parent.v as object, k);
        else define(parent.v as object, k, r, st.made);
        st.p = P_DESCEND;
        continue;
      }
    }
  }
}

defineWalk('json.parse', parseStep);

// ---- stringify ------------------------------------------------------------------------------

/**
 * One SerializeJSONProperty in progress: the root's, and each object's or
 * array's. A member whose value (after toJSON and the replacer) is not an
 * object is serialized by its container, in place (the M_* phases), with no
 * entry of its own: most members of most data are strings and numbers.
 */
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
  /** The members' texts so far; made when the value turns out to be an object or array. */
  partial: string[] | undefined;
  stepback: string;
  /** The member in progress: its key and its value so far. */
  mk: string;
  mv: unknown;
}

interface StringifyState extends WalkState {
  replacer: Function;
  gap: string;
  indent: string;
  s: Property[];
  /** What the property just finished returned to its parent. */
  ret: string | undefined;
}

const S_READ = 0, S_REPLACE = 1, S_VALUE = 2, S_MEMBERS = 3, S_MEMBER_DONE = 4, M_REPLACE = 5, M_VALUE = 6, S_OBJECT = 7;
/** st.p: stepping; the result of the call goes to the top property's value; to its member's value. */
const W_STEP = 0, W_VALUE = 1, W_MEMBER = 2;

export function stringifyWalk(value: unknown, replacer: Function, space: unknown): StringifyState {
  const wrapper = {};
  define(wrapper, '', value, undefined);
  return { w: 'json.stringify', p: 0, fn: undefined, self: undefined, args: undefined, result: undefined, replacer, gap: gapOf(space), indent: '', s: [property(wrapper, '', S_READ, undefined)], ret: undefined };
}

function property(h: object, k: string, ph: number, v: unknown): Property {
  return { h, k, ph, v, arr: false, ks: undefined, len: 0, i: 0, partial: undefined, stepback: '', mk: '', mv: undefined };
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

/** The toJSON method SerializeJSONProperty calls on `v`, if any. */
function toJSONOf(v: unknown): Function | undefined {
  if ((typeof v === 'object' && v !== null) || typeof v === 'bigint') {
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return toJSON;
  }
  return undefined;
}

function stringifyStep(st: StringifyState, r: unknown): boolean {
  for (;;) {
    const s = st.s;
    const top = s[s.length - 1];
    // A call's result goes to the property, or the member, that asked for it.
    if (st.p !== W_STEP) {
      if (st.p === W_VALUE) top.v = r;
      else top.mv = r;
      st.p = W_STEP;
    }
    switch (top.ph) {
      case S_READ: {
        top.v = (top.h as Record<string, unknown>)[top.k];
        top.ph = S_REPLACE;
        const toJSON = toJSONOf(top.v);
        if (toJSON !== undefined) return ask(st, W_VALUE, toJSON, top.v, [top.k]);
        continue;
      }
      case S_REPLACE:
        top.ph = S_VALUE;
        return ask(st, W_VALUE, st.replacer, top.h, [top.k, top.v]);
      case S_VALUE: {
        const v = unbox(top.v);
        if (typeof v !== 'object' || v === null) {
          if (settle(st, primitive(v))) return false;
          continue;
        }
        top.v = v;
        top.ph = S_OBJECT;
        continue;
      }
      case S_OBJECT: {
        const v = top.v as object;
        checkCycle(s);
        top.stepback = st.indent;
        st.indent += st.gap;
        top.arr = Array.isArray(v);
        if (top.arr) top.len = (v as unknown[]).length;
        else {
          top.ks = Object.keys(v);
          top.len = top.ks.length;
        }
        top.partial = [];
        top.ph = S_MEMBERS;
        continue;
      }
      case S_MEMBERS: {
        if (top.i >= top.len) {
          st.indent = top.stepback;
          if (settle(st, members(st, top))) return false;
          continue;
        }
        // The member's SerializeJSONProperty, up to its replaced value.
        const k = top.arr ? String(top.i) : top.ks![top.i];
        const v = (top.v as Record<string, unknown>)[k];
        top.mk = k;
        top.mv = v;
        top.ph = M_REPLACE;
        const toJSON = toJSONOf(v);
        if (toJSON !== undefined) return ask(st, W_MEMBER, toJSON, v, [k]);
        continue;
      }
      case M_REPLACE:
        top.ph = M_VALUE;
        return ask(st, W_MEMBER, st.replacer, top.v, [top.mk, top.mv]);
      case M_VALUE: {
        const v = unbox(top.mv);
        top.mv = undefined;
        if (typeof v === 'object' && v !== null) {
          top.ph = S_MEMBER_DONE;
          s.push(property(top.v as object, top.mk, S_OBJECT, v));
          continue;
        }
        addMember(st, top, primitive(v));
        continue;
      }
      case S_MEMBER_DONE: {
        const str = st.ret;
        st.ret = undefined;
        addMember(st, top, str);
        continue;
      }
    }
  }
}

/** The text of the member in progress is `str` (undefined: skipped in an object, null in an array); on to the next. */
function addMember(st: StringifyState, top: Property, str: string | undefined): void {
  if (top.arr) top.partial!.push(str ?? 'null');
  else if (str !== undefined) top.partial!.push(`${quote(top.mk)}:${st.gap ? ' ' : ''}${str}`);
  top.i++;
  top.ph = S_MEMBERS;
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
      return quote(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    default:
      return undefined;
  }
}

/**
 * QuoteJSONString: a short string with nothing to escape (no `"`, `\\`,
 * control character or surrogate) is quoted here, which costs less than a
 * call of the engine's JSON.stringify; anything else is the engine's.
 */
function quote(s: string): string {
  if (s.length > 64) return nativeStringify(s);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return nativeStringify(s);
  }
  return '"' + s + '"';
}

function members(st: StringifyState, p: Property): string {
  const open = p.arr ? '[' : '{', close = p.arr ? ']' : '}';
  const partial = p.partial!;
  if (partial.length === 0) return open + close;
  if (st.gap === '') return open + partial.join(',') + close;
  const inner = p.stepback + st.gap;
  return `${open}\n${inner}${partial.join(`,\n${inner}`)}\n${p.stepback}${close}`;
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
