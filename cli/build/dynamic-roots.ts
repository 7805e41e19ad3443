// What a bare program directory's build adds when the program computes an
// import: `import(`./plugins/${name}.js`)` names modules no import
// declaration reaches, so "main.ts and what it imports" would leave them out
// and the built program would fail to load them. Takes the program built
// from the entry; gives, when one of its files has such an import, every
// TypeScript source under the directory (as `tsc` with no tsconfig `files`
// would compile), else nothing. node_modules, hidden directories and the
// output directory are skipped.

import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts = require('typescript');

const TS_SOURCE = /\.(?:ts|tsx|mts|cts)$/;
const DECLARATION = /\.d\.[mc]?ts$/;

/** Every TypeScript source of `dir` when `sources` compute an import specifier, else undefined. */
export function computedImportRoots(sources: readonly ts.SourceFile[], dir: string, outDir: string): string[] | undefined {
  if (!sources.some(hasComputedImport)) return undefined;
  const found: string[] = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' || entry.name.startsWith('.') || resolve(path) === outDir) continue;
        walk(path);
      } else if (entry.isFile() && TS_SOURCE.test(entry.name) && !DECLARATION.test(entry.name)) {
        found.push(path);
      }
    }
  };
  walk(dir);
  return found.sort();
}

function hasComputedImport(sf: ts.SourceFile): boolean {
  if (!sf.text.includes('import(')) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const spec = node.arguments[0];
      if (spec !== undefined && !ts.isStringLiteralLike(spec)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}
