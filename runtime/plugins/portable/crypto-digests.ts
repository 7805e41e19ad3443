// The digests of the portable node:crypto (crypto-module.ts) and the names
// Node reads them by: @noble/hashes computes each one of Node 20's list but
// sm3 and md5-sha1; a name is read as OpenSSL 3 reads it (without case, by
// its aliases `sha-256`, `sha2-256`, `RSA-SHA256`, `sha256WithRSAEncryption`).
// A name OpenSSL keeps in its legacy provider (md4, whirlpool) fails with
// Node's OpenSSL error; sm3 and md5-sha1 fail saying they are not computed
// here. Imports nothing from a platform.

import { blake2b, blake2s } from '@noble/hashes/blake2.js';
import { md5, ripemd160, sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512, sha512_224, sha512_256 } from '@noble/hashes/sha2.js';
import { sha3_224, sha3_256, sha3_384, sha3_512, shake128, shake256 } from '@noble/hashes/sha3.js';
import type { CHash, Hash as NobleHash } from '@noble/hashes/utils.js';
import { coded } from './crypto-errors.js';

export type AnyHash = NobleHash<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A digest: how to start one (`length` only for shake), its output size, and whether it is an XOF. */
export interface Digest {
  make(length?: number): AnyHash;
  hash: CHash;
  xof: boolean;
}

const fixed = (hash: CHash): Digest => ({ make: () => hash.create(), hash, xof: false });
const extendable = (hash: CHash): Digest => ({ make: (length) => (hash.create as (o: object) => AnyHash)(length === undefined ? {} : { dkLen: length }), hash, xof: true });

const DIGESTS: Record<string, Digest> = {
  md5: fixed(md5),
  sha1: fixed(sha1),
  ripemd160: fixed(ripemd160),
  sha224: fixed(sha224),
  sha256: fixed(sha256),
  sha384: fixed(sha384),
  sha512: fixed(sha512),
  'sha512-224': fixed(sha512_224),
  'sha512-256': fixed(sha512_256),
  'sha3-224': fixed(sha3_224),
  'sha3-256': fixed(sha3_256),
  'sha3-384': fixed(sha3_384),
  'sha3-512': fixed(sha3_512),
  shake128: extendable(shake128),
  shake256: extendable(shake256),
  blake2b512: fixed(blake2b),
  blake2s256: fixed(blake2s),
};

/**
 * The names Node 20 lists (getHashes, OpenSSL 3's) of the digests above, in
 * its order; sm3 and md5-sha1 are Node's too, and not computed here.
 */
export const HASH_NAMES = [
  'RSA-MD5', 'RSA-RIPEMD160', 'RSA-SHA1', 'RSA-SHA1-2', 'RSA-SHA224', 'RSA-SHA256', 'RSA-SHA3-224', 'RSA-SHA3-256', 'RSA-SHA3-384', 'RSA-SHA3-512',
  'RSA-SHA384', 'RSA-SHA512', 'RSA-SHA512/224', 'RSA-SHA512/256', 'blake2b512', 'blake2s256',
  'id-rsassa-pkcs1-v1_5-with-sha3-224', 'id-rsassa-pkcs1-v1_5-with-sha3-256', 'id-rsassa-pkcs1-v1_5-with-sha3-384', 'id-rsassa-pkcs1-v1_5-with-sha3-512',
  'md5', 'md5WithRSAEncryption', 'ripemd', 'ripemd160', 'ripemd160WithRSA', 'rmd160', 'sha1', 'sha1WithRSAEncryption', 'sha224', 'sha224WithRSAEncryption',
  'sha256', 'sha256WithRSAEncryption', 'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512', 'sha384', 'sha384WithRSAEncryption', 'sha512', 'sha512-224',
  'sha512-224WithRSAEncryption', 'sha512-256', 'sha512-256WithRSAEncryption', 'sha512WithRSAEncryption', 'shake128', 'shake256', 'ssl3-md5', 'ssl3-sha1',
];

/** The names OpenSSL 3 reads (without case) for each digest: `SHA256`, `sha-256`, `sha2-256`, `RSA-SHA256`, `sha256WithRSAEncryption`. */
const ALIASES: Record<string, string[]> = {
  md5: ['rsa-md5', 'md5withrsaencryption', 'ssl3-md5'],
  sha1: ['sha-1', 'rsa-sha1', 'rsa-sha1-2', 'sha1withrsaencryption', 'ssl3-sha1'],
  ripemd160: ['ripemd', 'rmd160', 'ripemd-160', 'rsa-ripemd160', 'ripemd160withrsa'],
  shake128: ['shake-128'],
  shake256: ['shake-256'],
  blake2b512: ['blake2b-512'],
  blake2s256: ['blake2s-256'],
};
for (const n of [224, 256, 384, 512]) {
  ALIASES[`sha${n}`] = [`sha-${n}`, `sha2-${n}`, `rsa-sha${n}`, `sha${n}withrsaencryption`];
  ALIASES[`sha3-${n}`] = [`rsa-sha3-${n}`, `id-rsassa-pkcs1-v1_5-with-sha3-${n}`];
}
for (const n of [224, 256]) ALIASES[`sha512-${n}`] = [`sha-512/${n}`, `sha2-512/${n}`, `rsa-sha512/${n}`, `sha512-${n}withrsaencryption`];

const BY_NAME = new Map<string, Digest>();
for (const [name, digest] of Object.entries(DIGESTS)) for (const alias of [name, ...(ALIASES[name] ?? [])]) BY_NAME.set(alias, digest);

/** Digests OpenSSL knows but keeps in its legacy provider, which Node 20 does not load: Node's error for them is OpenSSL's. */
const LEGACY = /^(rsa-)?(md4|mdc2|whirlpool)(withrsaencryption)?$/;
/** Digests of Node's list that this module does not compute. */
const NOT_HERE = /^(rsa-)?(sm3|md5-sha1)(withrsaencryption)?$/;

/** The digest a name stands for, or Node's error for a name it does not (`hash()` words it otherwise). */
export function digestNamed(name: string, unsupported: () => Error): Digest {
  const n = name.toLowerCase();
  const digest = BY_NAME.get(n);
  if (digest !== undefined) return digest;
  if (LEGACY.test(n)) throw coded(new Error('error:0308010C:digital envelope routines::unsupported'), 'ERR_OSSL_EVP_UNSUPPORTED');
  if (NOT_HERE.test(n)) {
    throw coded(new Error(`Digest method not supported: ${name} is one of Node's digests that node:crypto of the restart bundle does not compute (restart the program on Node to use it)`), 'ERR_INTROSPECT_DIGEST_NOT_PORTABLE');
  }
  throw unsupported();
}

export const notSupported = (): Error => new Error('Digest method not supported');

