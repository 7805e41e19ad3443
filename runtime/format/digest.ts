// SHA-256 and HMAC-SHA256 for the container's integrity hash and signature.
// Takes bytes; guarantees standard digests. The default is @noble/hashes
// (pure JS, every engine); a host with a native implementation (node:crypto,
// WebCrypto is async so not usable here) may pass its own through the
// `hash` option — the digests are identical, only faster. Large files are
// hashed as parts (the program's own buffers, not copied: see the writer's
// blob), so a hash may take parts directly; one without that is given one
// concatenated copy.

import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

import { concatBytes } from './bytes.js';

export interface CheckpointHash {
  sha256(data: Uint8Array): Uint8Array;
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** The digest of the parts' concatenation, without making it. */
  sha256Parts?(parts: readonly Uint8Array[]): Uint8Array;
  hmacSha256Parts?(key: Uint8Array, parts: readonly Uint8Array[]): Uint8Array;
}

export const portableHash: CheckpointHash = {
  sha256: (data) => sha256(data),
  hmacSha256: (key, data) => hmac(sha256, key, data),
  sha256Parts(parts) {
    const state = sha256.create();
    for (const part of parts) state.update(part);
    return state.digest();
  },
  hmacSha256Parts(key, parts) {
    const state = hmac.create(sha256, key);
    for (const part of parts) state.update(part);
    return state.digest();
  },
};

export function sha256Of(hash: CheckpointHash, parts: readonly Uint8Array[]): Uint8Array {
  return hash.sha256Parts ? hash.sha256Parts(parts) : hash.sha256(concatBytes(parts));
}

export function hmacSha256Of(hash: CheckpointHash, key: Uint8Array, parts: readonly Uint8Array[]): Uint8Array {
  return hash.hmacSha256Parts ? hash.hmacSha256Parts(key, parts) : hash.hmacSha256(key, concatBytes(parts));
}

export const DIGEST_LENGTH = 32;
