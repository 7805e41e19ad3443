// Pass 0: what TypeScript's own transforms leave behind, made plain JavaScript.
// - Type assertions (`x as T`, `x!`, `<T>x`) leave a PartiallyEmittedExpression
//   around `x`: it is replaced by `x` itself (it prints the same), so the
//   passes see a call inside an assertion as the call it is.
// - Generated identifiers get plain names (below).
//
// Takes a source file after TypeScript's transforms (an `enum` or `namespace`
// becomes an IIFE whose parameter is a generated name, helpers use `_a`-style
// temporaries); gives the same file with every generated identifier replaced
// by a plain identifier, except the names TypeScript also prints uses of by
// itself (a CommonJS import's `x_1`, `importHelpers`' `tslib_1`). The later passes copy bindings by their text into
// new places (env objects, frame arrays, factories), and a generated name's
// text ("generated@736") is not its printed name, so they must never see one.
// Names come from NameGen (`$Op1`, `$a1`): deterministic and collision-free.

import ts = require('typescript');
import type { NameGen } from './names.js';

interface AutoGenerate {
  flags: number;
  id: number;
}

const KIND_MASK = 7;
const KIND_NODE = 4;

export function autoGenerateOf(node: ts.Node): AutoGenerate | undefined {
  return (node as { emitNode?: { autoGenerate?: AutoGenerate } }).emitNode?.autoGenerate;
}

export function nameGeneratedIdentifiers(sf: ts.SourceFile, names: NameGen, tctx: ts.TransformationContext): ts.SourceFile {
  const f = ts.factory;
  const assigned = new Map<unknown, string>();
  const helpersModule = externalHelpersModuleNameOf(sf);
  const nameFor = (id: ts.Identifier, auto: AutoGenerate): string => {
    // Names generated "for a node" are one name per node however often they
    // are asked for; the other kinds are one name per generation id.
    const original = (id as { original?: ts.Node }).original;
    const key = (auto.flags & KIND_MASK) === KIND_NODE && original !== undefined ? original : auto.id;
    let name = assigned.get(key);
    if (name === undefined) {
      const base = original !== undefined && ts.isIdentifier(original) && autoGenerateOf(original) === undefined ? ts.idText(original) : ts.idText(id).replace(/[^A-Za-z0-9_]/g, '') || 'g';
      name = names.fresh(/^[A-Za-z_]/.test(base) ? base : `g${base}`);
      assigned.set(key, name);
    }
    return name;
  };
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isPartiallyEmittedExpression(node)) return visit(node.expression);
    if (ts.isIdentifier(node)) {
      const auto = autoGenerateOf(node);
      return auto === undefined || isModuleBindingName(node) || auto.id === helpersModule ? node : ts.setTextRange(f.createIdentifier(nameFor(node, auto)), node);
    }
    return ts.visitEachChild(node, visit, tctx);
  };
  return ts.visitEachChild(sf, visit, tctx);
}

/**
 * The name CommonJS output gives an import (`const x_1 = require("./x")`):
 * TypeScript substitutes uses (`x` → `x_1.x`) while printing, with a fresh
 * name generated for the same import node, so this one must stay generated
 * to print the same. It is a module-level constant the passes never copy.
 */
function isModuleBindingName(id: ts.Identifier): boolean {
  const original = (id as { original?: ts.Node }).original;
  return original !== undefined && (ts.isImportDeclaration(original) || ts.isImportEqualsDeclaration(original) || ts.isExportDeclaration(original));
}

/**
 * The generation id of `tslib_1` in CommonJS output with `importHelpers`
 * (`const tslib_1 = require("tslib")`): TypeScript writes the uses
 * (`tslib_1.__decorate(…)`) while printing, from the name it keeps on the
 * source file, so the declaration must keep printing as that name too.
 */
function externalHelpersModuleNameOf(sf: ts.SourceFile): number | undefined {
  const parsed = ts.getOriginalNode(sf) as { emitNode?: { externalHelpersModuleName?: ts.Identifier } };
  const name = parsed.emitNode?.externalHelpersModuleName;
  return name === undefined ? undefined : autoGenerateOf(name)?.id;
}
