// Pass 2 helper: object-literal methods that use `super`. Their home object
// is the literal; a method made by a factory (so that a checkpoint can save
// it and a restore make it again) would get the factory's literal instead.
// Takes an object literal after pass 0c' (super-homes.ts); guarantees, for
// each method under a plain key whose `super` uses are all reads or calls of
// `super.x`/`super[k]` (in its body or its arrows; in any kind of method),
// that it can be lowered like any method: the `super.x` left in its own body
// (a plain method's; pass 0c' rewrote its arrows' and a generator's or async
// method's) become `$R.hsg($self, "x", this)` (`super.x(a)` a `.call(this,
// a)` of that, still a call site), and the literal is wrapped in
// `$R.home(literal, keys)`, which gives each such method its home
// (runtime/home-objects.ts). The same holds for a getter or setter under a
// plain key (made by a factory like the literal's other accessors,
// scopes.ts literalWithAccessors); writes to `super.x` keep the native
// method (README, known limits).

import ts = require('typescript');
import { isFunctionLike } from './analyze.js';
import { literalSuperReadable } from './super-homes.js';

export type SuperProperty = (ts.PropertyAccessExpression | ts.ElementAccessExpression) & { expression: ts.SuperExpression };

export function isSuperProperty(n: ts.Node): n is SuperProperty {
  return (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) && n.expression.kind === ts.SyntaxKind.SuperKeyword;
}

export type LiteralMember = ts.MethodDeclaration | ts.AccessorDeclaration;

/** The literal's methods and accessors whose `super` is read from their home (super-homes.ts literalSuperReadable). */
export function homeMethodsOf(literal: ts.ObjectLiteralExpression): LiteralMember[] {
  return literal.properties.filter((p): p is LiteralMember => (ts.isMethodDeclaration(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p)) && literalSuperReadable(p));
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
export function withHome(f: ts.NodeFactory, rt: ts.Expression, literal: ts.Expression, methods: readonly LiteralMember[]): ts.Expression {
  // (a getter and a setter under one key: one key, whose accessor has both)
  const names = new Set(methods.map((m) => (m.name as ts.Identifier | ts.StringLiteral).text));
  const keys = [...names].map((name) => f.createStringLiteral(name));
  return f.createCallExpression(f.createPropertyAccessExpression(rt, 'home'), undefined, [literal, f.createArrayLiteralExpression(keys)]);
}
