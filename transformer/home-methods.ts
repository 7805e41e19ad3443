// Pass 2 helper: object-literal methods that use `super`. Their home object
// is the literal; a method made by a factory (so that a checkpoint can save
// it and a restore make it again) would get the factory's literal instead.
// Takes an object literal; guarantees, for each plain method whose `super`
// uses are all reads or calls of `super.x`/`super[k]` in its own body, that
// it can be lowered like any method: its `super.x` become
// `$R.hsg($self, "x", this)` (`super.x(a)` a `.call(this, a)` of that, still
// a call site), and the literal is wrapped in `$R.home(literal, keys)`, which
// gives each such method its home (runtime/home-objects.ts). Async and
// generator methods, `super` in an arrow, and writes to `super.x` keep the
// native method (README, known limits).

import ts from 'typescript';
import { isFunctionLike, usesSuper } from './analyze.js';
import { isAssignmentOperator } from './plan.js';

export type SuperProperty = (ts.PropertyAccessExpression | ts.ElementAccessExpression) & { expression: ts.SuperExpression };

export function isSuperProperty(n: ts.Node): n is SuperProperty {
  return (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) && n.expression.kind === ts.SyntaxKind.SuperKeyword;
}

/** The literal's methods whose `super` can be rewritten (see the file comment). */
export function homeMethodsOf(literal: ts.ObjectLiteralExpression): ts.MethodDeclaration[] {
  return literal.properties.filter((p): p is ts.MethodDeclaration => ts.isMethodDeclaration(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && usesSuper(p) && superRewritable(p));
}

function superRewritable(method: ts.MethodDeclaration): boolean {
  if (method.asteriskToken || method.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return false;
  let ok = true;
  const visit = (n: ts.Node, inArrow: boolean): void => {
    if (!ok) return;
    if (n.kind === ts.SyntaxKind.SuperKeyword) {
      const access = n.parent;
      if (inArrow || !isSuperProperty(access)) ok = false;
      else if (isWritten(access)) ok = false;
      return;
    }
    if (isFunctionLike(n) && !ts.isArrowFunction(n) && n !== method) return;
    ts.forEachChild(n, (c) => visit(c, inArrow || ts.isArrowFunction(n)));
  };
  visit(method, false);
  return ok;
}

function isWritten(e: ts.Expression): boolean {
  let child: ts.Node = e;
  let p = e.parent;
  while (ts.isParenthesizedExpression(p)) {
    child = p;
    p = p.parent;
  }
  if (ts.isBinaryExpression(p) && isAssignmentOperator(p.operatorToken.kind)) return p.left === child;
  if (ts.isPrefixUnaryExpression(p)) return p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken;
  if (ts.isPostfixUnaryExpression(p) || ts.isDeleteExpression(p)) return true;
  // maybe a destructuring target (`[super.x] = v`, `for (super.x of xs)`): left native, to be safe
  return ts.isArrayLiteralExpression(p) || ts.isPropertyAssignment(p) || ts.isSpreadElement(p) || ts.isForInStatement(p) || ts.isForOfStatement(p);
}

/** The method a `super` node belongs to (its nearest enclosing non-arrow function). */
export function methodOfSuper(n: ts.Node): ts.Node | undefined {
  let p = ts.getOriginalNode(n).parent;
  while (p !== undefined && !(isFunctionLike(p) && !ts.isArrowFunction(p))) p = p.parent;
  return p;
}

/** `$R.hsg($self, key, this)`. */
export function superRead(f: ts.NodeFactory, rt: ts.Expression, self: ts.Expression, key: ts.Expression): ts.Expression {
  return f.createCallExpression(f.createPropertyAccessExpression(rt, 'hsg'), undefined, [self, key, f.createThis()]);
}

/** `$R.home(literal, ["m", …])`. */
export function withHome(f: ts.NodeFactory, rt: ts.Expression, literal: ts.Expression, methods: readonly ts.MethodDeclaration[]): ts.Expression {
  const keys = methods.map((m) => f.createStringLiteral((m.name as ts.Identifier | ts.StringLiteral).text));
  return f.createCallExpression(f.createPropertyAccessExpression(rt, 'home'), undefined, [literal, f.createArrayLiteralExpression(keys)]);
}
