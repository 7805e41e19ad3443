// The numbers of the heap stream: value tags, node kinds, property flags and
// integrity levels. Takes nothing; guarantees every number the writer emits
// and the reader accepts is named here once (docs/FORMAT.md mirrors this
// table). Numbers are part of the file format: never renumber, only append.

/** First byte of every value in the stream. */
export const Tag = {
  undefined: 0,
  null: 1,
  false: 2,
  true: 3,
  /** int32, zigzag varint */
  int: 4,
  /** any other number (incl. -0, NaN, ±Infinity): 8 bytes IEEE-754 little-endian */
  float: 5,
  /** varint index into the string table */
  string: 6,
  /** varint node index */
  ref: 7,
  /** varint index into the string table of the decimal text */
  bigint: 8,
  /** an array hole (only inside an array's dense elements) */
  hole: 9,
} as const;
export const TAG_COUNT = 10;

/** First byte of every node. */
export const Kind = {
  object: 1,
  array: 2,
  map: 3,
  set: 4,
  weakmap: 5,
  weakset: 6,
  date: 7,
  regexp: 8,
  error: 9,
  boxed: 10,
  arraybuffer: 11,
  sharedarraybuffer: 12,
  typedarray: 13,
  dataview: 14,
  staticFunction: 15,
  closure: 16,
  builtin: 17,
  prototypeOf: 18,
  symbol: 19,
  registeredSymbol: 20,
  wellKnownSymbol: 21,
  // ── format version 2 ──
  /** a WeakRef: proto, then the target (saved as if strongly held, see docs/FORMAT.md §6) */
  weakref: 22,
  /** a bound function: target, this, bound arguments (docs/FORMAT.md §3) */
  bound: 23,
} as const;
export type KindName = keyof typeof Kind;
export const KIND_NAMES: readonly (KindName | undefined)[] = (() => {
  const names: (KindName | undefined)[] = [];
  for (const name of Object.keys(Kind) as KindName[]) names[Kind[name]] = name;
  return names;
})();

/** The heap stream versions this build reads (= the container's format version that carries them). */
export const HEAP_VERSION = 2;
export const HEAP_VERSIONS: readonly number[] = [1, 2];
/** Node kinds that exist from this stream version on. */
export const KIND_SINCE: Readonly<Record<number, number>> = { [22]: 2, [23]: 2 };

/**
 * v2 property lists name a shape (the flags and key of every property, in
 * order) instead of repeating them: 0 = a new shape is defined inline here,
 * 1 = no properties, n ≥ 2 = an earlier shape (shapes are numbered from
 * FIRST_SHAPE in the order they are defined). docs/FORMAT.md "Shapes".
 */
export const Shape = { inline: 0, empty: 1 } as const;
export const FIRST_SHAPE = 2;

/** Property flag bits (one byte before each property). */
export const Flag = { writable: 1, enumerable: 2, configurable: 4, accessor: 8 } as const;
/** An ordinary `obj.key = value` property. */
export const PLAIN_PROPERTY = 7;

/** Object integrity, applied after the properties are defined. */
export const Integrity = { extensible: 0, preventExtensions: 1, sealed: 2, frozen: 3 } as const;
/**
 * Or'ed into the integrity byte (v2): one more value follows the object's
 * property values, its hidden state (private #fields of a program class
 * instance, as the HeapContext's `hidden`/`restoreHidden` hooks define it).
 */
export const HAS_HIDDEN = 0x10;
/**
 * Or'ed into the integrity byte (v2), followed at once by a varint n: make
 * the object by constructing the class whose prototype is n steps up its
 * prototype chain (n ≥ 1), or with no construction at all (n = 0), instead
 * of its own class (the HeapContext's `constructBase` hook). An object saved
 * while its class's constructor was still in `super()` has its base classes'
 * private fields, not yet its own.
 */
export const CONSTRUCT_FROM = 0x20;
/**
 * Exotic kinds whose objects a program class that extends their built-in
 * can blank-construct empty, to carry the class's private #fields: the
 * reader fills the contents afterwards, as for one it made itself. Other
 * exotic kinds with private fields are refused at capture.
 */
export const BLANK_CONSTRUCTIBLE: ReadonlySet<number> = new Set([Kind.array, Kind.map, Kind.set, Kind.weakmap, Kind.weakset, Kind.error, Kind.date]);
/** The integrity level of an integrity byte. */
export const INTEGRITY_MASK = 0x0f;
export const INTEGRITY_NAMES = ['extensible', 'non-extensible', 'sealed', 'frozen'] as const;

/** Element types of typed arrays, in their stream number order. */
export const TYPED_ARRAY_NAMES = [
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array',
  'BigUint64Array', 'Float16Array',
] as const;
export const TYPED_ARRAY_WIDTH = [1, 1, 1, 2, 2, 4, 4, 4, 8, 8, 8, 2] as const;

/** Arrays up to this length are saved with full property descriptors. */
export const SMALL_ARRAY = 256;
/** Typed arrays up to this length are checked for extra named properties. */
export const SMALL_TYPED_ARRAY = 4096;
