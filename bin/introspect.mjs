#!/usr/bin/env node
// The `introspect` command. `run` and `restart` execute the user's program in
// this process; instrumented frames are larger than plain ones, so a program
// that recurses as deep as it can under plain `node` would overflow here. For
// those two commands we start once more with V8's stack limit raised to what
// the main thread's stack (ulimit -s) safely allows, forward signals, and exit
// as the child does. Everything else runs directly.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MARK = 'INTROSPECT_STACK_KB';
const command = process.argv[2];
const stackKb = (command === 'run' || command === 'restart') && !process.env[MARK] && !process.execArgv.some((a) => a.startsWith('--stack-size')) && canRelaunch() ? safeStackKb() : undefined;

if (stackKb === undefined) {
  await import('../dist/cli/main.js');
} else {
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
function canRelaunch() {
  if (process.arch === 'x64') return true;
  return spawnSync(process.execPath, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Three quarters of the main thread's stack limit, in KB; undefined when unknown or small. */
function safeStackKb() {
  let limits;
  try {
    limits = readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined;
  }
  const m = /^Max stack size\s+(\S+)/m.exec(limits);
  if (!m) return undefined;
  const bytes = m[1] === 'unlimited' ? 64 * 1024 * 1024 : Number(m[1]);
  if (!Number.isFinite(bytes) || bytes < 4 * 1024 * 1024) return undefined;
  return Math.floor(Math.min(bytes, 64 * 1024 * 1024) / 1024 * 0.75);
}
