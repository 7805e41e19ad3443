// SHA-256 and HMAC-SHA256 for the container's integrity hash and signature.
// Takes bytes; guarantees standard digests. The default is @noble/hashes
// (pure JS, every engine); a host with a native implementation (node:crypto,
// WebCrypto is async so not usable here) may pass its own through the
// `hash` option — the digests are identical, only faster.

import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

export interface CheckpointHash {
  sha256(data: Uint8Array): Uint8Array;
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
}

export const portableHash: CheckpointHash = {
  sha256: (data) => sha256(data),
  hmacSha256: (key, data) => hmac(sha256, key, data),
};

export const DIGEST_LENGTH = 32;
