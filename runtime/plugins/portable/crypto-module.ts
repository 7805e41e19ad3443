// node:crypto on an engine without Node, for the restart bundle
// (cli/platform/bundle.ts resolves `node:crypto` and `crypto` here): what
// programs import it for, with Node 20's names, answers and errors
// (crypto-errors.ts). Content hashes and HMACs (`createHash`, `createHmac`,
// `hash`, `getHashes`) over @noble/hashes, in every digest of Node's list
// but sm3 and md5-sha1, by the names OpenSSL reads (crypto-digests.ts);
// key derivation (`pbkdf2`, `scrypt`, `hkdf`); `timingSafeEqual`; random
// bytes, ints and UUIDs from the engine's secure source (secure-random.ts:
// where it has none, the call fails naming it, never with Math.random's
// numbers). Digests are Buffers of the bundle's Buffer (buffer-module.ts),
// which the bundle also gives the engine as its global. A function a
// checkpoint saved by its name in Node's module (`lib:["node:crypto",
// "createHash"]`) is the one of the same name here. Ciphers, signatures,
// keys, Diffie-Hellman and X509 are not exported: an import of them fails
// the bundle (exit 3, saying to restart on Node), and on the default object
// they are functions that throw so. The Hash and Hmac objects
// are not streams (no write/pipe). Imports nothing from a platform.

