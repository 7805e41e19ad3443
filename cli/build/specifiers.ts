// An `after` transformer that makes the program's imports loadable by Node:
// TypeScript keeps `./x`, `./dir` and the tsconfig's `paths` aliases
// (`@lib/math`) as written, which Node refuses; this rewrites every specifier
// that resolves to a source of the program into the relative path of that
// source's emitted file.
//
//   [source, main.ts]   import { f } from './lib';      export * from './util/index.ts';   import { g } from '@lib/math';
//   [ESM,    main.js]   import { f } from './lib.js';   export * from './util/index.js';   import { g } from './src/lib/math.js';
//   [CJS,    main.js]   const lib_1 = require("./lib"); …                                 const math_1 = require("./src/lib/math.js");
//
// Takes a `locate(specifier, sourceFileName)` that answers the new specifier
// (or undefined: leave it, e.g. a package import or a file outside the
// program); covers import/export declarations, `import("...")` calls and, in
// CommonJS output (`commonJs(sourceFileName)`), `require("...")` calls. Runs
// before the instrumenting transformer, which tells the program's modules
// from libraries by the specifier (transformer/libraries.ts).

import ts = require('typescript');

export type Locate = (specifier: string, sourceFileName: string) => string | undefined;

export function createSpecifierRewriter(locate: Locate, commonJs: (sourceFileName: string) => boolean): ts.TransformerFactory<ts.SourceFile> {
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
      if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || isRequire(node))) {
        const spec = rewrite(node.arguments[0]);
        const call = spec ? factory.updateCallExpression(node, node.expression, node.typeArguments, [spec, ...node.arguments.slice(1)]) : node;
        return ts.visitEachChild(call, visit, context);
      }
      return nested ? ts.visitEachChild(node, visit, context) : node;
    };
    // CommonJS output holds its imports as `require("…")` calls, anywhere in a statement.
    const nested = file.text.includes('import(') || file.text.includes('require(') || commonJs(file.fileName);
    return factory.updateSourceFile(file, ts.visitNodes(file.statements, visit, ts.isStatement));
  };
}

/** `require("…")`: the form imports take in CommonJS output. */
function isRequire(call: ts.CallExpression): boolean {
  return ts.isIdentifier(call.expression) && ts.idText(call.expression) === 'require' && call.arguments.length === 1;
}
