// The script engines' node:crypto (runtime/plugins/portable/crypto-module.ts,
// over @noble/hashes) answers as Node's own: every digest it lists over
// seeded random data of random lengths, fed in random pieces of every input
// type and encoding; digest names as OpenSSL reads them; output encodings;
// HMAC keys of every length around the block sizes; copy(); the one-shot
// hash(); pbkdf2, scrypt, hkdf; timingSafeEqual; Node's errors with their
// codes; and the random functions' shapes, ranges and failure without a
// secure source (secure-random.ts).

import * as nodeCrypto from 'node:crypto';
import * as portable from '../runtime/plugins/portable/crypto-module.js';
import { Buffer as PortableBuffer } from '../runtime/plugins/portable/buffer-module.js';
import { fillSecureRandom, offerSecureRandom } from '../runtime/plugins/portable/secure-random.js';
import { randomInts } from './harness/sampling.js';

const NodeBuffer = globalThis.Buffer;

/** The same cases on every run. */
const random = randomInts;

const bytesOf = (rnd: (n: number) => number, n: number): Uint8Array => Uint8Array.from({ length: n }, () => rnd(256));

/** The same bytes as another kind of input: a Buffer, a Uint8Array, a DataView, or an offset Uint16Array over them. */
function asInput(rnd: (n: number) => number, bytes: Uint8Array, B: typeof NodeBuffer | typeof PortableBuffer): NodeJS.ArrayBufferView {
  switch (rnd(4)) {
    case 0: return B.from(bytes);
    case 1: return bytes;
    case 2: {
      const padded = new Uint8Array(bytes.length + 3);
      padded.set(bytes, 1);
      return new DataView(padded.buffer, 1, bytes.length);
    }
    default: {
      if (bytes.length % 2 !== 0) return bytes;
      const padded = new Uint8Array(bytes.length + 2);
      padded.set(bytes, 2);
      return new Uint16Array(padded.buffer, 2, bytes.length / 2);
    }
  }
}

/** What a call does: its result as text (hex for bytes), or its error's name, code and message. */
function outcome(f: () => unknown): string {
  try {
    const r = f();
    if (r instanceof Uint8Array) return `bytes ${NodeBuffer.from(r).toString('hex')}`;
    if (r instanceof ArrayBuffer) return `arraybuffer ${NodeBuffer.from(r).toString('hex')}`;
    return `${typeof r} ${String(r)}`;
  } catch (e) {
    const error = e as Error & { code?: unknown };
    return `throws ${error.name} ${String(error.code)} ${error.message}`;
  }
}

const ours = portable as unknown as typeof nodeCrypto;
const ALGORITHMS = portable.getHashes();
const TEXT_ENCODINGS = [undefined, 'utf8', 'utf-8', 'UTF8', 'latin1', 'binary', 'ascii', 'hex', 'base64', 'base64url', 'utf16le', 'ucs2', 'nonsense'];
const OUTPUT_ENCODINGS = [undefined, 'buffer', 'hex', 'HEX', 'base64', 'base64url', 'latin1', 'binary', 'utf8', 'ucs2', 'utf16le', 'ascii', 'nonsense', ''];

