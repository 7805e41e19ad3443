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
// more kind of resume point (linearize.ts, reenter.ts). Pass 2 makes the
// instrumented arrow a native generator function again (scopes.ts
// nestedFunction), which the runtime's generator object
// (runtime/generators.ts) runs; a suspended body gives its frame as data when
// a checkpoint asks, so a suspended generator is a plain object in the heap.
//
// Async functions (declarations, expressions, methods, arrows) take the same
// road, since an async function is a generator driven by its awaits:
//
//   async function f(a) { BODY }   →   function f(a) { return $R.task(() => { BODY' }); }
//   async (a) => e                 →   (a) => $R.task(() => { return e'; })
//
// (`$R.ptask` instead, and the arrow left a plain one, when BODY has no
// await of its own: the call then makes no generator, which is most of what
// an async call costs, runtime/tasks.ts startPlainTask)
//
// where BODY' is BODY with each of its own `await x` turned into `yield x`;
// the runtime's task (runtime/tasks.ts) resumes the body when the awaited
// promise settles. `$R.task` runs the body up to its first await, so it is a
// resume point of the wrapper (linearize.ts). Parameters that may throw (a
// pattern, a default) are bound in a try at the wrapper's top, so that an
// exception there is a rejected promise, as natively (guardParameters).
//
// Async generators too, `$R.agen`, their awaits becoming `yield $R.aw(x)`
// (runtime/async-generators.ts tells the two kinds of yields apart); and
// `for await` loops in either, and in the module's own statements, become
// loops of awaits first (lowerForAwait).
//
// Each function made plain is recorded in `wrappers` with what it was
// written as: pass 2 has the runtime give it that kind's prototype
// (`$R.fk`), so it still says it is an AsyncFunction or GeneratorFunction.
//
// `super.x` and `super.x(...)` reach the home object explicitly (pass 0c',
// super-homes.ts), since the arrow moves to a factory where `super` means
// nothing.
// An async generator's `yield* x` becomes `yield* $R.adg(x)`, which tells
// linearize.ts to await each step of the (async) delegate.
// Left native (and so uninstrumented): functions that still use `super` (an
// object literal's getter, an anonymous class's method, an assignment to
// `super.x`: super-homes.ts).

import ts = require('typescript');
import { computedKeyOf, isFunctionLike, usesSuper } from './analyze.js';
import type { NameGen } from './names.js';
import type { BodyKind as Kind } from './plan.js';

export function lowerGenerators(sf: ts.SourceFile, rt: ts.Identifier, tctx: ts.TransformationContext, bodies: Map<ts.Node, Kind>, wrappers: Map<ts.Node, Kind>, names: NameGen, homeDecls: ReadonlySet<ts.Statement>): ts.SourceFile {
  const f = ts.factory;
  const visit = (node: ts.Node): ts.Node => {
    const visited = ts.visitEachChild(node, visit, tctx);
    const kind = lowerableKind(visited);
    if (kind === undefined) return visited;
    const plainFunction = lower(visited as ts.FunctionDeclaration | ts.FunctionExpression | ts.MethodDeclaration | ts.ArrowFunction, kind, node);
    wrappers.set(plainFunction, kind);
    return plainFunction;
  };
  const lower = (fn: ts.FunctionDeclaration | ts.FunctionExpression | ts.MethodDeclaration | ts.ArrowFunction, kind: Kind, node: ts.Node): ts.Node => {
    const original = fn.body!;
    let block = ts.isBlock(original) ? original : f.createBlock([f.createReturnStatement(original)], true);
    // An object-literal method's constant holding itself (super-homes.ts) stays in the method.
    const kept = block.statements.length > 0 && homeDecls.has(block.statements[0]) ? [block.statements[0]] : [];
    if (kept.length > 0) block = f.updateBlock(block, block.statements.slice(1));
    if (ts.isBlock(original)) block = parameterVars(block, fn.parameters, tctx);
    if (kind !== 'gen') block = awaitsToYields(lowerForAwait(block, rt, names, tctx), rt, kind, tctx);
    const body = f.createArrowFunction(undefined, undefined, [], undefined, f.createToken(ts.SyntaxKind.EqualsGreaterThanToken), block);
    // An async function that never awaits runs its body as a plain function (`$R.ptask`): no generator to make per call.
    const plain = kind === 'task' && !suspends(block);
    if (!plain) bodies.set(body, kind);
    const run = f.createCallExpression(f.createPropertyAccessExpression(rt, plain ? 'ptask' : kind), undefined, [body]);
    const guarded = kind === 'task' ? guardParameters(fn.parameters, rt, names) : undefined;
    const parameters = guarded?.parameters ?? fn.parameters;
    const wrapper = f.createBlock([...(guarded ? [guarded.guard] : []), ...kept, f.createReturnStatement(run)], true);
    const modifiers = fn.modifiers?.filter((m) => m.kind !== ts.SyntaxKind.AsyncKeyword) as readonly ts.Modifier[] | undefined;
    if (ts.isFunctionDeclaration(fn)) return f.updateFunctionDeclaration(fn, modifiers, undefined, fn.name, fn.typeParameters, parameters, fn.type, wrapper);
    if (ts.isFunctionExpression(fn)) return f.updateFunctionExpression(fn, modifiers, undefined, fn.name, fn.typeParameters, parameters, fn.type, wrapper);
    if (ts.isArrowFunction(fn)) return f.updateArrowFunction(fn, modifiers, fn.typeParameters, parameters, fn.type, fn.equalsGreaterThanToken, guarded ? wrapper : run);
    return f.updateMethodDeclaration(fn, modifiers, undefined, fn.name, fn.questionToken, fn.typeParameters, parameters, fn.type, wrapper);
  };
  const lowered = ts.visitEachChild(sf, visit, tctx);
  // The module's own `for await` loops become loops of awaits too: its body
  // is then a resumable task like any with top-level await (scopes.ts).
  const statements = lowerForAwait(f.createBlock(lowered.statements, true), rt, names, tctx).statements;
  return statements === lowered.statements ? lowered : f.updateSourceFile(lowered, statements);
}