import { hkdf as nobleHkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { pbkdf2 as noblePbkdf2 } from '@noble/hashes/pbkdf2.js';
import { scrypt as nobleScrypt } from '@noble/hashes/scrypt.js';
import { HASH_NAMES, digestNamed, notSupported, type AnyHash, type Digest } from './crypto-digests.js';
import { UINT32_MAX, coded, derivingFailed, finalized, invalidArgType, invalidDigest, outOfRange, validateFunction, validateInt32, validateString } from './crypto-errors.js';
import { Buffer } from './buffer-module.js';
import { fillSecureRandom } from './secure-random.js';

type Callback<T> = (error: Error | null, value?: T) => void;

// -- bytes in and out ------------------------------------------------------

/** Node's encodings by their aliases (normalizeEncoding); undefined for any other name. */
function normalizeEncoding(encoding: unknown): string | undefined {
  if (typeof encoding !== 'string') return undefined;
  switch (encoding.toLowerCase()) {
    case 'utf8': case 'utf-8': return 'utf8';
    case 'ucs2': case 'ucs-2': case 'utf16le': case 'utf-16le': return 'utf16le';
    case 'latin1': case 'binary': return 'latin1';
    case 'base64': case 'base64url': case 'hex': case 'ascii': return encoding.toLowerCase();
    default: return undefined;
  }
}

function viewBytes(view: ArrayBufferView | ArrayBuffer): Uint8Array {
  return view instanceof ArrayBuffer ? new Uint8Array(view) : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** A hash's input: text in an encoding (UTF-8 where Node knows none), or any view's bytes. */
function dataBytes(data: unknown, encoding: unknown): Uint8Array {
  if (typeof data === 'string') {
    const normalized = normalizeEncoding(encoding) ?? 'utf8';
    if (normalized === 'hex' && data.length % 2 !== 0) {
      throw coded(new TypeError(`The argument 'encoding' is invalid for data of length ${data.length}. Received 'hex'`), 'ERR_INVALID_ARG_VALUE');
    }
    return viewBytes(Buffer.from(data, normalized as BufferEncoding));
  }
  if (ArrayBuffer.isView(data)) return viewBytes(data);
  throw invalidArgType('data', 'of type string or an instance of Buffer, TypedArray, or DataView', data);
}

/** Node's getArrayBufferOrView: a key, password or salt. */
function keyBytes(value: unknown, name: string, encoding?: unknown): Uint8Array {
  if (typeof value === 'string') return viewBytes(Buffer.from(value, (normalizeEncoding(encoding) ?? 'utf8') as BufferEncoding));
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return viewBytes(value);
  throw invalidArgType(name, 'of type string or an instance of ArrayBuffer, Buffer, TypedArray, or DataView', value);
}

/** A digest's result as Node gives it: a Buffer, or text in a known encoding (any other name gets the Buffer). */
function output(bytes: Uint8Array, encoding: unknown): Buffer | string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const normalized = normalizeEncoding(encoding);
  return normalized === undefined ? buffer : buffer.toString(normalized as BufferEncoding);
}

// -- hashes ----------------------------------------------------------------

interface HashOptions {
  outputLength?: number;
}

function xofLength(digest: Digest, options: HashOptions | undefined): number | undefined {
  const length = options?.outputLength;
  if (length === undefined) return undefined;
  validateInt32(length, 'options.outputLength', 0, UINT32_MAX);
  if (!digest.xof && length !== digest.hash.outputLen) {
    throw coded(new Error('error:030000B2:digital envelope routines::not XOF or invalid length'), 'ERR_OSSL_EVP_NOT_XOF_OR_INVALID_LENGTH');
  }
  return digest.xof ? length : undefined;
}

/** A copy's state, handed to the constructor (Node's Hash takes `(algorithm, options)`; this is never a string). */
class Forked {
  constructor(readonly state: AnyHash, readonly digest: Digest) {}
}

/** Node's Hash: `update` any number of times, then one `digest`; `copy` before it forks the state. */
export class Hash {
  #state: AnyHash;
  #digest: Digest;
  #done = false;

  constructor(algorithm: string, options?: HashOptions) {
    if ((algorithm as unknown) instanceof Forked) {
      const forked = algorithm as unknown as Forked;
      this.#state = forked.state;
      this.#digest = forked.digest;
      return;
    }
    validateString(algorithm, 'algorithm');
    this.#digest = digestNamed(algorithm, notSupported);
    this.#state = this.#digest.make(xofLength(this.#digest, options));
  }

  update(data: unknown, inputEncoding?: string): this {
    if (this.#done) throw finalized();
    this.#state.update(dataBytes(data, inputEncoding));
    return this;
  }

  digest(): Buffer;
  digest(outputEncoding: string): string;
  digest(outputEncoding?: string): Buffer | string {
    if (this.#done) throw finalized();
    this.#done = true;
    return output(this.#state.digest(), outputEncoding);
  }

  /** As Node's, a copy of an XOF is read to `options.outputLength`, else to the digest's default (not the original's). */
  copy(options?: HashOptions): Hash {
    if (this.#done) throw finalized();
    const state = this.#state.clone();
    const digest = this.#digest;
    const length = xofLength(digest, options);
    if (digest.xof) (state as { outputLen: number }).outputLen = length ?? digest.hash.outputLen;
    return new Hash(new Forked(state, digest) as unknown as string);
  }
}

/** Node's Hmac: like Hash, but a second `digest` gives an empty result, as Node's does. */
export class Hmac {
  #state: AnyHash;
  #done = false;

  constructor(algorithm: string, key: unknown, options?: { encoding?: string }) {
    validateString(algorithm, 'hmac');
    const digest = digestNamed(algorithm, () => invalidDigest(algorithm));
    // OpenSSL's HMAC refuses an XOF, with an error it does not name
    if (digest.xof) throw new Error('error:00000000:lib(0)::reason(0)');
    if (typeof key !== 'string' && !(key instanceof ArrayBuffer) && !ArrayBuffer.isView(key)) {
      throw invalidArgType('key', 'of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey', key);
    }
    this.#state = hmac.create(digest.hash, keyBytes(key, 'key', options?.encoding));
  }

  update(data: unknown, inputEncoding?: string): this {
    if (this.#done) throw finalized();
    this.#state.update(dataBytes(data, inputEncoding));
    return this;
  }

  digest(): Buffer;
  digest(outputEncoding: string): string;
  digest(outputEncoding?: string): Buffer | string {
    if (this.#done) return output(new Uint8Array(0), outputEncoding);
    this.#done = true;
    return output(this.#state.digest(), outputEncoding);
  }
}

export function createHash(algorithm: string, options?: HashOptions): Hash {
  return new Hash(algorithm, options);
}

export function createHmac(algorithm: string, key: unknown, options?: { encoding?: string }): Hmac {
  return new Hmac(algorithm, key, options);
}

export function getHashes(): string[] {
  return HASH_NAMES.slice();
}

/** Node 20.12's one-shot digest: hex unless told otherwise, `'buffer'` for a Buffer. */
export function hash(algorithm: string, input: unknown, outputEncoding: string = 'hex'): Buffer | string {
  validateString(algorithm, 'algorithm');
  if (typeof input !== 'string' && !ArrayBuffer.isView(input)) throw invalidArgType('input', 'of type string or an instance of Buffer, TypedArray, or DataView', input);
  if (outputEncoding !== 'hex') {
    validateString(outputEncoding, 'outputEncoding');
    if (normalizeEncoding(outputEncoding) === undefined && outputEncoding.toLowerCase() !== 'buffer') {
      throw coded(new TypeError(`The argument 'outputEncoding' is invalid. Received '${outputEncoding}'`), 'ERR_INVALID_ARG_VALUE');
    }
  }
  const digest = digestNamed(algorithm, () => new Error(`Digest method ${algorithm} is not supported`));
  return output(digest.make().update(dataBytes(input, 'utf8')).digest(), outputEncoding);
}

// -- key derivation --------------------------------------------------------

/**
 * Node runs these on its thread pool: the callback comes in a later turn, as
 * there. Through the `setTimeout` the program's code sees (gjs's runner hands
 * it in as a parameter, not a global), so that the runner waits for it.
 */
function later<T>(callback: Callback<T>, value: T): void {
  const run = (): void => callback(null, value);
  if (typeof setTimeout === 'function') setTimeout(run, 0);
  else void Promise.resolve().then(run);
}

export function pbkdf2Sync(password: unknown, salt: unknown, iterations: number, keylen: number, digest: string): Buffer {
  validateString(digest, 'digest');
  const p = keyBytes(password, 'password');
  const s = keyBytes(salt, 'salt');
  validateInt32(iterations, 'iterations', 1);
  validateInt32(keylen, 'keylen', 0);
  const d = digestNamed(digest, () => invalidDigest(digest));
  if (d.xof) throw derivingFailed();
  const key = keylen === 0 ? new Uint8Array(0) : noblePbkdf2(d.hash, p, s, { c: iterations, dkLen: keylen });
  return output(key, 'buffer') as Buffer;
}

export function pbkdf2(password: unknown, salt: unknown, iterations: number, keylen: number, digest: string, callback: Callback<Buffer>): void {
  validateFunction(callback, 'callback');
  const key = pbkdf2Sync(password, salt, iterations, keylen, digest);
  later(callback, key);
}

interface ScryptOptions {
  N?: number;
  r?: number;
  p?: number;
  cost?: number;
  blockSize?: number;
  parallelization?: number;
  maxmem?: number;
}

export function scryptSync(password: unknown, salt: unknown, keylen: number, options: ScryptOptions = {}): Buffer {
  const p = keyBytes(password, 'password');
  const s = keyBytes(salt, 'salt');
  validateInt32(keylen, 'keylen', 0);
  const N = options.N ?? options.cost ?? 16384;
  const r = options.r ?? options.blockSize ?? 8;
  const par = options.p ?? options.parallelization ?? 1;
  const maxmem = options.maxmem ?? 32 << 20;
  // OpenSSL's limits: N a power of two above 1, and its blocks (128·r·(N + 2 + p) bytes) within maxmem.
  if (N < 2 || (N & (N - 1)) !== 0) throw coded(new RangeError('Invalid scrypt params'), 'ERR_CRYPTO_INVALID_SCRYPT_PARAMS');
  if (128 * r * (N + 2 + par) > maxmem) {
    throw coded(new RangeError('Invalid scrypt params: error:030000AC:digital envelope routines::memory limit exceeded'), 'ERR_CRYPTO_INVALID_SCRYPT_PARAMS');
  }
  const key = keylen === 0 ? new Uint8Array(0) : nobleScrypt(p, s, { N, r, p: par, dkLen: keylen, maxmem: 2 ** 32 });
  return output(key, 'buffer') as Buffer;
}

export function scrypt(password: unknown, salt: unknown, keylen: number, options: ScryptOptions | Callback<Buffer>, callback?: Callback<Buffer>): void {
  const cb = (typeof options === 'function' ? options : callback) as Callback<Buffer>;
  validateFunction(cb, 'callback');
  const key = scryptSync(password, salt, keylen, typeof options === 'function' ? {} : options);
  later(cb, key);
}

/** Node's hkdfSync gives an ArrayBuffer. */
export function hkdfSync(digest: string, ikm: unknown, salt: unknown, info: unknown, keylen: number): ArrayBuffer {
  validateString(digest, 'digest');
  const key = keyBytes(ikm, 'ikm');
  const s = keyBytes(salt, 'salt');
  const i = keyBytes(info, 'info');
  validateInt32(keylen, 'length', 0);
  if (i.byteLength > 1024) throw outOfRange('info', 'must not contain more than 1024 bytes', i.byteLength);
  const d = digestNamed(digest, () => invalidDigest(digest));
  if (d.xof) throw derivingFailed();
  if (keylen > 255 * d.hash.outputLen) throw coded(new RangeError('Invalid key length'), 'ERR_CRYPTO_INVALID_KEYLEN');
  const out = keylen === 0 ? new Uint8Array(0) : nobleHkdf(d.hash, key, s, i, keylen);
  return out.slice().buffer;
}

export function hkdf(digest: string, ikm: unknown, salt: unknown, info: unknown, keylen: number, callback: Callback<ArrayBuffer>): void {
  validateFunction(callback, 'callback');
  const key = hkdfSync(digest, ikm, salt, info, keylen);
  later(callback, key);
}

// -- comparison ------------------------------------------------------------

/** Compares without stopping at the first difference, as Node's does, so its time does not tell where two secrets differ. */
export function timingSafeEqual(buf1: unknown, buf2: unknown): boolean {
  const kinds = 'an instance of ArrayBuffer, Buffer, TypedArray, or DataView';
  if (!(buf1 instanceof ArrayBuffer) && !ArrayBuffer.isView(buf1)) throw invalidArgType('buf1', kinds, buf1, false);
  if (!(buf2 instanceof ArrayBuffer) && !ArrayBuffer.isView(buf2)) throw invalidArgType('buf2', kinds, buf2, false);
  const a = viewBytes(buf1);
  const b = viewBytes(buf2);
  if (a.length !== b.length) throw coded(new RangeError('Input buffers must have the same byte length'), 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH');
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

// -- randomness ------------------------------------------------------------

const MAX_SIZE = 2147483647;

export function randomFillSync<T extends ArrayBufferView | ArrayBuffer>(buf: T, offset: number = 0, size?: number): T {
  if (!(buf instanceof ArrayBuffer) && !ArrayBuffer.isView(buf)) throw invalidArgType('buf', 'an instance of ArrayBuffer or ArrayBufferView', buf);
  const bytes = viewBytes(buf);
  const element = (buf as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
  if (typeof offset !== 'number') throw invalidArgType('offset', 'of type number', offset);
  const start = offset * element;
  const limit = Math.min(bytes.length, MAX_SIZE);
  if (Number.isNaN(start) || start > limit || start < 0) throw outOfRange('offset', `>= 0 && <= ${limit}`, start);
  let length = bytes.length - start;
  if (size !== undefined) {
    if (typeof size !== 'number') throw invalidArgType('size', 'of type number', size);
    length = size * element;
    if (Number.isNaN(length) || length > MAX_SIZE || length < 0) throw outOfRange('size', `>= 0 && <= ${MAX_SIZE}`, length);
    if (length + start > bytes.length) throw outOfRange('size + offset', `<= ${bytes.length}`, length + start);
  }
  fillSecureRandom(bytes.subarray(start >>> 0, (start >>> 0) + (length >>> 0)), 'crypto.randomFillSync');
  return buf;
}

export function randomFill<T extends ArrayBufferView | ArrayBuffer>(buf: T, ...rest: unknown[]): void {
  const callback = rest.pop() as Callback<T>;
  validateFunction(callback, 'callback');
  randomFillSync(buf, rest[0] as number | undefined, rest[1] as number | undefined);
  later(callback, buf);
}

function validateSize(size: unknown): number {
  if (typeof size !== 'number') throw invalidArgType('size', 'of type number', size);
  if (Number.isNaN(size) || size > MAX_SIZE || size < 0) throw outOfRange('size', `>= 0 && <= ${MAX_SIZE}`, size);
  return size >>> 0;
}

export function randomBytes(size: number): Buffer;
export function randomBytes(size: number, callback: Callback<Buffer>): void;
export function randomBytes(size: number, callback?: Callback<Buffer>): Buffer | void {
  const n = validateSize(size);
  if (callback !== undefined) validateFunction(callback, 'callback');
  const bytes = Buffer.alloc(n);
  fillSecureRandom(viewBytes(bytes), 'crypto.randomBytes');
  if (callback === undefined) return bytes;
  later(callback, bytes);
}

/** The largest range randomInt draws from: six bytes, as Node's. */
const RAND_MAX = 0xffff_ffff_ffff;

export function randomInt(max: number): number;
export function randomInt(min: number, max: number): number;
export function randomInt(max: number, callback: Callback<number>): void;
export function randomInt(min: number, max: number, callback: Callback<number>): void;
export function randomInt(first: unknown, second?: unknown, third?: unknown): number | void {
  // Node's reading: without a second number, the first is the max and min is 0.
  const minGiven = typeof second !== 'undefined' && typeof second !== 'function';
  const [min, max, callback] = minGiven ? [first, second, third] : [0, first, second];
  if (typeof callback !== 'undefined') validateFunction(callback, 'callback');
  if (!Number.isSafeInteger(min)) throw invalidArgType('min', 'a safe integer', min);
  if (!Number.isSafeInteger(max)) throw invalidArgType('max', 'a safe integer', max);
  const lo = min as number;
  const hi = max as number;
  if (hi <= lo) throw outOfRange('max', `greater than the value of "min" (${lo})`, hi);
  const range = hi - lo;
  if (!(range <= RAND_MAX)) throw outOfRange(minGiven ? 'max - min' : 'max', `<= ${RAND_MAX}`, range);
  // Draws below the largest multiple of the range, so that every value is as likely.
  const limit = RAND_MAX - (RAND_MAX % range);
  const six = new Uint8Array(6);
  let x: number;
  do {
    fillSecureRandom(six, 'crypto.randomInt');
    x = six.reduce((n, byte) => n * 256 + byte, 0);
  } while (x >= limit);
  const n = lo + (x % range);
  if (typeof callback === 'undefined') return n;
  later(callback as Callback<number>, n);
}

/** A version 4 UUID from 16 random bytes (RFC 4122 §4.4). */
export function randomUUID(options?: { disableEntropyCache?: boolean }): string {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw invalidArgType('options', 'of type object', options);
  const b = new Uint8Array(16);
  fillSecureRandom(b, 'crypto.randomUUID');
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// -- Web Crypto ------------------------------------------------------------

interface WebCrypto {
  getRandomValues<T extends ArrayBufferView | null>(array: T): T;
  subtle?: unknown;
}
const engineCrypto = (globalThis as { crypto?: WebCrypto }).crypto;

/** The engine's own Web Crypto where it has a `subtle` (browsers): Node's `webcrypto` is the same API. */
export const webcrypto = engineCrypto?.subtle !== undefined ? engineCrypto : undefined;
export const subtle = webcrypto?.subtle;

const INTEGER_ARRAYS = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array'];

/** Web Crypto's getRandomValues: an integer typed array of at most 65,536 bytes, filled in place. */
export function getRandomValues<T extends ArrayBufferView>(data: T): T {
  if (typeof engineCrypto?.getRandomValues === 'function') return engineCrypto.getRandomValues(data);
  const tag = ArrayBuffer.isView(data) ? Object.prototype.toString.call(data).slice(8, -1) : '';
  if (!INTEGER_ARRAYS.includes(tag)) {
    throw Object.assign(new Error('The data argument must be an integer-type TypedArray'), { name: 'TypeMismatchError', code: 17 });
  }
  if (data.byteLength > 65_536) {
    throw Object.assign(new Error(`The requested length exceeds 65,536 bytes`), { name: 'QuotaExceededError', code: 22 });
  }
  fillSecureRandom(viewBytes(data), 'crypto.getRandomValues');
  return data;
}

/** Node answers 0 where OpenSSL is not in FIPS mode; here there is no FIPS module. */
export const getFips = (): number => 0;

/** Node 20's functions and classes of node:crypto that this module does not give (ciphers, signatures, keys, Diffie-Hellman, primes, X509). */
const NOT_GIVEN = [
  'Certificate', 'Cipher', 'Cipheriv', 'Decipher', 'Decipheriv', 'DiffieHellman', 'DiffieHellmanGroup', 'ECDH', 'KeyObject', 'Sign', 'Verify', 'X509Certificate',
  'checkPrime', 'checkPrimeSync', 'createCipheriv', 'createDecipheriv', 'createDiffieHellman', 'createDiffieHellmanGroup', 'createECDH', 'createPrivateKey',
  'createPublicKey', 'createSecretKey', 'createSign', 'createVerify', 'diffieHellman', 'generateKey', 'generateKeyPair', 'generateKeyPairSync', 'generateKeySync',
  'generatePrime', 'generatePrimeSync', 'getCipherInfo', 'getCiphers', 'getCurves', 'getDiffieHellman', 'privateDecrypt', 'privateEncrypt', 'publicDecrypt',
  'publicEncrypt', 'secureHeapUsed', 'setEngine', 'setFips', 'sign', 'verify',
];

/**
 * A stand-in that fails when called, saying what to do. Only on the default
 * object (`import crypto from 'node:crypto'; crypto.createCipheriv(…)`),
 * where nothing tells at bundling time that the program reads it; a named
 * import of one fails the bundle (exit 3) instead.
 */
function notGiven(name: string): () => never {
  return {
    [name](): never {
      const e = new Error(`crypto.${name} is one of Node's, not in node:crypto of the restart bundle (it gives hashes, HMACs, key derivation and random values): restart the program on Node, Bun or Deno to use it`);
      throw coded(e, 'ERR_INTROSPECT_NOT_PORTABLE');
    },
  }[name]!;
}

export default {
  ...Object.fromEntries(NOT_GIVEN.map((name) => [name, notGiven(name)])),
  Hash, Hmac, createHash, createHmac, getHashes, hash, pbkdf2, pbkdf2Sync, scrypt, scryptSync, hkdf, hkdfSync, timingSafeEqual,
  randomBytes, randomFill, randomFillSync, randomInt, randomUUID,
  getRandomValues, webcrypto, subtle, getFips,
};
