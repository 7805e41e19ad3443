// node:assert/strict on an engine without Node, for the restart bundle
// (cli/platform/bundle.ts resolves `node:assert/strict` and `assert/strict`
// here): assert-module.ts's `strict`, whose equal, notEqual, deepEqual and
// notDeepEqual are the strict checks, with its methods as named exports.
// Imports nothing from a platform.

import { strict } from './assert-module.js';

export const {
  fail, AssertionError, ok, equal, notEqual, deepEqual, notDeepEqual, deepStrictEqual, notDeepStrictEqual, strictEqual, notStrictEqual, throws, rejects, doesNotThrow, doesNotReject, ifError, match, doesNotMatch,
} = strict;
export { strict };
export default strict;
