// A file opened for positioned reads (format/streamed.ts's ByteSource).
// Takes a path; guarantees each read fills its array or throws (a file cut
// short while being read is an error, never zeros), and the descriptor is
// closed by `close` or when opening fails.

import * as fs from 'node:fs';
import type { ByteSource } from '../../format/streamed.js';
import { original as untracked } from './open-files.js';

// open and close as before the Node host wrapped them for the program (open-files.ts)
const { closeSync, openSync } = untracked;
const { fstatSync, readSync } = fs;

export function openFileSource(path: string): ByteSource {
  const fd = openSync(path, 'r');
  let size: number;
  try {
    size = fstatSync(fd).size;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  let open = true;
  return {
    size,
    read(into, position) {
      let done = 0;
      while (done < into.length) {
        const n = readSync(fd, into, done, into.length - done, position + done);
        if (n === 0) throw new Error(`${path} ended at byte ${position + done} while being read (expected ${size} bytes): was it changed meanwhile?`);
        done += n;
      }
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