/**
 * Whether an async function's body, its awaits made yields, can suspend: a
 * yield (or an `await`, `for await`, `await using` left) of its own, outside
 * nested functions (a class's computed keys are its own).
 */
function suspends(block: ts.Block): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (isFunctionLike(n)) {
      const key = computedKeyOf(n);
      if (key) visit(key);
      return;
    }
    const awaitUsing = ts.isVariableDeclarationList(n) && (n.flags & ts.NodeFlags.AwaitUsing) === ts.NodeFlags.AwaitUsing;
    if (ts.isYieldExpression(n) || ts.isAwaitExpression(n) || awaitUsing || (ts.isForOfStatement(n) && n.awaitModifier !== undefined)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(block);
  return found;
}

/**
 * An async function's parameters that may throw (a pattern, a default): the
 * call must then return a rejected promise (ECMA-262
 * EvaluateAsyncFunctionBody: FunctionDeclarationInstantiation runs after the
 * promise capability is made), not throw. Each becomes a plain parameter
 * `$pN` (`= void 0` where it had a default, so `length` is unchanged), bound
 * by a `var` in a try at the top of the wrapper (a name whose default is a
 * constant stays a parameter):
 *
 *   async function f(a, { x }, b = g()) { BODY }
 *   →
 *   function f(a, $p1, $p2 = void 0) {
 *     try { var { x } = $p1, b = $p2 === void 0 ? g() : $p2; }
 *     catch ($pe1) { return $R.P.reject($pe1); }
 *     return $R.task(() => { BODY' });
 *   }
 *
 * The bindings stay in the wrapper's scope, which is what a parameter scope
 * is: defaults see earlier parameters, `this` and `arguments` of the call
 * and the enclosing scopes, never the body's declarations (the body arrow is
 * nested inside), and closures in defaults capture the parameter itself.
 * The evaluation order is the parameters' (left to right, a default only
 * for `undefined`). `Promise.reject` of the runtime's class makes the
 * promise a task's own rejection makes (a fresh IntroPromise, rejected, the
 * rejection reported if nobody handles it). Async generators are left as
 * they are: their parameter errors are thrown by the call (the generator
 * object is made after the parameters are bound), as natively.
 */
