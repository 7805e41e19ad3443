// The platforms `introspect restart --platform NAME` knows (SPEC §6), as
// data: each wrapper name of scripts/platforms.sh with how to restart there.
// Takes a name and a platforms directory ($INTROSPECT_PLATFORMS by default);
// gives the wrapper to run, the environment it needs and its kind, or a
// UsageError listing what is installed. Kinds:
//   node    a Node-compatible runtime: the CLI itself runs there
//   script  an engine without Node APIs: a restart bundle runs there (host
//           plugin runtime/plugins/<host>/)
//   page    a headless browser page: a restart bundle, output via console

import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

export type PlatformKind = 'node' | 'script' | 'page';
export type BundleHost = 'quickjs' | 'jsc' | 'gjs' | 'browser';

export interface PlatformSpec {
  name: string;
  kind: PlatformKind;
  engine: string;
  /** Short runtime description recorded as the platform hint. */
  runtime: string;
  cpu: string;
  endianness: 'LE' | 'BE';
  /** Runs under qemu user-mode emulation: ~10× slower. */
  emulated: boolean;
  /** For script/page kinds: the host plugin compiled into the bundle. */
  host?: BundleHost;
  /** Arguments the wrapper needs before the script (Deno: resolve bare imports from node_modules). */
  preArgs?: string[];
  /**
   * Where the process may lift its stack limit (`ulimit -s unlimited`), the
   * arguments that use the room (else preArgs): a restart rewinds every saved
   * frame at once, as deep as the program was.
   */
  bigStackArgs?: string[];
  /**
   * Variables the wrapper is run with (the program's own environment is
   * unchanged: a script engine's comes from the restart's hint).
   */
  env?: Record<string, string>;
}

/** CPUs the wrappers run under qemu user-mode emulation. */
const EMULATED = new Set(['arm64', 'ppc64', 's390x']);

function node(name: string, cpu = 'x64', endianness: 'LE' | 'BE' = 'LE', engine = 'v8'): PlatformSpec {
  return { name, kind: 'node', engine, runtime: name, cpu, endianness, emulated: EMULATED.has(cpu) };
}
function script(name: string, host: BundleHost, engine: string, cpu = 'x64', endianness: 'LE' | 'BE' = 'LE'): PlatformSpec {
  return { name, kind: host === 'browser' ? 'page' : 'script', host, engine, runtime: name, cpu, endianness, emulated: EMULATED.has(cpu) };
}

/**
 * The qjs shell stops JS recursion at 1 MB of C stack by default, far below
 * Node's; a restart rewinds every saved frame, so allow nearly the whole 8 MB
 * main-thread stack (an overflow is still a catchable InternalError).
 */
const QJS_STACK = ['--stack-size', '7M'];
/** Native qjs with the stack limit lifted: as deep as Node goes by default, and more. */
const QJS_BIG_STACK = ['--stack-size', '1G'];
/**
 * qjs under qemu-user: the guest's main thread gets qemu's own 8 MB stack
 * whatever `ulimit -s` says when it is unlimited (a finite bigger one is
 * taken), and QuickJS on s390x spends more C stack a JS call than on x86-64,
 * so 7 MB of it did not reach the 10,005 frames `fixtures/deep-recursion-10k`
 * recurses after its restart. qemu sizes the guest stack by
 * QEMU_STACK_SIZE; the limit given to qjs leaves the same 1 MB margin.
 */
const QJS_EMULATED = { preArgs: ['--stack-size', '63M'], env: { QEMU_STACK_SIZE: '64M' } };

export const PLATFORMS: readonly PlatformSpec[] = [
  node('node18-x64'),
  node('node22-x64'),
  node('node24-x64'),
  node('bun', 'x64', 'LE', 'javascriptcore'),
  // --no-config (the wrapper's) keeps Deno from reading package.json's "type": "commonjs": a CommonJS build is told apart by its code.
  { ...node('deno'), preArgs: ['--node-modules-dir=manual', '--unstable-detect-cjs'] },
  { ...script('qjs', 'quickjs', 'quickjs'), preArgs: QJS_STACK, bigStackArgs: QJS_BIG_STACK },
  script('qjs-wasm', 'quickjs', 'quickjs', 'wasm32'),
  script('jsc', 'jsc', 'javascriptcore'),
  script('gjs', 'gjs', 'spidermonkey'),
  script('chromium', 'browser', 'v8'),
  script('firefox', 'browser', 'spidermonkey'),
  node('node20-arm64', 'arm64'),
  node('node18-arm64-deb', 'arm64'),
  node('node20-ppc64le', 'ppc64'),
  node('node18-ppc64le-deb', 'ppc64'),
  node('node18-s390x-deb', 's390x', 'BE'),
  node('node20-s390x-deb', 's390x', 'BE'),
  node('node20-s390x', 's390x', 'BE'),
  { ...script('qjs-s390x', 'quickjs', 'quickjs', 's390x', 'BE'), ...QJS_EMULATED },
];

