// Durable, atomic replacement of a file (SPEC §7): takes a target path and
// bytes (one array, or parts written in order); writes them to
// `<path>.tmp-<pid>-<random>` in the same directory, fsyncs that file,
// renames it over the target, then fsyncs the directory so the rename itself
// survives a crash. Guarantees: at every instant the target holds either its
// previous content or the complete new content; on any error the temporary
// file is removed and an Error naming the target is thrown (with the system
// error as `cause` and its `code` kept).
//
// The file-system calls come through `FsOps` so tests can make any step fail.

import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { original as untracked } from './open-files.js';

// The engine's clock, taken at load: a program may put a fake one in Date.now.
const dateNow = Date.now;

export interface FsOps {
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
}

// node:fs's open and close as they were before the Node host wrapped them for
// the program (open-files.ts): the runtime's own descriptors are never the program's.
export const nodeFs: FsOps = {
  openSync: untracked.openSync,
  writeSync: fs.writeSync,
  fsyncSync: fs.fsyncSync,
  closeSync: untracked.closeSync,
  renameSync: fs.renameSync,
  unlinkSync: fs.unlinkSync,
};

let tempSeq = 0;

export function writeFileAtomic(path: string, bytes: Uint8Array | readonly Uint8Array[], ops: FsOps = nodeFs): void {
  const dir = dirname(path);
  // Unique among writers (pid, clock, counter, a fine clock's tail); `wx` refuses a name that is taken anyway.
  const temp = join(dir, `${basename(path)}.tmp-${process.pid}-${dateNow().toString(36)}-${(++tempSeq).toString(36)}${process.hrtime.bigint().toString(36).slice(-6)}`);
  let fd: number | undefined;
  let renamed = false;
  try {
    fd = ops.openSync(temp, 'wx', 0o644);
    for (const part of bytes instanceof Uint8Array ? [bytes] : bytes) {
      let written = 0;
      while (written < part.length) written += ops.writeSync(fd, part, written, part.length - written);
    }
    ops.fsyncSync(fd);
    ops.closeSync(fd);
    fd = undefined;
    ops.renameSync(temp, path);
    renamed = true;
    syncDirectory(dir, ops);
  } catch (error) {
    if (fd !== undefined) {
      try {
        ops.closeSync(fd);
      } catch {
        /* already failing; the original error is the one to report */
      }
    }
    if (!renamed) {
      try {
        ops.unlinkSync(temp);
      } catch {
        /* the temporary file may never have been created */
      }
    }
    throw describeFailure(path, renamed, error);
  }
}

/** fsync a directory; some systems (Windows) cannot, which is not an error there. */
function syncDirectory(dir: string, ops: FsOps): void {
  let fd: number;
  try {
    fd = ops.openSync(dir, 'r');
  } catch (error) {
    if (isUnsupported(error)) return;
    throw error;
  }
  try {
    ops.fsyncSync(fd);
  } catch (error) {
    if (!isUnsupported(error)) throw error;
  } finally {
    ops.closeSync(fd);
  }
}

function isUnsupported(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EISDIR' || code === 'EINVAL' || code === 'EPERM' || code === 'ENOTSUP';
}

function describeFailure(path: string, renamed: boolean, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  const what = renamed
    ? `wrote ${path} but could not make the rename durable (fsync of its directory failed)`
    : `could not write ${path} atomically; the previous file, if any, is intact`;
  const wrapped = new Error(`${what}: ${reason}`, { cause: error }) as NodeJS.ErrnoException;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined) wrapped.code = code;
  return wrapped;
}
