// Pass 0c': `super` where the function holding it will move to a factory.
// Takes a source file after pass 0b'; gives the same file where the `super.x`
// and `super[k]` reads (and calls, `super.x(a)`) of
//   - an arrow function in a member of a named class (method, accessor,
//     constructor, field initializer, static block), and
//   - a generator or async method of a named class (its body becomes an
//     arrow in pass 0c),
// read the property from the home object instead: `$R.sg(C.prototype, "x",
// this)` (`C` for a static member), `super.x(a)` a `.call(this, a)` of that,
// still a call site. The same in an object literal's method (plain,
// generator or async, under a plain key) and in its getters and setters
// under a plain key: its arrows' and (generator or
// async) body's reads become `$R.hsg($homeN, "x", this)`, where `$homeN` is a
// constant of the method that holds the method itself (`$self` of the
// factory pass 2 makes it with), declared first in its body; pass 0c keeps
// it in the method when it moves the body (`homeDecls`). Pass 2 marks the
// literal's methods with their home (home-methods.ts, runtime/home-objects.ts).
// Pass 2 then makes those functions by factories, like any closure, and a
// checkpoint saves them and their suspended frames.
// An anonymous class expression is given a name to read its home by (and
// `export default class extends B {…}` is made one first); the class keeps
// the name it would have had. A function whose `super` is written
// (`super.x = v`, `super.x++`, a destructuring target), a member that
// declares a binding of its class's name, a decorated `export default
// class`'s members, a class declaration whose name the file assigns (a decorated class, which TypeScript's output reassigns), and a literal's
// computed-key methods and accessors keep `super` (README, known limits): pass 2 leaves
// such a function native. An object-literal method with one such use keeps
// all of them (and a getter or setter, the other half of its pair too).

import ts = require('typescript');
import { isFunctionLike } from './analyze.js';
import type { NameGen } from './names.js';

type SuperRead = (ts.PropertyAccessExpression | ts.ElementAccessExpression) & { expression: ts.SuperExpression };

function isSuperRead(n: ts.Node): n is SuperRead {
  return (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) && n.expression.kind === ts.SyntaxKind.SuperKeyword;
}

/**
 * Visits the `super` keywords that belong to `region` (a function or a class
 * member): those in its arrows too, not those of nested functions, nor of a
 * nested class's members (its `extends` clause and computed keys are the
 * region's).
 */
function forOwnSupers(region: ts.Node, visit: (n: ts.Node) => void): void {
  const walk = (n: ts.Node): void => {
    if (n.kind === ts.SyntaxKind.SuperKeyword) visit(n);
    if (n !== region && isFunctionLike(n) && !ts.isArrowFunction(n)) return;
    if (n !== region && ts.isClassLike(n)) {
      for (const h of n.heritageClauses ?? []) walk(h);
      for (const m of n.members) if (m.name && ts.isComputedPropertyName(m.name)) walk(m.name);
      return;
    }
    ts.forEachChild(n, walk);
  };
  walk(region);
}

/**
 * Whether every `super` of the region is a property read or call (not
 * written, not `super(…)`). Asked of the parse tree's node (`orig`), whose
 * parents are set.
 */
function onlyReads(region: ts.Node): boolean {
  let ok = true;
  forOwnSupers(region, (n) => {
    // (`super.tag\`…\`` calls the tag with `this`: kept native)
    if (n.parent === undefined || !isSuperRead(n.parent) || isWritten(n.parent) || ts.isTaggedTemplateExpression(n.parent.parent)) ok = false;
  });
  return ok;
}

function hasSuper(region: ts.Node): boolean {
  let found = false;
  forOwnSupers(region, () => (found = true));
  return found;
}

/** The parse tree's node an earlier transform's node stands for. */
function orig<T extends ts.Node>(n: T): T {
  return ts.getOriginalNode(n) as T;
}

