// node:assert on an engine without Node, for the restart bundle
// (cli/platform/bundle.ts resolves `node:assert`/`assert` here, and
// `node:assert/strict` to assert-strict-module.ts). Takes nothing; gives
// Node's assert function with its methods and AssertionError (name, code
// ERR_ASSERTION, actual, expected, operator, generatedMessage), comparing
// with deep-equal.ts and writing Node 20's messages: `a !== b` for short
// primitives, `+ actual - expected` line diffs of the values inspected one
// entry per line (node-format.ts), runs of more than five unchanged lines
// cut to `...`, the `^` under a one-line difference, and the wordings of
// equal, notEqual, the not* checks, throws/rejects (class, RegExp,
// validation function or object), doesNotThrow, match, ifError and fail.
// Not as Node: `assert(false)` without a message cannot quote the source
// line (it shows the value), and a diff whose LCS has ties may pair lines
// otherwise than Node's Myers diff. Imports nothing from a platform.

import { inspectWithOptions } from './node-format.js';
import { isDeepEqual } from './deep-equal.js';

type Fn = (...args: unknown[]) => unknown;

const READABLE: Record<string, string> = {
  deepStrictEqual: 'Expected values to be strictly deep-equal:',
  strictEqual: 'Expected values to be strictly equal:',
  strictEqualObject: 'Expected "actual" to be reference-equal to "expected":',
  deepEqual: 'Expected values to be loosely deep-equal:',
  notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
  notStrictEqual: 'Expected "actual" to be strictly unequal to:',
  notStrictEqualObject: 'Expected "actual" not to be reference-equal to "expected":',
  notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
  notIdentical: 'Values identical but not reference-equal:',
  notDeepEqualUnequal: 'Expected values not to be loosely deep-equal:',
};

/** How assertion messages show a value: every entry on its own line, keys sorted, nothing cut. */
const inspectValue = (v: unknown): string => inspectWithOptions(v, { compact: false, sorted: true, depth: 1000, maxArrayLength: Infinity, breakLength: Infinity });
const inspectShort = (v: unknown): string => inspectWithOptions(v);
const isObjectLike = (v: unknown): boolean => (typeof v === 'object' && v !== null) || typeof v === 'function';

type Op = [kind: ' ' | '+' | '-', line: string];

/** The lines of `a` (actual) and `b` (expected) as kept, added (+, actual's) and removed (-), by a longest common subsequence. */
function lineDiff(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  if (n * m > 4_000_000) return [...a.map((l): Op => ['+', l]), ...b.map((l): Op => ['-', l])];
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  let plus: Op[] = [];
  let minus: Op[] = [];
  const flush = (): void => {
    ops.push(...plus, ...minus);
    plus = [];
    minus = [];
  };
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      flush();
      ops.push([' ', a[i]!]);
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) minus.push(['-', b[j++]!]);
    else plus.push(['+', a[i++]!]);
  }
  flush();
  return ops;
}

/** The diff's lines, unchanged runs cut as Node cuts them (a run before a change: 2, `...`, 2; the last run: 1, `...`, 3). */
function printDiff(ops: Op[]): { text: string; skipped: boolean } {
  const out: string[] = [];
  let skipped = false;
  let k = 0;
  while (k < ops.length) {
    if (ops[k]![0] !== ' ') {
      out.push(`${ops[k]![0]} ${ops[k]![1]}`);
      k++;
      continue;
    }
    let end = k;
    while (end < ops.length && ops[end]![0] === ' ') end++;
    const run = ops.slice(k, end).map(([, l]) => `  ${l}`);
    const last = end === ops.length;
    const [head, tail, most] = last ? [1, 3, 4] : [2, 2, 5];
    if (run.length <= most) out.push(...run);
    else {
      out.push(...run.slice(0, head), '...', ...run.slice(run.length - tail));
      skipped = true;
    }
    k = end;
  }
  return { text: out.join('\n'), skipped };
}

