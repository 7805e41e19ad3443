// The program's stdout and stderr on an engine whose shell prints whole lines
// (`print` of the jsc and gjs shells, a page's console, the QuickJS wasm
// runner's console) or raw text (the QuickJS shell's std.out). Node's streams
// take any piece of text: `process.stdout.write('a')` and then
// `console.log('b')` print one line `ab`. Takes the host's printer of one
// stream; guarantees the text comes out in the order it was written and cut
// into the lines Node would show: a line goes to a line printer when its
// newline is written, or, unfinished, when the program next waits (a timer of
// the engine) or exits (`flush`). Imports nothing from a platform.

export interface OutputStream {
  write(text: string): void;
  /** Prints an unfinished line now (before an exit). */
  flush(): void;
}

/** Both streams, shared by `console` (node-format.ts) and `process.stdout`/`stderr` (process.ts). */
export interface ProgramOutput {
  out: OutputStream;
  err: OutputStream;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/** Node writes a lone surrogate as U+FFFD (its UTF-8 encoder); some shells write its raw bytes. */
function wellFormed(text: string): string {
  return LONE_SURROGATE.test(text) ? text.replace(LONE_SURROGATES, '\ufffd') : text;
}

/** A stream over a printer that ends each call with a newline of its own. */
export function lineStream(printLine: (line: string) => void): OutputStream {
  let pending = '';
  let due = false;
  const flush = (): void => {
    due = false;
    if (pending === '') return;
    const line = pending;
    pending = '';
    printLine(wellFormed(line));
  };
  return {
    write(text) {
      const lines = (pending + text).split('\n');
      pending = lines.pop()!;
      for (const line of lines) printLine(wellFormed(line));
      if (pending === '' || due) return;
      due = true;
      const later = (globalThis as { setTimeout?: (fn: () => void, ms: number) => unknown }).setTimeout;
      if (typeof later === 'function') later(flush, 0);
      else void Promise.resolve().then(flush);
    },
    flush,
  };
}

/** A stream over a printer that writes text as it is (no newline added). */
export function rawStream(puts: (text: string) => void, flush: () => void = () => {}): OutputStream {
  return { write: (text) => puts(wellFormed(text)), flush };
}
