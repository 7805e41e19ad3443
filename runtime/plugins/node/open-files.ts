// The program's open file descriptors (SPEC §8, files). Takes node:fs's
// module object: `trackOpenFiles()` wraps its openSync, open, closeSync and
// close (and refreshes the ESM named exports), so every descriptor the
// program opens by path is recorded by number with the path (absolute),
// flags and mode it was opened with, and forgotten when closed through
// node:fs. Guarantees: the wrappers return, call back and throw exactly as the
// originals (same name and length); `openFiles()` lists the recorded
// descriptors still open, each with its offset (Linux: /proc/self/fdinfo;
// elsewhere unknown) and the file's identity (ino, size, mtime); and
// `reopenFiles()` opens each file again under the same number (where the
// process uses that number already, under another one that node:fs
// translates: descriptor-numbers.ts), never truncating, creating or refusing
// an existing file, at the same offset, failing with a clear error where it
// cannot (the file is gone or shorter than the offset) and warning where the
// file may not be the same (another inode). The runtime's own descriptors (checkpoint
// writes and reads) use references to node:fs taken before the wrappers.

import type { OpenFile } from '../../host.js';
import { forgetFd, mapFd, processFd, programFd } from './descriptor-numbers.js';
import { loadBuiltin } from './builtin-modules.js';

export type { OpenFile };

type Fs = typeof import('node:fs');
type Flags = string | number | undefined;
type Mode = string | number | undefined;

interface Opened {
  path: string;
  flags: Flags;
  mode: Mode;
}

const fs = loadBuiltin('node:fs') as Fs;
const pathModule = loadBuiltin('node:path') as typeof import('node:path');
const osModule = loadBuiltin('node:os') as typeof import('node:os');
// Taken before any wrapper: the runtime opens and closes its own descriptors
// (checkpoint writes and reads) with these, so they are never recorded.
export const original = { openSync: fs.openSync, open: fs.open, closeSync: fs.closeSync, close: fs.close };
const { fstatSync, readSync, readFileSync } = fs;

const opened = new Map<number, Opened>();
let installed = false;
let standIn: number | undefined;

/**
 * Lays out the process's descriptors as a restart lays out its own, so that
 * the numbers the program gets are free again when a restart reopens them:
 * the standard streams (libuv keeps a spare descriptor from the first one
 * made, which a restart makes before it reads the checkpoint), and a
 * stand-in for the checkpoint file a restart holds open while the request
 * desk starts, given back when the host starts (`trackOpenFiles`), as a
 * restart gives the checkpoint file back before reopening. `checkpoint`:
 * the restart's own checkpoint file is open already (no stand-in).
 */
export function layOutDescriptors(checkpoint = false): void {
  void process.stdout;
  void process.stderr;
  if (checkpoint || standIn !== undefined) return;
  try {
    standIn = original.openSync(osModule.devNull, 'r');
  } catch {
    // no /dev/null: numbers are as they come
  }
}

/** Where the program opened `path`: file: URLs and Buffers as Node takes them, relative paths against the working directory now. */
function absolute(path: unknown): string | undefined {
  let text: string;
  if (typeof path === 'string') text = path;
  else if (path instanceof URL) {
    if (path.protocol !== 'file:') return undefined;
    text = decodeURIComponent(path.pathname);
  } else if (path instanceof Uint8Array) text = new TextDecoder().decode(path);
  else return undefined;
  return pathModule.resolve(process.cwd(), text);
}

function record(fd: unknown, path: unknown, flags: unknown, mode: unknown): void {
  if (typeof fd !== 'number') return;
  const where = absolute(path);
  if (where === undefined) return;
  opened.set(fd, { path: where, flags: typeof flags === 'string' || typeof flags === 'number' ? flags : undefined, mode: typeof mode === 'string' || typeof mode === 'number' ? mode : undefined });
}

