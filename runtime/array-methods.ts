// The Array.prototype methods whose callbacks the runtime runs itself so a
// checkpoint can land inside them (array-callbacks.ts), shared with the
// transform that routes their calls (transformer/builtin-callbacks.ts).
export const ARRAY_CALLBACK_METHODS = ['map', 'forEach', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'reduce', 'reduceRight', 'flatMap'] as const;
export type ArrayCallbackMethod = (typeof ARRAY_CALLBACK_METHODS)[number];
