// The standard built-ins a program may have used where its checkpoint was
// taken (Node 22 has them all) that an older engine it restarts on lacks:
// Node 18 has no change-array-by-copy methods (ES2023), no Object.groupBy,
// Promise.withResolvers, well-formed strings or Set methods; gjs 1.74's
// SpiderMonkey lacks findLast besides; QuickJS lacks the Set methods.
// Takes the names of those the program had at its start (a checkpoint's
// `laterBuiltins`, docs/FORMAT.md §2); guarantees that each of them exists
// afterwards, as a writable, configurable, non-enumerable method with the
// standard name and length, behaving as ECMA-262 specifies, and that none
// the program did not have is added. An engine's own method is never
// replaced (nor removed). Installed only for a restart, before the runtime
// records the pristine view of the built-ins (pristine.ts), so that they
// count as the engine's and a program's reference to one is named like the
// native one.
//
// The rule: such a built-in exists for the program exactly where the engine
// had it natively when the program STARTED. A fresh run adds nothing (it
// behaves as native on its engine, feature detection included); the runtime
// probes the engine's own methods then (`nativeLaterBuiltins`, before
// anything is provided), every checkpoint records that list, and a restart
// provides only what the list names: Node 20 → Node 20 adds nothing, Node 22
// → Node 20 adds Object.groupBy, the Set methods and so on. A restart carries
// the restored list on to its own checkpoints (it never probes an engine
// that now has the provided methods). A checkpoint without the list (older
// writers) gets every method the engine lacks, as before. The iterator
// helpers (iterator-helpers.ts, named `Iterator.prototype.map` …) and the
// program's `Promise.withResolvers` (promises.ts) follow the same list.
// Imports nothing from a platform.

type Fn = (...args: never[]) => unknown;
type Methods = Record<string, Fn>;

/** Installs what `target` (named `owner`) lacks of `methods` and `had` names (undefined: all), as the engine defines methods. */
function provide(owner: string, target: object, methods: Methods, lengths: Record<string, number>, had: ReadonlySet<string> | undefined): void {
  for (const name of Object.keys(methods)) {
    if (Object.prototype.hasOwnProperty.call(target, name)) continue;
    if (had !== undefined && !had.has(`${owner}.${name}`)) continue;
    const method = methods[name]!;
    Object.defineProperty(method, 'length', { value: lengths[name] ?? 0, configurable: true });
    Object.defineProperty(target, name, { value: method, writable: true, enumerable: false, configurable: true });
  }
}

function toIntegerOrInfinity(value: unknown): number {
  const n = Number(value);
  if (Number.isNaN(n)) return 0;
  return Number.isFinite(n) ? Math.trunc(n) : n;
}

function lengthOf(o: { length?: unknown }): number {
  const n = toIntegerOrInfinity(o.length);
  return n <= 0 ? 0 : Math.min(n, Number.MAX_SAFE_INTEGER);
}

function relativeIndex(value: unknown, length: number): number {
  const n = toIntegerOrInfinity(value);
  return n < 0 ? Math.max(length + n, 0) : Math.min(n, length);
}

function requireComparator(compare: unknown, method: string): void {
  if (compare !== undefined && typeof compare !== 'function') {
    throw new TypeError(`The comparison function of ${method} must be either a function or undefined`);
  }
}

function requireCallable(fn: unknown, method: string): asserts fn is (...args: unknown[]) => unknown {
  if (typeof fn !== 'function') throw new TypeError(`${String(fn)} is not a function (in ${method})`);
}

function toObject(value: unknown, method: string): Record<number, unknown> & { length?: unknown } {
  if (value === null || value === undefined) throw new TypeError(`${method} called on null or undefined`);
  return Object(value) as Record<number, unknown> & { length?: unknown };
}

/** A copy of `o`'s elements 0..length-1, holes read as undefined. */
function copyElements(o: Record<number, unknown>, length: number): unknown[] {
  const out = new Array<unknown>(length);
  for (let i = 0; i < length; i++) out[i] = o[i];
  return out;
}

function findLastOf(o: Record<number, unknown>, length: number, predicate: unknown, thisArg: unknown, method: string): number {
  requireCallable(predicate, method);
  for (let i = length - 1; i >= 0; i--) if (predicate.call(thisArg, o[i], i, o)) return i;
  return -1;
}

