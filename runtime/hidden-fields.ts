// The keys of the fields where the runtime's stand-ins for objects of the
// platform (promises, generator objects, collection iterators, …) keep their
// state. They are registered symbols, not names: Object.keys, for-in,
// JSON.stringify, Object.entries and getOwnPropertyNames of a promise or a
// generator object show nothing, as for the native object, while the fields
// stay ordinary own properties, as fast as named ones on the hot paths, and
// the heap saves them as any symbol-keyed property (by registry key). Only
// Reflect.ownKeys and getOwnPropertySymbols still see them (README limits).

// IntroPromise
export const PROMISE_STATE: unique symbol = Symbol.for('introspect.promise.s');
export const PROMISE_RESULT: unique symbol = Symbol.for('introspect.promise.v');
export const REACTIONS: unique symbol = Symbol.for('introspect.promise.q');
export const HANDLED: unique symbol = Symbol.for('introspect.promise.h');

// Generator
export const GEN_BODY: unique symbol = Symbol.for('introspect.generator.body');
export const GEN_STATE: unique symbol = Symbol.for('introspect.generator.state');
export const GEN_FRAME: unique symbol = Symbol.for('introspect.generator.frame');
export const GEN_DELEGATE: unique symbol = Symbol.for('introspect.generator.delegate');
export const GEN_RAW: unique symbol = Symbol.for('introspect.generator.raw');
export const GEN_NATIVE: unique symbol = Symbol.for('introspect.generator.native');

// AsyncGen
export const AG_BODY: unique symbol = Symbol.for('introspect.asyncGenerator.g');
export const AG_QUEUE: unique symbol = Symbol.for('introspect.asyncGenerator.queue');
export const AG_BUSY: unique symbol = Symbol.for('introspect.asyncGenerator.busy');
export const AG_DONE: unique symbol = Symbol.for('introspect.asyncGenerator.done');
export const AG_WAITING: unique symbol = Symbol.for('introspect.asyncGenerator.waiting');

// CollectionIter
export const ITER_LIVE: unique symbol = Symbol.for('introspect.iterator.live');
export const ITER_SOURCE: unique symbol = Symbol.for('introspect.iterator.source');
export const ITER_KIND: unique symbol = Symbol.for('introspect.iterator.kind');
export const ITER_INDEXED: unique symbol = Symbol.for('introspect.iterator.indexed');
export const ITER_N: unique symbol = Symbol.for('introspect.iterator.n');
export const ITER_TAG: unique symbol = Symbol.for('introspect.iterator.tag');

// IteratorHelper
export const IH_STATE: unique symbol = Symbol.for('introspect.iteratorHelper.state');
export const IH_INNER: unique symbol = Symbol.for('introspect.iteratorHelper.inner');
export const IH_INNER_NEXT: unique symbol = Symbol.for('introspect.iteratorHelper.innerNext');
export const IH_KIND: unique symbol = Symbol.for('introspect.iteratorHelper.kind');
export const IH_IT: unique symbol = Symbol.for('introspect.iteratorHelper.it');
export const IH_NEXT: unique symbol = Symbol.for('introspect.iteratorHelper.next_');
export const IH_FN: unique symbol = Symbol.for('introspect.iteratorHelper.fn');
export const IH_N: unique symbol = Symbol.for('introspect.iteratorHelper.n');

// WrappedIterator
export const WI_IT: unique symbol = Symbol.for('introspect.wrappedIterator.it');
export const WI_NEXT: unique symbol = Symbol.for('introspect.wrappedIterator.next_');

// ProgramFinalizationRegistry
export const FR_CLEANUP: unique symbol = Symbol.for('introspect.finalizationRegistry.cleanup');
export const FR_REGISTRATIONS: unique symbol = Symbol.for('introspect.finalizationRegistry.registrations');
export const FR_NATIVE: unique symbol = Symbol.for('introspect.finalizationRegistry.native');