/** Gives `wrapper` the name and length of `of`, so the program sees the same function shape. */
function like<F extends Function>(wrapper: F, of: Function): F {
  Object.defineProperty(wrapper, 'name', { value: of.name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: of.length, configurable: true });
  return wrapper;
}

/** Wraps node:fs's open and close functions for the program (once per process), before its modules evaluate. */
export function trackOpenFiles(): void {
  if (installed) return;
  installed = true;
  if (standIn !== undefined) original.closeSync(standIn);
  standIn = undefined;
  const target = fs as unknown as Record<string, unknown>;
  target.openSync = like(function openSync(this: unknown, ...args: unknown[]) {
    const fd = programFd(Reflect.apply(original.openSync, this, args) as number);
    record(fd, args[0], args[1], args[2]);
    return fd;
  }, original.openSync);
  target.open = like(function open(this: unknown, ...args: unknown[]) {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      const [path, flags, mode] = args;
      args[last] = function (this: unknown, error: unknown, fd: unknown) {
        if (error != null || typeof fd !== 'number') return Reflect.apply(callback, this, arguments);
        const given = programFd(fd);
        record(given, path, typeof flags === 'function' ? undefined : flags, typeof mode === 'function' ? undefined : mode);
        return Reflect.apply(callback, this, [error, given, ...[...arguments].slice(2)]);
      };
    }
    return Reflect.apply(original.open, this, args);
  }, original.open);
  target.closeSync = like(function closeSync(this: unknown, ...args: unknown[]) {
    const fd = args[0];
    if (typeof fd !== 'number') return Reflect.apply(original.closeSync, this, args);
    args[0] = processFd(fd);
    const result = Reflect.apply(original.closeSync, this, args);
    opened.delete(fd);
    forgetFd(fd);
    return result;
  }, original.closeSync);
  target.close = like(function close(this: unknown, ...args: unknown[]) {
    const fd = args[0];
    if (typeof fd === 'number') {
      args[0] = processFd(fd);
      // forgotten at once: the number may be handed out again before the callback runs
      opened.delete(fd);
      forgetFd(fd);
    }
    return Reflect.apply(original.close, this, args);
  }, original.close);
  const syncExports = (loadBuiltin('node:module') as { syncBuiltinESMExports?: () => void }).syncBuiltinESMExports;
  if (typeof syncExports === 'function') syncExports();
}

