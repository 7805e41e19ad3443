// Pass 0 (CommonJS output): the export of an exported enum or namespace.
// Takes a source file as TypeScript's CommonJS transform left it, where
// `export enum E {…}` is `var E; (function (E) {…})(E || (E = {}));` and the
// `exports.E =` of `E || (exports.E = E = {})` is not in the tree: the
// printer adds it, by a substitution keyed on the identifier's original
// node, which the nodes the later passes rebuild no longer carry (the built
// module then exported nothing, and an importer read `undefined.Member`).
// Guarantees the assignment is written out for every top-level enum or
// namespace block whose name the file exports (`exports.E = … = void 0`),
// with a fresh `E = {}` the printer does not substitute a second time.

import ts = require('typescript');

export function exportCommonJsContainers(sf: ts.SourceFile, tctx: ts.TransformationContext): ts.SourceFile {
  const exported = exportedNames(sf);
  if (exported.size === 0) return sf;
  const f = tctx.factory;
  let changed = false;
  const statements = sf.statements.map((s) => {
    const call = containerCall(s);
    if (call === undefined) return s;
    const name = ts.idText((call.arguments[0] as ts.BinaryExpression).left as ts.Identifier);
    if (!exported.has(name)) return s;
    changed = true;
    const init = f.createAssignment(f.createPropertyAccessExpression(f.createIdentifier('exports'), name), f.createAssignment(f.createIdentifier(name), f.createObjectLiteralExpression()));
    const arg = f.createLogicalOr(f.createIdentifier(name), f.createParenthesizedExpression(init));
    return f.updateExpressionStatement(s as ts.ExpressionStatement, f.updateCallExpression(call, call.expression, call.typeArguments, [arg]));
  });
  return changed ? f.updateSourceFile(sf, statements) : sf;
}

/** The names of TypeScript's `exports.a = exports.b = void 0;` statements. */
function exportedNames(sf: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  for (const s of sf.statements) {
    if (!ts.isExpressionStatement(s)) continue;
    const names: string[] = [];
    let e = s.expression;
    while (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(e.left) && ts.isIdentifier(e.left.expression) && ts.idText(e.left.expression) === 'exports') {
      names.push(ts.idText(e.left.name as ts.Identifier));
      e = e.right;
    }
    if (names.length > 0 && ts.isVoidExpression(e)) names.forEach((n) => out.add(n));
  }
  return out;
}

/** `(function (E) {…})(E || (E = {}))`: the call, else undefined. */
function containerCall(s: ts.Statement): ts.CallExpression | undefined {
  if (!ts.isExpressionStatement(s) || !ts.isCallExpression(s.expression)) return undefined;
  const call = s.expression;
  let callee: ts.Expression = call.expression;
  while (ts.isParenthesizedExpression(callee)) callee = callee.expression;
  if (!ts.isFunctionExpression(callee) || call.arguments.length !== 1) return undefined;
  const arg = call.arguments[0];
  if (!ts.isBinaryExpression(arg) || arg.operatorToken.kind !== ts.SyntaxKind.BarBarToken || !ts.isIdentifier(arg.left)) return undefined;
  let right = arg.right;
  while (ts.isParenthesizedExpression(right)) right = right.expression;
  const ok = ts.isBinaryExpression(right) && right.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(right.left) && ts.idText(right.left) === ts.idText(arg.left) && ts.isObjectLiteralExpression(right.right);
  return ok ? call : undefined;
}
