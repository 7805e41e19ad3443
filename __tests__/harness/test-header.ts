// A checkpoint header for tests that put a heap image through the container
// (encodeCheckpoint/decodeCheckpoint) without a program behind it.
import type { CheckpointHeader } from '../../runtime/format/index.js';

export const testHeader: CheckpointHeader = {
  formatVersion: 1,
  program: { fingerprint: 'sha256:test', entry: 'main.ts', dir: '/app' },
  createdAt: '2025-01-01T00:00:00.000Z',
  platform: { engine: 'v8', runtime: 'node 20', os: 'linux', cpu: 'x64', endianness: 'LE' },
  plugins: [],
};
