// Checkpoint throughput through the runtime's own API, in this process, so
// each stage is timed alone, on the path a checkpoint of `introspect run`
// takes: writeHeap (value graph → image), encodeCheckpointParts (container
// + SHA-256 with the Node host's hash), the atomic durable write of the
// parts; then decodeCheckpoint of the file opened as a ByteSource (its reads
// and the hash check) and readHeap (image → values). Also encodes once with
// the portable SHA-256 to show what a host without node:crypto pays.

import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { functions } from '../../runtime/functions.js';
import { decodeCheckpoint, encodeCheckpointParts, FORMAT_VERSION, portableHash, type CheckpointHeader } from '../../runtime/format/index.js';
import { readHeap, writeHeap } from '../../runtime/heap/index.js';
import { openFileSource } from '../../runtime/plugins/node/file-source.js';
import { createNodeHost, detectPlatform, writeFileAtomic } from '../../runtime/plugins/node/host.js';
import { makeF64, makeObjects } from './data.js';

export type HeapKind = 'objects' | 'f64';

export interface ApiFigure {
  kind: HeapKind;
  sizeMB: number;
  liveBytes: number;
  fileBytes: number;
  /** Stage times in ms. */
  writeHeapMs: number;
  encodeMs: number;
  encodePortableHashMs: number;
  writeFileMs: number;
  /** File reads and the hash check. */
  decodeMs: number;
  readHeapMs: number;
  captureMBps: number;
  restoreMBps: number;
  failure?: string;
}

const nodeHash = createNodeHost().hash!;

function header(): CheckpointHeader {
  return {
    formatVersion: FORMAT_VERSION,
    program: { fingerprint: 'bench', entry: 'main.js', dir: '/bench' },
    createdAt: new Date().toISOString(),
    platform: detectPlatform(),
    plugins: [],
  };
}

const MB = 1024 * 1024;

export function measureApi(kind: HeapKind, sizeMB: number, workDir: string): ApiFigure {
  const made = kind === 'objects' ? makeObjects(sizeMB * MB) : makeF64(sizeMB * MB);
  const file = join(workDir, `api-${kind}-${sizeMB}.ckpt`);
  const figure: ApiFigure = {
    kind, sizeMB, liveBytes: made.liveBytes, fileBytes: NaN, writeHeapMs: NaN, encodeMs: NaN, encodePortableHashMs: NaN,
    writeFileMs: NaN, decodeMs: NaN, readHeapMs: NaN, captureMBps: NaN, restoreMBps: NaN,
  };
  try {
    const root = { stack: [{ locals: [made.data] }] };
    let t = performance.now();
    const image = writeHeap(root, { functions }, 'checkpoint');
    figure.writeHeapMs = performance.now() - t;
    t = performance.now();
    encodeCheckpointParts(header(), image, { hash: portableHash });
    figure.encodePortableHashMs = performance.now() - t;
    t = performance.now();
    const parts = encodeCheckpointParts(header(), image, { hash: nodeHash });
    figure.encodeMs = performance.now() - t;
    t = performance.now();
    writeFileAtomic(file, parts);
    figure.writeFileMs = performance.now() - t;
    figure.fileBytes = statSync(file).size;

    t = performance.now();
    const { heap } = decodeCheckpoint(openFileSource(file), { hash: nodeHash });
    figure.decodeMs = performance.now() - t;
    t = performance.now();
    const back = readHeap(heap, { functions }) as typeof root;
    figure.readHeapMs = performance.now() - t;
    const restored = back.stack[0]!.locals[0] as { length: number };
    if (restored.length !== made.data.length) throw new Error(`restored ${restored.length} elements, saved ${made.data.length}`);

    const seconds = (ms: number): number => ms / 1000;
    figure.captureMBps = made.liveBytes / MB / seconds(figure.writeHeapMs + figure.encodeMs + figure.writeFileMs);
    figure.restoreMBps = made.liveBytes / MB / seconds(figure.decodeMs + figure.readHeapMs);
  } catch (e) {
    figure.failure = (e as Error).message.split('\n')[0]!.slice(0, 160);
  } finally {
    rmSync(file, { force: true });
  }
  return figure;
}
