// Pass 0b: generator functions become plain functions around a resumable body.
// Takes a source file after pass 0; gives the same file where every generator
// function, declaration, expression or method,
//
//   function* g(a, b = 1) { BODY }
//
// becomes
//
//   function g(a, b = 1) { return $R.gen(() => { BODY }); }
//
// Parameters (and their defaults) still run at call time, as for a native
// generator; BODY moves into an arrow, which sees the same `this`,
// `arguments` and parameters. The arrow is recorded in `bodies`: the later
// passes instrument it like any nested function, with each `yield` as one
// more kind of resume point (linearize.ts, reenter.ts), and the runtime's
// generator object (runtime/generators.ts) runs it, suspends it at a yield by
// keeping its frame as data, and resumes it by the same rewind that restores
// a checkpoint. So a suspended generator is a plain object in the heap.
//
// Left native (and so uninstrumented): async generators (issue 4's async
// work) and generators that use `super`, which an arrow moved to a factory
// could not reach.

import ts from 'typescript';
import { usesSuper } from './analyze.js';

export function lowerGenerators(sf: ts.SourceFile, rt: ts.Identifier, tctx: ts.TransformationContext, bodies: Set<ts.Node>): ts.SourceFile {
  const f = ts.factory;
  const visit = (node: ts.Node): ts.Node => {
    const visited = ts.visitEachChild(node, visit, tctx);
    if (!isLowerable(visited)) return visited;
    const fn = visited as ts.FunctionDeclaration | ts.FunctionExpression | ts.MethodDeclaration;
    const body = f.createArrowFunction(undefined, undefined, [], undefined, f.createToken(ts.SyntaxKind.EqualsGreaterThanToken), fn.body!);
    bodies.add(body);
    const block = f.createBlock([f.createReturnStatement(f.createCallExpression(f.createPropertyAccessExpression(rt, 'gen'), undefined, [body]))], true);
    if (ts.isFunctionDeclaration(fn)) return f.updateFunctionDeclaration(fn, fn.modifiers, undefined, fn.name, fn.typeParameters, fn.parameters, fn.type, block);
    if (ts.isFunctionExpression(fn)) return f.updateFunctionExpression(fn, fn.modifiers, undefined, fn.name, fn.typeParameters, fn.parameters, fn.type, block);
    return f.updateMethodDeclaration(fn, fn.modifiers, undefined, fn.name, fn.questionToken, fn.typeParameters, fn.parameters, fn.type, block);
  };
  return ts.visitEachChild(sf, visit, tctx);
}

function isLowerable(node: ts.Node): boolean {
  if (!ts.isFunctionDeclaration(node) && !ts.isFunctionExpression(node) && !ts.isMethodDeclaration(node)) return false;
  if (!node.asteriskToken || !node.body) return false;
  if (node.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return false;
  return !usesSuper(node);
}
