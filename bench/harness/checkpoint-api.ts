// Checkpoint throughput through the runtime's own API, in this process, so
// each stage is timed alone: writeHeap (value graph → image), encodeCheckpoint
// (container + SHA-256), the atomic durable write; then file read,
// decodeCheckpoint (hash check) and readHeap (image → values). Also encodes
// once with node:crypto's SHA-256 to show what the portable hash costs.

import { createHash, createHmac } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { functions } from '../../runtime/functions.js';
import { decodeCheckpoint, encodeCheckpoint, FORMAT_VERSION, type CheckpointHash, type CheckpointHeader } from '../../runtime/format/index.js';
import { readHeap, writeHeap } from '../../runtime/heap/index.js';
import { detectPlatform, writeFileAtomic } from '../../runtime/plugins/node/host.js';
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
  encodeNodeCryptoMs: number;
  writeFileMs: number;
  readFileMs: number;
  decodeMs: number;
  readHeapMs: number;
  captureMBps: number;
  restoreMBps: number;
  failure?: string;
}

const nodeHash: CheckpointHash = {
  sha256: (data) => new Uint8Array(createHash('sha256').update(data).digest()),
  hmacSha256: (key, data) => new Uint8Array(createHmac('sha256', key).update(data).digest()),
};

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
    kind, sizeMB, liveBytes: made.liveBytes, fileBytes: NaN, writeHeapMs: NaN, encodeMs: NaN, encodeNodeCryptoMs: NaN,
    writeFileMs: NaN, readFileMs: NaN, decodeMs: NaN, readHeapMs: NaN, captureMBps: NaN, restoreMBps: NaN,
  };
  try {
    const root = { stack: [{ locals: [made.data] }] };
    let t = performance.now();
    const image = writeHeap(root, { functions }, 'checkpoint');
    figure.writeHeapMs = performance.now() - t;
    t = performance.now();
    const bytes = encodeCheckpoint(header(), image);
    figure.encodeMs = performance.now() - t;
    t = performance.now();
    encodeCheckpoint(header(), image, { hash: nodeHash });
    figure.encodeNodeCryptoMs = performance.now() - t;
    t = performance.now();
    writeFileAtomic(file, bytes);
    figure.writeFileMs = performance.now() - t;
    figure.fileBytes = statSync(file).size;

    t = performance.now();
    const buffer = readFileSync(file);
    figure.readFileMs = performance.now() - t;
    t = performance.now();
    const { heap } = decodeCheckpoint(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
    figure.decodeMs = performance.now() - t;
    t = performance.now();
    const back = readHeap(heap, { functions }) as typeof root;
    figure.readHeapMs = performance.now() - t;
    const restored = back.stack[0]!.locals[0] as { length: number };
    if (restored.length !== made.data.length) throw new Error(`restored ${restored.length} elements, saved ${made.data.length}`);

    const seconds = (ms: number): number => ms / 1000;
    figure.captureMBps = made.liveBytes / MB / seconds(figure.writeHeapMs + figure.encodeMs + figure.writeFileMs);
    figure.restoreMBps = made.liveBytes / MB / seconds(figure.readFileMs + figure.decodeMs + figure.readHeapMs);
  } catch (e) {
    figure.failure = (e as Error).message.split('\n')[0]!.slice(0, 160);
  } finally {
    rmSync(file, { force: true });
  }
  return figure;
}