function guardParameters(params: ts.NodeArray<ts.ParameterDeclaration>, rt: ts.Identifier, names: NameGen): { parameters: ts.ParameterDeclaration[]; guard: ts.Statement } | undefined {
  // A name with no default or a constant one (`retries = 3`, `opts = {}`)
  // cannot throw: it stays a parameter of the wrapper.
  const cannotThrow = (p: ts.ParameterDeclaration) => ts.isIdentifier(p.name) && (p.initializer === undefined || isConstantValue(p.initializer));
  if (params.every(cannotThrow)) return undefined;
  const f = ts.factory;
  const parameters: ts.ParameterDeclaration[] = [];
  const bindings: ts.VariableDeclaration[] = [];
  for (const p of params) {
    if (cannotThrow(p)) {
      parameters.push(p);
      continue;
    }
    const arg = f.createIdentifier(names.fresh('p'));
    parameters.push(f.createParameterDeclaration(undefined, p.dotDotDotToken, arg, undefined, undefined, p.initializer ? f.createVoidZero() : undefined));
    const value = p.initializer ? f.createConditionalExpression(f.createStrictEquality(arg, f.createVoidZero()), undefined, p.initializer, undefined, arg) : arg;
    bindings.push(f.createVariableDeclaration(p.name, undefined, undefined, value));
  }
  const caught = f.createIdentifier(names.fresh('pe'));
  const reject = f.createCallExpression(f.createPropertyAccessExpression(f.createPropertyAccessExpression(rt, 'P'), 'reject'), undefined, [caught]);
  const guard = f.createTryStatement(
    f.createBlock([f.createVariableStatement(undefined, f.createVariableDeclarationList(bindings, ts.NodeFlags.None))], true),
    f.createCatchClause(f.createVariableDeclaration(caught), f.createBlock([f.createReturnStatement(reject)], true)),
    undefined,
  );
  return { parameters, guard };
}

/**
 * A body `var` that redeclares a parameter is that parameter (ECMA-262
 * FunctionDeclarationInstantiation: it starts with the argument's value). In
 * the body arrow a `var` would make a binding of its own, `undefined`, so
 * such a declaration becomes an assignment: `var a = e` → `a = e`, `var a;`
 * → nothing, `for (var a of xs)` → `for (a of xs)`, a pattern a
 * destructuring assignment. The other names its list declares get a `var`
 * at the body's top (a `var` is hoisted: the same binding).
 */
function parameterVars(body: ts.Block, params: readonly ts.ParameterDeclaration[], tctx: ts.TransformationContext): ts.Block {
  const f = ts.factory;
  const boundNames = (n: ts.BindingName, out: string[] = []): string[] => {
    if (ts.isIdentifier(n)) out.push(ts.idText(n));
    else for (const el of n.elements) if (!ts.isOmittedExpression(el)) boundNames(el.name, out);
    return out;
  };
  const paramNames = new Set(params.flatMap((p) => boundNames(p.name)));
  if (paramNames.size === 0) return body;
  const others = new Set<string>();
  const redeclares = (list: ts.ForInitializer | undefined): list is ts.VariableDeclarationList =>
    list !== undefined && ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.BlockScoped) === 0 &&
    list.declarations.some((d) => boundNames(d.name).some((n) => paramNames.has(n)));
  const withDefault = (target: ts.Expression, init: ts.Expression | undefined) => (init ? f.createAssignment(target, init) : target);
  const target = (n: ts.BindingName): ts.Expression => {
    if (ts.isIdentifier(n)) return f.createIdentifier(ts.idText(n));
    if (ts.isArrayBindingPattern(n)) {
      return f.createArrayLiteralExpression(n.elements.map((el) =>
        ts.isOmittedExpression(el) ? f.createOmittedExpression() : el.dotDotDotToken ? f.createSpreadElement(target(el.name)) : withDefault(target(el.name), el.initializer)));
    }
    return f.createObjectLiteralExpression(n.elements.map((el) => {
      if (el.dotDotDotToken) return f.createSpreadAssignment(target(el.name));
      if (el.propertyName || !ts.isIdentifier(el.name)) return f.createPropertyAssignment(el.propertyName ?? (el.name as ts.Identifier), withDefault(target(el.name), el.initializer));
      return f.createShorthandPropertyAssignment(ts.idText(el.name), el.initializer);
    }));
  };
  const assignments = (list: ts.VariableDeclarationList): ts.Expression | undefined => {
    const parts: ts.Expression[] = [];
    for (const d of list.declarations) {
      for (const n of boundNames(d.name)) if (!paramNames.has(n)) others.add(n);
      if (d.initializer) parts.push(f.createAssignment(target(d.name), d.initializer));
    }
    return parts.length === 0 ? undefined : f.createParenthesizedExpression(parts.reduce((a, b) => f.createComma(a, b)));
  };
  const visit = (n: ts.Node): ts.Node => {
    if (isFunctionLike(n) || ts.isClassLike(n)) return n;
    if (ts.isVariableStatement(n) && redeclares(n.declarationList)) {
      const e = assignments(n.declarationList);
      return e ? f.createExpressionStatement(ts.visitNode(e, visit) as ts.Expression) : f.createEmptyStatement();
    }
    if (ts.isForStatement(n) && redeclares(n.initializer)) {
      const v = ts.visitEachChild(n, visit, tctx);
      return f.updateForStatement(v, assignments(n.initializer), v.condition, v.incrementor, v.statement);
    }
    if ((ts.isForInStatement(n) || ts.isForOfStatement(n)) && redeclares(n.initializer)) {
      const v = ts.visitEachChild(n, visit, tctx);
      const d = n.initializer.declarations[0];
      for (const name of boundNames(d.name)) if (!paramNames.has(name)) others.add(name);
      return ts.isForInStatement(v) ? f.updateForInStatement(v, target(d.name), v.expression, v.statement) : f.updateForOfStatement(v as ts.ForOfStatement, (v as ts.ForOfStatement).awaitModifier, target(d.name), v.expression, v.statement);
    }
    return ts.visitEachChild(n, visit, tctx);
  };
  const visited = ts.visitEachChild(body, visit, tctx);
  if (others.size === 0) return visited;
  const declare = f.createVariableStatement(undefined, f.createVariableDeclarationList([...others].map((n) => f.createVariableDeclaration(n)), ts.NodeFlags.None));
  return f.updateBlock(visited, [declare, ...visited.statements]);
}

