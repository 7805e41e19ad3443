// An `after` transformer that makes imports of ES-module output loadable by
// Node: TypeScript keeps `./x`, `./dir` and the tsconfig's `paths` aliases
// (`@lib/math`) as written, which Node refuses; this rewrites every specifier
// that resolves to a source of the program into the relative path of that
// source's emitted file.
//
//   [source, main.ts]   import { f } from './lib';      export * from './util/index.ts';   import { g } from '@lib/math';
//   [output, main.js]   import { f } from './lib.js';   export * from './util/index.js';   import { g } from './src/lib/math.js';
//
// Takes a `locate(specifier, sourceFileName)` that answers the new specifier
// (or undefined: leave it, e.g. a package import or a file outside the
// program); covers import/export declarations and `import("...")` calls.

import ts from 'typescript';

export type Locate = (specifier: string, sourceFileName: string) => string | undefined;

export function createSpecifierRewriter(locate: Locate): ts.TransformerFactory<ts.SourceFile> {
  return (context) => (file) => {
    const { factory } = context;
    const rewrite = (node: ts.Expression | undefined): ts.StringLiteral | undefined => {
      if (node === undefined || !ts.isStringLiteral(node) || node.text.startsWith('node:')) return undefined;
      const next = locate(node.text, file.fileName);
      if (next === undefined || next === node.text) return undefined;
      const original = ts.getOriginalNode(node);
      const singleQuote = original.pos >= 0 && file.text.charAt(original.getStart(file)) === "'";
      return factory.createStringLiteral(next, singleQuote);
    };
    const visit = (node: ts.Node): ts.Node => {
      if (ts.isImportDeclaration(node)) {
        const spec = rewrite(node.moduleSpecifier);
        return spec ? factory.updateImportDeclaration(node, node.modifiers, node.importClause, spec, node.attributes) : node;
      }
      if (ts.isExportDeclaration(node)) {
        const spec = rewrite(node.moduleSpecifier);
        return spec ? factory.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, spec, node.attributes) : node;
      }
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const spec = rewrite(node.arguments[0]);
        const call = spec ? factory.updateCallExpression(node, node.expression, node.typeArguments, [spec, ...node.arguments.slice(1)]) : node;
        return ts.visitEachChild(call, visit, context);
      }
      return hasDynamicImport ? ts.visitEachChild(node, visit, context) : node;
    };
    const hasDynamicImport = file.text.includes('import(');
    return factory.updateSourceFile(file, ts.visitNodes(file.statements, visit, ts.isStatement));
  };
}
