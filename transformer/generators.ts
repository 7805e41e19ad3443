// Pass 0c: generator functions become plain functions around a resumable body.
// Takes a source file after pass 0b; gives the same file where every generator
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
// Async functions (declarations, expressions, methods, arrows) take the same
// road, since an async function is a generator driven by its awaits:
//
//   async function f(a) { BODY }   →   function f(a) { return $R.task(() => { BODY' }); }
//   async (a) => e                 →   (a) => $R.task(() => { return e'; })
//
// where BODY' is BODY with each of its own `await x` turned into `yield x`;
// the runtime's task (runtime/tasks.ts) resumes the body when the awaited
// promise settles. `$R.task` runs the body up to its first await, so it is a
// resume point of the wrapper (linearize.ts).
//
// Left native (and so uninstrumented): async generators, functions holding a
// `for await` loop, and functions that use `super`, which an arrow moved to
// a factory could not reach.

import ts from 'typescript';
import { isFunctionLike, usesSuper } from './analyze.js';

export function lowerGenerators(sf: ts.SourceFile, rt: ts.Identifier, tctx: ts.TransformationContext, bodies: Set<ts.Node>): ts.SourceFile {
  const f = ts.factory;
  const visit = (node: ts.Node): ts.Node => {
    const visited = ts.visitEachChild(node, visit, tctx);
    const kind = lowerableKind(visited);
    if (kind === undefined) return visited;
    const fn = visited as ts.FunctionDeclaration | ts.FunctionExpression | ts.MethodDeclaration | ts.ArrowFunction;
    const original = fn.body!;
    const block = ts.isBlock(original) ? original : f.createBlock([f.createReturnStatement(original)], true);
    const bodyBlock = kind === 'task' ? (awaitsToYields(block, tctx) as ts.Block) : block;
    const body = f.createArrowFunction(undefined, undefined, [], undefined, f.createToken(ts.SyntaxKind.EqualsGreaterThanToken), bodyBlock);
    bodies.add(body);
    const run = f.createCallExpression(f.createPropertyAccessExpression(rt, kind), undefined, [body]);
    const wrapper = f.createBlock([f.createReturnStatement(run)], true);
    const modifiers = fn.modifiers?.filter((m) => m.kind !== ts.SyntaxKind.AsyncKeyword) as readonly ts.Modifier[] | undefined;
    if (ts.isFunctionDeclaration(fn)) return f.updateFunctionDeclaration(fn, modifiers, undefined, fn.name, fn.typeParameters, fn.parameters, fn.type, wrapper);
    if (ts.isFunctionExpression(fn)) return f.updateFunctionExpression(fn, modifiers, undefined, fn.name, fn.typeParameters, fn.parameters, fn.type, wrapper);
    if (ts.isArrowFunction(fn)) return f.updateArrowFunction(fn, modifiers, fn.typeParameters, fn.parameters, fn.type, fn.equalsGreaterThanToken, run);
    return f.updateMethodDeclaration(fn, modifiers, undefined, fn.name, fn.questionToken, fn.typeParameters, fn.parameters, fn.type, wrapper);
  };
  return ts.visitEachChild(sf, visit, tctx);
}

/** 'gen' for a generator function we instrument, 'task' for an async function, else undefined. */
function lowerableKind(node: ts.Node): 'gen' | 'task' | undefined {
  if (!ts.isFunctionDeclaration(node) && !ts.isFunctionExpression(node) && !ts.isMethodDeclaration(node) && !ts.isArrowFunction(node)) return undefined;
  if (!node.body) return undefined;
  const isAsync = node.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ?? false;
  const isGen = !ts.isArrowFunction(node) && node.asteriskToken !== undefined;
  if (isGen === isAsync) return undefined;
  if (usesSuper(node)) return undefined;
  if (isAsync && hasForAwait(node.body)) return undefined;
  return isGen ? 'gen' : 'task';
}

/** The function's own `await x` become `yield x` (nested functions were lowered first, bottom-up). */
function awaitsToYields(body: ts.Block, tctx: ts.TransformationContext): ts.Node {
  const f = ts.factory;
  const visit = (n: ts.Node): ts.Node => {
    if (isFunctionLike(n)) return n;
    const v = ts.visitEachChild(n, visit, tctx);
    return ts.isAwaitExpression(v) ? f.createYieldExpression(undefined, v.expression) : v;
  };
  return ts.visitEachChild(body, visit, tctx);
}

function hasForAwait(body: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || isFunctionLike(n)) return;
    if (ts.isForOfStatement(n) && n.awaitModifier) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}