/** The file position of `fd`, from /proc (Linux); undefined elsewhere. */
function offsetOf(fd: number): number | undefined {
  try {
    const match = /^pos:\s*(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The program's recorded descriptors that are still open, in number order; undefined when none. */
export function openFiles(): OpenFile[] | undefined {
  const out: OpenFile[] = [];
  for (const [fd, { path, flags, mode }] of [...opened].sort((a, b) => a[0] - b[0])) {
    let stat: import('node:fs').Stats;
    try {
      stat = fstatSync(processFd(fd));
    } catch {
      opened.delete(fd); // closed some way the wrappers did not see
      continue;
    }
    if (!stat.isFile()) continue; // a directory, a device, a FIFO: nothing to reopen at a position
    const offset = offsetOf(processFd(fd));
    out.push({ fd, path, ...(flags !== undefined ? { flags } : {}), ...(mode !== undefined ? { mode } : {}), ...(offset !== undefined ? { offset } : {}), ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs });
  }
  return out.length > 0 ? out : undefined;
}

/**
 * The flags that open the same file again as the program had it, without
 * truncating, creating or refusing an existing one, and readable where the
 * position must be set by reading ('w' becomes 'r+'); append modes stay
 * appending. `seek`: the position can and must be set by reading.
 */
export function reopenFlags(flags: string | number | undefined): { flags: string | number; seek: boolean } {
  if (flags === undefined) return { flags: 'r', seek: true };
  if (typeof flags === 'number') {
    const c = fs.constants;
    let f = flags & ~(c.O_TRUNC | c.O_CREAT | c.O_EXCL);
    const access = f & (c.O_RDONLY | c.O_WRONLY | c.O_RDWR);
    const append = (f & c.O_APPEND) !== 0;
    if (access === c.O_WRONLY && !append) f = (f & ~c.O_WRONLY) | c.O_RDWR;
    return { flags: f, seek: !append || access !== c.O_WRONLY };
  }
  const sync = flags.includes('s');
  const plus = flags.includes('+');
  if (flags.includes('a')) return { flags: `a${sync ? 's' : ''}${plus ? '+' : ''}`, seek: plus };
  if (flags.includes('w')) return { flags: 'r+', seek: true };
  return { flags, seek: true };
}

function writable(flags: string | number | undefined): boolean {
  if (typeof flags === 'number') return (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR)) !== 0;
  return flags !== undefined && /[wa+]/.test(flags);
}

/** Reads `n` bytes from the position of `fd`, moving it there (Node has no lseek). */
function skip(fd: number, n: number, path: string): void {
  const chunk = new Uint8Array(Math.min(n, 1 << 20));
  let left = n;
  while (left > 0) {
    const got = readSync(fd, chunk, 0, Math.min(left, chunk.length), null);
    if (got === 0) throw new Error(`${path} ended ${left} bytes before the program's position ${n} in it`);
    left -= got;
  }
}

/**
 * Opens each saved file again under the program's number, at its offset
 * (under another, translated, where this process uses that number).
 * Throws (the restart fails) where a file is gone or shorter than the
 * offset; warns through `warn` where the
 * file is another one of the same path (its inode changed: copied, moved to
 * another machine, replaced).
 */
export function reopenFiles(files: readonly OpenFile[], warn: (message: string) => void): void {
  for (const file of [...files].sort((a, b) => a.fd - b.fd)) {
    const what = `the program's file descriptor ${file.fd} (${file.path})`;
    let stat: import('node:fs').Stats;
    try {
      stat = fs.statSync(file.path);
    } catch (e) {
      throw new Error(`${what} cannot be opened again: ${(e as Error).message}`);
    }
    if (file.offset !== undefined && stat.size < file.offset) {
      throw new Error(`${what} is not the file the program had open: it holds ${stat.size} bytes, the program was at byte ${file.offset}`);
    }
    if (stat.ino !== file.ino) warn(`${what} may not be the file the program had open (another inode: copied or replaced since the checkpoint); it goes on with this one`);
    const { flags, seek } = reopenFlags(file.flags);
    let offset = file.offset;
    if (offset === undefined && seek) {
      // The checkpoint's platform did not tell positions: a file written in order is at its end, one read is guessed at its start.
      offset = writable(file.flags) ? Math.min(file.size, stat.size) : 0;
      warn(`${what}: its position was not saved (a platform without /proc); it goes on at byte ${offset}`);
    }
    const placeholders: number[] = [];
    try {
      let fd: number;
      for (;;) {
        fd = original.openSync(osModule.devNull, 'r');
        if (fd >= file.fd) break;
        placeholders.push(fd);
      }
      original.closeSync(fd);
      try {
        fd = original.openSync(file.path, flags, 0o666);
      } catch (e) {
        throw new Error(`${what} cannot be opened again: ${(e as Error).message}`);
      }
      // The process uses the number already (a Node that holds more of its
      // own, a descriptor the parent left open): the program keeps its
      // number, node:fs translates it from now on.
      if (fd !== file.fd) mapFd(file.fd, fd);
      opened.set(file.fd, { path: file.path, flags: file.flags, mode: file.mode });
      if (seek && offset) {
        try {
          skip(fd, offset, file.path);
        } catch (e) {
          opened.delete(file.fd);
          forgetFd(file.fd);
          original.closeSync(fd);
          throw new Error(`${what} cannot be put back at byte ${offset}: ${(e as Error).message}`);
        }
      }
    } finally {
      for (const p of placeholders) original.closeSync(p);
    }
  }
}