describe('portable node:crypto against Node', () => {
  test('its digests are among Node\'s, in Node\'s order', () => {
    const nodes = nodeCrypto.getHashes();
    expect(ALGORITHMS.filter((a) => !nodes.includes(a))).toEqual([]);
    expect(nodes.filter((a) => !ALGORITHMS.includes(a))).toEqual(['RSA-SM3', 'md5-sha1', 'sm3', 'sm3WithRSAEncryption']);
    expect(ALGORITHMS).toEqual(nodes.filter((a) => ALGORITHMS.includes(a)));
  });

  test('every digest of random data of random lengths, fed in random pieces of every input kind', () => {
    const rnd = random(1);
    const differ: unknown[] = [];
    for (const algorithm of ALGORITHMS) {
      for (let t = 0; t < 40; t++) {
        const data = bytesOf(rnd, rnd(t < 20 ? 300 : 3000));
        const theirs = nodeCrypto.createHash(algorithm);
        const mine = portable.createHash(algorithm);
        for (let at = 0; at < data.length; ) {
          const piece = data.subarray(at, at + 1 + rnd(200));
          at += piece.length;
          const kind = rnd(1000);
          theirs.update(asInput(random(kind), piece, NodeBuffer));
          mine.update(asInput(random(kind), piece, PortableBuffer));
        }
        const expected = theirs.digest('hex');
        const got = mine.digest('hex');
        if (got !== expected) differ.push([algorithm, data.length, got, expected]);
      }
    }
    expect(differ).toEqual([]);
  });

  test('text in every input encoding', () => {
    const rnd = random(2);
    const differ: unknown[] = [];
    const alphabet = ['a', 'Z', '0', '9', 'f', '-', '_', '+', '/', '=', 'é', 'ß', '世', '😀', '\ud800', '\u0000', ' '];
    for (let t = 0; t < 400; t++) {
      const text = Array.from({ length: rnd(40) }, () => alphabet[rnd(alphabet.length)]).join('');
      const hexText = Array.from({ length: rnd(20) * 2 }, () => '0123456789abcdefABCDEFxyz'[rnd(25)]).join('');
      for (const encoding of TEXT_ENCODINGS) {
        for (const s of [text, hexText]) {
          const expected = outcome(() => nodeCrypto.createHash('sha256').update(s, encoding as nodeCrypto.Encoding).digest('hex'));
          const got = outcome(() => portable.createHash('sha256').update(s, encoding).digest('hex'));
          if (got !== expected) differ.push([s, encoding, got, expected]);
        }
      }
    }
    expect(differ).toEqual([]);
  });

  test('digest names as OpenSSL reads them', () => {
    const names = [
      'SHA256', 'Sha-256', 'sha2-256', 'SHA-1', 'sha-1', 'SHA1', 'MD5', 'RSA-SHA512/224', 'sha512/224', 'SHA512-256', 'sha-512/256', 'sha3-256', 'SHA3-512',
      'RIPEMD160', 'ripemd-160', 'rmd160', 'BLAKE2B512', 'blake2s256', 'blake2b', 'SHAKE128', 'shake256', 'sha256WithRSAEncryption', 'RSA-SHA1-2',
      'ssl3-md5', 'sha', 'sha-2', 'sha3', 'sha512-384', 'md4', 'whirlpool', 'sha2-512/224', 'sha-384', 'sha2-384', ' sha256', 'sha256 ', '',
    ];
    const differ: unknown[] = [];
    for (const name of names) {
      const expected = outcome(() => nodeCrypto.createHash(name).update('abc').digest('hex'));
      const got = outcome(() => portable.createHash(name).update('abc').digest('hex'));
      if (got !== expected) differ.push([name, got, expected]);
    }
    expect(differ).toEqual([]);
  });

  test('Node\'s digests it does not compute fail saying so', () => {
    for (const name of ['sm3', 'SM3', 'RSA-SM3', 'md5-sha1']) {
      expect(outcome(() => portable.createHash(name))).toBe(
        `throws Error ERR_INTROSPECT_DIGEST_NOT_PORTABLE Digest method not supported: ${name} is one of Node's digests that node:crypto of the restart bundle does not compute (restart the program on Node to use it)`,
      );
    }
  });

  test('the default object has each of Node\'s names: ours, or one that fails saying to restart on Node', () => {
    const defaults = portable.default as unknown as Record<string, unknown>;
    const named = Object.keys(portable).filter((k) => k !== 'default');
    expect(Object.keys(nodeCrypto).filter((k) => k !== 'default' && k !== 'constants' && !(k in defaults))).toEqual([]);
    expect(named.filter((k) => defaults[k] !== (portable as unknown as Record<string, unknown>)[k])).toEqual([]);
    for (const k of Object.keys(defaults).filter((k) => !named.includes(k))) {
      expect(named).not.toContain(k);
      expect(outcome(() => (defaults[k] as () => unknown)())).toMatch(new RegExp(`^throws Error ERR_INTROSPECT_NOT_PORTABLE crypto\\.${k} is one of Node's, not in node:crypto of the restart bundle .*: restart the program on Node, Bun or Deno`));
    }
  });

  test('every output encoding; a Buffer where Node gives one', () => {
    const differ: unknown[] = [];
    for (const algorithm of ['md5', 'sha1', 'sha256', 'sha512']) {
      for (const encoding of OUTPUT_ENCODINGS) {
        const expected = nodeCrypto.createHash(algorithm).update('some text').digest(encoding as nodeCrypto.BinaryToTextEncoding);
        const got = portable.createHash(algorithm).update('some text').digest(encoding as string);
        const same = typeof expected === 'string' ? got === expected : (got as unknown) instanceof PortableBuffer && NodeBuffer.from(got as unknown as Uint8Array).equals(expected);
        if (!same) differ.push([algorithm, encoding, got, expected]);
      }
    }
    expect(differ).toEqual([]);
  });

  test('shake with an output length, and copy() in the middle', () => {
    const rnd = random(3);
    const differ: unknown[] = [];
    for (const algorithm of ['shake128', 'shake256', 'sha256', 'sha3-256', 'md5', 'blake2b512']) {
      for (let t = 0; t < 20; t++) {
        const first = bytesOf(rnd, rnd(200));
        const second = bytesOf(rnd, rnd(200));
        const length = rnd(3) === 0 ? undefined : rnd(100);
        const options = length === undefined ? undefined : { outputLength: length };
        const run = (c: typeof nodeCrypto): string => outcome(() => {
          const h = c.createHash(algorithm, options).update(first);
          const copy = h.copy();
          const longer = algorithm.startsWith('shake') ? h.copy({ outputLength: 7 }) : h.copy();
          h.update(second);
          return [h.digest('hex'), copy.digest('hex'), longer.update(second).digest('hex')].join(' ');
        });
        const expected = run(nodeCrypto);
        const got = run(ours);
        if (got !== expected) differ.push([algorithm, length, got, expected]);
      }
    }
    expect(differ).toEqual([]);
  });

  test('HMAC keys of every length around the block sizes, as bytes and as text', () => {
    const rnd = random(4);
    const differ: unknown[] = [];
    for (const algorithm of ALGORITHMS.filter((a) => !a.startsWith('shake'))) {
      for (let keyLength = 0; keyLength <= 200; keyLength += 1 + rnd(9)) {
        const key = bytesOf(rnd, keyLength);
        const data = bytesOf(rnd, rnd(300));
        const expected = nodeCrypto.createHmac(algorithm, NodeBuffer.from(key)).update(data).digest('hex');
        const got = portable.createHmac(algorithm, key).update(data).digest('hex');
        const textKey = 'k€y'.repeat(keyLength % 50);
        const expectedText = nodeCrypto.createHmac(algorithm, textKey).update('message').digest('base64');
        const gotText = portable.createHmac(algorithm, textKey).update('message').digest('base64');
        if (got !== expected || gotText !== expectedText) differ.push([algorithm, keyLength, got, expected, gotText, expectedText]);
      }
    }
    expect(differ).toEqual([]);
  });

  test('the one-shot hash(), pbkdf2, scrypt and hkdf', () => {
    const rnd = random(5);
    const differ: unknown[] = [];
    const check = (label: unknown, f: (c: typeof nodeCrypto) => unknown): void => {
      const expected = outcome(() => f(nodeCrypto));
      const got = outcome(() => f(ours));
      if (got !== expected) differ.push([label, got, expected]);
    };
    const oneShot = (c: typeof nodeCrypto) => (c as unknown as { hash(a: string, d: unknown, e?: string): unknown }).hash;
    for (const algorithm of ['sha1', 'md5', 'sha256', 'sha512', 'SHA3-256', 'nope']) {
      for (const encoding of [undefined, 'hex', 'base64', 'buffer', 'BUFFER', 'latin1', 'nonsense']) {
        const data = NodeBuffer.from(bytesOf(rnd, rnd(100)));
        check(['hash', algorithm, encoding], (c) => oneShot(c)(algorithm, data, encoding));
        check(['hash text', algorithm, encoding], (c) => oneShot(c)(algorithm, 'héllo', encoding));
      }
    }
    check('hash of a number', (c) => oneShot(c)('sha1', 5));
    for (const digest of ['sha1', 'sha256', 'SHA512', 'md5', 'sha3-256', 'nope', 'shake128']) {
      for (const keylen of [0, 1, 20, 32, 65, 100]) {
        const salt = bytesOf(rnd, rnd(20));
        const iterations = 1 + rnd(50);
        const ikm = bytesOf(rnd, 1 + rnd(40));
        check(['pbkdf2', digest, keylen], (c) => c.pbkdf2Sync('password', salt, iterations, keylen, digest));
        check(['hkdf', digest, keylen], (c) => c.hkdfSync(digest, ikm, salt, 'info', keylen));
      }
    }
    check('hkdf too long', (c) => c.hkdfSync('sha256', 'key', 'salt', 'info', 255 * 32 + 1));
    check('hkdf longest', (c) => c.hkdfSync('sha1', 'key', 'salt', '', 255 * 20));
    check('pbkdf2 iterations 0', (c) => c.pbkdf2Sync('p', 's', 0, 10, 'sha1'));
    check('pbkdf2 iterations 1.5', (c) => c.pbkdf2Sync('p', 's', 1.5, 10, 'sha1'));
    check('pbkdf2 keylen text', (c) => c.pbkdf2Sync('p', 's', 1, '10' as unknown as number, 'sha1'));
    check('pbkdf2 password number', (c) => c.pbkdf2Sync(5 as unknown as string, 's', 1, 10, 'sha1'));
    for (const [N, r, p] of [[16, 1, 1], [1024, 8, 1], [64, 2, 3], [3, 1, 1], [1, 1, 1], [2 ** 20, 8, 1], [2 ** 14, 16, 1]] as const) {
      const keylen = 1 + rnd(64);
      check(['scrypt', N, r, p], (c) => c.scryptSync('password', 'salt', keylen, { N, r, p }));
    }
    check('scrypt defaults', (c) => c.scryptSync('pw', NodeBuffer.from('salt'), 16));
    check('scrypt aliases', (c) => c.scryptSync('pw', 'salt', 16, { cost: 32, blockSize: 2, parallelization: 2 }));
    expect(differ).toEqual([]);
  });

  test('the callback forms call back later with what the sync ones give', async () => {
    const got = await new Promise<string>((resolve) => {
      let sync = true;
      portable.pbkdf2('pw', 'salt', 3, 16, 'sha256', (error, key) => resolve(`${sync} ${error} ${key!.toString('hex')}`));
      sync = false;
    });
    expect(got).toBe(`false null ${nodeCrypto.pbkdf2Sync('pw', 'salt', 3, 16, 'sha256').toString('hex')}`);
    const hkdf = await new Promise<ArrayBuffer>((resolve) => portable.hkdf('sha256', 'k', 's', 'i', 10, (_e, key) => resolve(key!)));
    expect(NodeBuffer.from(hkdf).equals(NodeBuffer.from(nodeCrypto.hkdfSync('sha256', 'k', 's', 'i', 10)))).toBe(true);
    const scrypt = await new Promise<PortableBuffer>((resolve) => portable.scrypt('pw', 's', 8, (_e, key) => resolve(key!)));
    expect(scrypt.toString('hex')).toBe(nodeCrypto.scryptSync('pw', 's', 8).toString('hex'));
  });

  test('Node\'s errors, with their codes', () => {
    const cases: [string, (c: typeof nodeCrypto) => unknown][] = [
      ['unknown digest', (c) => c.createHash('nope')],
      ['algorithm not a string', (c) => c.createHash(5 as unknown as string)],
      ['update a number', (c) => c.createHash('sha1').update(5 as unknown as string)],
      ['update an object', (c) => c.createHash('sha1').update({} as unknown as string)],
      ['update null', (c) => c.createHash('sha1').update(null as unknown as string)],
      ['update a long string as a number', (c) => c.createHash('sha1').update(123456789012345678901234567890 as unknown as string)],
      ['update odd hex', (c) => c.createHash('sha1').update('abc', 'hex')],
      ['digest twice', (c) => { const h = c.createHash('sha1'); h.digest(); return h.digest(); }],
      ['update after digest', (c) => { const h = c.createHash('sha1'); h.digest(); return h.update('x'); }],
      ['copy after digest', (c) => { const h = c.createHash('sha1'); h.digest(); return h.copy(); }],
      ['outputLength of a fixed digest', (c) => c.createHash('sha256', { outputLength: 5 })],
      ['outputLength equal to a fixed digest', (c) => c.createHash('sha256', { outputLength: 32 }).digest('hex')],
      ['outputLength negative', (c) => c.createHash('shake128', { outputLength: -1 })],
      ['outputLength text', (c) => c.createHash('shake128', { outputLength: '5' as unknown as number })],
      ['hmac unknown digest', (c) => c.createHmac('nope', 'k')],
      ['hmac of shake', (c) => c.createHmac('shake128', 'k').update('x').digest('hex')],
      ['hmac digest twice', (c) => { const h = c.createHmac('sha1', 'k'); h.digest(); return `${h.digest('hex')}|${h.digest().length}`; }],
      ['hmac update after digest', (c) => { const h = c.createHmac('sha1', 'k'); h.digest(); return h.update('x'); }],
      ['hmac key a number', (c) => c.createHmac('sha1', 5 as unknown as string)],
      ['hmac algorithm not a string', (c) => c.createHmac(5 as unknown as string, 'k')],
      ['timingSafeEqual lengths', (c) => c.timingSafeEqual(NodeBuffer.from('a'), NodeBuffer.from('ab'))],
      ['timingSafeEqual a string', (c) => c.timingSafeEqual('a' as unknown as Uint8Array, NodeBuffer.from('a'))],
      ['randomBytes negative', (c) => c.randomBytes(-1)],
      ['randomBytes text', (c) => c.randomBytes('5' as unknown as number)],
      ['randomBytes too many', (c) => c.randomBytes(2 ** 31)],
      ['randomInt max <= min', (c) => c.randomInt(5, 3)],
      ['randomInt range', (c) => c.randomInt(2 ** 48)],
      ['randomInt min-max range', (c) => c.randomInt(-1, 2 ** 48)],
      ['randomInt fraction', (c) => c.randomInt(1.5)],
      ['randomInt text', (c) => c.randomInt(0, '5' as unknown as number)],
      ['randomInt callback not a function', (c) => c.randomInt(0, 5, 7 as unknown as () => void)],
      ['randomFillSync offset', (c) => c.randomFillSync(new Uint8Array(4), 5)],
      ['randomFillSync size', (c) => c.randomFillSync(new Uint8Array(4), 1, 4)],
      ['randomFillSync a string', (c) => c.randomFillSync('abc' as unknown as Uint8Array)],
      ['randomUUID options', (c) => c.randomUUID(5 as unknown as object)],
      ['pbkdf2 no callback', (c) => (c.pbkdf2 as Function)('p', 's', 1, 1, 'sha1')],
    ];
    const differ: unknown[] = [];
    for (const [label, f] of cases) {
      const expected = outcome(() => f(nodeCrypto));
      const got = outcome(() => f(ours));
      if (got !== expected) differ.push([label, got, expected]);
    }
    expect(differ).toEqual([]);
  });

  test('timingSafeEqual over random pairs of views', () => {
    const rnd = random(6);
    for (let t = 0; t < 500; t++) {
      const a = bytesOf(rnd, rnd(40));
      const b = rnd(2) === 0 ? a.slice() : bytesOf(rnd, a.length);
      if (b.length > 0 && rnd(3) === 0) b[rnd(b.length)] ^= 1 << rnd(8);
      const kind = rnd(1000);
      expect(portable.timingSafeEqual(asInput(random(kind), a, PortableBuffer), b.buffer)).toBe(nodeCrypto.timingSafeEqual(asInput(random(kind), a, NodeBuffer), b));
    }
  });

  test('random values: lengths, ranges, formats, and only the bytes asked for', async () => {
    expect(portable.randomBytes(0).length).toBe(0);
    expect(portable.randomBytes(100_000).length).toBe(100_000);
    expect(portable.randomBytes(3.7).length).toBe(3);
    expect(portable.randomBytes(16)).toBeInstanceOf(PortableBuffer);
    const uuids = new Set(Array.from({ length: 200 }, () => portable.randomUUID()));
    expect(uuids.size).toBe(200);
    for (const id of uuids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const n = portable.randomInt(-3, 4);
      expect(Number.isInteger(n) && n >= -3 && n < 4).toBe(true);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([-1, -2, -3, 0, 1, 2, 3]);
    expect(portable.randomInt(1)).toBe(0);
    expect(await new Promise((resolve) => portable.randomInt(10, (_e, n) => resolve(typeof n)))).toBe('number');
    expect(await new Promise((resolve) => portable.randomBytes(5, (_e, b) => resolve(b!.length)))).toBe(5);
    // randomFillSync writes only [offset, offset + size) of the view's elements, as Node's
    for (let t = 0; t < 50; t++) {
      const words = new Uint16Array(20);
      portable.randomFillSync(words, 3, 10);
      expect([...words.subarray(0, 3), ...words.subarray(13)].every((w) => w === 0)).toBe(true);
      expect(words.subarray(3, 13).some((w) => w !== 0)).toBe(true);
    }
    const ints = new Int32Array(8);
    expect(portable.getRandomValues(ints)).toBe(ints);
    expect(ints.some((n) => n !== 0)).toBe(true);
    expect(outcome(() => portable.getRandomValues(new Float64Array(2)))).toBe(outcome(() => nodeCrypto.getRandomValues(new Float64Array(2))));
  });

  test('without a secure source, a random function fails naming the engine; never Math.random', () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
    const random = Math.random;
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
    Math.random = () => { throw new Error('Math.random used'); };
    try {
      offerSecureRandom('the test shell');
      expect(outcome(() => portable.randomBytes(4))).toMatch(/^throws Error ERR_INTROSPECT_NO_SECURE_RANDOM crypto.randomBytes needs secure random bytes, which the test shell does not give/);
      expect(outcome(() => portable.randomUUID())).toMatch(/crypto.randomUUID needs secure random bytes/);
      expect(outcome(() => portable.randomBytes(0))).toBe('bytes ');
      const offered: number[] = [];
      offerSecureRandom('the test shell', (bytes) => { offered.push(bytes.length); bytes.fill(7); });
      expect(portable.randomBytes(3).toString('hex')).toBe('070707');
      const big = new Uint8Array(70_000);
      fillSecureRandom(big, 'test');
      expect(offered).toEqual([3, 70_000]);
    } finally {
      Object.defineProperty(globalThis, 'crypto', descriptor);
      Math.random = random;
      offerSecureRandom('node');
    }
  });
});