function isWritten(e: ts.Expression): boolean {
  let child: ts.Node = e;
  let p = e.parent;
  while (ts.isParenthesizedExpression(p)) {
    child = p;
    p = p.parent;
  }
  if (ts.isBinaryExpression(p)) return p.left === child && p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && p.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
  if (ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) return p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken;
  if (ts.isDeleteExpression(p)) return true;
  // maybe a destructuring target (`[super.x] = v`, `for (super.x of xs)`): kept, to be safe
  return ts.isArrayLiteralExpression(p) || ts.isShorthandPropertyAssignment(p) || ts.isPropertyAssignment(p) || ts.isSpreadElement(p) || ts.isForOfStatement(p) || ts.isForInStatement(p);
}

/** `read.call(this, …args)`, or `read?.call(this, …args)` (one optional chain) for `super.m?.(…)`. */
export function superCall(f: ts.NodeFactory, read: ts.Expression, call: ts.CallExpression, args: readonly ts.Expression[]): ts.Expression {
  if (!call.questionDotToken) return f.createCallExpression(f.createPropertyAccessExpression(read, 'call'), undefined, [f.createThis(), ...args]);
  return f.createCallChain(f.createPropertyAccessChain(read, call.questionDotToken, 'call'), undefined, undefined, [f.createThis(), ...args]);
}

/** Whether an object-literal method's every `super` (its body's, its arrows') can be read through its home (see the file comment). */
export function literalSuperReadable(method: ts.MethodDeclaration | ts.AccessorDeclaration): boolean {
  const m = orig(method);
  return m.parent !== undefined && ts.isObjectLiteralExpression(m.parent) && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) && m.body !== undefined && hasSuper(m) && onlyReads(m) &&
    // (an arrow of a parameter's default would run before the constant is set)
    !m.parameters.some((p) => containsArrowWithSuper(p));
}

function containsArrowWithSuper(n: ts.Node): boolean {
  if (ts.isArrowFunction(n)) return hasSuper(n);
  if (isFunctionLike(n) || ts.isClassLike(n)) return false;
  return ts.forEachChild(n, containsArrowWithSuper) ?? false;
}

function isGeneratorOrAsync(fn: ts.FunctionLikeDeclaration): boolean {
  return fn.asteriskToken !== undefined || (ts.canHaveModifiers(fn) && (ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ?? false));
}

function isStaticMember(m: ts.ClassElement): boolean {
  return ts.isClassStaticBlockDeclaration(m) || (ts.canHaveModifiers(m) && (ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword) ?? false));
}

/** Whether the member declares a binding named `name` (which would hide the class). */
function declares(member: ts.Node, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && ts.idText(n) === name) {
      const p = n.parent;
      if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p) || ts.isClassExpression(p) || ts.isFunctionExpression(p)) && p.name === n) found = true;
      else if (ts.isImportSpecifier(p) || ts.isCatchClause(p)) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(member);
  return found;
}

/**
 * Names the file assigns somewhere (`C = …`, `C++`, a destructuring or
 * for-in/of target): a class declared with one of them (TypeScript's
 * decorator output reassigns it to the decorated class) may not be its own
 * home by that name.
 */
function assignedNames(sf: ts.Node): Set<string> {
  const names = new Set<string>();
  const target = (t: ts.Node): void => {
    if (ts.isIdentifier(t)) names.add(ts.idText(t));
    else if (ts.isArrayLiteralExpression(t) || ts.isObjectLiteralExpression(t) || ts.isSpreadElement(t) || ts.isPropertyAssignment(t) || ts.isShorthandPropertyAssignment(t) || ts.isParenthesizedExpression(t) || (ts.isBinaryExpression(t) && t.operatorToken.kind === ts.SyntaxKind.EqualsToken)) {
      if (ts.isBinaryExpression(t)) target(t.left);
      else if (ts.isShorthandPropertyAssignment(t)) names.add(ts.idText(t.name));
      else if (ts.isPropertyAssignment(t)) target(t.initializer);
      else ts.forEachChild(t, target);
    }
  };
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) target(n.left);
    else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) target(n.operand);
    else if ((ts.isForInStatement(n) || ts.isForOfStatement(n)) && !ts.isVariableDeclarationList(n.initializer)) target(n.initializer);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return names;
}

