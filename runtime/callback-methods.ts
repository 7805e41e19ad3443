// The calls of built-ins whose callbacks the runtime runs itself so a
// checkpoint can land inside them (array-callbacks.ts, walks/), shared with
// the transform that routes them through `$R.ac` (transformer/builtin-callbacks.ts).

/** Array.prototype's iteration methods: `o.map(f, t)`. */
export const ARRAY_CALLBACK_METHODS = ['map', 'forEach', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'reduce', 'reduceRight', 'flatMap'] as const;
export type ArrayCallbackMethod = (typeof ARRAY_CALLBACK_METHODS)[number];

/**
 * Every routed method name: how many arguments a routed call has, and which
 * one is the callback (a call whose callback is written as a literal that is
 * not a function is left alone).
 */
export const CALLBACK_CALLS: ReadonlyMap<string, { min: number; max: number; callback: number }> = new Map([
  ...ARRAY_CALLBACK_METHODS.map((m) => [m, { min: 1, max: 2, callback: 0 }] as const),
  ['sort', { min: 1, max: 1, callback: 0 }],
  ['toSorted', { min: 1, max: 1, callback: 0 }],
  ['from', { min: 2, max: 3, callback: 1 }],
  ['replace', { min: 2, max: 2, callback: 1 }],
  ['replaceAll', { min: 2, max: 2, callback: 1 }],
  ['parse', { min: 2, max: 2, callback: 1 }],
  ['stringify', { min: 2, max: 3, callback: 1 }],
]);

/**
 * The array methods with a loop of their own in the runtime, and the `$R`
 * entry a call with one or two arguments goes to: `o.map(f, t)` is
 * `$R.acMap(o, f, t)`. One small function per method, so that the engine
 * inlines it at the call (arguments as written; reduce's by their count,
 * since an initial value of undefined is one).
 */
export const ARRAY_LOOP_ENTRIES: Readonly<Record<string, readonly [one: string, two: string]>> = {
  map: ['acMap', 'acMap'],
  forEach: ['acForEach', 'acForEach'],
  filter: ['acFilter', 'acFilter'],
  some: ['acSome', 'acSome'],
  every: ['acEvery', 'acEvery'],
  find: ['acFind', 'acFind'],
  findIndex: ['acFindIndex', 'acFindIndex'],
  reduce: ['acReduce', 'acReduceFrom'],
};

/** Every `$R` entry of ARRAY_LOOP_ENTRIES. */
export const ARRAY_LOOP_HELPERS: readonly string[] = [...new Set(Object.values(ARRAY_LOOP_ENTRIES).flat())];
