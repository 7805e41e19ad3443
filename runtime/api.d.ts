// Types of the runtime API a program may import (`introspect build` resolves
// this specifier to the runtime it copies next to the program).
declare module 'introspect/runtime' {
  /** Take a checkpoint at the next point where one can be taken. */
  export function checkpoint(): void;
  /** Run `fn` after each restart from a checkpoint, before the program goes on (saved with the checkpoint). */
  export function onRestore(fn: () => void): void;
  /**
   * Returns `value`; a checkpoint does not save it but `recreate`, and after a
   * restart every place that held it holds `recreate()` instead (a handle, a
   * connection, a library object made by a closure). Objects and functions only.
   */
  export function transient<T>(value: T, recreate: () => T): T;
}
