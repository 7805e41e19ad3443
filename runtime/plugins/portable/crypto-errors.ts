// Node's errors and argument checks, as the portable node:crypto
// (crypto-module.ts) throws them: the class, `code` and message Node 20
// gives (ERR_INVALID_ARG_TYPE's "Received type number (5)", numbers past
// 2³² written with `_`). Imports nothing from a platform.

export type CodedError = Error & { code: string };

export function coded<E extends Error>(error: E, code: string): E & { code: string } {
  return Object.assign(error, { code });
}

/** What Node's ERR_INVALID_ARG_TYPE says it received. */
export function received(value: unknown): string {
  if (value === null || value === undefined) return `Received ${value}`;
  if (typeof value === 'function') return `Received function ${value.name || '<anonymous>'}`;
  if (typeof value === 'object') {
    const name = (value as { constructor?: { name?: string } }).constructor?.name;
    return name ? `Received an instance of ${name}` : 'Received [Object: null prototype] {}';
  }
  let shown = typeof value === 'string' ? `'${value}'` : typeof value === 'bigint' ? `${value}n` : String(value);
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return `Received type ${typeof value} (${shown})`;
}

/** Node's ERR_INVALID_ARG_TYPE (a dotted name is a property); some of Node's checks (in C++) do not say what they received. */
export function invalidArgType(name: string, expected: string, value: unknown, saysReceived = true): CodedError {
  const what = name.includes('.') ? 'property' : 'argument';
  return coded(new TypeError(`The "${name}" ${what} must be ${expected}.${saysReceived ? ` ${received(value)}` : ''}`), 'ERR_INVALID_ARG_TYPE');
}

/** Node writes numbers past 2³² with `_` between thousands. */
export function outOfRange(name: string, range: string, value: number): CodedError {
  let shown = String(value);
  if (Number.isInteger(value) && Math.abs(value) > 2 ** 32) shown = shown.replace(/\B(?=(\d{3})+$)/g, '_');
  return coded(new RangeError(`The value of "${name}" is out of range. It must be ${range}. Received ${shown}`), 'ERR_OUT_OF_RANGE');
}

export const finalized = (): CodedError => coded(new Error('Digest already called'), 'ERR_CRYPTO_HASH_FINALIZED');
/** OpenSSL's PBKDF2 and HKDF refuse an XOF only when they run. */
export const derivingFailed = (): Error => new Error('Deriving bits failed');
export const invalidDigest = (name: string): CodedError => coded(new TypeError(`Invalid digest: ${name}`), 'ERR_CRYPTO_INVALID_DIGEST');

export function validateString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') throw invalidArgType(name, 'of type string', value);
}

export function validateInt32(value: unknown, name: string, min: number, max = 2147483647): asserts value is number {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
}

export const UINT32_MAX = 4294967295;

export function validateFunction(value: unknown, name: string): asserts value is Function {
  if (typeof value !== 'function') throw invalidArgType(name, 'of type function', value);
}