/** Node's message for a failed strictEqual or deepStrictEqual (the header left out when `custom` is given). */
function errDiff(actual: unknown, expected: unknown, operator: string, custom?: string): string {
  let op = operator;
  const a = inspectValue(actual);
  const b = inspectValue(expected);
  if (op === 'strictEqual' && ((typeof actual === 'object' && actual !== null && typeof expected === 'object' && expected !== null) || (typeof actual === 'function' && typeof expected === 'function'))) op = 'strictEqualObject';
  const header = custom ?? READABLE[op]!;
  const aLines = a.split('\n');
  const bLines = b.split('\n');
  if (a === b) return `${custom ?? 'Values have same structure but are not reference-equal:'}\n\n${a}\n`;
  if (aLines.length === 1 && bLines.length === 1) {
    const inputLength = a.length + b.length;
    if (inputLength <= 12) {
      if (!isObjectLike(actual) && !isObjectLike(expected) && (actual !== 0 || expected !== 0)) return `${header}\n\n${a} !== ${b}\n`;
    }
    let indicator = '';
    if (inputLength < 80 && op !== 'strictEqualObject') {
      let i = 0;
      while (a[i] === b[i]) i++;
      if (i > 2) indicator = `\n  ${' '.repeat(i)}^`;
    }
    return `${header}\n+ actual - expected\n\n+ ${a}\n- ${b}${indicator}`;
  }
  const { text, skipped } = printDiff(lineDiff(aLines, bLines));
  return `${header}\n+ actual - expected${skipped ? ' ... Lines skipped' : ''}\n\n${text}`;
}

/** Node's message for a failed not* check: the value, on the header's line if it takes one line. */
function notMessage(actual: unknown, operator: string): string {
  const shown = inspectValue(actual);
  if (!shown.includes('\n')) return `${READABLE[operator]} ${shown}`;
  return operator === 'notDeepEqual' ? `${READABLE[operator]}\n\n${shown}` : `${READABLE[operator]}\n\n${shown}\n`;
}

interface AssertionErrorOptions {
  message?: string | Error;
  actual?: unknown;
  expected?: unknown;
  operator?: string;
  stackStartFn?: Function;
}

export class AssertionError extends Error {
  actual: unknown;
  expected: unknown;
  operator: string | undefined;
  generatedMessage: boolean;
  code = 'ERR_ASSERTION';