/** A literal, or an empty object or array literal: evaluating it runs no code and cannot throw. */
function isConstantValue(e: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(e)) return isConstantValue(e.expression);
  if (ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e)) return (ts.isObjectLiteralExpression(e) ? e.properties : e.elements).length === 0;
  // (`+1n` throws: unary plus converts a BigInt to a number.)
  if (ts.isPrefixUnaryExpression(e)) return ts.isNumericLiteral(e.operand) ? e.operator === ts.SyntaxKind.MinusToken || e.operator === ts.SyntaxKind.PlusToken : ts.isBigIntLiteral(e.operand) && e.operator === ts.SyntaxKind.MinusToken;
  if (ts.isVoidExpression(e)) return ts.isNumericLiteral(e.expression);
  return ts.isNumericLiteral(e) || ts.isBigIntLiteral(e) || ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) ||
    e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword;
}

/** How a function is lowered: generator, async function, async generator; undefined: left native. */
function lowerableKind(node: ts.Node): Kind | undefined {
  if (!ts.isFunctionDeclaration(node) && !ts.isFunctionExpression(node) && !ts.isMethodDeclaration(node) && !ts.isArrowFunction(node)) return undefined;
  if (!node.body) return undefined;
  const isAsync = node.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ?? false;
  const isGen = !ts.isArrowFunction(node) && node.asteriskToken !== undefined;
  if (!isGen && !isAsync) return undefined;
  // (`super` reads that could be read from the home object are, by now: super-homes.ts)
  if (usesSuper(node)) return undefined;
  if (!isAsync) return 'gen';
  return isGen ? 'agen' : 'task';
}

/**
 * The function's own `await x` become `yield x` in an async function, and
 * `yield $R.aw(x)` in an async generator, whose real yields stay as they are
 * (nested functions were lowered first, bottom-up).
 */
function awaitsToYields(body: ts.Block, rt: ts.Identifier, kind: Kind, tctx: ts.TransformationContext): ts.Block {
  const f = ts.factory;
  const visit = (n: ts.Node): ts.Node => {
    if (isFunctionLike(n)) {
      const key = computedKeyOf(n);
      return key ? ts.visitEachChild(n, (c) => (c === key ? visit(c) : c), tctx) : n;
    }
    const v = ts.visitEachChild(n, visit, tctx);
    if (kind === 'agen' && ts.isYieldExpression(v) && v.asteriskToken && v.expression) {
      return f.updateYieldExpression(v, v.asteriskToken, f.createCallExpression(f.createPropertyAccessExpression(rt, 'adg'), undefined, [v.expression]));
    }
    // `return x` in an async generator awaits x (ECMA-262 ReturnStatement);
    // falling off the end or `return;` completes without an await.
    if (kind === 'agen' && ts.isReturnStatement(v) && v.expression) {
      return f.updateReturnStatement(v, f.createYieldExpression(undefined, f.createCallExpression(f.createPropertyAccessExpression(rt, 'aw'), undefined, [v.expression])));
    }
    if (!ts.isAwaitExpression(v)) return v;
    const operand = kind === 'agen' ? f.createCallExpression(f.createPropertyAccessExpression(rt, 'aw'), undefined, [v.expression]) : v.expression;
    return f.createYieldExpression(undefined, operand);
  };
  return ts.visitEachChild(body, visit, tctx);
}

