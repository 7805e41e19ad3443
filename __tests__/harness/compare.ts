// Output comparison and the text of diagnostics.

export interface LineDiff {
  /** 1-based line number of the first difference. */
  line: number;
  expected: string;
  actual: string;
}

const END = '<end of output>';

function lineAt(lines: readonly string[], i: number): string {
  // A trailing newline leaves an empty last element: that is the end, not a line.
  if (i >= lines.length || (i === lines.length - 1 && lines[i] === '')) return END;
  return clip(lines[i]!);
}

/** The first line where the texts differ, or null when they are equal. */
export function firstDifference(expected: string, actual: string): LineDiff | null {
  if (expected === actual) return null;
  const e = expected.split('\n');
  const a = actual.split('\n');
  for (let i = 0; i < Math.max(e.length, a.length); i++) {
    if (e[i] === a[i]) continue;
    const expectedLine = lineAt(e, i);
    const actualLine = lineAt(a, i);
    if (expectedLine === END && actualLine === END) {
      // Same lines; only the newline at the very end differs.
      const newline = (has: boolean) => `${clip(e[i - 1] ?? '')}${has ? '\n' : ' <no newline at end>'}`;
      return { line: i, expected: newline(e.length > a.length), actual: newline(a.length > e.length) };
    }
    return { line: i + 1, expected: expectedLine, actual: actualLine };
  }
  return { line: 0, expected: '', actual: '' }; // unreachable: unequal texts differ somewhere
}

export function formatDiff(d: LineDiff): string {
  return `first difference at line ${d.line}:\n    expected: ${JSON.stringify(d.expected)}\n    actual:   ${JSON.stringify(d.actual)}`;
}

export function countLines(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

export function clip(s: string, max = 200): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** The last `lines` lines of a text, at most `chars` characters. */
export function tail(text: string, lines = 25, chars = 3000): string {
  const kept = text.replace(/\s+$/, '').split('\n').slice(-lines).join('\n');
  return kept.length > chars ? `…${kept.slice(-chars)}` : kept;
}

/** The last non-empty line of a text ('' if none). */
export function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
  return lines.length === 0 ? '' : lines[lines.length - 1]!;
}

const POINTS = /^introspect: (\d+) suspension points?$/;

/** N from the "introspect: N suspension points" line that ends stderr. */
export function parsePointCount(stderr: string): number | null {
  const m = POINTS.exec(lastLine(stderr));
  return m === null ? null : Number(m[1]);
}
