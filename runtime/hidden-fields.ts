// The keys of the fields where the runtime's stand-ins for objects of the
// platform (promises, generator objects, collection iterators, …) keep their
// state. They are registered symbols, not names: Object.keys, for-in,
// JSON.stringify, Object.entries and getOwnPropertyNames of a promise or a
// generator object show nothing, as for the native object, while the fields
// stay ordinary own properties, as fast as named ones on the hot paths, and
// the heap saves them as any symbol-keyed property (by registry key). Only
// Reflect.ownKeys and getOwnPropertySymbols still see them (README limits).

// IntroPromise
export const PROMISE_STATE: unique symbol = Symbol.for('introspect.promise.s') as never;
export const PROMISE_RESULT: unique symbol = Symbol.for('introspect.promise.v') as never;
export const REACTIONS: unique symbol = Symbol.for('introspect.promise.q') as never;
export const HANDLED: unique symbol = Symbol.for('introspect.promise.h') as never;

// Generator
export const GEN_BODY: unique symbol = Symbol.for('introspect.generator.body') as never;
export const GEN_STATE: unique symbol = Symbol.for('introspect.generator.state') as never;
export const GEN_FRAME: unique symbol = Symbol.for('introspect.generator.frame') as never;
export const GEN_DELEGATE: unique symbol = Symbol.for('introspect.generator.delegate') as never;
export const GEN_RAW: unique symbol = Symbol.for('introspect.generator.raw') as never;
export const GEN_NATIVE: unique symbol = Symbol.for('introspect.generator.native') as never;

// AsyncGen
export const AG_BODY: unique symbol = Symbol.for('introspect.asyncGenerator.g') as never;
export const AG_QUEUE: unique symbol = Symbol.for('introspect.asyncGenerator.queue') as never;
export const AG_BUSY: unique symbol = Symbol.for('introspect.asyncGenerator.busy') as never;
export const AG_DONE: unique symbol = Symbol.for('introspect.asyncGenerator.done') as never;
export const AG_WAITING: unique symbol = Symbol.for('introspect.asyncGenerator.waiting') as never;

// CollectionIter
export const ITER_LIVE: unique symbol = Symbol.for('introspect.iterator.live') as never;
export const ITER_SOURCE: unique symbol = Symbol.for('introspect.iterator.source') as never;
export const ITER_KIND: unique symbol = Symbol.for('introspect.iterator.kind') as never;
export const ITER_INDEXED: unique symbol = Symbol.for('introspect.iterator.indexed') as never;
export const ITER_N: unique symbol = Symbol.for('introspect.iterator.n') as never;
export const ITER_TAG: unique symbol = Symbol.for('introspect.iterator.tag') as never;

// IteratorHelper
export const IH_STATE: unique symbol = Symbol.for('introspect.iteratorHelper.state') as never;
export const IH_INNER: unique symbol = Symbol.for('introspect.iteratorHelper.inner') as never;
export const IH_INNER_NEXT: unique symbol = Symbol.for('introspect.iteratorHelper.innerNext') as never;
export const IH_KIND: unique symbol = Symbol.for('introspect.iteratorHelper.kind') as never;
export const IH_IT: unique symbol = Symbol.for('introspect.iteratorHelper.it') as never;
export const IH_NEXT: unique symbol = Symbol.for('introspect.iteratorHelper.next_') as never;
export const IH_FN: unique symbol = Symbol.for('introspect.iteratorHelper.fn') as never;
export const IH_N: unique symbol = Symbol.for('introspect.iteratorHelper.n') as never;

// WrappedIterator
export const WI_IT: unique symbol = Symbol.for('introspect.wrappedIterator.it') as never;
export const WI_NEXT: unique symbol = Symbol.for('introspect.wrappedIterator.next_') as never;

// ProgramFinalizationRegistry
export const FR_CLEANUP: unique symbol = Symbol.for('introspect.finalizationRegistry.cleanup') as never;
export const FR_REGISTRATIONS: unique symbol = Symbol.for('introspect.finalizationRegistry.registrations') as never;
export const FR_NATIVE: unique symbol = Symbol.for('introspect.finalizationRegistry.native') as never;
