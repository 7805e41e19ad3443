// What Node's console prints, for engines whose console prints otherwise.
// Takes the arguments of a `console.log`; gives the line Node would print:
// `util.format` (the `%s %d %i %f %j %o %O %c` placeholders of a first string
// argument) and `util.inspect` with Node's defaults (depth 2, 80 columns,
// `compact: 3`, arrays of more than six entries grouped in columns, at most
// 100 entries). A checkpoint taken on Node and restarted on QuickJS, jsc,
// gjs or a browser then prints `[ 1, 2, 3 ]` and `{ a: 1 }` as Node did
// before the checkpoint, instead of the shell's `1,2,3` and `[object
// Object]`. Written after the algorithm of Node's lib/internal/util/inspect.js
// for the cases programs print: primitives, arrays (holes, extra keys),
// plain and class objects, null-prototype objects, Map, Set, typed arrays,
// ArrayBuffer, Date, RegExp, boxed primitives, functions and classes,
// errors, getters and setters, circular references, and objects with a
// `nodejs.util.inspect.custom` method (the runtime's promises and generators,
// platform-look.ts). `inspectWithOptions` is `util.inspect(value, options)`
// for the restart bundle's node:util (util-module.ts): depth, breakLength,
// maxArrayLength, compact (a number, or false: every entry on its own line)
// and sorted; `compact: true` is taken as 3. Imports nothing from a platform.

import { formatTable } from './console-table.js';
import { lineStream, rawStream, type OutputStream, type ProgramOutput } from './output.js';

const DEPTH = 2;
const BREAK_LENGTH = 80;
const COMPACT = 3;
const MAX_ARRAY_LENGTH = 100;
const MAX_STRING_LENGTH = 10000;
const MIN_LINE_LENGTH = 16;
const CUSTOM = Symbol.for('nodejs.util.inspect.custom');

/** What an entry list is: an object's properties, or an array's elements (grouped in columns). */
const OBJECT = 0;
const ARRAY_ELEMENT = 1;
const ARRAY_EXTRAS = 2;

interface Context {
  seen: unknown[];
  circular: Map<unknown, number> | undefined;
  indentationLvl: number;
  currentDepth: number;
}

function newContext(): Context {
  return { seen: [], circular: undefined, indentationLvl: 0, currentDepth: 0 };
}

/** The line `console.log(...args)` prints on Node. */
export function formatLogArgs(args: readonly unknown[]): string {
  const first = args[0];
  let a = 0;
  let str = '';
  let join = '';
  if (typeof first === 'string') {
    if (args.length === 1) return first;
    let lastPos = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) !== 37) continue; // '%'
      const next = first.charCodeAt(++i);
      if (a + 1 !== args.length) {
        let piece: string;
        switch (next) {
          case 115: { // %s
            const arg = args[++a];
            if (typeof arg === 'number') piece = formatNumber(arg);
            else if (typeof arg === 'bigint') piece = `${arg}n`;
            else if (typeof arg !== 'object' || arg === null || !hasBuiltInToString(arg)) piece = String(arg);
            else piece = inspectWith(arg, 0);
            break;
          }
          case 106: // %j
            piece = tryStringify(args[++a]);
            break;
          case 100: { // %d
            const arg = args[++a];
            piece = typeof arg === 'bigint' ? `${arg}n` : typeof arg === 'symbol' ? 'NaN' : formatNumber(Number(arg));
            break;
          }
          case 79: // %O
            piece = inspect(args[++a]);
            break;
          case 111: // %o (Node shows hidden properties too; the common case prints the same)
            piece = inspectWith(args[++a], 4);
            break;
          case 105: { // %i
            const arg = args[++a];
            piece = typeof arg === 'bigint' ? `${arg}n` : typeof arg === 'symbol' ? 'NaN' : formatNumber(parseInt(arg as string));
            break;
          }
          case 102: { // %f
            const arg = args[++a];
            piece = typeof arg === 'symbol' ? 'NaN' : formatNumber(parseFloat(arg as string));
            break;
          }
          case 99: // %c
            a += 1;
            piece = '';
            break;
          case 37: // %%
            str += first.slice(lastPos, i);
            lastPos = i + 1;
            continue;
          default:
            continue;
        }
        if (lastPos !== i - 1) str += first.slice(lastPos, i - 1);
        str += piece;
        lastPos = i + 1;
      } else if (next === 37) {
        str += first.slice(lastPos, i);
        lastPos = i + 1;
      }
    }
    if (lastPos !== 0) {
      a++;
      join = ' ';
      if (lastPos < first.length) str += first.slice(lastPos);
    }
  }
  while (a < args.length) {
    const value = args[a];
    str += join + (typeof value === 'string' ? value : inspect(value));
    join = ' ';
    a++;
  }
  return str;
}

