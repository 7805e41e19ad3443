// Checkpoint rotation for `run --checkpoint-dir D --keep N`: takes a directory
// and N; names new checkpoints so that name order is creation order
// (`ckpt-<UTC time>-<seq>.ckpt`, and after every rotated name already there
// even when this machine's clock is behind the one that wrote them: a
// directory shared between machines, or a clock stepped back), and deletes
// all but the newest N `.ckpt` files, never the one just written. Only files
// matching that naming scheme are ever deleted, so other files in the
// directory are safe; so are the temporary files of a write (atomic-write.ts)
// unless their writer is gone from this machine and they are old.

import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

const NAME = /^ckpt-(\d{8}T\d{6}\d{3}Z)-(\d{6})\.ckpt$/;
const TEMP = /^ckpt-\d{8}T\d{6}\d{3}Z-\d{6}\.ckpt\.tmp-(\d+)-/;
/** A temporary file older than this whose writer is not running here was left by a killed write. */
const STALE_TEMP_MS = 10 * 60_000;
const SEQUENCE_END = 1_000_000;
let sequence = 0;

/** A fresh path in `dir` that sorts after every checkpoint made before it. */
export function nextCheckpointPath(dir: string, now: Date = new Date()): string {
  sequence = (sequence + 1) % SEQUENCE_END;
  let name = rotatedName(now, sequence);
  const newest = newestRotated(dir);
  if (newest !== undefined && name <= newest) {
    // an existing name is later than our clock: come right after it
    const [, stamp, seq] = NAME.exec(newest)!;
    const next = Number(seq) + 1;
    name = next < SEQUENCE_END ? `ckpt-${stamp}-${String(next).padStart(6, '0')}.ckpt` : rotatedName(new Date(parseStamp(stamp!) + 1), 1);
  }
  return join(dir, name);
}

function rotatedName(time: Date, seq: number): string {
  return `ckpt-${time.toISOString().replace(/[-:.]/g, '')}-${String(seq).padStart(6, '0')}.ckpt`;
}

/** `20261206T093622400Z` as epoch milliseconds. */
function parseStamp(stamp: string): number {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)(\d{3})Z$/.exec(stamp)!;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!);
}

function newestRotated(dir: string): string | undefined {
  let newest: string | undefined;
  try {
    for (const name of readdirSync(dir)) if (NAME.test(name) && (newest === undefined || name > newest)) newest = name;
  } catch {
    // no directory yet: the write will say so
  }
  return newest;
}

/**
 * Deletes all but the newest `keep` rotated checkpoints in `dir` (never
 * `justWritten`), and temporary files killed writes left; returns the
 * deleted checkpoints' paths.
 */
export function rotateCheckpoints(dir: string, keep: number, justWritten?: string): string[] {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`keep must be a whole number >= 1, got ${keep}`);
  const entries = readdirSync(dir);
  const names = entries.filter((name) => NAME.test(name) && join(dir, name) !== justWritten).sort();
  const doomed = names.slice(0, Math.max(0, names.length - (justWritten === undefined ? keep : keep - 1))).map((name) => join(dir, name));
  for (const path of doomed) removeIfThere(path);
  for (const name of entries) {
    const m = TEMP.exec(name);
    if (m !== null && !isRunningHere(Number(m[1])) && isOlderThan(join(dir, name), STALE_TEMP_MS)) removeIfThere(join(dir, name));
  }
  return doomed;
}

function removeIfThere(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function isRunningHere(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isOlderThan(path: string, ms: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > ms;
  } catch {
    return false;
  }
}
