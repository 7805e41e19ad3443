// Pass 0 (before names): a decorated class's references to itself.
// Takes a source file after TypeScript's transforms, where a class with
// legacy (experimentalDecorators) decorators is `let C = class C { static {
// C_1 = this; } … }` (ES2022; `let C = C_1 = class C {…}` for older targets)
// followed by `C = C_1 = __decorate([…], C)`: inside the class, a reference
// to `C` must reach the decorated class, so TypeScript's printer substitutes
// `C_1` for it, by a check flag on the original identifier, which the nodes
// the later passes rebuild no longer carry (the body then reached the
// undecorated class through the class expression's own name). Guarantees the
// substitution is written out: every reference to `C` inside the class body
// is the alias (the same generated identifier, named once by pass 0), unless
// something inside the class declares a `C` of its own (left as it was).

import ts = require('typescript');
import { isReferencePosition } from './analyze.js';
import { autoGenerateOf } from './generated-names.js';

export function substituteClassAliases(sf: ts.SourceFile, tctx: ts.TransformationContext): ts.SourceFile {
  const f = tctx.factory;
  let changed = false;
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && isAlias(node.left) && ts.isClassExpression(node.right)) {
      const cls = node.right;
      if (cls.name && !declaresName(cls, ts.idText(cls.name))) {
        changed = true;
        return f.updateBinaryExpression(node, node.left, node.operatorToken, withAlias(visitEachChildOf(cls), ts.idText(cls.name), node.left, tctx));
      }
    }
    if (ts.isClassExpression(node) && node.name && !declaresName(node, ts.idText(node.name))) {
      const alias = staticAlias(node);
      if (alias !== undefined) {
        changed = true;
        return withAlias(visitEachChildOf(node), ts.idText(node.name), alias, tctx);
      }
    }
    return ts.visitEachChild(node, visit, tctx);
  };
  const visitEachChildOf = <T extends ts.Node>(n: T): T => ts.visitEachChild(n, visit, tctx);
  const out = ts.visitEachChild(sf, visit, tctx);
  return changed ? out : sf;
}

function isAlias(e: ts.Expression): e is ts.Identifier {
  return ts.isIdentifier(e) && autoGenerateOf(e) !== undefined;
}

/** `static { C_1 = this; }`: the alias. */
function staticAlias(cls: ts.ClassExpression): ts.Identifier | undefined {
  for (const m of cls.members) {
    if (!ts.isClassStaticBlockDeclaration(m) || m.body.statements.length !== 1) continue;
    const st = m.body.statements[0];
    if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken && isAlias(st.expression.left) && st.expression.right.kind === ts.SyntaxKind.ThisKeyword) return st.expression.left;
  }
  return undefined;
}

function withAlias(cls: ts.ClassExpression, name: string, alias: ts.Identifier, tctx: ts.TransformationContext): ts.ClassExpression {
  const visit = (node: ts.Node, parent: ts.Node): ts.Node => {
    if (ts.isIdentifier(node)) return ts.idText(node) === name && isReferencePosition(node, parent) ? alias : node;
    return ts.visitEachChild(node, (c) => visit(c, node), tctx);
  };
  const f = tctx.factory;
  const members = cls.members.map((m) => visit(m, cls) as ts.ClassElement);
  const heritage = cls.heritageClauses; // outside the class body: not substituted
  return f.updateClassExpression(cls, cls.modifiers, cls.name, cls.typeParameters, heritage, members);
}

/** Does anything inside the class body declare `name` (a variable, parameter, function, class, catch binding)? */
function declaresName(cls: ts.ClassExpression, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    const declared = (ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isClassDeclaration(n) || ts.isClassExpression(n) || ts.isBindingElement(n)) && n.name !== undefined;
    if (declared && n !== cls && bindsName(n.name as ts.BindingName, name)) found = true;
    else ts.forEachChild(n, visit);
  };
  cls.members.forEach(visit);
  return found;
}

function bindsName(b: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(b)) return ts.idText(b) === name;
  return b.elements.some((e) => !ts.isOmittedExpression(e) && bindsName(e.name, name));
}