/**
 * V8 flags raising the stack limit to `kb` for a Node-compatible platform,
 * as bin/introspect.mjs does for run/restart on this Node (it re-executes
 * process.execPath, which cannot work under qemu user-mode emulation, so the
 * CLI is started there at dist/cli/main.js with the flag given directly).
 * Bun has no such flag.
 */
export function stackArgs(spec: PlatformSpec, kb: number | undefined): string[] {
  if (kb === undefined || spec.kind !== 'node' || spec.engine !== 'v8') return [];
  return spec.name === 'deno' ? [`--v8-flags=--stack-size=${kb}`] : [`--stack-size=${kb}`];
}

/** Three quarters of this machine's main-thread stack limit in KB (as bin/introspect.mjs), or undefined. */
export function safeStackKb(limits: string | undefined): number | undefined {
  const m = limits === undefined ? null : /^Max stack size\s+(\S+)/m.exec(limits);
  if (!m) return undefined;
  const bytes = m[1] === 'unlimited' ? 64 * 1024 * 1024 : Number(m[1]);
  if (!Number.isFinite(bytes) || bytes < 4 * 1024 * 1024) return undefined;
  return Math.floor((Math.min(bytes, 64 * 1024 * 1024) / 1024) * 0.75);
}

export function platformSpec(name: string): PlatformSpec | undefined {
  return PLATFORMS.find((p) => p.name === name);
}

export function platformsDir(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = explicit ?? env.INTROSPECT_PLATFORMS;
  return dir === undefined || dir === '' ? undefined : resolve(dir);
}

/** Names with a wrapper in DIR/bin that this registry knows, in registry order. */
export function installedPlatforms(dir: string | undefined): PlatformSpec[] {
  if (dir === undefined || !existsSync(join(dir, 'bin'))) return [];
  const present = new Set(readdirSync(join(dir, 'bin')));
  return PLATFORMS.filter((p) => present.has(p.name));
}

export interface ResolvedPlatform {
  spec: PlatformSpec;
  /** The command to run a JS file on it (wrapper, then spec.preArgs). */
  command: string[];
  /** Variables to run the command with besides the CLI's own (spec.env). */
  env?: Record<string, string>;
}

/**
 * The wrapper for NAME: DIR/bin/NAME, or the built-in QuickJS (wasm) runner
 * for qjs-wasm when no platforms directory provides one.
 */
export function resolvePlatform(name: string, dir: string | undefined, builtin: (name: string) => string[] | undefined): ResolvedPlatform {
  const spec = platformSpec(name);
  if (spec === undefined) {
    throw new UsageError(`unknown platform ${JSON.stringify(name)}; known: ${PLATFORMS.map((p) => p.name).join(', ')}`, 'restart');
  }
  const wrapper = dir === undefined ? undefined : join(dir, 'bin', name);
  if (wrapper !== undefined && existsSync(wrapper)) {
    if (spec.bigStackArgs === undefined) return { spec, command: [wrapper, ...(spec.preArgs ?? [])], ...(spec.env && { env: spec.env }) };
    const q = (args: string[]) => args.map((a) => `'${a}'`).join(' ');
    const script = `ulimit -s unlimited 2>/dev/null && exec "$0" ${q(spec.bigStackArgs)} "$@"; exec "$0" ${q(spec.preArgs ?? [])} "$@"`;
    return { spec, command: ['sh', '-c', script, wrapper], ...(spec.env && { env: spec.env }) };
  }
  const fallback = builtin(name);
  if (fallback !== undefined) return { spec, command: fallback };
  const installed = installedPlatforms(dir).map((p) => p.name);
  const where =
    dir === undefined
      ? 'no platforms directory: pass --platforms-dir DIR or set INTROSPECT_PLATFORMS (install with scripts/platforms.sh DIR)'
      : `${join(dir, 'bin', name)} does not exist (installed there: ${installed.join(', ') || 'none'}; install with scripts/platforms.sh ${dir})`;
  throw new UsageError(`platform ${name} is not installed: ${where}`, 'restart');
}
