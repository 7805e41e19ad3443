// Pass 0 (continued): references TypeScript qualifies only while printing.
// Takes a source file after TypeScript's transforms, where a `namespace` or
// an `enum` is an IIFE `(function (N) { … })(N || (N = {}))`; inside it, a
// bare reference to an exported variable of the namespace (`count` for
// `export let count`) or to a member of the enum (`A` in `B = A * 2`) is
// still a bare identifier, which the printer turns into `N.count` / `E.A`
// only when it prints it inside that IIFE. The later passes move functions
// out of the IIFE (into factories), where that would no longer happen, so
// this pass writes the qualification out: every such reference becomes a
// property access on the IIFE's parameter. Names declared inside the IIFE
// are left alone (they shadow the member, natively too).

import ts from 'typescript';

export function qualifyContainerMembers(sf: ts.SourceFile, tctx: ts.TransformationContext): ts.SourceFile {
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isExpressionStatement(node)) {
      const target = containerIife(node);
      if (target) {
        const rewritten = qualify(target.fn, target.members, tctx);
        if (rewritten !== target.fn) return ts.visitEachChild(replaceFunction(node, target.fn, rewritten, tctx), visit, tctx);
      }
    }
    return ts.visitEachChild(node, visit, tctx);
  };
  return ts.visitEachChild(sf, visit, tctx);
}

/** The IIFE of a namespace or enum, and the member names its body refers to bare. */
function containerIife(st: ts.ExpressionStatement): { fn: ts.FunctionExpression; members: Set<string> } | undefined {
  const original = ts.getOriginalNode(st);
  if (!ts.isModuleDeclaration(original) && !ts.isEnumDeclaration(original)) return undefined;
  let call: ts.Expression = st.expression;
  while (ts.isParenthesizedExpression(call)) call = call.expression;
  if (!ts.isCallExpression(call)) return undefined;
  let callee: ts.Expression = call.expression;
  while (ts.isParenthesizedExpression(callee)) callee = callee.expression;
  if (!ts.isFunctionExpression(callee) || callee.parameters.length !== 1 || !ts.isIdentifier(callee.parameters[0].name)) return undefined;
  const members = new Set<string>();
  if (ts.isEnumDeclaration(original)) {
    for (const m of original.members) if (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) members.add(m.name.text);
  } else if (original.body && ts.isModuleBlock(original.body)) {
    for (const s of original.body.statements) {
      if (!ts.isVariableStatement(s) || !s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
      for (const d of s.declarationList.declarations) collectNames(d.name, members);
    }
  }
  return members.size > 0 ? { fn: callee, members } : undefined;
}

function qualify(fn: ts.FunctionExpression, members: Set<string>, tctx: ts.TransformationContext): ts.FunctionExpression {
  const f = ts.factory;
  const param = ts.idText(fn.parameters[0].name as ts.Identifier);
  const declared = new Set<string>();
  const collect = (n: ts.Node): void => {
    if ((ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isBindingElement(n)) && n !== fn.parameters[0]) collectNames(n.name, declared);
    else if ((ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n) || ts.isFunctionExpression(n) || ts.isClassExpression(n)) && n.name) declared.add(ts.idText(n.name));
    ts.forEachChild(n, collect);
  };
  ts.forEachChild(fn.body, collect);
  const names = new Set([...members].filter((m) => !declared.has(m) && m !== param));
  if (names.size === 0) return fn;
  let changed = false;
  const access = (name: string) => f.createPropertyAccessExpression(f.createIdentifier(param), name);
  const visit = (node: ts.Node, parent: ts.Node): ts.Node => {
    if (ts.isShorthandPropertyAssignment(node) && names.has(ts.idText(node.name)) && !node.objectAssignmentInitializer) {
      changed = true;
      return f.createPropertyAssignment(ts.idText(node.name), access(ts.idText(node.name)));
    }
    if (ts.isIdentifier(node) && names.has(ts.idText(node)) && isReference(node, parent)) {
      changed = true;
      return ts.setTextRange(access(ts.idText(node)), node);
    }
    return ts.visitEachChild(node, (c) => visit(c, node), tctx);
  };
  const body = ts.visitEachChild(fn.body, (c) => visit(c, fn.body), tctx);
  return changed ? f.updateFunctionExpression(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, fn.parameters, fn.type, body) : fn;
}

function isReference(id: ts.Identifier, p: ts.Node): boolean {
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p) || ts.isEnumMember(p)) && p.name === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p) || ts.isClassDeclaration(p) || ts.isClassExpression(p)) && p.name === id) return false;
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return false;
  if (ts.isQualifiedName(p) || ts.isTypeReferenceNode(p)) return false;
  return true;
}

function replaceFunction(st: ts.ExpressionStatement, from: ts.FunctionExpression, to: ts.FunctionExpression, tctx: ts.TransformationContext): ts.ExpressionStatement {
  const visit = (n: ts.Node): ts.Node => (n === from ? to : ts.visitEachChild(n, visit, tctx));
  return visit(st) as ts.ExpressionStatement;
}

function collectNames(name: ts.BindingName, out: Set<string>): void {
  if (ts.isIdentifier(name)) out.add(ts.idText(name));
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) collectNames(el.name, out);
}
