// The checkpoint file: a versioned container around a heap image, and a
// program-independent description of its contents (docs/FORMAT.md).

export { encodeCheckpoint, encodeCheckpointParts, decodeCheckpoint, readHeader, formatVersionOf, type ByteSource, type CheckpointOptions } from './container.js';
export { FORMAT_VERSION, type CheckpointHeader } from './header.js';
export { FormatError, type FormatErrorCode } from './errors.js';
export { portableHash, type CheckpointHash } from './digest.js';
export { describeHeap, type HeapDescription } from './describe.js';
