// Progress for long builds: one status line on stderr, rewritten in place.
// Takes the number of files; shows nothing unless stderr is a TTY and the
// project is large (PROGRESS_MIN_FILES), so logs and pipes stay clean.
// `clear()` leaves the terminal as it was.

const PROGRESS_MIN_FILES = 50;
const REDRAW_MS = 80;

export interface Progress {
  phase(text: string): void;
  step(done: number, total: number, text: string): void;
  clear(): void;
}

const silent: Progress = { phase() {}, step() {}, clear() {} };

export function createProgress(fileCount: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || fileCount < PROGRESS_MIN_FILES) return silent;
  let last = 0;
  let shown = false;
  const draw = (text: string, force: boolean) => {
    const now = Date.now();
    if (!force && now - last < REDRAW_MS) return;
    last = now;
    const width = Math.max(20, (stream.columns || 80) - 1);
    stream.write(`\r\x1b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    shown = true;
  };
  return {
    phase: (text) => draw(`introspect: ${text}`, true),
    step: (done, total, text) => draw(`introspect: [${done}/${total}] ${text}`, done === total),
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
