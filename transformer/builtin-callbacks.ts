// Pass 0b': calls of built-ins that call back into the program go through
// the runtime. Takes a source file after pass 0b; gives the same file where
// `o.map(f)`, `arr.sort(cmp)`, `s.replace(re, fn)`, `Array.from(xs, f)`,
// `JSON.parse(t, reviver)`, `JSON.stringify(v, replacer)` and their kin
// (runtime/callback-methods.ts) read `$R.acMap(o, f)` for the common array
// methods, `$R.ac1(o, "flatMap", f)` for the others (`ac2` with a second
// argument, `ac` otherwise): a resume point
// of the caller (linearize.ts), so a checkpoint inside `f` is taken there and
// restored into the same iteration. The runtime decides at the call whether
// the receiver is the genuine built-in; anything else is called as written.
// Optional calls (`o?.map`), `super.map`, spread arguments and callbacks
// written as non-function literals (`s.replace(a, "b")`) stay as written.

import ts = require('typescript');
import { ARRAY_LOOP_ENTRIES, CALLBACK_CALLS } from '../runtime/callback-methods.js';

/** An argument that cannot evaluate to a function. */
function isNonFunctionLiteral(e: ts.Expression): boolean {
  switch (e.kind) {
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.TemplateExpression:
    case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.BigIntLiteral:
    case ts.SyntaxKind.NullKeyword:
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.ArrayLiteralExpression:
    case ts.SyntaxKind.ObjectLiteralExpression:
    case ts.SyntaxKind.RegularExpressionLiteral:
      return true;
    case ts.SyntaxKind.Identifier:
      return ts.idText(e as ts.Identifier) === 'undefined';
  }
  return false;
}

export function routeArrayCallbacks(sf: ts.SourceFile, rt: ts.Identifier, tctx: ts.TransformationContext): ts.SourceFile {
  const f = ts.factory;
  const visit = (node: ts.Node): ts.Node => {
    const v = ts.visitEachChild(node, visit, tctx);
    if (!ts.isCallExpression(v) || v.questionDotToken) return v;
    const callee = v.expression;
    if (!ts.isPropertyAccessExpression(callee) || callee.questionDotToken || !ts.isIdentifier(callee.name)) return v;
    const shape = CALLBACK_CALLS.get(ts.idText(callee.name));
    if (shape === undefined || v.arguments.length < shape.min || v.arguments.length > shape.max) return v;
    if (callee.expression.kind === ts.SyntaxKind.SuperKeyword || ts.isOptionalChain(v) || v.arguments.some(ts.isSpreadElement)) return v;
    if (isNonFunctionLiteral(skipParens(v.arguments[shape.callback]))) return v;
    const name = ts.idText(callee.name);
    // The common array methods: the runtime's entry of that method, small enough to inline at the call.
    const entry = Object.prototype.hasOwnProperty.call(ARRAY_LOOP_ENTRIES, name) && v.arguments.length <= 2 ? ARRAY_LOOP_ENTRIES[name]![v.arguments.length - 1] : undefined;
    if (entry !== undefined) return f.createCallExpression(f.createPropertyAccessExpression(rt, entry), undefined, [callee.expression, ...v.arguments]);
    // One or two arguments (nearly every call): the runtime's fixed-arity entries, which make no rest array.
    const helper = shape.callback === 0 && v.arguments.length <= 2 ? `ac${v.arguments.length}` : 'ac';
    return f.createCallExpression(f.createPropertyAccessExpression(rt, helper), undefined, [callee.expression, f.createStringLiteral(name), ...v.arguments]);
  };
  return ts.visitEachChild(sf, visit, tctx);
}

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}
