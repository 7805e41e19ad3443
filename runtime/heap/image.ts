// The heap image: what the writer produces and the reader consumes. Plain
// data, no functions, no live objects: a string table, one byte stream of
// nodes (layout in layout.ts and docs/FORMAT.md) and one blob holding every
// ArrayBuffer's bytes (each 8-byte aligned, little-endian element order).

import { concatBytes } from '../format/bytes.js';
import type { FunctionTable } from '../functions.js';

export interface HeapImage {
  /**
   * Version of the node stream (layout.ts HEAP_VERSIONS): the container's
   * format version that carried it. Absent: the current HEAP_VERSION.
   */
  version?: number;
  /** Number of nodes in `nodes`. */
  nodeCount: number;
  /** Every string value and key, each once; values refer to it by index. */
  strings: string[];
  /** varint nodeCount, the root value, then the nodes in index order. */
  nodes: Uint8Array;
  /**
   * The bytes of every ArrayBuffer/SharedArrayBuffer: one array when read
   * from a file; as the writer returns it, parts in order, where an
   * ArrayBuffer that needs no conversion is a view of the program's own
   * buffer — not copied, so encode the image before the program runs again.
   */
  blob: Uint8Array | readonly Uint8Array[];
  /**
   * Reading only: ArrayBuffers that already hold their bytes, by blob offset
   * (a streamed decode read them from the file straight into these); the
   * reader gives each to the one plain buffer node of that range instead of
   * copying from the blob, where those bytes are then absent.
   */
  ownBuffers?: Map<number, ArrayBuffer>;
  /** Things saved with a loss the program may notice (not part of the file). */
  warnings?: string[];
}

/** An image whose blob is one array, as the reader wants it. */
export type FlatHeapImage = HeapImage & { blob: Uint8Array };

/** The image with its blob as one array (copies a writer's parts once, for in-process round trips). */
export function flatImage(image: HeapImage): FlatHeapImage {
  return image.blob instanceof Uint8Array || !Array.isArray(image.blob) ? (image as FlatHeapImage) : { ...image, blob: concatBytes(image.blob) };
}

export interface HeapContext {
  functions: FunctionTable;
  /**
   * Optional names for containers (e.g. a frame's locals object → "frame main"):
   * a capture path starts at the nearest labelled object instead of the root.
   */
  labels?: { get(container: object): string | undefined };
  /**
   * Optional names for edges in capture paths: given a container and the key
   * (or array index) a value is held under, return e.g. "local server" to
   * show instead of `[3]`. Only called when an error path is built.
   */
  edgeLabel?(container: object, key: string | symbol | number): string | undefined;
  /**
   * Reading only: makes the object for a node of kind `object` whose
   * prototype is a program function's prototype (an instance of a program
   * class), instead of `Object.create(prototype)`; return undefined to fall
   * back to that. `base` is what `constructBase` said when it was saved. The reader then defines the saved own properties on it
   * (and sets its prototype if the hook chose another one).
   */
  construct?(prototype: object, base?: number): object | undefined;
  /**
   * Writing only: for an object of a class `construct` makes, the class to
   * make it with when not its own (see CONSTRUCT_FROM in layout.ts): n ≥ 1
   * steps up its prototype chain, 0: none; undefined: its own class.
   */
  constructBase?(object: object, hidden: unknown): number | undefined;
  /**
   * Writing only: state of an instance the program cannot see as properties
   * (private #fields), as one value saved with the object; undefined: none.
   */
  hidden?(object: object): unknown;
  /**
   * Reading only: the platform's own value for a built-in path ("console.log")
   * where it is not the one reachable from globalThis; undefined: the usual.
   */
  builtin?(path: string): unknown;
  /**
   * Writing only: the name of a value the program holds of uninstrumented
   * code (a library's export, runtime/libraries.ts), saved like a built-in
   * path; the reader's `builtin` hook resolves it. Undefined: not one.
   */
  external?(value: object | symbol): string | undefined;
  /** Writing only: values `external` names that the program may hold weakly only (WeakMap/WeakSet keys). */
  named?(): Iterable<object>;
  /**
   * Writing only: false when a long array (more than SMALL_ARRAY elements)
   * surely has no own string-keyed property but its elements and `length`
   * (the host's test, Host.arrayMayHaveNamedKeys); without it the writer
   * lists the array's keys to find any.
   */
  arrayMayHaveNamedKeys?(array: unknown[]): boolean;
  /**
   * Writing only: true for a typed array that the platform cut from a
   * memory pool it shares between many (Host.pooledView). An ArrayBuffer
   * reached only through such views is saved with its length but only the
   * bytes under them: the rest is other buffers' data, or none.
   */
  pooledView?(view: ArrayBufferView): boolean;
  /** Writing only: an object saved in place of `value` wherever it is held (runtime/transient.ts); undefined: none. */
  substitute?(value: object): object | undefined;
  /**
   * Reading only: told each weak edge made (a WeakMap entry, a WeakSet
   * member, a WeakRef's target), which no walk of the restored values can
   * enumerate (runtime/transient.ts rebuilds placeholders held there).
   */
  weakEdge?(holder: object, key: unknown, value?: unknown): void;
  /**
   * Reading only: makes an object non-extensible, sealed or frozen itself
   * (`applyIntegrity`), when it likes, instead of the reader once the
   * object is filled: a placeholder in it may still have to be replaced.
   */
  integrity?(object: object, level: number): void;
  /**
   * Reading only: asked for a data property that is not both writable and
   * configurable; true means the caller gives it its attributes (`flags`)
   * later, once `value` is replaced, and the reader defines it writable and
   * configurable meanwhile.
   */
  lockLater?(object: object, key: string | symbol, value: unknown, flags: number): boolean;
  /** Reading only: a bound function was made again (its bound `this` and arguments may be placeholders to rebuild). */
  madeBound?(fn: Function, thisArg: unknown, args: readonly unknown[]): void;
  /** Reading only: gives back what `hidden` saved for `object`. */
  restoreHidden?(object: object, state: unknown): void;
  /** Reading only: every object the reader made, once all are filled and before the root is read. */
  restored?(objects: readonly unknown[]): void;
}