  constructor(options: AssertionErrorOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError('The "options" argument must be of type object.');
    const { message, actual, expected, operator } = options;
    let text: string;
    if (message != null) text = String(message);
    else if (operator === 'deepStrictEqual' || operator === 'strictEqual') text = errDiff(actual, expected, operator);
    else if (operator === 'notDeepStrictEqual' || operator === 'notStrictEqual' || operator === 'notDeepEqual') {
      text = operator === 'notStrictEqual' && isObjectLike(actual) ? notMessage(actual, 'notStrictEqualObject') : notMessage(actual, operator);
    } else if (operator === 'deepEqual') text = `${READABLE.deepEqual}\n\n${inspectValue(actual)}\n\nshould loosely deep-equal\n\n${inspectValue(expected)}`;
    else text = `${inspectShort(actual)} ${operator} ${inspectShort(expected)}`;
    super(text);
    this.generatedMessage = message == null;
    this.actual = actual;
    this.expected = expected;
    this.operator = operator;
    Object.defineProperty(this, 'name', { value: 'AssertionError', enumerable: false, writable: true, configurable: true });
  }

  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

function fail_(options: AssertionErrorOptions): never {
  if (options.message instanceof Error) throw options.message;
  throw new AssertionError(options);
}

/** A check with a custom message: Node 20 adds the values' comparison after it for strictEqual and deepStrictEqual. */
function failWith(actual: unknown, expected: unknown, operator: string, message: unknown): never {
  if (message instanceof Error) throw message;
  if (message !== undefined && (operator === 'strictEqual' || operator === 'deepStrictEqual')) {
    const e = new AssertionError({ message: errDiff(actual, expected, operator, String(message)), actual, expected, operator });
    e.generatedMessage = false;
    throw e;
  }
  fail_({ message: message as string | undefined, actual, expected, operator });
}

export function ok(...args: unknown[]): void {
  if (args.length === 0) {
    const e = new AssertionError({ message: 'No value argument passed to `assert.ok()`', actual: undefined, expected: true, operator: '==' });
    e.generatedMessage = true;
    throw e;
  }
  const [value, message] = args;
  if (value) return;
  if (message === undefined) {
    const e = new AssertionError({ message: `The expression evaluated to a falsy value:\n\n  assert.ok(${inspectShort(value)})\n`, actual: value, expected: true, operator: '==' });
    e.generatedMessage = true;
    throw e;
  }
  fail_({ message: message as string | Error, actual: value, expected: true, operator: '==' });
}

export function fail(message?: string | Error): never {
  if (message instanceof Error) throw message;
  const e = new AssertionError({ message: message ?? 'Failed', operator: 'fail' });
  e.generatedMessage = message === undefined;
  throw e;
}

export function equal(actual: unknown, expected: unknown, message?: unknown): void {
  // eslint-disable-next-line eqeqeq
  if (actual != expected && !(Number.isNaN(actual) && Number.isNaN(expected))) failWith(actual, expected, '==', message);
}

export function notEqual(actual: unknown, expected: unknown, message?: unknown): void {
  // eslint-disable-next-line eqeqeq
  if (actual == expected || (Number.isNaN(actual) && Number.isNaN(expected))) failWith(actual, expected, '!=', message);
}

export function strictEqual(actual: unknown, expected: unknown, message?: unknown): void {
  if (!Object.is(actual, expected)) failWith(actual, expected, 'strictEqual', message);
}

export function notStrictEqual(actual: unknown, expected: unknown, message?: unknown): void {
  if (Object.is(actual, expected)) failWith(actual, expected, 'notStrictEqual', message);
}

export function deepEqual(actual: unknown, expected: unknown, message?: unknown): void {
  if (!isDeepEqual(actual, expected, false)) failWith(actual, expected, 'deepEqual', message);
}

export function notDeepEqual(actual: unknown, expected: unknown, message?: unknown): void {
  if (isDeepEqual(actual, expected, false)) failWith(actual, expected, 'notDeepEqual', message);
}

export function deepStrictEqual(actual: unknown, expected: unknown, message?: unknown): void {
  if (!isDeepEqual(actual, expected, true)) failWith(actual, expected, 'deepStrictEqual', message);
}

export function notDeepStrictEqual(actual: unknown, expected: unknown, message?: unknown): void {
  if (isDeepEqual(actual, expected, true)) failWith(actual, expected, 'notDeepStrictEqual', message);
}

const NO_ERROR = Symbol('no error');

/** The object form of an expected error: a class Node prints as `Comparison` holding the compared keys. */
class Comparison {
  constructor(source: Record<string, unknown>, keys: string[], actual?: Record<string, unknown>) {
    for (const key of keys) {
      if (key in source) {
        const want = source[key];
        (this as Record<string, unknown>)[key] = actual !== undefined && want instanceof RegExp && typeof actual[key] === 'string' && want.test(actual[key] as string) ? actual[key] : want;
      }
    }
  }
}

/** Does `error` satisfy `expected` (a RegExp, a class, a validation function, an object of expected properties)? Throws Node's AssertionError if not. */
function checkError(error: unknown, expected: unknown, operator: string, message: unknown): void {
  if (expected === undefined) return;
  if (expected instanceof RegExp) {
    if (expected.test(String(error))) return;
    if (message !== undefined) failWith(error, expected, operator, message);
    throw generated(new AssertionError({ message: `The input did not match the regular expression ${String(expected)}. Input:\n\n${inspectShort(String(error))}\n`, actual: error, expected, operator }));
  }
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && error instanceof (expected as new () => unknown)) return;
    if (Error.isPrototypeOf(expected) || expected === Error) {
      const name = (expected as { name?: string }).name;
      const got = (error as { constructor?: { name?: string } })?.constructor?.name;
      const text = message !== undefined ? String(message) : `The error is expected to be an instance of "${name}". Received "${got}"\n\nError message:\n\n${(error as Error)?.message}`;
      throw Object.assign(new AssertionError({ message: text, actual: error, expected, operator }), { generatedMessage: message === undefined });
    }
    const result = (expected as Fn).call({}, error);
    if (result === true) return;
    const fnName = (expected as { name?: string }).name;
    const text = message !== undefined ? String(message) : `The ${fnName ? `"${fnName}" validation function` : 'validation function'} is expected to return "true". Received ${inspectShort(result)}\n\nCaught error:\n\n${String(error)}`;
    throw Object.assign(new AssertionError({ message: text, actual: error, expected, operator }), { generatedMessage: message === undefined });
  }
  if (typeof expected === 'object' && expected !== null) {
    const keys = Object.keys(expected);
    if (expected instanceof Error) keys.push('name', 'message');
    const source = expected as Record<string, unknown>;
    const got = error as Record<string, unknown>;
    for (const key of keys) {
      const want = source[key];
      const have = got?.[key];
      if (typeof have === 'string' && want instanceof RegExp && want.test(have)) continue;
      if (key in Object(error) && isDeepEqual(have, want, true)) continue;
      const a = new Comparison(got ?? {}, keys, got);
      const b = new Comparison(source, keys, got);
      if (message !== undefined) failWith(error, expected, operator, message);
      throw generated(new AssertionError({ message: errDiff(a, b, 'deepStrictEqual'), actual: error, expected, operator }));
    }
  }
}

