// The checkpoint header: what a checkpoint says about itself, readable
// without loading the program (UTF-8 JSON in the file). Takes parsed JSON;
// guarantees the fields every reader relies on are present and typed, and
// keeps any other field (the runtime adds its own: frames, tasks, ...).

import type { PlatformInfo } from '../host.js';
import { FormatError } from './errors.js';

export const FORMAT_VERSION = 2;

export interface CheckpointHeader {
  formatVersion: number;
  program: { fingerprint: string; entry: string; dir: string };
  /** ISO 8601 */
  createdAt: string;
  platform: PlatformInfo;
  plugins: string[];
  /** The program's own arguments (argv after the entry), given back to it on restart. */
  args?: string[];
  functions?: unknown;
  /** The checkpoint came due earlier, at suspension point `point`, and was deferred there `by` (a frame, a reason). */
  deferred?: { by: string; point: number };
  /** The later built-ins the program had when it started (runtime/later-builtins.ts); a restart provides only these. Absent: all. */
  laterBuiltins?: readonly string[];
  /** Modules the program had loaded with import(), and the imports whose namespace it got (runtime/dynamic-imports.ts). */
  dynamicImports?: { modules: string[]; imports: [string, string, string][] };
  [k: string]: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws FormatError('corrupted') naming the first missing or mistyped field. */
export function checkHeader(value: unknown, where: string): CheckpointHeader {
  const bad = (field: string, expected: string): never => {
    throw new FormatError('corrupted', `checkpoint header (${where}): field ${field} should be ${expected}; the file was not written by Introspect or is damaged — take a new checkpoint`);
  };
  if (!isObject(value)) return bad('(the header itself)', 'a JSON object');
  if (typeof value.formatVersion !== 'number') bad('formatVersion', 'a number');
  const program = value.program;
  if (!isObject(program)) return bad('program', 'an object');
  for (const key of ['fingerprint', 'entry', 'dir']) if (typeof program[key] !== 'string') bad(`program.${key}`, 'a string');
  if (typeof value.createdAt !== 'string') bad('createdAt', 'a string');
  const platform = value.platform;
  if (!isObject(platform)) return bad('platform', 'an object');
  for (const key of ['engine', 'runtime', 'os', 'cpu']) if (typeof platform[key] !== 'string') bad(`platform.${key}`, 'a string');
  if (platform.endianness !== 'LE' && platform.endianness !== 'BE') bad('platform.endianness', '"LE" or "BE"');
  if (!Array.isArray(value.plugins) || !value.plugins.every((p) => typeof p === 'string')) bad('plugins', 'an array of strings');
  return value as CheckpointHeader;
}
