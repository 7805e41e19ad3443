// The program's file descriptor numbers, when a restart could not give them
// back as they were. A restart reopens each saved descriptor under the
// program's number (open-files.ts), but the process may use that number
// already: Node 22 and 24 hold three more descriptors of their own than
// Node 20 (an io_uring per event loop), and a parent may leak some. Then the
// file is opened under a free number and the program's number is mapped to
// it here; from the first such mapping on, every function of node:fs that
// takes a descriptor number translates it (`installTranslation`), and a
// number the process hands out that the program already uses for another
// file is given to the program under a fresh number. Until a mapping is
// needed nothing is wrapped, so a run and a restart that got every number
// back pay nothing. Takes node:fs's module object; guarantees that a number
// the program holds names the file it opened, in every descriptor function
// of node:fs (streams opened by path or given `fd` too: they call the same
// module's functions), and that numbers it did not get from node:fs (0, 1, 2)
// pass through unchanged.

import { TAKES_DESCRIPTOR } from '../../fs-descriptor-functions.js';
import { loadBuiltin } from './builtin-modules.js';

const nodeFs = loadBuiltin('node:fs') as typeof import('node:fs');
const fs = nodeFs as unknown as Record<string, unknown>;
const { fstatSync } = nodeFs;

/** The program's number → the process's, for the numbers that differ. */
const toProcess = new Map<number, number>();
let translating = false;

/** The process's descriptor behind the program's number. */
export function processFd(fd: number): number {
  return toProcess.get(fd) ?? fd;
}

/** The program's number for a descriptor the process just opened for it. */
export function programFd(opened: number): number {
  if (!toProcess.has(opened)) return opened; // not a number the program uses for another file
  let fd = Math.max(...toProcess.keys()) + 1;
  while (toProcess.has(fd) || isOpen(fd)) fd++;
  toProcess.set(fd, opened);
  return fd;
}

/** The program's number is closed: it may be handed out again. */
export function forgetFd(fd: number): void {
  toProcess.delete(fd);
}

/** The program's number `fd` names the process's descriptor `opened` from now on. */
export function mapFd(fd: number, opened: number): void {
  if (fd === opened) return;
  toProcess.set(fd, opened);
  installTranslation();
}

function isOpen(fd: number): boolean {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}

/** Wraps node:fs's descriptor functions (once). */
function installTranslation(): void {
  if (translating) return;
  translating = true;
  for (const name of TAKES_DESCRIPTOR) {
    const inner = fs[name];
    if (typeof inner !== 'function') continue;
    const wrapper = function (this: unknown, ...args: unknown[]): unknown {
      if (typeof args[0] === 'number') args[0] = processFd(args[0]);
      return Reflect.apply(inner, this, args);
    };
    Object.defineProperty(wrapper, 'name', { value: inner.name, configurable: true });
    Object.defineProperty(wrapper, 'length', { value: inner.length, configurable: true });
    fs[name] = wrapper;
  }
  const syncExports = (loadBuiltin('node:module') as { syncBuiltinESMExports?: () => void }).syncBuiltinESMExports;
  if (typeof syncExports === 'function') syncExports();
}