/** `e`, its message made by the check. */
function generated(e: AssertionError): AssertionError {
  e.generatedMessage = true;
  return e;
}

function missing(operator: 'throws' | 'rejects', expected: unknown, message: unknown): never {
  const what = operator === 'throws' ? 'exception' : 'rejection';
  const name = typeof expected === 'function' && (expected as { name?: string }).name ? ` (${(expected as { name: string }).name})` : '';
  const text = `Missing expected ${what}${name}${message !== undefined ? `: ${String(message)}` : '.'}`;
  const e = new AssertionError({ message: text, actual: undefined, expected, operator });
  e.generatedMessage = false;
  throw e;
}

export function throws(fn: unknown, expected?: unknown, message?: unknown): void {
  if (typeof fn !== 'function') throw new TypeError(`The "fn" argument must be of type function. Received ${inspectShort(fn)}`);
  if (typeof expected === 'string') [expected, message] = [undefined, expected];
  let error: unknown = NO_ERROR;
  try {
    (fn as Fn)();
  } catch (e) {
    error = e;
  }
  if (error === NO_ERROR) missing('throws', expected, message);
  checkError(error, expected, 'throws', message);
}

/**
 * The outcome of `promiseOrFn` as a native promise, its `then` called at once: the program's
 * promises are the runtime's, whose rejection counts as handled only once a handler is on it,
 * and an engine's `await` of a thenable calls `then` a job later (QuickJS: after the runtime
 * has reported it unhandled).
 */
function outcomeOf(promiseOrFn: unknown): Promise<unknown> {
  const value = typeof promiseOrFn === 'function' ? (promiseOrFn as Fn)() : promiseOrFn;
  const then = (value as { then?: unknown } | null)?.then;
  if (typeof then !== 'function') return Promise.resolve(value);
  return new Promise((resolve, reject) => void then.call(value, resolve, reject));
}

export async function rejects(promiseOrFn: unknown, expected?: unknown, message?: unknown): Promise<void> {
  if (typeof expected === 'string') [expected, message] = [undefined, expected];
  let error: unknown = NO_ERROR;
  try {
    await outcomeOf(promiseOrFn);
  } catch (e) {
    error = e;
  }
  if (error === NO_ERROR) missing('rejects', expected, message);
  checkError(error, expected, 'rejects', message);
}

