// The functions of node:fs that open, close or take a file descriptor
// number, by export name. Takes nothing; gives the one list that the
// transform (which imports of node:fs it points at `$R.fsd`,
// transformer/library-helpers.ts) and the Node host (which functions it
// wraps to translate numbers, plugins/node/descriptor-numbers.ts, and
// forwards where imports do not see its wrappers, plugins/node/fs-bindings.ts)
// share. Imports nothing from a platform.

/** Take a descriptor (a number; for the *File ones, or a path) as their first argument. Not open and close. */
export const TAKES_DESCRIPTOR: readonly string[] = [
  'fstat', 'fstatSync', 'fsync', 'fsyncSync', 'fdatasync', 'fdatasyncSync',
  'ftruncate', 'ftruncateSync', 'futimes', 'futimesSync', 'fchmod', 'fchmodSync', 'fchown', 'fchownSync',
  'read', 'readSync', 'readv', 'readvSync', 'write', 'writeSync', 'writev', 'writevSync',
  'readFile', 'readFileSync', 'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync',
];

/** Every function the Node host wraps on node:fs's module object for descriptors: open and close (open-files.ts) and the above. */
export const FS_DESCRIPTOR_FUNCTIONS: readonly string[] = ['open', 'openSync', 'close', 'closeSync', ...TAKES_DESCRIPTOR];