const arrayMethods: Methods = {
  toReversed(this: unknown) {
    const o = toObject(this, 'Array.prototype.toReversed');
    const length = lengthOf(o);
    const out = new Array<unknown>(length);
    for (let i = 0; i < length; i++) out[i] = o[length - 1 - i];
    return out;
  },
  toSorted(this: unknown, compare?: unknown) {
    requireComparator(compare, 'Array.prototype.toSorted');
    const o = toObject(this, 'Array.prototype.toSorted');
    return copyElements(o, lengthOf(o)).sort(compare as (a: unknown, b: unknown) => number);
  },
  toSpliced(this: unknown, ...args: unknown[]) {
    const o = toObject(this, 'Array.prototype.toSpliced');
    const length = lengthOf(o);
    const start = relativeIndex(args[0], length);
    const skip = args.length === 0 ? 0 : args.length === 1 ? length - start : Math.min(Math.max(toIntegerOrInfinity(args[1]), 0), length - start);
    const items = args.slice(2);
    const newLength = length + items.length - skip;
    if (newLength > Number.MAX_SAFE_INTEGER) throw new TypeError('Invalid array length');
    const out = new Array<unknown>(newLength);
    let k = 0;
    for (let i = 0; i < start; i++) out[k++] = o[i];
    for (const item of items) out[k++] = item;
    for (let i = start + skip; i < length; i++) out[k++] = o[i];
    return out;
  },
  with(this: unknown, index: unknown, value: unknown) {
    const o = toObject(this, 'Array.prototype.with');
    const length = lengthOf(o);
    const relative = toIntegerOrInfinity(index);
    const actual = relative >= 0 ? relative : length + relative;
    if (actual >= length || actual < 0) throw new RangeError('Invalid index : ' + String(relative));
    const out = copyElements(o, length);
    out[actual] = value;
    return out;
  },
  findLast(this: unknown, predicate: unknown, thisArg?: unknown) {
    const o = toObject(this, 'Array.prototype.findLast');
    const i = findLastOf(o, lengthOf(o), predicate, thisArg, 'Array.prototype.findLast');
    return i < 0 ? undefined : o[i];
  },
  findLastIndex(this: unknown, predicate: unknown, thisArg?: unknown) {
    const o = toObject(this, 'Array.prototype.findLastIndex');
    return findLastOf(o, lengthOf(o), predicate, thisArg, 'Array.prototype.findLastIndex');
  },
};

interface TypedArrayLike {
  readonly length: number;
  [index: number]: unknown;
  set(source: ArrayLike<unknown>): void;
  sort(compare?: unknown): unknown;
}

const typedArrayPrototype = Object.getPrototypeOf(Int8Array.prototype) as object;
const typedArrayLength = Object.getOwnPropertyDescriptor(typedArrayPrototype, 'length')!.get!;

/** `this` checked as a typed array (the length getter throws for anything else), with its length. */
function typedArrayOf(value: unknown): [TypedArrayLike, number] {
  return [value as TypedArrayLike, typedArrayLength.call(value) as number];
}

const typedArrayName = Object.getOwnPropertyDescriptor(typedArrayPrototype, Symbol.toStringTag)!.get!;
const TYPED_ARRAY_KINDS = new Map<string, new (length: number) => TypedArrayLike>();
const float16 = (globalThis as Record<string, unknown>).Float16Array as Function | undefined; // Node 24, Bun, Deno
for (const kind of [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array, float16]) {
  if (kind !== undefined) TYPED_ARRAY_KINDS.set(kind.name, kind as unknown as new (length: number) => TypedArrayLike);
}

/** A new typed array of `source`'s own kind (a Float64Array for a subclass of it: no species, as specified). */
function sameKind(source: object, length: number): TypedArrayLike {
  const Kind = TYPED_ARRAY_KINDS.get(typedArrayName.call(source) as string)!;
  return new Kind(length);
}