/** The names this pass gave anonymous classes (their identifiers, which later passes keep). */
const givenNames = new WeakSet<ts.Node>();

/**
 * The class's own name as the program wrote it: none for an anonymous class
 * this pass named (its name is a binding to read its home by; the class is
 * still named from where it lands, scopes.ts runtimeClass).
 */
export function writtenName<N extends ts.Node>(node: { name?: N }): N | undefined {
  const name = node.name;
  return name === undefined || givenNames.has(name) || givenNames.has(ts.getOriginalNode(name)) ? undefined : name;
}

/**
 * @param homeDecls collects the `const $homeN = $self` statements put first
 *   in object-literal methods, which pass 0c keeps in a generator or async
 *   method's wrapper when it moves the body to an arrow.
 */
export function readSupersFromHomes(sf: ts.SourceFile, rt: ts.Identifier, tctx: ts.TransformationContext, names: NameGen, homeDecls: Set<ts.Statement>): ts.SourceFile {
  const f = ts.factory;
  const sg = (helper: string, home: ts.Expression, e: SuperRead, key: ts.Expression): ts.Expression =>
    f.createCallExpression(f.createPropertyAccessExpression(rt, helper), undefined, [home, ts.isPropertyAccessExpression(e) ? f.createStringLiteral(ts.idText(e.name as ts.Identifier)) : key, f.createThis()]);
  /** The region's own super reads rewritten (its nested functions' and classes' members' left alone). */
  const rewrite = <T extends ts.Node>(region: T, helper: string, home: () => ts.Expression): T => {
    const visit = (n: ts.Node): ts.Node => {
      if (n !== region && isFunctionLike(n) && !ts.isArrowFunction(n)) return n;
      if (n !== region && ts.isClassLike(n)) return n; // (its extends clause and keys: kept, rare)
      if (ts.isCallExpression(n) && isSuperRead(n.expression)) {
        const target = n.expression;
        const key = ts.isElementAccessExpression(target) ? (ts.visitNode(target.argumentExpression, visit) as ts.Expression) : f.createVoidZero();
        const args = ts.visitNodes(n.arguments, visit, ts.isExpression);
        return superCall(f, sg(helper, home(), target, key), n, args);
      }
      if (isSuperRead(n)) return sg(helper, home(), n, ts.isElementAccessExpression(n) ? (ts.visitNode(n.argumentExpression, visit) as ts.Expression) : f.createVoidZero());
      return ts.visitEachChild(n, visit, tctx);
    };
    return ts.visitNode(region, visit) as T;
  };

  /** In a class member: its arrows whose `super`s are all reads (and, for a generator or async method, its own body). */
  const classMember = (member: ts.ClassElement, home: () => ts.Expression): ts.ClassElement => {
    const whole = ts.isMethodDeclaration(member) && member.body !== undefined && isGeneratorOrAsync(member) && onlyReads(orig(member));
    if (whole) return rewrite(member, 'sg', home);
    const visit = (n: ts.Node): ts.Node => {
      if (n !== member && isFunctionLike(n) && !ts.isArrowFunction(n)) return n;
      if (n !== member && ts.isClassLike(n)) return n;
      if (ts.isArrowFunction(n) && hasSuper(n) && onlyReads(orig(n))) return rewrite(n, 'sg', home);
      return ts.visitEachChild(n, visit, tctx);
    };
    return ts.visitEachChild(member, visit, tctx);
  };

  const literalMethod = <M extends ts.MethodDeclaration | ts.AccessorDeclaration>(m: M): M => {
    // A plain method's own reads are pass 2's (`$R.hsg($self, …)`); only its arrows need the constant.
    const whole = ts.isMethodDeclaration(m) && isGeneratorOrAsync(m);
    if (!whole && !containsArrowWithSuper(m.body!)) return m;
    const homeName = names.fresh('home');
    const home = () => f.createIdentifier(homeName);
    let body: ts.Block;
    if (whole) body = rewrite(m.body!, 'hsg', home);
    else {
      const visit = (n: ts.Node): ts.Node => {
        if (isFunctionLike(n) && !ts.isArrowFunction(n)) return n;
        if (ts.isClassLike(n)) return n;
        if (ts.isArrowFunction(n) && hasSuper(n)) return rewrite(n, 'hsg', home);
        return ts.visitEachChild(n, visit, tctx);
      };
      body = ts.visitEachChild(m.body!, visit, tctx);
    }
    const decl = f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(homeName, undefined, undefined, f.createIdentifier(names.fixed('self')))], ts.NodeFlags.Const));
    homeDecls.add(decl);
    // (Parameters keep their `super`: they are evaluated in the method, which pass 2 rewrites.)
    const block = f.updateBlock(body, [decl, ...body.statements]);
    if (ts.isGetAccessor(m)) return f.updateGetAccessorDeclaration(m, m.modifiers, m.name, m.parameters, m.type, block) as M;
    if (ts.isSetAccessor(m)) return f.updateSetAccessorDeclaration(m, m.modifiers, m.name, m.parameters, block) as M;
    return f.updateMethodDeclaration(m, m.modifiers, m.asteriskToken, m.name, m.questionToken, m.typeParameters, m.parameters, m.type, block) as M;
  };

  const assigned = assignedNames(sf);
  const visit = (node: ts.Node): ts.Node => {
    // An anonymous class expression whose members need their home gets a
    // name to read it by: a generated one, which pass 2 keeps as the class's
    // binding but not as its `name` (scopes.ts runtimeClass: the class is
    // still named from where it lands, `$R.cname`).
    // `export default class extends B {…}` is `export default (class extends B {…})`, named "default" alike.
    if (ts.isClassDeclaration(node) && node.name === undefined && !ts.getDecorators(node)?.length && node.members.some((m) => !ts.isSemicolonClassElement(m) && hasSuper(m))) {
      const cls = f.createClassExpression(undefined, undefined, node.typeParameters, node.heritageClauses, node.members);
      return visit(ts.setOriginalNode(ts.setTextRange(f.createExportAssignment(undefined, false, ts.setOriginalNode(ts.setTextRange(cls, node), node)), node), node));
    }
    if (ts.isClassExpression(node) && node.name === undefined && node.members.some((m) => !ts.isSemicolonClassElement(m) && hasSuper(m))) {
      const name = f.createIdentifier(names.fresh('cls'));
      givenNames.add(name);
      return visit(f.updateClassExpression(node, node.modifiers, name, node.typeParameters, node.heritageClauses, node.members));
    }
    // (A class expression's own name is a constant of the class; a declaration's, as the transform reads it, the outer binding.)
    if (ts.isClassLike(node) && node.name !== undefined && !(ts.isClassDeclaration(node) && assigned.has(ts.idText(node.name)))) {
      const name = ts.idText(node.name);
      const members = node.members.map((m) => {
        if (ts.isSemicolonClassElement(m) || !hasSuper(m) || declares(orig(m), name)) return m;
        const home = () => (isStaticMember(m) ? f.createIdentifier(name) : f.createPropertyAccessExpression(f.createIdentifier(name), 'prototype'));
        return classMember(m, home);
      });
      const changed = members.some((m, i) => m !== node.members[i]);
      const updated = changed ? (ts.isClassDeclaration(node)
        ? f.updateClassDeclaration(node, node.modifiers, node.name, node.typeParameters, node.heritageClauses, members)
        : f.updateClassExpression(node, node.modifiers, node.name, node.typeParameters, node.heritageClauses, members)) : node;
      return ts.visitEachChild(updated, visit, tctx);
    }
    if ((ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) && literalSuperReadable(node)) return ts.visitEachChild(literalMethod(node), visit, tctx);
    return ts.visitEachChild(node, visit, tctx);
  };
  return ts.visitNode(sf, visit) as ts.SourceFile;
}
