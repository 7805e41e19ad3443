// The two ways the heap module fails. CaptureError: a value reachable from the
// root cannot be saved; it names the path from the root and what to do, and
// nothing is written. RestoreError: the image is malformed or does not fit
// this program; it names the node (and byte offset) at fault.

export const CAPTURE_REMEDY = 'wrap it with transient(value, recreate) from introspect/runtime, so that a restart makes it again, or keep it out of what the program holds at the checkpoint';

export class CaptureError extends Error {
  override name = 'CaptureError';
  /** Path from the root to the value, e.g. `frame main › local server › ._handle`. */
  readonly path: string;
  readonly remedy: string;

  constructor(what: string, path: string, remedy: string = CAPTURE_REMEDY) {
    super(`cannot save ${what} at ${path}: ${remedy}`);
    this.path = path;
    this.remedy = remedy;
  }
}

export class RestoreError extends Error {
  override name = 'RestoreError';
  /** Index of the node being restored, when there is one. */
  readonly node: number | undefined;

  constructor(message: string, node?: number) {
    super(node === undefined ? message : `node ${node}: ${message}`);
    this.node = node;
  }
}
