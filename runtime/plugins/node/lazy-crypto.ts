// node:crypto, loaded on first use. Loading it costs a Node process about
// 8 ms of start-up, which a restart of a small checkpoint need not pay: its
// digest is computed faster by the portable SHA-256 than the module loads.

import { loadBuiltin } from './builtin-modules.js';

type Crypto = typeof import('node:crypto');

let crypto: Crypto | undefined;

export function nodeCrypto(): Crypto {
  return (crypto ??= loadBuiltin('node:crypto') as Crypto);
}
