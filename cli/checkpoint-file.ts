// Reads a checkpoint file's header without loading the program. Takes a
// path; gives the header decoded by the format module (runtime/format,
// `readHeader`) and the file: opened for the restore to read in pieces
// (`source`), or read whole (`bytes()`, for `inspect`). Throws
// CheckpointError (exit 3) for a missing or unreadable file and for every
// FormatError, keeping its code.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FormatError, readHeader, type ByteSource, type CheckpointHeader } from '../runtime/format/index.js';
import { openFileSource } from '../runtime/plugins/node/file-source.js';
import { CheckpointError } from './errors.js';

export type { CheckpointHeader };

export interface CheckpointFile {
  path: string;
  header: CheckpointHeader;
  /** The file, open: the restore reads it and closes it. */
  source: ByteSource;
  /** The whole file (closes `source`). */
  bytes(): Uint8Array;
}

export async function readCheckpointFile(file: string): Promise<CheckpointFile> {
  const path = resolve(file);
  const unreadable = (error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return new CheckpointError(`no such checkpoint file: ${path}`, code);
    return new CheckpointError(`cannot read checkpoint ${path}: ${(error as Error).message}`, code);
  };
  let source: ByteSource;
  try {
    source = openFileSource(path);
  } catch (error) {
    throw unreadable(error);
  }
  const bytes = () => {
    source.close?.();
    try {
      const buffer = readFileSync(path);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      throw unreadable(error);
    }
  };
  try {
    return { path, header: readHeader(source), source, bytes };
  } catch (error) {
    source.close?.();
    if (error instanceof FormatError) throw new CheckpointError(`${path} is not a usable checkpoint: ${error.message}`, error.code, [], { cause: error });
    if ((error as NodeJS.ErrnoException).code !== undefined) throw unreadable(error);
    throw error;
  }
}
