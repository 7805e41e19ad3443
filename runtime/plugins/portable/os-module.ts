// node:os on an engine without Node, for the restart bundle
// (cli/platform/bundle.ts resolves `node:os` and `os` here). Programs read
// it for `EOL`, `platform()`, `cpus().length` (a worker count), `tmpdir()`
// and `homedir()`. The answers are those of the machine the restart runs
// on, as the CLI that started it saw them (`process.platform`/`arch` and the
// environment, portable/process.ts); what an engine cannot know gets what
// Node answers when the system does not tell it: no load, no network
// interfaces, an unknown CPU model. Imports nothing from a platform.

import { HOST_BIG_ENDIAN } from '../../heap/intrinsics.js';

interface PortableProcess {
  platform?: string;
  arch?: string;
  env?: Record<string, string | undefined>;
  uptime?: () => number;
}

const proc = (): PortableProcess => ((globalThis as { process?: PortableProcess }).process ?? {});

export const platform = (): string => proc().platform ?? 'linux';
export const arch = (): string => proc().arch ?? 'x64';
export const EOL = platform() === 'win32' ? '\r\n' : '\n';
export const devNull = platform() === 'win32' ? '\\\\.\\nul' : '/dev/null';

const TYPES: Record<string, string> = { linux: 'Linux', darwin: 'Darwin', win32: 'Windows_NT', freebsd: 'FreeBSD', openbsd: 'OpenBSD', sunos: 'SunOS', aix: 'AIX' };
export const type = (): string => TYPES[platform()] ?? platform();
const MACHINES: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i686', ppc64: 'ppc64le', s390x: 's390x', arm: 'arm', riscv64: 'riscv64' };
export const machine = (): string => MACHINES[arch()] ?? arch();
export const release = (): string => '';
export const version = (): string => '';
export const hostname = (): string => proc().env?.HOSTNAME ?? 'localhost';
export const endianness = (): 'BE' | 'LE' => (HOST_BIG_ENDIAN ? 'BE' : 'LE');

export function tmpdir(): string {
  const env = proc().env ?? {};
  const dir = env.TMPDIR ?? env.TMP ?? env.TEMP ?? '/tmp';
  return dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
}

export const homedir = (): string => proc().env?.HOME ?? '/';

export function userInfo(): { username: string; uid: number; gid: number; shell: string | null; homedir: string } {
  const env = proc().env ?? {};
  return { username: env.USER ?? env.LOGNAME ?? '', uid: -1, gid: -1, shell: env.SHELL ?? null, homedir: homedir() };
}

/** The engine's count of logical CPUs where it tells one (a browser's navigator), else 1. */
export function availableParallelism(): number {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof n === 'number' && n >= 1 ? n : 1;
}

export function cpus(): { model: string; speed: number; times: Record<'user' | 'nice' | 'sys' | 'idle' | 'irq', number> }[] {
  return Array.from({ length: availableParallelism() }, () => ({ model: 'unknown', speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } }));
}

export const totalmem = (): number => 0;
export const freemem = (): number => 0;
export const loadavg = (): number[] => [0, 0, 0];
export const uptime = (): number => Math.floor(proc().uptime?.() ?? 0);
export const networkInterfaces = (): Record<string, never[]> => ({});
export const getPriority = (): number => 0;
export const setPriority = (): void => {};
export const constants = Object.freeze({ signals: Object.freeze({}), errno: Object.freeze({}), priority: Object.freeze({ PRIORITY_LOW: 19, PRIORITY_BELOW_NORMAL: 10, PRIORITY_NORMAL: 0, PRIORITY_ABOVE_NORMAL: -7, PRIORITY_HIGH: -14, PRIORITY_HIGHEST: -20 }) });

export default { EOL, devNull, platform, arch, type, machine, release, version, hostname, endianness, tmpdir, homedir, userInfo, availableParallelism, cpus, totalmem, freemem, loadavg, uptime, networkInterfaces, getPriority, setPriority, constants };
