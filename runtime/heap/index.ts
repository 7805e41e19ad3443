// The heap module: a value graph ↔ a HeapImage (string table, node stream,
// byte blob). See docs/FORMAT.md for the representation.

export { writeHeap } from './writer.js';
export { applyIntegrity, lockProperty, readHeap } from './reader.js';
export { CaptureError, RestoreError, CAPTURE_REMEDY } from './errors.js';
export type { HeapContext, HeapImage } from './image.js';
export { prepareBuiltins } from './builtins.js';
export { decodeNodes, type HeapNode, type NodeValue, type NodeProperty } from './nodes.js';
