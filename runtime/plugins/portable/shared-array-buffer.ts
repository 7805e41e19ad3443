// `SharedArrayBuffer` where the engine has none: gjs 1.74 lacks the global,
// as do Chromium's and Firefox's pages that are not cross-origin isolated,
// so a checkpoint holding one was refused there (exit 3, "built-in
// SharedArrayBuffer.prototype does not exist on this platform") and a
// program making one after the restart threw a ReferenceError (a session 31
// probe, `modern-data`). A restart bundle runs the program alone on one
// thread, where shared memory is plain memory: each instance is an engine
// ArrayBuffer given this prototype, so typed arrays and DataViews take it
// (their constructors read the internal slot) and Atomics (atomics.ts)
// works on it, while `instanceof ArrayBuffer` stays false and its tag is
// `SharedArrayBuffer`, as natively. Takes nothing; guarantees the global
// (constructor with `maxByteLength`, prototype with byteLength, growable,
// maxByteLength, grow, slice) and the heap's captured `intrinsic` entries,
// through which a restore makes the checkpoint's buffers. Not transferable
// to a worker (there is none). Imports nothing from a platform.

import { intrinsic } from '../../heap/intrinsics.js';

export function provideSharedArrayBuffer(): void {
  const g = globalThis as Record<string, unknown>;
  if (typeof g.SharedArrayBuffer === 'function') return;
  const byteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get!;
  const resizable = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'resizable')?.get;
  const maxByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'maxByteLength')?.get;
  const resize = (ArrayBuffer.prototype as { resize?: (n: number) => void }).resize;
  const slice = ArrayBuffer.prototype.slice;
  const buffers = new WeakSet<object>();
  const checked = (self: unknown, method: string): ArrayBuffer => {
    if (!buffers.has(self as object)) throw new TypeError(`Method SharedArrayBuffer.prototype.${method} called on incompatible receiver ${String(self)}`);
    return self as ArrayBuffer;
  };
  function SharedArrayBuffer(this: unknown, length?: unknown, options?: { maxByteLength?: number }): ArrayBuffer {
    if (new.target === undefined) throw new TypeError("Constructor SharedArrayBuffer requires 'new'");
    const buffer = Reflect.construct(ArrayBuffer, options?.maxByteLength === undefined ? [length] : [length, options], ArrayBuffer) as ArrayBuffer;
    Object.setPrototypeOf(buffer, new.target.prototype);
    buffers.add(buffer);
    return buffer;
  }
  const prototype = SharedArrayBuffer.prototype as object;
  const getters: Record<string, (self: ArrayBuffer) => unknown> = {
    byteLength: (self) => Reflect.apply(byteLength, self, []),
    growable: (self) => (resizable === undefined ? false : Reflect.apply(resizable, self, [])),
    maxByteLength: (self) => Reflect.apply(maxByteLength ?? byteLength, self, []),
  };
  for (const [name, read] of Object.entries(getters)) {
    const get = { [`get ${name}`]: function (this: unknown) { return read(checked(this, name)); } }[`get ${name}`]!;
    Object.defineProperty(prototype, name, { get, configurable: true, enumerable: false });
  }
  const methods: Record<string, (this: unknown, ...args: unknown[]) => unknown> = {
    grow(this: unknown, length: unknown) {
      const self = checked(this, 'grow');
      if (resize === undefined || !getters.growable!(self)) throw new TypeError('SharedArrayBuffer.prototype.grow: the buffer is not growable');
      if (Number(length) < (getters.byteLength!(self) as number)) throw new RangeError('SharedArrayBuffer.prototype.grow: a shared buffer cannot shrink');
      Reflect.apply(resize, self, [length]);
    },
    slice(this: unknown, start: unknown, end: unknown) {
      const self = checked(this, 'slice');
      const bytes = Reflect.apply(slice, self, [start, end]) as ArrayBuffer;
      const made = new (SharedArrayBuffer as unknown as new (n: number) => ArrayBuffer)(Reflect.apply(byteLength, bytes, []) as number);
      new Uint8Array(made).set(new Uint8Array(bytes));
      return made;
    },
  };
  for (const [name, fn] of Object.entries(methods)) Object.defineProperty(prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(prototype, Symbol.toStringTag, { value: 'SharedArrayBuffer', configurable: true });
  Object.defineProperty(g, 'SharedArrayBuffer', { value: SharedArrayBuffer, writable: true, configurable: true, enumerable: false });
  intrinsic.SharedArrayBuffer = SharedArrayBuffer as unknown as SharedArrayBufferConstructor;
  intrinsic.sharedByteLength = Object.getOwnPropertyDescriptor(prototype, 'byteLength')!.get!;
  intrinsic.sharedGrowable = Object.getOwnPropertyDescriptor(prototype, 'growable')!.get!;
  intrinsic.sharedMaxByteLength = Object.getOwnPropertyDescriptor(prototype, 'maxByteLength')!.get!;
}