/** `util.inspect(value)` with Node's defaults. */
export function inspect(value: unknown): string {
  return inspectWith(value, DEPTH);
}

let depthLimit = DEPTH;
let breakLength = BREAK_LENGTH;
let maxArrayLength = MAX_ARRAY_LENGTH;
/** `compact`: how many inner levels may share a line (false: none, each entry on its own line). */
let compact: number | false = COMPACT;
let sorted = false;

/** The options of `util.inspect(value, options)` this file follows (others, `colors` among them, are ignored). */
export interface InspectOptions {
  depth?: number | null;
  breakLength?: number;
  maxArrayLength?: number | null;
  compact?: number | boolean;
  sorted?: boolean;
}

/** `util.inspect(value, options)`: Node's defaults where an option is not given. */
export function inspectWithOptions(value: unknown, options: InspectOptions = {}): string {
  const limit = (v: number | null | undefined, fallback: number): number => (v === null ? Infinity : typeof v === 'number' ? Math.max(v, 0) : fallback);
  const saved = [compact, sorted] as const;
  compact = options.compact === false ? false : typeof options.compact === 'number' ? options.compact : COMPACT;
  sorted = options.sorted === true;
  try {
    return inspectWith(value, options.depth === null ? Infinity : typeof options.depth === 'number' ? options.depth : DEPTH, options.breakLength ?? BREAK_LENGTH, limit(options.maxArrayLength, MAX_ARRAY_LENGTH));
  } finally {
    [compact, sorted] = saved;
  }
}

function inspectWith(value: unknown, depth: number, lineLimit = BREAK_LENGTH, entryLimit = MAX_ARRAY_LENGTH): string {
  const saved = [depthLimit, breakLength, maxArrayLength];
  depthLimit = depth;
  breakLength = lineLimit;
  maxArrayLength = entryLimit;
  try {
    return formatValue(newContext(), value, 0);
  } finally {
    [depthLimit, breakLength, maxArrayLength] = saved as [number, number, number];
  }
}

/** A cell of `console.table`: Node inspects it on one line, arrays cut after 3 entries, objects of more than two keys as `[Object]`. */
export function inspectCell(value: unknown): string {
  const depth = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 2 ? -1 : 0;
  return inspectWith(value, depth, Infinity, 3);
}

function tryStringify(value: unknown): string {
  try {
    return JSON.stringify(value) as string;
  } catch (e) {
    if (e instanceof Error && /circular/i.test(e.message)) return '[Circular]';
    throw e;
  }
}

function hasBuiltInToString(value: object): boolean {
  let proto: object | null = value;
  while (proto !== null) {
    const own = Object.getOwnPropertyDescriptor(proto, 'toString');
    if (own !== undefined) return proto === Object.prototype || proto === Array.prototype || proto === Error.prototype || proto === Date.prototype || proto === RegExp.prototype || proto === Function.prototype;
    proto = Object.getPrototypeOf(proto);
  }
  return true;
}

// ---- primitives ---------------------------------------------------------------------------

function formatNumber(n: number): string {
  return Object.is(n, -0) ? '-0' : `${n}`;
}

const ESCAPES: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r', 39: "\\'", 92: '\\\\' };