const typedArrayMethods: Methods = {
  toReversed(this: unknown) {
    const [o, length] = typedArrayOf(this);
    const out = sameKind(o, length);
    for (let i = 0; i < length; i++) out[i] = o[length - 1 - i];
    return out;
  },
  toSorted(this: unknown, compare?: unknown) {
    requireComparator(compare, '%TypedArray%.prototype.toSorted');
    const [o, length] = typedArrayOf(this);
    const out = sameKind(o, length);
    out.set(o as ArrayLike<unknown>);
    out.sort(compare);
    return out;
  },
  with(this: unknown, index: unknown, value: unknown) {
    const [o, length] = typedArrayOf(this);
    const relative = toIntegerOrInfinity(index);
    const actual = relative >= 0 ? relative : length + relative;
    const numeric = (typedArrayName.call(o) as string).startsWith('Big') ? BigInt(value as bigint) : Number(value);
    if (actual >= length || actual < 0) throw new RangeError('Invalid typed array index');
    const out = sameKind(o, length);
    out.set(o as ArrayLike<unknown>);
    out[actual] = numeric;
    return out;
  },
  findLast(this: unknown, predicate: unknown, thisArg?: unknown) {
    const [o, length] = typedArrayOf(this);
    const i = findLastOf(o, length, predicate, thisArg, '%TypedArray%.prototype.findLast');
    return i < 0 ? undefined : o[i];
  },
  findLastIndex(this: unknown, predicate: unknown, thisArg?: unknown) {
    const [o, length] = typedArrayOf(this);
    return findLastOf(o, length, predicate, thisArg, '%TypedArray%.prototype.findLastIndex');
  },
};

function groupInto<K>(items: unknown, callback: unknown, method: string, keyOf: (key: unknown) => K, add: (key: K, value: unknown) => void): void {
  if (items === null || items === undefined) throw new TypeError(`${method} called on null or undefined`);
  requireCallable(callback, method);
  let k = 0;
  for (const value of items as Iterable<unknown>) add(keyOf(callback(value, k++)), value);
}

const objectMethods: Methods = {
  groupBy(items: unknown, callback: unknown) {
    const groups = Object.create(null) as Record<PropertyKey, unknown[]>;
    const toKey = (key: unknown): PropertyKey => (typeof key === 'symbol' ? key : String(key));
    groupInto(items, callback, 'Object.groupBy', toKey, (key, value) => (groups[key] ??= []).push(value));
    return groups;
  },
};

const mapMethods: Methods = {
  groupBy(items: unknown, callback: unknown) {
    const groups = new Map<unknown, unknown[]>();
    const toKey = (key: unknown): unknown => (Object.is(key, -0) ? 0 : key);
    groupInto(items, callback, 'Map.groupBy', toKey, (key, value) => {
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [value]);
      else group.push(value);
    });
    return groups;
  },
};

const promiseMethods: Methods = {
  withResolvers(this: new (executor: (resolve: unknown, reject: unknown) => void) => unknown) {
    let resolve: unknown;
    let reject: unknown;
    const promise = new this((yes, no) => {
      resolve = yes;
      reject = no;
    });
    return { promise, resolve, reject };
  },
};

const isSurrogate = (unit: number, low: number): boolean => unit >= low && unit <= low + 0x3ff;

/** The index of `text`'s first lone surrogate, or -1. */
function loneSurrogateAt(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (isSurrogate(unit, 0xdc00)) return i;
    if (isSurrogate(unit, 0xd800)) {
      if (i + 1 < text.length && isSurrogate(text.charCodeAt(i + 1), 0xdc00)) i++;
      else return i;
    }
  }
  return -1;
}

function thisString(value: unknown, method: string): string {
  if (value === null || value === undefined) throw new TypeError(`String.prototype.${method} called on null or undefined`);
  return String(value);
}

const stringMethods: Methods = {
  isWellFormed(this: unknown) {
    return loneSurrogateAt(thisString(this, 'isWellFormed'), 0) < 0;
  },
  toWellFormed(this: unknown) {
    let text = thisString(this, 'toWellFormed');
    for (let i = loneSurrogateAt(text, 0); i >= 0; i = loneSurrogateAt(text, i + 1)) text = text.slice(0, i) + '\ufffd' + text.slice(i + 1);
    return text;
  },
};

/** GetSetRecord: what the Set methods read of their argument. */
interface SetRecord {
  size: number;
  has(value: unknown): boolean;
  keys(): Iterator<unknown>;
}

function setRecord(other: unknown): SetRecord {
  if (typeof other !== 'object' || other === null) throw new TypeError('The argument of a Set method must be an object');
  const o = other as { size?: unknown; has?: unknown; keys?: unknown };
  const raw = Number(o.size);
  if (Number.isNaN(raw)) throw new TypeError("The argument's 'size' property is not a number");
  const size = toIntegerOrInfinity(raw);
  if (size < 0) throw new RangeError("The argument's 'size' property must not be negative");
  const { has, keys } = o;
  requireCallable(has, "the argument's has");
  requireCallable(keys, "the argument's keys");
  return { size, has: (value) => Boolean(has.call(other, value)), keys: () => keys.call(other) as Iterator<unknown> };
}

