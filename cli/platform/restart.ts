// `introspect restart F --platform NAME`: resumes a checkpoint on another
// installed platform and relays its output. Takes the checkpoint file, the
// platform name and directory; resolves to the exit code of the restarted
// program. Node-compatible runtimes run this CLI there (`<wrapper>
// dist/cli/main.js restart F`); engines without Node APIs get a restart
// bundle (bundle.ts) written to a temporary file and run by the wrapper.
// The checkpoint is read and checked here first, so a bad file is refused
// the same way on every platform (exit 3) before anything is started.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCheckpointFile } from '../checkpoint-file.js';
import { buildRestartBundle } from './bundle.js';
import { platformsDir, resolvePlatform, safeStackKb, stackArgs, type ResolvedPlatform } from './registry.js';
import { relay } from './relay.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** dist/cli/main.js */
export const CLI_MAIN = join(HERE, '..', 'main.js');

export interface PlatformRestartOptions {
  file: string;
  platform: string;
  platformsDir?: string;
  program?: string;
  /** Finds the built program's entry from the header (commands/restart.ts locateEntry). */
  locateEntry: (file: string, program: { entry: string; dir: string }, override: string | undefined) => string;
}

/** The built-in runner for NAME, when the project carries one (qjs-wasm, from npm packages). */
export function builtinRunner(name: string): string[] | undefined {
  if (name !== 'qjs-wasm') return undefined;
  try {
    import.meta.resolve('quickjs-emscripten-core');
    import.meta.resolve('@jitl/quickjs-wasmfile-release-sync');
  } catch {
    return undefined;
  }
  return [process.execPath, join(HERE, 'runners', 'qjs-wasm.js')];
}

function limits(): string | undefined {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined;
  }
}

/** The restarting process's environment, which a restart on Node would give the program (`process.env`), for an engine without one. */
function environment(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export async function restartOnPlatform(options: PlatformRestartOptions): Promise<number> {
  const target: ResolvedPlatform = resolvePlatform(options.platform, platformsDir(options.platformsDir), builtinRunner);
  const file = resolve(options.file);
  const checkpoint = await readCheckpointFile(file);
  const entry = options.locateEntry(checkpoint.path, checkpoint.header.program, options.program);
  const { spec, command, env } = target;
  if (spec.kind === 'node') {
    const args = [CLI_MAIN, 'restart', file, '--program', dirname(entry)];
    return relay([...command, ...stackArgs(spec, safeStackKb(limits())), ...args], { env });
  }
  const code = await buildRestartBundle({
    entry,
    checkpoint: checkpoint.bytes(),
    host: spec.host!,
    hint: { engine: spec.engine, runtime: spec.runtime, os: 'linux', cpu: spec.cpu, entry, cwd: process.cwd(), env: environment() },
  });
  const work = mkdtempSync(join(tmpdir(), 'introspect-restart-'));
  try {
    const bundle = join(work, 'restart.js');
    writeFileSync(bundle, code);
    return await relay([...command, bundle], { markerOnStdout: spec.kind === 'page', env });
  } finally {
    // INTROSPECT_KEEP_BUNDLE=1 keeps the bundle, to debug an engine by hand.
    if (process.env.INTROSPECT_KEEP_BUNDLE === '1') process.stderr.write(`introspect: restart bundle kept in ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
}
