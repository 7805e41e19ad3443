// Pass 0b'': library functions whose results the runtime must be able to
// save. Takes a source file after pass 0b; gives the same file where
//   import { once, on } from 'node:events'   (runtime/event-once.ts, event-on.ts)
//   import { getEventListeners, getMaxListeners, setMaxListeners } from 'node:events'
//                                            (runtime/event-helpers.ts)
//   import { promisify } from 'node:util'    (runtime/promisify.ts)
//   import { callbackify } from 'node:util'  (runtime/callbackify.ts)
//   import { createRequire } from 'node:module'
//                              (runtime/plugins/node/require-functions.ts)
//   import { openSync, writeSync, … } from 'node:fs'   (its descriptor functions,
//                              runtime/plugins/node/fs-bindings.ts)
// keep their imports under fresh names and bind the program's names to the
// runtime's versions: `const once = $R.eonce($once1)`. A pending `once`, an
// `on` iteration and what `promisify` or `callbackify` made become data a
// checkpoint saves, and so does a function `createRequire` made (Bun's and
// Deno's named imports of node:module do not see the wrapper the Node host
// put on its exports; nor do those of node:fs see the host's wrappers that
// record open files and translate descriptor numbers, which node:fs's get
// with their name: `$R.fsd($openSync1, "openSync")`). `util.promisify` read
// from a namespace or default import of the module (`import * as util from
// 'node:util'`) becomes `$R.prm(util.promisify)`, `util.callbackify`
// `$R.cbf(util.callbackify)`, `module.createRequire`
// `$R.crq(module.createRequire)` and `fs.writeSync` `$R.fsd(fs.writeSync, "writeSync")`.

import ts = require('typescript');
import { FS_DESCRIPTOR_FUNCTIONS } from '../runtime/fs-descriptor-functions.js';
import type { NameGen } from './names.js';
import { declaredNames, isAssigned } from './platform-globals.js';

interface LibraryHelpers {
  modules: ReadonlySet<string>;
  /** Export name → the runtime member that wraps it. */
  helpers: Readonly<Record<string, string>>;
  /** The member is given the export's name too (one member for many exports); a default import, the module object itself (whose functions the host replaces), is left alone. */
  named?: true;
}

const LIBRARY_HELPERS: readonly LibraryHelpers[] = [
  { modules: new Set(['events', 'node:events']), helpers: { once: 'eonce', on: 'eon', getEventListeners: 'egl', getMaxListeners: 'egm', setMaxListeners: 'esm' } },
  { modules: new Set(['util', 'node:util']), helpers: { promisify: 'prm', callbackify: 'cbf' } },
  { modules: new Set(['module', 'node:module']), helpers: { createRequire: 'crq' } },
  { modules: new Set(['fs', 'node:fs']), helpers: Object.fromEntries(FS_DESCRIPTOR_FUNCTIONS.map((name) => [name, 'fsd'])), named: true },
];

/** `$R.member(native)`, or `$R.member(native, "name")` for a library whose member serves many exports. */
function helperCall(f: ts.NodeFactory, rt: ts.Identifier, library: LibraryHelpers, exported: string, native: ts.Expression): ts.CallExpression {
  const args = library.named ? [native, f.createStringLiteral(exported)] : [native];
  return f.createCallExpression(f.createPropertyAccessExpression(rt, library.helpers[exported]!), undefined, args);
}

function helpersOf(specifier: ts.Expression): LibraryHelpers | undefined {
  return ts.isStringLiteral(specifier) ? LIBRARY_HELPERS.find((l) => l.modules.has(specifier.text)) : undefined;
}

export function wrapLibraryHelpers(sf: ts.SourceFile, rt: ts.Identifier, tctx: ts.TransformationContext, names: NameGen): ts.SourceFile {
  const f = ts.factory;
  let changed = false;
  /** Local names of namespace and default imports of a module with helpers. */
  const whole = new Map<string, LibraryHelpers>();
  const statements = sf.statements.flatMap((st): ts.Statement[] => {
    if (!ts.isImportDeclaration(st)) return [st];
    const library = helpersOf(st.moduleSpecifier);
    const clause = st.importClause;
    if (library === undefined || !clause || clause.isTypeOnly) return [st];
    if (clause.name && !library.named) whole.set(ts.idText(clause.name), library);
    const named = clause.namedBindings;
    if (named && ts.isNamespaceImport(named)) whole.set(ts.idText(named.name), library);
    if (!named || !ts.isNamedImports(named)) return [st];
    const helperOf = (e: ts.ImportSpecifier) => {
      const imported = ts.idText(e.propertyName && ts.isIdentifier(e.propertyName) ? e.propertyName : e.name);
      return !e.isTypeOnly && Object.hasOwn(library.helpers, imported) ? imported : undefined;
    };
    if (!named.elements.some(helperOf)) return [st];
    changed = true;
    const wrapped: ts.VariableDeclaration[] = [];
    const elements = named.elements.map((e) => {
      const imported = helperOf(e);
      if (imported === undefined) return e;
      const native = f.createIdentifier(names.fresh(imported));
      wrapped.push(f.createVariableDeclaration(f.createIdentifier(ts.idText(e.name)), undefined, undefined, helperCall(f, rt, library, imported, native)));
      return f.updateImportSpecifier(e, false, f.createIdentifier(imported), native);
    });
    const kept = f.updateImportDeclaration(st, st.modifiers, f.updateImportClause(clause, false, clause.name, f.updateNamedImports(named, elements)), st.moduleSpecifier, st.attributes);
    return [kept, f.createVariableStatement(undefined, f.createVariableDeclarationList(wrapped, ts.NodeFlags.Const))];
  });
  let out = changed ? f.updateSourceFile(sf, statements) : sf;
  if (whole.size === 0) return out;
  // `util.promisify` → `$R.prm(util.promisify)`, where `util` is still the import (no local of that name shadows it: the file's own declarations are checked).
  const shadowed = declaredNames(out, false);
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isImportDeclaration(node) || ts.isTypeNode(node)) return node;
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && ts.isIdentifier(node.name)) {
      const library = whole.get(ts.idText(node.expression));
      const member = ts.idText(node.name);
      if (library !== undefined && !shadowed.has(ts.idText(node.expression)) && Object.hasOwn(library.helpers, member) && !isAssigned(node)) {
        return helperCall(f, rt, library, member, node);
      }
    }
    return ts.visitEachChild(node, visit, tctx);
  };
  out = ts.visitEachChild(out, visit, tctx);
  return out;
}
