// Emitted JavaScript without the printer's indentation. TypeScript's printer
// indents by four spaces per level, and the instrumented code nests deeply
// (labeled blocks per resume point), so indentation alone is about half of
// the emitted bytes. Takes the text TypeScript printed for one file (and its
// source map); guarantees the same program byte for byte wherever bytes
// matter — no character inside a template literal, a string continued over
// lines or JSX text changes — with the leading spaces of every other line
// removed, and a source map whose columns are shifted to match.

import { decode, encode, type SourceMapMappings } from '@jridgewell/sourcemap-codec';
import ts = require('typescript');

export interface Compacted {
  text: string;
  /** Per generated line (0-based), how many leading columns were removed. */
  removed: number[];
}

const INLINE_MAP = /\n\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

export function compactJavaScript(text: string, fileName: string): Compacted {
  const inline = INLINE_MAP.exec(text);
  const code = inline === null ? text : text.slice(0, inline.index);
  const kept = protectedRanges(code, fileName);
  const lines = code.split('\n');
  const removed: number[] = new Array(lines.length).fill(0);
  let position = 0;
  let range = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    while (range < kept.length && kept[range]![1] <= position) range++;
    const inside = range < kept.length && kept[range]![0] < position;
    position += line.length + 1;
    if (inside) continue;
    let indent = 0;
    while (indent < line.length && (line.charCodeAt(indent) === 32 || line.charCodeAt(indent) === 9)) indent++;
    if (indent === 0) continue;
    lines[i] = line.slice(indent);
    removed[i] = indent;
  }
  let compacted = lines.join('\n');
  if (inline !== null) {
    const map = Buffer.from(inline[1]!, 'base64').toString('utf8');
    const shifted = Buffer.from(shiftSourceMap(map, removed), 'utf8').toString('base64');
    compacted += `\n//# sourceMappingURL=data:application/json;base64,${shifted}`;
  }
  return { text: compacted, removed };
}

/** A source map (JSON text) of the original text, made to fit the compacted one. */
export function shiftSourceMap(mapText: string, removed: readonly number[]): string {
  const map = JSON.parse(mapText) as { mappings?: string };
  if (typeof map.mappings !== 'string') return mapText;
  const lines: SourceMapMappings = decode(map.mappings);
  for (let i = 0; i < lines.length && i < removed.length; i++) {
    const shift = removed[i]!;
    if (shift === 0) continue;
    for (const segment of lines[i]!) segment[0] = Math.max(0, segment[0] - shift);
  }
  map.mappings = encode(lines);
  return JSON.stringify(map);
}

/**
 * [start, end) of every token whose text runs over a line break and whose
 * characters are the program's: template literal parts, strings continued
 * with a backslash, JSX text. Files without backticks, continued strings or
 * JSX have none, and are not parsed again.
 */
function protectedRanges(code: string, fileName: string): Array<[number, number]> {
  const jsx = /\.jsx$/.test(fileName);
  if (!jsx && !code.includes('`') && !/\\\r?\n/.test(code)) return [];
  const kind = jsx ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
  const file = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, false, kind);
  const ranges: Array<[number, number]> = [];
  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
      case ts.SyntaxKind.TemplateHead:
      case ts.SyntaxKind.TemplateMiddle:
      case ts.SyntaxKind.TemplateTail:
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.JsxText: {
        // JSX text has no trivia: its leading line breaks and spaces are its own
        const start = node.kind === ts.SyntaxKind.JsxText ? node.pos : node.getStart(file);
        if (code.slice(start, node.end).includes('\n')) ranges.push([start, node.end]);
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return ranges.sort((a, b) => a[0] - b[0]);
}

/**
 * Wraps the emit's file writer so that each JavaScript file is compacted
 * and its `.map` shifted to match, in whichever order TypeScript writes the
 * two. `flush` writes what is still held (a map whose file never came).
 */
export function compactingWriter(write: (fileName: string, text: string) => void): {
  writeFile: (fileName: string, text: string) => void;
  flush: () => void;
} {
  const heldMaps = new Map<string, string>();
  const removedOf = new Map<string, number[]>();
  return {
    writeFile(fileName, text) {
      if (/\.[cm]?jsx?$/.test(fileName)) {
        const { text: compacted, removed } = compactJavaScript(text, fileName);
        write(fileName, compacted);
        const map = heldMaps.get(`${fileName}.map`);
        if (map === undefined) removedOf.set(fileName, removed);
        else {
          heldMaps.delete(`${fileName}.map`);
          write(`${fileName}.map`, shiftSourceMap(map, removed));
        }
      } else if (/\.[cm]?jsx?\.map$/.test(fileName)) {
        const jsName = fileName.slice(0, -'.map'.length);
        const removed = removedOf.get(jsName);
        if (removed === undefined) heldMaps.set(fileName, text);
        else {
          removedOf.delete(jsName);
          write(fileName, shiftSourceMap(text, removed));
        }
      } else write(fileName, text);
    },
    flush() {
      for (const [fileName, text] of heldMaps) write(fileName, text);
      heldMaps.clear();
      removedOf.clear();
    },
  };
}
