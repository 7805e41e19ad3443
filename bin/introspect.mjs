#!/bin/sh
":" //; s=$(ulimit -s 2>/dev/null); case "$s" in unlimited) k=49152;; ''|*[!0-9]*) k=;; *) k=$((s * 3 / 4)); if [ "$k" -gt 49152 ]; then k=49152; elif [ "$k" -lt 3072 ]; then k=; fi;; esac; exec node ${k:+--stack-size=$k} "$0" "$@"
// The `introspect` command. The first two lines are a shell launcher (the
// JavaScript sees a string and a comment): run as an executable (npx, the
// package's bin), it starts node once with V8's stack limit raised to three
// quarters of the main thread's stack (ulimit -s), since instrumented frames
// are larger than plain ones and a program that recurses as deep as it can
// under plain `node` would otherwise overflow under `run` or `restart`.
// Started as `node bin/introspect.mjs` instead, `run` and `restart` start
// once more with the same limit (a second node start-up), forward signals,
// and exit as the child does. Everything else runs directly.
// node:fs through require: its ESM facade would load the streams stack (~10 ms).
import { createRequire } from 'node:module';

const MARK = 'INTROSPECT_STACK_KB';
const command = process.argv[2];
const stackKb = (command === 'run' || command === 'restart') && !process.env[MARK] && !process.execArgv.some((a) => a.startsWith('--stack-size')) && (await canRelaunch()) ? safeStackKb() : undefined;

if (stackKb === undefined) {
  if (command === 'run' || command === 'restart') await enableCompileCache();
  await import('../dist/cli/main.bundle.mjs');
} else {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [...process.execArgv, `--stack-size=${stackKb}`, ...process.argv.slice(1)], {
    stdio: 'inherit',
    // The program and `introspect checkpoint <pid>` know this process's pid.
    env: { ...process.env, [MARK]: String(stackKb), INTROSPECT_PUBLIC_PID: String(process.pid) },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGURG']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}

/**
 * Under an emulator (qemu-user runs a foreign-CPU node) process.execPath is
 * not directly executable; off x86-64, check once before relying on it.
 */
async function canRelaunch() {
  if (process.arch === 'x64') return true;
  return (await import('node:child_process')).spawnSync(process.execPath, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Three quarters of the main thread's stack limit, in KB; undefined when unknown or small. */
function safeStackKb() {
  let limits;
  try {
    limits = createRequire(import.meta.url)('node:fs').readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined;
  }
  const m = /^Max stack size\s+(\S+)/m.exec(limits);
  if (!m) return undefined;
  const bytes = m[1] === 'unlimited' ? 64 * 1024 * 1024 : Number(m[1]);
  if (!Number.isFinite(bytes) || bytes < 4 * 1024 * 1024) return undefined;
  return Math.floor(Math.min(bytes, 64 * 1024 * 1024) / 1024 * 0.75);
}

/**
 * Node 22.1+ keeps V8's code cache of every module it loads where it is
 * asked to: the command line, the runtime and the program then compile once,
 * not on every start (cli/code-cache.ts, which does it for the runtime alone
 * on older Node). Asked only where Node has it, so that Node 20 loads nothing more.
 */
async function enableCompileCache() {
  if (process.env.INTROSPECT_CODE_CACHE === '0' || process.versions.bun !== undefined || process.versions.deno !== undefined) return;
  if (typeof createRequire(import.meta.url)('node:module').enableCompileCache !== 'function') return;
  (await import('../dist/cli/code-cache.js')).enableNodeCompileCache();
}
