// Reads a checkpoint file and its header without loading the program. Takes
// a path; gives the bytes and the header decoded by the format module
// (runtime/format, `readHeader(bytes)`). Throws CheckpointError (exit 3) for
// a missing or unreadable file and for every FormatError, keeping its code.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlatformInfo } from '../runtime/host.js';
import { CheckpointError } from './errors.js';

/** The part of the header the CLI relies on; the format module may give more. */
export interface CheckpointHeader {
  formatVersion: number;
  program: { fingerprint: string; entry: string; dir: string };
  createdAt: string | number;
  platform: PlatformInfo;
  plugins?: unknown;
  [field: string]: unknown;
}

export interface CheckpointFile {
  path: string;
  bytes: Uint8Array;
  header: CheckpointHeader;
}

type ReadHeader = (bytes: Uint8Array) => unknown;

// A non-literal specifier: the format module is written in parallel with the CLI.
const FORMAT_MODULE = '../runtime/format/index.js';

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
  const readHeader = await loadReadHeader();
  let header: unknown;
  try {
    header = readHeader(bytes);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    throw new CheckpointError(`${path} is not a usable checkpoint: ${message}`, typeof code === 'string' ? code : undefined, [], { cause: error });
  }
  return { path, bytes, header: checkHeader(header, path) };
}

async function loadReadHeader(): Promise<ReadHeader> {
  let module: { readHeader?: ReadHeader };
  try {
    module = (await import(FORMAT_MODULE)) as { readHeader?: ReadHeader };
  } catch (error) {
    const missing = fileURLToPath(new URL(FORMAT_MODULE, import.meta.url));
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && (error as Error).message.includes(`'${missing}'`)) {
      throw new CheckpointError('this build of introspect has no checkpoint format reader (runtime/format is not built yet)');
    }
    throw error;
  }
  if (typeof module.readHeader !== 'function') {
    throw new CheckpointError('this build of introspect has no checkpoint format reader (runtime/format does not export readHeader)');
  }
  return module.readHeader;
}

function checkHeader(header: unknown, path: string): CheckpointHeader {
  const h = header as Partial<CheckpointHeader> | null;
  const program = h?.program as Partial<CheckpointHeader['program']> | undefined;
  if (typeof program?.entry !== 'string' || typeof program.dir !== 'string') {
    throw new CheckpointError(`${path}: the header does not name the program it belongs to`, 'BAD_HEADER');
  }
  return h as CheckpointHeader;
}
