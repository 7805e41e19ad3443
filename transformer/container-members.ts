// Pass 0 (continued): references TypeScript qualifies only while printing.
// Takes a source file after TypeScript's transforms, where a `namespace` or
// an `enum` is an IIFE `(function (N) { … })(N || (N = {}))`; inside it, a
// bare reference to an exported variable of the namespace (`count` for
// `export let count`) or to a member of the enum (`A` in `B = A * 2`) is
// still a bare identifier, which the printer turns into `N.count` / `E.A`
// only when it prints it inside that IIFE. The later passes move functions
// out of the IIFE (into factories), where that would no longer happen, so
// this pass writes the qualification out: every such reference becomes a
// property access on the IIFE's parameter. The members are those of every
// block of the same name in the file (`namespace Units` twice, `namespace
// A.B.C` and `namespace A.B`: merged, as TypeScript merges them), since a
// block sees the others' exports bare too. Names declared inside the IIFE
// are left alone (they shadow the member, natively too).

import ts = require('typescript');

export function qualifyContainerMembers(sf: ts.SourceFile, tctx: ts.TransformationContext): ts.SourceFile {
  let merged: Map<string, Set<string>> | undefined;
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isExpressionStatement(node)) {
      const target = containerIife(node, (decl) => (merged ??= mergedMembers(decl.getSourceFile())).get(pathOf(decl)));
      if (target) {
        const rewritten = qualify(target.fn, target.members, tctx);
        if (rewritten !== target.fn) return ts.visitEachChild(replaceFunction(node, target.fn, rewritten, tctx), visit, tctx);
      }
    }
    return ts.visitEachChild(node, visit, tctx);
  };
  return ts.visitEachChild(sf, visit, tctx);
}

/** The IIFE of a namespace or enum, and the member names its body may refer to bare. */
function containerIife(st: ts.ExpressionStatement, membersOf: (decl: ts.ModuleDeclaration | ts.EnumDeclaration) => Set<string> | undefined): { fn: ts.FunctionExpression; members: Set<string> } | undefined {
  const original = ts.getOriginalNode(st);
  if (!ts.isModuleDeclaration(original) && !ts.isEnumDeclaration(original)) return undefined;
  if (ts.isModuleDeclaration(original) && !(original.body && ts.isModuleBlock(original.body))) return undefined;
  let call: ts.Expression = st.expression;
  while (ts.isParenthesizedExpression(call)) call = call.expression;
  if (!ts.isCallExpression(call)) return undefined;
  let callee: ts.Expression = call.expression;
  while (ts.isParenthesizedExpression(callee)) callee = callee.expression;
  if (!ts.isFunctionExpression(callee) || callee.parameters.length !== 1 || !ts.isIdentifier(callee.parameters[0].name)) return undefined;
  const members = membersOf(original);
  return members !== undefined && members.size > 0 ? { fn: callee, members } : undefined;
}

/**
 * `A.B.C` for `namespace A.B.C`, for `namespace C` inside `namespace A.B`,
 * and for `enum C` there: declarations with one path are one object.
 */
function pathOf(decl: ts.ModuleDeclaration | ts.EnumDeclaration): string {
  const names: string[] = [];
  let at: ts.Node = decl;
  for (;;) {
    if ((ts.isModuleDeclaration(at) || ts.isEnumDeclaration(at)) && ts.isIdentifier(at.name)) names.unshift(at.name.text);
    else break;
    const parent: ts.Node = at.parent;
    if (ts.isModuleDeclaration(parent)) at = parent; // the outer part of a dotted name
    else if (ts.isModuleBlock(parent)) at = parent.parent;
    else break;
  }
  return `${ts.isEnumDeclaration(decl) ? 'enum ' : ''}${names.join('.')}`;
}

/** Each namespace's (and enum's) members over all its declarations in the file, by path. */
function mergedMembers(sf: ts.SourceFile): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (path: string, name: string) => {
    let set = out.get(path);
    if (set === undefined) out.set(path, (set = new Set()));
    set.add(name);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isEnumDeclaration(node)) {
      for (const m of node.members) if (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) add(pathOf(node), m.name.text);
    } else if (ts.isModuleDeclaration(node) && ts.isIdentifier(node.name)) {
      const path = pathOf(node);
      if (node.body && ts.isModuleDeclaration(node.body)) add(path, node.body.name.text); // `namespace A.B`: B is A's
      else if (node.body && ts.isModuleBlock(node.body)) for (const s of node.body.statements) exportedNames(s, (name) => add(path, name));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The names a statement of a namespace block exports. */
function exportedNames(s: ts.Statement, add: (name: string) => void): void {
  if (!ts.canHaveModifiers(s) || !ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return;
  if (ts.isVariableStatement(s)) {
    const names = new Set<string>();
    for (const d of s.declarationList.declarations) collectNames(d.name, names);
    names.forEach(add);
  } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s) || ts.isModuleDeclaration(s) || ts.isImportEqualsDeclaration(s)) && s.name && ts.isIdentifier(s.name)) {
    add(s.name.text);
  }
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
