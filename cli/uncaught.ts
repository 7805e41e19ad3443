// Reporting a program's uncaught error the way `node main.js` does, from
// inside the CLI: takes the thrown value; prints the throw site (file:line,
// the source line and a caret, taken from the first stack frame), the error
// as util.inspect shows it and the Node version, then exits with code 1
// (running the program's exit listeners). If the program installed its own
// 'uncaughtException' listener, the error is re-thrown to it instead.

import { readFileSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';

/** Listeners the CLI itself installs; they do not count as the program's own. */
export const ownListeners = new Set<Function>();

export function programHandlesUncaught(): boolean {
  return process.listeners('uncaughtException').some((listener) => !ownListeners.has(listener));
}

export function failLikeNode(error: unknown): void {
  if (programHandlesUncaught()) {
    process.nextTick(() => {
      throw error;
    });
    return;
  }
  writeStderr(describeUncaught(error, 'uncaughtException'));
  process.exit(1);
}

export function describeUncaught(error: unknown, origin: string): string {
  let body: string;
  if (error instanceof Error) {
    body = `${throwSite(error)}${inspect(error)}`;
  } else if (origin === 'unhandledRejection') {
    body =
      '[UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, ' +
      `or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "${inspect(error)}".] ` +
      "{\n  code: 'ERR_UNHANDLED_REJECTION'\n}";
  } else {
    body = `Uncaught ${inspect(error)}`;
  }
  return `${body}\n\nNode.js ${process.version}\n`;
}

/** "file:///p/main.js:3\n  throw new Error('x');\n        ^\n\n", or "" when the stack does not say. */
function throwSite(error: Error): string {
  const frame = /^\s+at (?:.*? \()?((?:file:\/\/|\/)[^():]+):(\d+):(\d+)\)?$/m.exec(error.stack ?? '');
  if (frame === null) return '';
  try {
    const [, location, line, column] = frame;
    const path = location!.startsWith('file:') ? fileURLToPath(location!) : location!;
    const text = readFileSync(path, 'utf8').split('\n')[Number(line) - 1];
    if (text === undefined || text.length > 300) return '';
    return `${location}:${line}\n${text}\n${' '.repeat(Math.max(0, Number(column) - 1))}^\n\n`;
  } catch {
    return '';
  }
}

export function writeStderr(text: string): void {
  try {
    writeSync(2, text);
  } catch {
    process.stderr.write(text);
  }
}
