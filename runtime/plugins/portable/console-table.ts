// `console.table` as Node (20.10 and later) prints it, for engines whose console
// has none (the QuickJS, jsc and gjs shells) or draws its own (browsers,
// Bun, Deno, Node before 20.10).
// Takes the arguments of a call; gives the text Node writes: a box-drawn
// table whose first column is the row's index or key, then one column per
// property of the rows (or the `properties` asked for), then `Values` for
// rows that are primitives; Maps and Sets as `(iteration index)`, `Key`,
// `Values`. Cells are inspected on one line (node-format.ts inspectCell) and
// left-aligned, wide characters counting two columns. Written after Node's
// lib/internal/console/constructor.js `table` and lib/internal/cli_table.js.
// Imports nothing from a platform.

import { inspectCell } from './node-format.js';

const INDEX = '(index)';
const ITERATION = '(iteration index)';
const KEY = 'Key';
const VALUES = 'Values';

/**
 * Gives `console` Node's `table`, printed through its own `log` (Bun and
 * Deno, whose consoles print otherwise Node's way but draw tables their own,
 * and Node before 20.10, which centres the cells).
 */
export function tableLikeNode(console: Record<string, unknown>): void {
  const log = console.log as (...args: unknown[]) => void;
  const table = (data: unknown, properties?: readonly string[]): void => {
    const text = formatTable(data, properties);
    if (text === undefined) log.call(console, data);
    else log.call(console, text);
  };
  Object.defineProperty(console, 'table', { value: table, writable: true, configurable: true, enumerable: true });
}

/** The text of `console.table(data, properties)`, or undefined when Node logs `data` as `console.log` would. */
export function formatTable(data: unknown, properties?: readonly string[]): string | undefined {
  if (properties !== undefined && !Array.isArray(properties)) {
    throw new TypeError(`The "properties" argument must be an instance of Array. Received ${typeof properties}`);
  }
  if (data === null || typeof data !== 'object') return undefined;
  const indices = (length: number): string[] => Array.from({ length }, (_, i) => inspectCell(i));
  if (data instanceof Map) {
    const keys: string[] = [];
    const values: string[] = [];
    for (const [k, v] of data) {
      keys.push(inspectCell(k));
      values.push(inspectCell(v));
    }
    return render([ITERATION, KEY, VALUES], [indices(keys.length), keys, values]);
  }
  if (data instanceof Set) {
    const values = [...data].map(inspectCell);
    return render([ITERATION, VALUES], [indices(values.length), values]);
  }
  // A null-prototype object, as Node's: integer-like property names come first, in numeric order.
  const columns = Object.create(null) as Record<string, string[]>;
  const rowKeys = Object.keys(data);
  const primitives: string[] = [];
  let hasPrimitives = false;
  rowKeys.forEach((rowKey, i) => {
    const item = (data as Record<string, unknown>)[rowKey];
    const primitive = item === null || (typeof item !== 'function' && typeof item !== 'object');
    if (properties === undefined && primitive) {
      hasPrimitives = true;
      primitives[i] = inspectCell(item);
      return;
    }
    for (const key of properties ?? Object.keys(item as object)) {
      const column = (columns[key] ??= []);
      const has = !primitive && Object.prototype.hasOwnProperty.call(item, key);
      column[i] = has ? inspectCell((item as Record<string, unknown>)[key]) : '';
    }
  });
  const head = [INDEX, ...Object.keys(columns)];
  const body = [rowKeys, ...Object.values(columns)];
  if (hasPrimitives) {
    head.push(VALUES);
    body.push(primitives);
  }
  return render(head, body);
}

/** cli_table.js: columns as wide as their widest cell, a missing cell blank. */
function render(head: string[], columns: string[][]): string {
  const widths = head.map(width);
  const rowCount = Math.max(...columns.map((column) => column.length));
  const rows: string[][] = Array.from({ length: rowCount }, () => []);
  head.forEach((_, i) => {
    for (let j = 0; j < rowCount; j++) {
      const cell = Object.prototype.hasOwnProperty.call(columns[i], j) ? columns[i]![j]! : '';
      rows[j]![i] = cell;
      widths[i] = Math.max(widths[i]!, width(cell));
    }
  });
  const divider = widths.map((w) => '─'.repeat(w + 2));
  const line = (cells: string[]): string => `│ ${cells.map((cell, i) => cell + ' '.repeat(widths[i]! - width(cell))).join(' │ ')} │`;
  return [`┌${divider.join('┬')}┐`, line(head), `├${divider.join('┼')}┤`, ...rows.map(line), `└${divider.join('┴')}┘`].join('\n');
}

/** Columns a string takes in a terminal (Node's getStringWidth): East Asian wide characters two, combining marks none. */
function width(text: string): number {
  let columns = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (isZeroWidth(code)) continue;
    columns += isFullWidth(code) ? 2 : 1;
  }
  return columns;
}

function isZeroWidth(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || (code >= 0x300 && code <= 0x36f) || (code >= 0x200b && code <= 0x200f) || (code >= 0x20d0 && code <= 0x20ff) || (code >= 0xfe00 && code <= 0xfe0f) || (code >= 0xfe20 && code <= 0xfe2f) || (code >= 0xe0100 && code <= 0xe01ef);
}

function isFullWidth(code: number): boolean {
  return (
    code >= 0x1100 &&
    (code <= 0x115f ||
      code === 0x2329 ||
      code === 0x232a ||
      (code >= 0x2e80 && code <= 0x3247 && code !== 0x303f) ||
      (code >= 0x3250 && code <= 0x4dbf) ||
      (code >= 0x4e00 && code <= 0xa4c6) ||
      (code >= 0xa960 && code <= 0xa97c) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe10 && code <= 0xfe19) ||
      (code >= 0xfe30 && code <= 0xfe6b) ||
      (code >= 0xff01 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      (code >= 0x1b000 && code <= 0x1b001) ||
      (code >= 0x1f200 && code <= 0x1f251) ||
      (code >= 0x1f300 && code <= 0x1f64f) ||
      (code >= 0x20000 && code <= 0x3fffd))
  );
}
