// Pass 0b': calls of Array.prototype's iteration methods go through the
// runtime. Takes a source file after pass 0b; gives the same file where
// `o.map(f)`, `o.forEach(f, t)` and the other methods the runtime runs itself
// (runtime/array-callbacks.ts) read `$R.ac(o, "map", f)`: a resume point of
// the caller (linearize.ts), so a checkpoint inside `f` is taken there and
// restored into the same iteration. Optional calls (`o?.map`), `super.map`
// and spread arguments stay as written.

import ts from 'typescript';
import { ARRAY_CALLBACK_METHODS } from '../runtime/array-methods.js';

const METHODS = new Set<string>(ARRAY_CALLBACK_METHODS);

export function routeArrayCallbacks(sf: ts.SourceFile, rt: ts.Identifier, tctx: ts.TransformationContext): ts.SourceFile {
  const f = ts.factory;
  const visit = (node: ts.Node): ts.Node => {
    const v = ts.visitEachChild(node, visit, tctx);
    if (!ts.isCallExpression(v) || v.questionDotToken || v.arguments.length < 1 || v.arguments.length > 2) return v;
    const callee = v.expression;
    if (!ts.isPropertyAccessExpression(callee) || callee.questionDotToken || !ts.isIdentifier(callee.name) || !METHODS.has(ts.idText(callee.name))) return v;
    if (callee.expression.kind === ts.SyntaxKind.SuperKeyword || ts.isOptionalChain(v) || v.arguments.some(ts.isSpreadElement)) return v;
    return f.createCallExpression(f.createPropertyAccessExpression(rt, 'ac'), undefined, [callee.expression, f.createStringLiteral(ts.idText(callee.name)), ...v.arguments]);
  };
  return ts.visitEachChild(sf, visit, tctx);
}
