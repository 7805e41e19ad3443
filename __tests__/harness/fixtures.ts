// The fixture programs under fixtures/: a directory with main.ts, the
// expected.txt written by scripts/gen-expected.mjs, and an optional
// fixture.json with per-fixture oracle settings.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir } from './paths.js';

export interface FixtureSettings {
  /** Default run: checkpoint at every k when N is at most this, else sample this many ks (plus 1, N/2, N). */
  samples?: number;
  /** INTROSPECT_FULL run: the same for the exhaustive sweep. */
  fullSamples?: number;
  /** Node's --stack-size (in KB) for the CLI and plain runs of the built program, for very deep recursion. */
  stackSizeKb?: number;
  /** Time limit of every subprocess, in ms. */
  timeoutMs?: number;
  /** gen-expected: the program writes to stderr on purpose. */
  allowStderr?: boolean;
  /**
   * false: the expected output is Node's own (it prints objects with Node's
   * console formatting), so the platform matrix restarts it on Node only.
   */
  portable?: boolean;
  /**
   * true, with `portable: false`: what keeps it off the script engines is
   * Node's API (node: modules, `process`), which Bun and Deno have too, and
   * its output is theirs as well: the platform matrix restarts it on every
   * Node-compatible platform; or the names of the non-Node ones it runs
   * on (`["deno"]`: Bun's own behaviour differs, `_nodeRuntimes` says how).
   */
  nodeRuntimes?: boolean | string[];
  /**
   * true: the program keeps state outside its checkpoint (files it writes
   * and removes at its end), so a checkpoint of it restarts once only; the
   * platform matrix takes a checkpoint for each restart instead of sharing
   * one between platforms.
   */
  restartOnce?: boolean;
  /**
   * false: the output depends on timer margins an emulated CPU (qemu, ~10×
   * slower) does not keep, so a plain run there prints otherwise; the
   * platform matrix skips emulated platforms.
   */
  emulated?: boolean;
  /**
   * false: the output depends on the host's byte order (views of different
   * widths over the same bytes, docs/FORMAT.md §4), so a plain run on a
   * big-endian CPU prints otherwise; the platform matrix skips big-endian
   * platforms.
   */
  bigEndian?: boolean;
  /**
   * false: the output is this Node's wording of one of its modules (Node
   * 20's node:assert messages, which the script engines are given too);
   * another Node version, Bun or Deno prints its own, so the platform matrix
   * skips the Node-compatible platforms of another version.
   */
  otherNodes?: boolean;
}

export interface Fixture {
  name: string;
  dir: string;
  expected: Buffer;
  settings: FixtureSettings;
}

const KNOWN: Record<keyof FixtureSettings, 'number' | 'boolean' | 'boolean or names'> = {
  samples: 'number',
  fullSamples: 'number',
  stackSizeKb: 'number',
  timeoutMs: 'number',
  allowStderr: 'boolean',
  portable: 'boolean',
  nodeRuntimes: 'boolean or names',
  restartOnce: 'boolean',
  emulated: 'boolean',
  bigEndian: 'boolean',
  otherNodes: 'boolean',
};

export function parseSettings(text: string, where: string): FixtureSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${where}: expected an object`);
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith('_')) continue; // a comment
    const type = KNOWN[key as keyof FixtureSettings];
    if (type === undefined) throw new Error(`${where}: unknown setting ${JSON.stringify(key)} (known: ${Object.keys(KNOWN).join(', ')})`);
    if (type === 'boolean or names') {
      if (typeof value !== 'boolean' && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) throw new Error(`${where}: ${key} must be a boolean or a list of platform names`);
      continue;
    }
    if (typeof value !== type || (type === 'number' && !(Number.isInteger(value) && (value as number) > 0))) {
      throw new Error(`${where}: ${key} must be ${type === 'number' ? 'a positive integer' : 'a boolean'}`);
    }
  }
  return raw as FixtureSettings;
}

export function fixtureNames(): string[] {
  return readdirSync(fixturesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(fixturesDir, d.name, 'main.ts')))
    .map((d) => d.name)
    .sort();
}

export function loadFixture(name: string): Fixture {
  const dir = join(fixturesDir, name);
  const expectedPath = join(dir, 'expected.txt');
  if (!existsSync(expectedPath)) throw new Error(`fixture ${name} has no expected.txt (run node scripts/gen-expected.mjs ${name})`);
  const settingsPath = join(dir, 'fixture.json');
  const settings = existsSync(settingsPath) ? parseSettings(readFileSync(settingsPath, 'utf8'), settingsPath) : {};
  return { name, dir, expected: readFileSync(expectedPath), settings };
}

/**
 * fixtures/known-failing.json: fixture name -> why the oracle does not pass
 * it yet. Keys starting with "_" are comments. The default run skips these.
 */
export function loadKnownFailing(): Map<string, string> {
  const path = join(fixturesDir, 'known-failing.json');
  if (!existsSync(path)) return new Map();
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const known = new Map<string, string>();
  const names = new Set(fixtureNames());
  for (const [name, reason] of Object.entries(raw)) {
    if (name.startsWith('_')) continue;
    if (!names.has(name)) throw new Error(`${path}: no fixture named ${JSON.stringify(name)}`);
    if (typeof reason !== 'string' || reason.trim() === '') throw new Error(`${path}: ${name} needs a reason`);
    known.set(name, reason);
  }
  return known;
}
