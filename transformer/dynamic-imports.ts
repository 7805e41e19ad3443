// Pass 0b‴: `import(spec)` tells the runtime what it loads. Takes a source
// file after pass 0b; gives the same file where every one-argument
// `import(x)` is `$R.dimp("<module id>", x, ($s) => import($s))` (with a
// literal, `() => import("./x.js")`): the specifier is evaluated once,
// where it was, and the import still runs in this module (so a relative
// specifier resolves against it). The runtime
// names the namespace the import gives as `ns:[module id, spec]`, like a
// static `import * as` of it, and a checkpoint lists the modules loaded so;
// a restart imports them again before it reads the heap (runtime/
// dynamic-imports.ts). An `import(x, options)` (import attributes) is left
// as it is: a JSON module's data is named by its file already.

import ts = require('typescript');
import type { NameGen } from './names.js';

export function announceDynamicImports(sf: ts.SourceFile, rt: ts.Identifier, tctx: ts.TransformationContext, names: NameGen, moduleId: string): ts.SourceFile {
  const f = ts.factory;
  const spec = names.fixed('is');
  const visit = (node: ts.Node): ts.Node => {
    const visited = ts.visitEachChild(node, visit, tctx);
    if (!ts.isCallExpression(visited) || visited.expression.kind !== ts.SyntaxKind.ImportKeyword || visited.arguments.length !== 1) return visited;
    if (ts.isSpreadElement(visited.arguments[0]!)) return visited;
    // A literal specifier stays in the import itself, for a bundler to follow (cli/platform/bundle.ts).
    const literal = ts.isStringLiteralLike(visited.arguments[0]!);
    const load = f.createArrowFunction(undefined, undefined, literal ? [] : [f.createParameterDeclaration(undefined, undefined, f.createIdentifier(spec))], undefined, undefined,
      literal ? visited : f.updateCallExpression(visited, visited.expression, undefined, [f.createIdentifier(spec)]));
    const specArg = literal ? f.createStringLiteral((visited.arguments[0] as ts.StringLiteralLike).text) : visited.arguments[0]!;
    return f.createCallExpression(f.createPropertyAccessExpression(rt, 'dimp'), undefined, [f.createStringLiteral(moduleId), specArg, load]);
  };
  return ts.visitEachChild(sf, visit, tctx);
}