function escapeChar(code: number): string {
  const known = ESCAPES[code];
  if (known !== undefined) return known;
  return code < 0x100 ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16)}`;
}

/** A string in quotes as Node shows it: single quotes, unless the text has some (then double, then backticks). */
function quote(text: string): string {
  let q = "'";
  if (text.includes("'")) {
    if (!text.includes('"')) q = '"';
    else if (!text.includes('`') && !text.includes('${')) q = '`';
  }
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 39 && q === "'") || c === 92 || c < 32 || (c > 126 && c < 160)) out += escapeChar(c);
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += text[i]! + text[i + 1]!;
        i++;
      } else out += `\\u${c.toString(16)}`;
    } else out += text[i];
  }
  return `${q}${out}${q}`;
}

function formatPrimitive(ctx: Context, value: unknown): string {
  if (typeof value === 'string') {
    let trailer = '';
    let text = value;
    if (text.length > MAX_STRING_LENGTH) {
      const remaining = text.length - MAX_STRING_LENGTH;
      text = text.slice(0, MAX_STRING_LENGTH);
      trailer = `... ${remaining} more character${remaining > 1 ? 's' : ''}`;
    }
    if (text.length > MIN_LINE_LENGTH && text.length > breakLength - ctx.indentationLvl - 4) {
      return text.split(/(?<=\n)/).map(quote).join(` +\n${' '.repeat(ctx.indentationLvl + 2)}`) + trailer;
    }
    return quote(text) + trailer;
  }
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  return String(value);
}

// ---- objects ------------------------------------------------------------------------------

function formatValue(ctx: Context, value: unknown, recurseTimes: number): string {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    return value === null ? 'null' : formatPrimitive(ctx, value);
  }
  const custom = (value as Record<symbol, unknown>)[CUSTOM];
  if (typeof custom === 'function' && !((value as { constructor?: { prototype?: unknown } }).constructor?.prototype === value)) {
    const shown = custom.call(value, depthLimit - recurseTimes, {}, (v: unknown) => formatValue(ctx, v, recurseTimes + 1));
    if (shown !== value) {
      return typeof shown === 'string' ? shown.replaceAll('\n', `\n${' '.repeat(ctx.indentationLvl)}`) : formatValue(ctx, shown, recurseTimes);
    }
  }
  if (ctx.seen.includes(value)) {
    let index = 1;
    if (ctx.circular === undefined) ctx.circular = new Map([[value, index]]);
    else {
      index = ctx.circular.get(value) ?? ctx.circular.size + 1;
      ctx.circular.set(value, index);
    }
    return `[Circular *${index}]`;
  }
  return formatRaw(ctx, value as object, recurseTimes);
}

/** The name Node shows before an object: its constructor's, found along the prototype chain; null without one. */
function constructorName(obj: object): string | null {
  let proto: object | null = obj;
  while (proto !== null) {
    const d = Object.getOwnPropertyDescriptor(proto, 'constructor');
    if (d !== undefined && typeof d.value === 'function' && d.value.name !== '' && isInstance(obj, d.value)) return String(d.value.name);
    proto = Object.getPrototypeOf(proto);
  }
  return null;
}

function isInstance(obj: object, C: Function): boolean {
  try {
    return obj instanceof C;
  } catch {
    return false;
  }
}

function prefixOf(constructor: string | null, tag: string, fallback: string, size = ''): string {
  if (constructor === null) {
    if (tag !== '' && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
    return `[${fallback}${size}: null prototype] `;
  }
  if (tag !== '' && constructor !== tag) return `${constructor}${size} [${tag}] `;
  return `${constructor}${size} `;
}

function enumerableKeys(value: object): (string | symbol)[] {
  const keys: (string | symbol)[] = Object.keys(value);
  for (const s of Object.getOwnPropertySymbols(value)) if (Object.prototype.propertyIsEnumerable.call(value, s)) keys.push(s);
  return keys;
}

const INDEX = /^(0|[1-9][0-9]*)$/;

function nonIndexKeys(value: object): (string | symbol)[] {
  return enumerableKeys(value).filter((k) => typeof k !== 'string' || !INDEX.test(k));
}

function slotOf<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** An `arguments` object (its brand is not readable: the tag its toString gives). */
function isArgumentsObject(value: object): boolean {
  return Object.prototype.toString.call(value) === '[object Arguments]';
}

type Formatter = (ctx: Context, value: object, recurseTimes: number) => string[];
const NONE: Formatter = () => [];

function formatRaw(ctx: Context, value: object, recurseTimes: number): string {
  const constructor = constructorName(value);
  let tag = (value as Record<symbol, unknown>)[Symbol.toStringTag];
  if (typeof tag !== 'string' || (tag !== '' && Object.prototype.propertyIsEnumerable.call(value, Symbol.toStringTag))) tag = '';
  const t = tag as string;
  let base = '';
  let formatter: Formatter = NONE;
  let braces: [string, string] = ['{', '}'];
  let keys: (string | symbol)[];
  let extrasType = OBJECT;
  let boxed: { base: string; primitive: unknown } | undefined;
  const mapSize = value instanceof Map ? slotOf(() => Map.prototype.entries.call(value) && (value as Map<unknown, unknown>).size) : undefined;
  const setSize = mapSize === undefined && value instanceof Set ? slotOf(() => Set.prototype.values.call(value) && (value as Set<unknown>).size) : undefined;
  if (Array.isArray(value)) {
    const prefix = constructor !== 'Array' || t !== '' ? prefixOf(constructor, t, 'Array', `(${value.length})`) : '';
    keys = nonIndexKeys(value);
    braces = [`${prefix}[`, ']'];
    if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
    extrasType = ARRAY_EXTRAS;
    formatter = formatArray;
  } else if (setSize !== undefined) {
    const prefix = prefixOf(constructor, t, 'Set', `(${setSize})`);
    keys = enumerableKeys(value);
    formatter = formatSet;
    if (setSize === 0 && keys.length === 0) return `${prefix}{}`;
    braces = [`${prefix}{`, '}'];
  } else if (mapSize !== undefined) {
    const prefix = prefixOf(constructor, t, 'Map', `(${mapSize})`);
    keys = enumerableKeys(value);
    formatter = formatMap;
    if (mapSize === 0 && keys.length === 0) return `${prefix}{}`;
    braces = [`${prefix}{`, '}'];
  } else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const typed = value as unknown as ArrayLike<number | bigint>;
    keys = nonIndexKeys(value);
    const fallback = constructor === null ? String((value as unknown as Record<symbol, unknown>)[Symbol.toStringTag]) : '';
    braces = [`${prefixOf(constructor, t, fallback, `(${typed.length})`)}[`, ']'];
    if (typed.length === 0 && keys.length === 0) return `${braces[0]}]`;
    formatter = formatTypedArray;
    extrasType = ARRAY_EXTRAS;
  } else {
    keys = enumerableKeys(value);
    if (typeof value === 'function') {
      base = functionBase(value, constructor, t);
      if (keys.length === 0) return base;
    } else if (constructor === 'Object') {
      if (isArgumentsObject(value)) braces[0] = '[Arguments] {';
      else if (t !== '') braces[0] = `${prefixOf(constructor, t, 'Object')}{`;
      if (keys.length === 0) return `${braces[0]}}`;
    } else if (value instanceof RegExp) {
      base = RegExp.prototype.toString.call(value);
      const prefix = prefixOf(constructor, t, 'RegExp');
      if (prefix !== 'RegExp ') base = `${prefix}${base}`;
      if (keys.length === 0 || recurseTimes > depthLimit) return base;
    } else if (value instanceof Date) {
      const time = Date.prototype.getTime.call(value);
      base = Number.isNaN(time) ? Date.prototype.toString.call(value) : Date.prototype.toISOString.call(value);
      const prefix = prefixOf(constructor, t, 'Date');
      if (prefix !== 'Date ') base = `${prefix}${base}`;
      if (keys.length === 0) return base;
    } else if (value instanceof Error) {
      base = errorBase(value);
      keys = keys.filter((k) => k !== 'stack' && k !== 'message');
      if (keys.length === 0) return base;
    } else if (Object.prototype.toString.call(value) === '[object ArrayBuffer]') {
      const prefix = prefixOf(constructor, t, 'ArrayBuffer');
      formatter = formatArrayBuffer;
      braces[0] = `${prefix}{`;
      keys.unshift('byteLength');
    } else if (value instanceof DataView) {
      braces[0] = `${prefixOf(constructor, t, 'DataView')}{`;
      keys.unshift('byteLength', 'byteOffset', 'buffer');
    } else if (value instanceof WeakMap || value instanceof WeakSet) {
      braces[0] = `${prefixOf(constructor, t, value instanceof WeakMap ? 'WeakMap' : 'WeakSet')}{`;
      formatter = () => ['<items unknown>'];
    } else if ((boxed = boxedOf(value)) !== undefined) {
      base = boxed.base;
      // A String object's characters are its index keys: not shown twice.
      if (typeof boxed.primitive === 'string') keys = nonIndexKeys(value);
      if (keys.length === 0) return base;
    } else {
      const style = prefixOf(constructor, t, constructor === null ? 'Object' : '');
      if (keys.length === 0) return `${style}{}`;
      braces[0] = `${style}{`;
    }
  }
  if (recurseTimes > depthLimit) {
    const name = prefixOf(constructor, t, constructor === null ? 'Object' : '').slice(0, -1);
    return constructor !== null ? `[${name}]` : name;
  }
  recurseTimes += 1;
  ctx.seen.push(value);
  ctx.currentDepth = recurseTimes;
  const output = formatter(ctx, value, recurseTimes);
  for (const key of keys) output.push(formatProperty(ctx, value, recurseTimes, key, extrasType));
  if (ctx.circular !== undefined) {
    const index = ctx.circular.get(value);
    if (index !== undefined) base = base === '' ? `<ref *${index}>` : `<ref *${index}> ${base}`;
  }
  ctx.seen.pop();
  if (sorted) {
    if (extrasType === OBJECT) output.sort();
    else if (keys.length > 1) output.splice(output.length - keys.length, keys.length, ...output.slice(output.length - keys.length).sort());
  }
  return reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value);
}

/** A boxed primitive's class name and its valueOf, which throws for any other object. */
const BOXES: [string, (this: unknown) => unknown][] = [
  ['Number', Number.prototype.valueOf],
  ['String', String.prototype.valueOf],
  ['Boolean', Boolean.prototype.valueOf],
  ['BigInt', BigInt.prototype.valueOf],
  ['Symbol', Symbol.prototype.valueOf],
] as [string, (this: unknown) => unknown][];

/** `[Number: 3]`, `[String: 'x']` and the like, and the primitive; undefined for an object that boxes none. */
function boxedOf(value: object): { base: string; primitive: unknown } | undefined {
  for (const [name, unbox] of BOXES) {
    let primitive: unknown;
    try {
      primitive = unbox.call(value);
    } catch {
      continue;
    }
    const shown = typeof primitive === 'string' ? quote(primitive) : formatPrimitive(newContext(), primitive);
    return { base: `[${name}: ${shown}]`, primitive };
  }
  return undefined;
}

function errorBase(error: Error): string {
  const stack = typeof error.stack === 'string' ? error.stack : '';
  const head = `${error.name}: ${error.message}`;
  if (stack === '' || !stack.includes(error.message)) return stack === '' ? `[${head}]` : `${head}\n${stack}`;
  // V8 stacks begin with the head; other engines' are frames only.
  return stack.startsWith(error.name) ? stack : `${head}\n${stack}`;
}

function functionBase(fn: Function, constructor: string | null, tag: string): string {
  const source = slotOf(() => Function.prototype.toString.call(fn)) ?? '';
  if (source.startsWith('class') && source.endsWith('}')) {
    const name = (Object.prototype.hasOwnProperty.call(fn, 'name') && (fn as { name: unknown }).name) || '(anonymous)';
    let base = `class ${String(name)}`;
    if (constructor !== 'Function' && constructor !== null) base += ` [${constructor}]`;
    if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
    const superName = (Object.getPrototypeOf(fn) as { name?: string } | null)?.name;
    if (superName) base += ` extends ${superName}`;
    return `[${base}]`;
  }
  const protoName = (Object.getPrototypeOf(fn) as { constructor?: { name?: string } } | null)?.constructor?.name;
  const type = protoName === 'AsyncFunction' || protoName === 'GeneratorFunction' || protoName === 'AsyncGeneratorFunction' ? protoName : 'Function';
  let base = `[${type}`;
  if (constructor === null) base += ' (null prototype)';
  base += fn.name === '' ? ' (anonymous)' : `: ${fn.name}`;
  base += ']';
  if (constructor !== type && constructor !== null) base += ` ${constructor}`;
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
  return base;
}

function remainingText(remaining: number): string {
  return `... ${remaining} more item${remaining > 1 ? 's' : ''}`;
}

function formatArray(ctx: Context, value: object, recurseTimes: number): string[] {
  const array = value as unknown[];
  const length = Math.min(maxArrayLength, array.length);
  const output: string[] = [];
  for (let i = 0; i < length; i++) {
    if (!Object.prototype.hasOwnProperty.call(array, i)) return formatSparseArray(ctx, array, recurseTimes, length, output, i);
    output.push(formatProperty(ctx, array, recurseTimes, i, ARRAY_ELEMENT));
  }
  if (array.length > length) output.push(remainingText(array.length - length));
  return output;
}

function formatSparseArray(ctx: Context, array: unknown[], recurseTimes: number, maxLength: number, output: string[], from: number): string[] {
  const keys = Object.keys(array);
  let index = from;
  for (let i = from; i < keys.length && output.length < maxLength; i++) {
    const key = keys[i]!;
    const at = +key;
    if (at > 2 ** 32 - 2) break;
    if (`${index}` !== key) {
      if (!INDEX.test(key)) break;
      const empty = at - index;
      output.push(`<${empty} empty item${empty > 1 ? 's' : ''}>`);
      index = at;
      if (output.length === maxLength) break;
    }
    output.push(formatProperty(ctx, array, recurseTimes, key, ARRAY_ELEMENT));
    index++;
  }
  const remaining = array.length - index;
  if (output.length !== maxLength) {
    if (remaining > 0) output.push(`<${remaining} empty item${remaining > 1 ? 's' : ''}>`);
  } else if (remaining > 0) output.push(remainingText(remaining));
  return output;
}

function formatTypedArray(_ctx: Context, value: object): string[] {
  const typed = value as unknown as ArrayLike<number | bigint>;
  const length = Math.min(maxArrayLength, typed.length);
  const output: string[] = [];
  for (let i = 0; i < length; i++) {
    const v = typed[i]!;
    output.push(typeof v === 'bigint' ? `${v}n` : formatNumber(v));
  }
  if (typed.length > length) output.push(remainingText(typed.length - length));
  return output;
}

function formatArrayBuffer(_ctx: Context, value: object): string[] {
  const bytes = slotOf(() => new Uint8Array(value as ArrayBuffer));
  if (bytes === undefined) return ['(detached)'];
  let hex = '';
  const shown = Math.min(maxArrayLength, bytes.length);
  for (let i = 0; i < shown; i++) hex += `${i > 0 ? ' ' : ''}${bytes[i]!.toString(16).padStart(2, '0')}`;
  const remaining = bytes.length - shown;
  if (remaining > 0) hex += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  return [`[Uint8Contents]: <${hex}>`];
}

function formatSet(ctx: Context, value: object, recurseTimes: number): string[] {
  const set = value as Set<unknown>;
  const output: string[] = [];
  ctx.indentationLvl += 2;
  let i = 0;
  for (const v of Set.prototype.values.call(set)) {
    if (i++ >= maxArrayLength) break;
    output.push(formatValue(ctx, v, recurseTimes));
  }
  if (set.size > maxArrayLength) output.push(remainingText(set.size - maxArrayLength));
  ctx.indentationLvl -= 2;
  return output;
}

function formatMap(ctx: Context, value: object, recurseTimes: number): string[] {
  const map = value as Map<unknown, unknown>;
  const output: string[] = [];
  ctx.indentationLvl += 2;
  let i = 0;
  for (const [k, v] of Map.prototype.entries.call(map)) {
    if (i++ >= maxArrayLength) break;
    output.push(`${formatValue(ctx, k, recurseTimes)} => ${formatValue(ctx, v, recurseTimes)}`);
  }
  if (map.size > maxArrayLength) output.push(remainingText(map.size - maxArrayLength));
  ctx.indentationLvl -= 2;
  return output;
}

const KEY_NAME = /^[a-zA-Z_][a-zA-Z_0-9]*$/;

function formatProperty(ctx: Context, value: object, recurseTimes: number, key: string | symbol | number, type: number): string {
  const desc = Object.getOwnPropertyDescriptor(value, key) ?? { value: (value as Record<string | symbol, unknown>)[key as string], enumerable: true };
  let str: string;
  if (desc.value !== undefined) {
    ctx.indentationLvl += 2;
    str = formatValue(ctx, desc.value, recurseTimes);
    ctx.indentationLvl -= 2;
  } else if (desc.get !== undefined) str = desc.set !== undefined ? '[Getter/Setter]' : '[Getter]';
  else if (desc.set !== undefined) str = '[Setter]';
  else str = 'undefined';
  if (type === ARRAY_ELEMENT) return str;
  let name: string;
  if (typeof key === 'symbol') name = `[${key.toString()}]`;
  else if (key === '__proto__') name = "['__proto__']";
  else if (desc.enumerable === false) name = `[${String(key)}]`;
  else if (KEY_NAME.test(String(key))) name = String(key);
  else name = quote(String(key));
  return `${name}: ${str}`;
}

// ---- layout -------------------------------------------------------------------------------

function isBelowBreakLength(output: string[], start: number, base: string): boolean {
  let total = output.length + start;
  if (total + output.length > breakLength) return false;
  for (const entry of output) {
    total += entry.length;
    if (total > breakLength) return false;
  }
  return base === '' || !base.includes('\n');
}

function reduceToSingleString(ctx: Context, output: string[], base: string, braces: [string, string], extrasType: number, recurseTimes: number, value: object): string {
  const entries = output.length;
  if (compact !== false && compact >= 1) {
    if (extrasType === ARRAY_EXTRAS && entries > 6) output = groupArrayElements(ctx, output, value as unknown[]);
    if (ctx.currentDepth - recurseTimes < compact && entries === output.length) {
      const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
      if (isBelowBreakLength(output, start, base)) {
        const joined = output.join(', ');
        if (!joined.includes('\n')) return `${base ? `${base} ` : ''}${braces[0]} ${joined} ${braces[1]}`;
      }
    }
  }
  const indentation = `\n${' '.repeat(ctx.indentationLvl)}`;
  return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
}

/** More than six array entries: as many columns as look square and fit, numbers right-aligned. */
function groupArrayElements(ctx: Context, output: string[], value: ArrayLike<unknown> | undefined): string[] {
  let totalLength = 0;
  let maxLength = 0;
  let outputLength = output.length;
  // The "... n more items" entry takes no column.
  if (maxArrayLength < output.length) outputLength--;
  const separatorSpace = 2;
  const dataLen: number[] = new Array(outputLength);
  for (let i = 0; i < outputLength; i++) {
    const len = output[i]!.length;
    dataLen[i] = len;
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + ctx.indentationLvl < breakLength && (totalLength / actualMax > 5 || maxLength <= 6)) {
    const averageBias = Math.sqrt(actualMax - totalLength / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax), Math.floor((breakLength - ctx.indentationLvl) / actualMax), (compact || COMPACT) * 4, 15);
    if (columns <= 1) return output;
    const grouped: string[] = [];
    const maxLineLength: number[] = [];
    for (let i = 0; i < columns; i++) {
      let lineLength = 0;
      for (let j = i; j < output.length; j += columns) if (dataLen[j]! > lineLength) lineLength = dataLen[j]!;
      maxLineLength.push(lineLength + separatorSpace);
    }
    let padStart = true;
    if (value !== undefined) {
      for (let i = 0; i < output.length; i++) {
        if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') {
          padStart = false;
          break;
        }
      }
    }
    for (let i = 0; i < outputLength; i += columns) {
      const max = Math.min(i + columns, outputLength);
      let line = '';
      let j = i;
      for (; j < max - 1; j++) {
        const cell = `${output[j]}, `;
        line += padStart ? cell.padStart(maxLineLength[j - i]!, ' ') : cell.padEnd(maxLineLength[j - i]!, ' ');
      }
      line += padStart ? output[j]!.padStart(maxLineLength[j - i]! - separatorSpace, ' ') : output[j]!;
      grouped.push(line);
    }
    if (outputLength < output.length) grouped.push(output[outputLength]!);
    output = grouped;
  }
  return output;
}

/**
 * Makes `console` print what Node's would: each printing method formats its
 * arguments into the one line Node prints, indented as deep as
 * `console.group` has gone, and writes it to the program's stdout or stderr
 * (log, info, debug: stdout; warn, error: stderr, as Node's), streams over
 * the engine's own methods unless the host passes `raw` printers
 * (output.ts); `group`, `groupCollapsed`, `groupEnd`, `count` and `countReset`
 * are Node's (the shells have none, Bun and Deno indent and count
 * otherwise). A console the engine froze is left as it is. Gives the two
 * streams (for `process.stdout` and `stderr` where the engine has no
 * `process`), or undefined without a console that logs.
 */
export function printLikeNode(console: Record<string, unknown> | undefined, raw?: { out(text: string): void; err(text: string): void }): ProgramOutput | undefined {
  if (console === undefined || console === null) return undefined;
  let indent = '';
  const counts = new Map<string, number>();
  const set = (name: string, fn: Function): void => {
    Object.defineProperty(fn, 'name', { value: name });
    try {
      console[name] = fn;
    } catch {
      // frozen
    }
  };
  const lines: Record<string, (line: string) => void> = {};
  for (const name of ['log', 'warn', 'error']) {
    const original = console[name];
    if (typeof original === 'function') lines[name] = (line) => void original.call(console, line);
  }
  if (lines.log === undefined) return undefined;
  // A missing warn or error: the other (QuickJS's shell has neither: its host adds them).
  const errLine = lines.error ?? lines.warn ?? lines.log;
  const output: ProgramOutput = raw ? { out: rawStream(raw.out), err: rawStream(raw.err) } : { out: lineStream(lines.log), err: lineStream(errLine) };
  const printer = (stream: OutputStream) => (line: string): void => stream.write(`${indent === '' ? line : indent + line.replaceAll('\n', `\n${indent}`)}\n`);
  const log = printer(output.out);
  const error = printer(output.err);
  // Node's info and debug are log (stdout): a shell's own may go elsewhere or nowhere (QuickJS has no
  // info, gjs's runner no debug, a browser runner does not relay debug).
  for (const [name, print] of [['log', log], ['info', log], ['debug', log], ['warn', error], ['error', error]] as const) {
    set(name, (...args: unknown[]): void => print(formatLogArgs(args)));
  }
  set('table', (data: unknown, properties?: readonly string[]): void => {
    const table = formatTable(data, properties);
    log(table ?? formatLogArgs([data]));
  });
  set('dir', (value: unknown, options?: { depth?: number | null }): void => {
    const depth = options?.depth;
    log(depth === undefined ? inspect(value) : inspectWith(value, depth === null ? Infinity : depth));
  });
  const group = (...label: unknown[]): void => {
    if (label.length > 0) log(formatLogArgs(label));
    indent += '  ';
  };
  set('group', group);
  set('groupCollapsed', (...label: unknown[]): void => group(...label));
  set('groupEnd', (): void => {
    indent = indent.slice(0, Math.max(0, indent.length - 2));
  });
  set('count', (label: unknown = 'default'): void => {
    const key = `${label}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    log(`${key}: ${n}`);
  });
  set('countReset', (label: unknown = 'default'): void => {
    const key = `${label}`;
    if (counts.has(key)) counts.delete(key);
    else error(`(node) Warning: Count for '${key}' does not exist`);
  });
  return output;
}
