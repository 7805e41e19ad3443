// The request socket protocol between `introspect checkpoint <pid>` (the
// client, request-client.ts) and a program run with `introspect run
// --checkpoint-dir D` (the request worker, request-worker.ts). Takes a pid;
// gives the socket's well-known path and the messages, one JSON object per
// line, each with the protocol version `v`:
//
//   client → program   {"v":1,"op":"checkpoint","exit":false,"wait":true}
//   program → client   {"v":1,"event":"accepted","serial":7}
//                      {"v":1,"event":"written","path":"/d/ckpt-….ckpt"}   (wait only)
//                      {"v":1,"event":"failed","error":"…"}                 (wait only, or a refused request)
//
// The socket lives in a directory only its user can enter
// (`<tmpdir>/introspect-<uid>/<pid>.sock`, mode 0700; a named pipe on
// Windows). Lines are read as hostile input: at most MAX_LINE characters,
// and a message that does not have the expected shape is refused.

import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROTOCOL_VERSION = 1;
export const MAX_LINE = 4096;

export interface CheckpointAsk {
  v: number;
  op: 'checkpoint';
  exit: boolean;
  wait: boolean;
}

export type Answer =
  | { v: number; event: 'accepted'; serial: number }
  | { v: number; event: 'written'; path: string }
  | { v: number; event: 'failed'; error: string };

function socketDir(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(tmpdir(), `introspect-${uid}`);
}

/** Where the program with this pid listens for checkpoint requests. */
export function socketPath(pid: number): string {
  if (process.platform === 'win32') return `\\\\.\\pipe\\introspect-${pid}`;
  return join(socketDir(), `${pid}.sock`);
}

/**
 * The pid users see for this program: bin/introspect.mjs may run it in a
 * child process (a larger stack) and forwards signals to it; the socket is
 * named after the parent, whose pid it exports as INTROSPECT_PUBLIC_PID (only
 * believed when that process is our parent: the variable is inherited further).
 */
export function publicPid(): number {
  const raw = process.env.INTROSPECT_PUBLIC_PID;
  const pid = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
  return pid !== undefined && pid === process.ppid ? pid : process.pid;
}

/** Creates the socket's directory (0700) and checks that nobody else owns it; returns the socket path. */
export function prepareSocketPath(pid: number): string {
  const path = socketPath(pid);
  if (process.platform === 'win32') return path;
  const dir = socketDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) {
    throw new Error(`${dir} must be a directory owned by this user with mode 0700; remove it so it can be created again`);
  }
  return path;
}

/** Removes the sockets left by processes of this user that died without cleaning up (SIGKILL, a crash). */
export function removeStaleSockets(): void {
  if (process.platform === 'win32') return;
  const dir = socketDir();
  for (const name of readdirSync(dir)) {
    const m = /^(\d+)\.sock$/.exec(name);
    if (m === null || isAlive(Number(m[1]))) continue;
    rmSync(join(dir, name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

export function encode(message: CheckpointAsk | Answer): string {
  return `${JSON.stringify(message)}\n`;
}

/** Splits a byte stream into lines; refuses a line longer than MAX_LINE. */
export class LineReader {
  private buffer = '';

  /** The complete lines in `chunk` (and before it); throws on an over-long line. */
  push(chunk: string): string[] {
    this.buffer += chunk;
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop()!;
    if (this.buffer.length > MAX_LINE || lines.some((l) => l.length > MAX_LINE)) {
      throw new Error(`a request line is longer than ${MAX_LINE} characters`);
    }
    return lines;
  }
}

function parseObject(line: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error('not a JSON line');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
  const record = value as Record<string, unknown>;
  if (record.v !== PROTOCOL_VERSION) throw new Error(`protocol version ${JSON.stringify(record.v)} is not ${PROTOCOL_VERSION}`);
  return record;
}

export function parseAsk(line: string): CheckpointAsk {
  const r = parseObject(line);
  if (r.op !== 'checkpoint' || typeof r.exit !== 'boolean' || typeof r.wait !== 'boolean') {
    throw new Error('expected {"v":1,"op":"checkpoint","exit":<boolean>,"wait":<boolean>}');
  }
  return { v: PROTOCOL_VERSION, op: 'checkpoint', exit: r.exit, wait: r.wait };
}

export function parseAnswer(line: string): Answer {
  const r = parseObject(line);
  if (r.event === 'accepted' && typeof r.serial === 'number') return { v: PROTOCOL_VERSION, event: 'accepted', serial: r.serial };
  if (r.event === 'written' && typeof r.path === 'string') return { v: PROTOCOL_VERSION, event: 'written', path: r.path };
  if (r.event === 'failed' && typeof r.error === 'string') return { v: PROTOCOL_VERSION, event: 'failed', error: r.error };
  throw new Error(`unexpected answer ${JSON.stringify(line.slice(0, 200))}`);
}
