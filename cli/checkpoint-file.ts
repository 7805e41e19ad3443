// Reads a checkpoint file and its header without loading the program. Takes
// a path; gives the bytes and the header decoded by the format module
// (runtime/format, `readHeader(bytes)`). Throws CheckpointError (exit 3) for
// a missing or unreadable file and for every FormatError, keeping its code.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FormatError, readHeader, type CheckpointHeader } from '../runtime/format/index.js';
import { CheckpointError } from './errors.js';

export type { CheckpointHeader };

export interface CheckpointFile {
  path: string;
  bytes: Uint8Array;
  header: CheckpointHeader;
}

export async function readCheckpointFile(file: string): Promise<CheckpointFile> {
  const path = resolve(file);
  let bytes: Uint8Array;
  try {
    const buffer = readFileSync(path);
    bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CheckpointError(`no such checkpoint file: ${path}`, code);
    throw new CheckpointError(`cannot read checkpoint ${path}: ${(error as Error).message}`, code);
  }
  try {
    return { path, bytes, header: readHeader(bytes) };
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    throw new CheckpointError(`${path} is not a usable checkpoint: ${error.message}`, error.code, [], { cause: error });
  }
}