function forEachKey(record: SetRecord, visit: (key: unknown) => boolean | void): void {
  const iterator = record.keys();
  for (let step = iterator.next(); !step.done; step = iterator.next()) {
    if (visit(step.value) === false) {
      iterator.return?.();
      return;
    }
  }
}

const setHas = Set.prototype.has;

function thisSet(value: unknown): Set<unknown> {
  setHas.call(value, undefined); // throws for anything that is not a Set
  return value as Set<unknown>;
}

const setMethods: Methods = {
  union(this: unknown, other: unknown) {
    const out = new Set(thisSet(this));
    forEachKey(setRecord(other), (key) => void out.add(key));
    return out;
  },
  intersection(this: unknown, other: unknown) {
    const self = thisSet(this);
    const record = setRecord(other);
    const out = new Set<unknown>();
    if (self.size <= record.size) {
      for (const value of [...self]) if (record.has(value)) out.add(value);
    } else {
      forEachKey(record, (key) => void (self.has(key) && out.add(key)));
    }
    return out;
  },
  difference(this: unknown, other: unknown) {
    const self = thisSet(this);
    const record = setRecord(other);
    const out = new Set(self);
    if (self.size <= record.size) {
      for (const value of [...self]) if (record.has(value)) out.delete(value);
    } else {
      forEachKey(record, (key) => void out.delete(key));
    }
    return out;
  },
  symmetricDifference(this: unknown, other: unknown) {
    const self = thisSet(this);
    const out = new Set(self);
    forEachKey(setRecord(other), (key) => {
      if (self.has(key)) out.delete(key);
      else out.add(key);
    });
    return out;
  },
  isSubsetOf(this: unknown, other: unknown) {
    const self = thisSet(this);
    const record = setRecord(other);
    if (self.size > record.size) return false;
    for (const value of [...self]) if (!record.has(value)) return false;
    return true;
  },
  isSupersetOf(this: unknown, other: unknown) {
    const self = thisSet(this);
    const record = setRecord(other);
    if (self.size < record.size) return false;
    let all = true;
    forEachKey(record, (key) => (all = self.has(key)));
    return all;
  },
  isDisjointFrom(this: unknown, other: unknown) {
    const self = thisSet(this);
    const record = setRecord(other);
    let disjoint = true;
    if (self.size <= record.size) {
      for (const value of [...self]) if (record.has(value)) return false;
    } else {
      forEachKey(record, (key) => (disjoint = !self.has(key)));
    }
    return disjoint;
  },
};

/** Each kind of object that has later built-ins: its name in the list, the object, its methods and their lengths. */
const OWNERS: [string, object, Methods, Record<string, number>][] = [
  ['Array.prototype', Array.prototype, arrayMethods, { toSorted: 1, toSpliced: 2, with: 2, findLast: 1, findLastIndex: 1 }],
  ['%TypedArray%.prototype', typedArrayPrototype, typedArrayMethods, { toSorted: 1, with: 2, findLast: 1, findLastIndex: 1 }],
  ['Object', Object, objectMethods, { groupBy: 2 }],
  ['Map', Map, mapMethods, { groupBy: 2 }],
  ['Promise', Promise, promiseMethods, {}],
  ['String.prototype', String.prototype, stringMethods, {}],
  ['Set.prototype', Set.prototype, setMethods, { union: 1, intersection: 1, difference: 1, symmetricDifference: 1, isSubsetOf: 1, isSupersetOf: 1, isDisjointFrom: 1 }],
];

/** The program's `Promise.withResolvers` (the runtime's Promise class has one only where this name is in the list). */
export const PROMISE_WITH_RESOLVERS = 'Promise.withResolvers';

/**
 * The later built-ins of the list above that this engine has now, by name
 * (`Object.groupBy`, `Set.prototype.union`, `%TypedArray%.prototype.with`).
 * Asked when a fresh run starts, before anything is provided: what the
 * program has natively.
 */
export function nativeLaterBuiltins(): string[] {
  const names: string[] = [];
  for (const [owner, target, methods] of OWNERS) {
    for (const name of Object.keys(methods)) if (Object.prototype.hasOwnProperty.call(target, name)) names.push(`${owner}.${name}`);
  }
  return names;
}

/** Installs every method of the list above that this engine lacks and `had` names (undefined, a checkpoint without the list: all). */
export function provideLaterBuiltins(had?: readonly string[]): void {
  const names = had === undefined ? undefined : new Set(had);
  for (const [owner, target, methods, lengths] of OWNERS) provide(owner, target, methods, lengths, names);
}
