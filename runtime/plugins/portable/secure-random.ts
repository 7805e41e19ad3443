// Secure random bytes on an engine without Node, for the portable
// node:crypto (crypto-module.ts): the engine's `crypto.getRandomValues`
// (browsers), else a source its host plugin offers (the native QuickJS shell
// and gjs read the system's /dev/urandom), else none. Without a source a
// call fails, naming the engine: random ids and keys made from Math.random
// would be guessable, and a program that asked for secure bytes must not
// get such bytes silently. Imports nothing from a platform.

type Fill = (bytes: Uint8Array) => void;

/** What the host offered: its engine's name, and a way to fill bytes where it has one. */
let offered: { engine: string; fill: Fill | undefined } | undefined;

/** Called by a host plugin at boot: the engine's name (for the error), and its source if it has one. */
export function offerSecureRandom(engine: string, fill?: Fill): void {
  offered = { engine, fill };
}

/** `getRandomValues` takes 65,536 bytes at most a call (the Web Crypto quota). */
const QUOTA = 65_536;

function engineSource(): Fill | undefined {
  const webCrypto = (globalThis as { crypto?: { getRandomValues?: (view: Uint8Array) => Uint8Array } }).crypto;
  if (typeof webCrypto?.getRandomValues !== 'function') return undefined;
  const getRandomValues = webCrypto.getRandomValues.bind(webCrypto);
  return (bytes) => {
    for (let at = 0; at < bytes.length; at += QUOTA) getRandomValues(bytes.subarray(at, Math.min(bytes.length, at + QUOTA)));
  };
}

/** True when `fillSecureRandom` can fill (so a caller may say what it cannot do before it starts). */
export function hasSecureRandom(): boolean {
  return engineSource() !== undefined || offered?.fill !== undefined;
}

/** Fills `bytes` from the engine's or the host's secure source; throws, naming the engine and `caller`, where there is none. */
export function fillSecureRandom(bytes: Uint8Array, caller: string): void {
  if (bytes.length === 0) return;
  const fill = engineSource() ?? offered?.fill;
  if (fill === undefined) {
    const engine = offered?.engine ?? 'this engine';
    const e = new Error(
      `${caller} needs secure random bytes, which ${engine} does not give (it has no crypto.getRandomValues nor a system source the restart can read): restart the program on Node, Bun, Deno, a browser, gjs or the native QuickJS shell`,
    ) as Error & { code: string };
    e.code = 'ERR_INTROSPECT_NO_SECURE_RANDOM';
    throw e;
  }
  fill(bytes);
}
