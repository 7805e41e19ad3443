// TypeScript diagnostics as the CLI shows them: `file:line:col: error TS1005:
// message`, paths relative to the working directory. Takes diagnostics; gives
// lines. `isSyntaxError` tells which ones must fail the build (the code cannot
// be parsed) from the ones that are only warnings (types, options).

import { relative } from 'node:path';
import ts = require('typescript');

export function formatDiagnostic(diagnostic: ts.Diagnostic): string {
  const category = ts.DiagnosticCategory[diagnostic.category].toLowerCase();
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ');
  const head = `${category} TS${diagnostic.code}: ${message}`;
  if (diagnostic.file === undefined || diagnostic.start === undefined) return head;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${displayPath(diagnostic.file.fileName)}:${line + 1}:${character + 1}: ${head}`;
}

export function formatDiagnostics(diagnostics: readonly ts.Diagnostic[], limit = Infinity): string[] {
  const lines = diagnostics.slice(0, limit).map(formatDiagnostic);
  if (diagnostics.length > limit) lines.push(`... and ${diagnostics.length - limit} more`);
  return lines;
}

export function isError(diagnostic: ts.Diagnostic): boolean {
  return diagnostic.category === ts.DiagnosticCategory.Error;
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}