/**
 * `for await (x of e) S` in the function's own statements, as a loop of
 * awaits (before those become yields):
 *
 *   { const it = $R.ai(e); let open = false;
 *     try { for (;;) { open = false; const s = $R.ais(await it.next()); if (s.done) break; open = true; x = s.value; S } }
 *     catch (err) { if (open) { open = false; try { await $R.aret(it); } catch {} } throw err; }
 *     finally { if (open) { open = false; await $R.aret(it); } } }
 *
 * `open` is true while the iterator must be closed if the loop is left (by
 * break, return, a throw of S); a label on the loop moves to the inner `for`.
 */
function lowerForAwait(body: ts.Block, rt: ts.Identifier, names: NameGen, tctx: ts.TransformationContext): ts.Block {
  const f = ts.factory;
  const call = (name: string, args: ts.Expression[]) => f.createCallExpression(f.createPropertyAccessExpression(rt, name), undefined, args);
  const lower = (loop: ts.ForOfStatement, label: ts.Identifier | undefined): ts.Statement => {
    const it = f.createIdentifier(names.fresh('ai'));
    const open = f.createIdentifier(names.fresh('ao'));
    const step = f.createIdentifier(names.fresh('as'));
    const err = f.createIdentifier(names.fresh('ae'));
    const value = f.createPropertyAccessExpression(step, 'value');
    const init = loop.initializer;
    const bind = ts.isVariableDeclarationList(init)
      ? f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(init.declarations[0].name, undefined, undefined, value)], init.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)))
      : f.createExpressionStatement(f.createAssignment(init as ts.Expression, value));
    const setOpen = (v: boolean) => f.createExpressionStatement(f.createAssignment(open, v ? f.createTrue() : f.createFalse()));
    const close = (checked: boolean) => f.createExpressionStatement(checked ? call('ais', [f.createAwaitExpression(call('aret', [it]))]) : f.createAwaitExpression(call('aret', [it])));
    const next = f.createAwaitExpression(f.createCallExpression(f.createPropertyAccessExpression(it, 'next'), undefined, []));
    const inner: ts.Statement = f.createForStatement(undefined, undefined, undefined, f.createBlock([
      setOpen(false),
      f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(step, undefined, undefined, call('ais', [next]))], ts.NodeFlags.Const)),
      f.createIfStatement(f.createPropertyAccessExpression(step, 'done'), f.createBreakStatement()),
      setOpen(true),
      bind,
      loop.statement,
    ], true));
    const guarded = f.createTryStatement(
      f.createBlock([label ? f.createLabeledStatement(label, inner) : inner], true),
      f.createCatchClause(f.createVariableDeclaration(err), f.createBlock([
        f.createIfStatement(open, f.createBlock([setOpen(false), f.createTryStatement(f.createBlock([close(false)], true), f.createCatchClause(undefined, f.createBlock([], false)), undefined)], true)),
        f.createThrowStatement(err),
      ], true)),
      f.createBlock([f.createIfStatement(open, f.createBlock([setOpen(false), close(true)], true))], true),
    );
    // After the loop the iterator is dead, but as a hoisted local it would be
    // in every later frame record (a library's iterator may not be savable).
    return f.createBlock([
      f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(it, undefined, undefined, call('ai', [loop.expression]))], ts.NodeFlags.Let)),
      f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(open, undefined, undefined, f.createFalse())], ts.NodeFlags.Let)),
      guarded,
      f.createExpressionStatement(f.createAssignment(it, f.createVoidZero())),
    ], true);
  };
  const isForAwait = (n: ts.Node): n is ts.ForOfStatement => ts.isForOfStatement(n) && n.awaitModifier !== undefined;
  const visit = (n: ts.Node): ts.Node => {
    if (isFunctionLike(n)) return n;
    if (ts.isLabeledStatement(n) && isForAwait(n.statement)) {
      const loop = ts.visitEachChild(n.statement, visit, tctx);
      return lower(loop, n.label);
    }
    const v = ts.visitEachChild(n, visit, tctx);
    return isForAwait(v) ? lower(v, undefined) : v;
  };
  return ts.visitEachChild(body, visit, tctx);
}