function unwanted(kind: 'exception' | 'rejection', error: unknown, operator: string, message: unknown): never {
  const text = `Got unwanted ${kind}${message !== undefined ? `: ${String(message)}` : '.'}\nActual message: "${(error as Error)?.message}"`;
  const e = new AssertionError({ message: text, actual: error, expected: undefined, operator });
  e.generatedMessage = false;
  throw e;
}

export function doesNotThrow(fn: unknown, expected?: unknown, message?: unknown): void {
  if (typeof expected === 'string') [expected, message] = [undefined, expected];
  try {
    (fn as Fn)();
  } catch (e) {
    if (typeof expected === 'function' && expected.prototype !== undefined && !(e instanceof (expected as new () => unknown))) throw e;
    unwanted('exception', e, 'doesNotThrow', message);
  }
}

export async function doesNotReject(promiseOrFn: unknown, expected?: unknown, message?: unknown): Promise<void> {
  if (typeof expected === 'string') [expected, message] = [undefined, expected];
  try {
    await outcomeOf(promiseOrFn);
  } catch (e) {
    if (typeof expected === 'function' && expected.prototype !== undefined && !(e instanceof (expected as new () => unknown))) throw e;
    unwanted('rejection', e, 'doesNotReject', message);
  }
}

export function ifError(err: unknown): void {
  if (err === null || err === undefined) return;
  const shown = typeof err === 'object' && typeof (err as Error).message === 'string' ? ((err as Error).message.length === 0 && (err as Error).constructor ? (err as Error).constructor.name : (err as Error).message) : inspectShort(err);
  const e = new AssertionError({ message: `ifError got unwanted exception: ${shown}`, actual: err, expected: null, operator: 'ifError' });
  e.generatedMessage = false;
  throw e;
}

function matching(string: unknown, regexp: RegExp, message: unknown, operator: 'match' | 'doesNotMatch'): void {
  if (!(regexp instanceof RegExp)) throw new TypeError(`The "regexp" argument must be an instance of RegExp. Received ${inspectShort(regexp)}`);
  const hit = typeof string === 'string' && regexp.test(string);
  if (operator === 'match' ? hit : typeof string === 'string' && !hit) return;
  if (message instanceof Error) throw message;
  const text =
    message !== undefined
      ? String(message)
      : typeof string !== 'string'
        ? `The "string" argument must be of type string. Received type ${typeof string} (${inspectShort(string)})`
        : `${operator === 'match' ? 'The input did not match' : 'The input was expected to not match'} the regular expression ${inspectShort(regexp)}. Input:\n\n${inspectShort(string)}\n`;
  const e = new AssertionError({ message: text, actual: string, expected: regexp, operator });
  e.generatedMessage = message === undefined;
  throw e;
}

export function match(string: unknown, regexp: RegExp, message?: unknown): void {
  matching(string, regexp, message, 'match');
}

export function doesNotMatch(string: unknown, regexp: RegExp, message?: unknown): void {
  matching(string, regexp, message, 'doesNotMatch');
}

const methods = { fail, AssertionError, ok, equal, notEqual, deepEqual, notDeepEqual, deepStrictEqual, notDeepStrictEqual, strictEqual, notStrictEqual, throws, rejects, doesNotThrow, doesNotReject, ifError, match, doesNotMatch };

/** `assert(value, message)`: ok. */
const assert = Object.assign(function ok_(...args: unknown[]): void {
  ok(...args);
}, methods) as typeof ok & typeof methods & { strict: unknown };
Object.defineProperty(assert, 'name', { value: 'ok' });

/** `assert.strict` (node:assert/strict): the loose checks are the strict ones. */
export const strict = Object.assign(function strict(...args: unknown[]): void {
  ok(...args);
}, methods, { equal: strictEqual, notEqual: notStrictEqual, deepEqual: deepStrictEqual, notDeepEqual: notDeepStrictEqual }) as typeof assert;
Object.defineProperty(strict, 'name', { value: 'strict' });
assert.strict = strict;
strict.strict = strict;

export default assert;
