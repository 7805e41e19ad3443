// Pass 5b: the module's imports from outside the program, registered with the
// runtime. Takes the module's top-level statements (ES module output); gives,
// for each module specifier that is not a path into the program (a package
// name, `node:fs`), a namespace import and a registration:
//
//   import * as $lib1 from "decimal.js";
//   $R.lib("decimal.js", $lib1);
//
// so that a checkpoint can name what the program's data holds of that module
// (an exported function, a class's prototype) by specifier and property path,
// and a restart can find it again after importing the module afresh
// (runtime/libraries.ts). In CommonJS output the registration requires the
// module again (Node's cache gives the same exports object):
//
//   $R.lib("decimal.js", require("decimal.js"));
//
// A namespace import of a module of the program (`import * as m from
// './m.js'`) is registered too (`$R.pns("main.ts", "./m.js", m)`): held as a
// value, it is saved by that name and stays the live namespace on restart.
// So is the data of a JSON module of the program (`import data from
// './data.json'`, `$R.json("data.json", data)`): the importers' bindings
// name the object the restart's fresh import makes, and the runtime writes
// the saved contents back into it (runtime/libraries.ts).

import { posix } from 'node:path';
import ts = require('typescript');
import type { NameGen } from './names.js';

export function registerLibraries(statements: readonly ts.Statement[], rt: ts.Identifier, names: NameGen, moduleId: string, commonJs = false): { imports: ts.Statement[]; registrations: ts.Statement[] } {
  const f = ts.factory;
  const specs: string[] = [];
  const registrations: ts.Statement[] = [];
  const note = (spec: string) => {
    if (!isProgramPath(spec) && spec !== RUNTIME_PACKAGE && !specs.includes(spec)) specs.push(spec);
  };
  const registerJson = (spec: string, data: ts.Expression) => {
    const id = jsonModuleId(moduleId, spec);
    if (id !== undefined) registrations.push(f.createExpressionStatement(f.createCallExpression(f.createPropertyAccessExpression(rt, 'json'), undefined, [f.createStringLiteral(id), data])));
  };
  for (const s of statements) {
    if (commonJs) {
      for (const spec of requiredSpecs(s)) {
        note(spec);
        registerJson(spec, f.createCallExpression(f.createIdentifier('require'), undefined, [f.createStringLiteral(spec)]));
      }
      continue;
    }
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier)) continue;
    if (s.importClause?.isTypeOnly) continue;
    note(s.moduleSpecifier.text);
    // A program module's namespace held as a value must stay that live object.
    const bindings = s.importClause?.namedBindings;
    if (isProgramPath(s.moduleSpecifier.text) && bindings && ts.isNamespaceImport(bindings)) {
      registrations.push(f.createExpressionStatement(f.createCallExpression(f.createPropertyAccessExpression(rt, 'pns'), undefined, [f.createStringLiteral(moduleId), f.createStringLiteral(s.moduleSpecifier.text), f.createIdentifier(ts.idText(bindings.name))])));
    }
    const defaultName = s.importClause?.name;
    if (defaultName !== undefined) registerJson(s.moduleSpecifier.text, f.createIdentifier(ts.idText(defaultName)));
    else if (bindings && ts.isNamespaceImport(bindings)) registerJson(s.moduleSpecifier.text, f.createPropertyAccessExpression(f.createIdentifier(ts.idText(bindings.name)), 'default'));
  }
  const imports: ts.Statement[] = [];
  if (commonJs) {
    for (const spec of specs) {
      const required = f.createCallExpression(f.createIdentifier('require'), undefined, [f.createStringLiteral(spec)]);
      registrations.push(f.createExpressionStatement(f.createCallExpression(f.createPropertyAccessExpression(rt, 'lib'), undefined, [f.createStringLiteral(spec), required])));
    }
    return { imports, registrations };
  }
  for (const spec of specs) {
    const ns = f.createIdentifier(names.fresh('lib'));
    imports.push(f.createImportDeclaration(undefined, f.createImportClause(false, undefined, f.createNamespaceImport(ns)), f.createStringLiteral(spec)));
    registrations.push(f.createExpressionStatement(f.createCallExpression(f.createPropertyAccessExpression(rt, 'lib'), undefined, [f.createStringLiteral(spec), ns])));
  }
  return { imports, registrations };
}

/** The runtime API's specifier (`import { checkpoint, onRestore } from 'introspect/runtime'`); the build points it at its copy. */
export const RUNTIME_PACKAGE = 'introspect/runtime';

/** The specifiers of `require("…")` calls a top-level statement makes (not inside functions). */
function requiredSpecs(statement: ts.Statement): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && ts.idText(n.expression) === 'require' && n.arguments.length === 1 && ts.isStringLiteral(n.arguments[0])) out.push(n.arguments[0].text);
    ts.forEachChild(n, visit);
  };
  visit(statement);
  return out;
}

/** The program-relative path of a JSON module a relative specifier names, e.g. "conf/data.json" from "conf/load.ts" and "./data.json". */
function jsonModuleId(importer: string, spec: string): string | undefined {
  if (!spec.startsWith('.') || !/\.json$/i.test(spec)) return undefined;
  return posix.normalize(posix.join(posix.dirname(importer), spec));
}

/** A specifier that names a file of the program (instrumented too), not a package. */
function isProgramPath(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('file:');
}
