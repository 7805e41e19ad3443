// Checkpoint rotation for `run --checkpoint-dir D --keep N`: takes a directory
// and N; names new checkpoints so that name order is creation order
// (`ckpt-<UTC time>-<seq>.ckpt`), and deletes all but the newest N `.ckpt`
// files. Only files matching that naming scheme are ever deleted, so other
// files in the directory are safe.

import { readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

const NAME = /^ckpt-\d{8}T\d{6}\d{3}Z-\d{6}\.ckpt$/;
let sequence = 0;

/** A fresh path in `dir` that sorts after every checkpoint made before it. */
export function nextCheckpointPath(dir: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  sequence = (sequence + 1) % 1_000_000;
  return join(dir, `ckpt-${stamp}-${String(sequence).padStart(6, '0')}.ckpt`);
}

/** Deletes all but the newest `keep` rotated checkpoints in `dir`; returns the deleted paths. */
export function rotateCheckpoints(dir: string, keep: number): string[] {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`keep must be a whole number >= 1, got ${keep}`);
  const names = readdirSync(dir)
    .filter((name) => NAME.test(name))
    .sort();
  const doomed = names.slice(0, Math.max(0, names.length - keep)).map((name) => join(dir, name));
  for (const path of doomed) {
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return doomed;
}
