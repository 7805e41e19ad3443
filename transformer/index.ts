// The Introspect transform: a TypeScript `after` transformer (it sees plain
// JavaScript, types already erased) that makes every function of a module
// capturable and restorable. No type checker is needed.
//
// The pipeline, in order:
//   0. names       (commonjs-containers.ts) a CommonJS file's exported enums and namespaces assigned to `exports` in the tree;
//                  (class-aliases.ts) a decorated class's references to itself, through the alias TypeScript prints;
//                  (generated-names.ts) TypeScript's generated identifiers get plain names;
//                  (container-members.ts) namespace and enum members it qualifies when printing, qualified
//  0a. labels      (stacked-labels.ts) `continue` names a loop's innermost label
//  0b. event loop  (platform-globals.ts) Promise, timers, queueMicrotask → the runtime's
// 0b''. libraries  (library-helpers.ts) events once/on and util.promisify → the runtime's wrappers
// 0b‴. import()    (dynamic-imports.ts) import(x) tells the runtime what it loaded
// 0b'. callbacks   (builtin-callbacks.ts) arr.map(f) and kin → $R.acMap(arr, f), $R.ac(arr, "flatMap", f)
// 0c'. super       (super-homes.ts) `super.x` in arrows and in generator and async methods → a read from the home object
//  0c. generators  (generators.ts) function* and async functions → plain function around a resumable body arrow
//   1. analyze     (analyze.ts)   scopes, bindings, captured variables — side tables only
//  1b. leaves      (leaf-functions.ts) top-level functions no checkpoint can begin in: calls of them are no sites
//   2. scopes      (scopes.ts)    hoisting, closure conversion, factories; module body split out
//   3. linearize   (linearize.ts) calls that may suspend become call statements (per function)
//   4. reenter     (reenter.ts)   resume points, routers, frame handler and prologue (per function)
//   5. module      (this file)    the module's registration with the runtime
//  5b. libraries   (libraries.ts) imports from outside the program registered by specifier

import ts = require('typescript');
import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import { analyze } from './analyze.js';
import { substituteClassAliases } from './class-aliases.js';
import { exportCommonJsContainers } from './commonjs-containers.js';
import { nameGeneratedIdentifiers } from './generated-names.js';
import { qualifyContainerMembers } from './container-members.js';
import { lowerGenerators } from './generators.js';
import { readSupersFromHomes } from './super-homes.js';
import { routeArrayCallbacks } from './builtin-callbacks.js';
import { registerLibraries, RUNTIME_PACKAGE } from './libraries.js';
import { useRuntimeEventLoop } from './platform-globals.js';
import { innermostContinueLabels } from './stacked-labels.js';
import { announceDynamicImports } from './dynamic-imports.js';
import { wrapLibraryHelpers } from './library-helpers.js';
import { Linearizer } from './linearize.js';
import { encodeFunctionTable } from '../runtime/function-table.js';
import type { FunctionRow } from '../runtime/modules.js';
import { findLeafFunctions } from './leaf-functions.js';
import { collectIdentifiers, NameGen } from './names.js';
import type { FileContext, FunctionPlan } from './plan.js';
import { Reenter } from './reenter.js';
import { ScopeLowering } from './scopes.js';

export interface TransformOptions {
  /** The module specifier a given emitted file imports the runtime from. */
  runtimeImport(sourceFileName: string): string;
  /** Directory that module ids are made relative to (stable ids). */
  rootDir: string;
}

/** Passes 3 and 4 over one function, as pass 2 hands it over. */
function instrumentFunction(ctx: FileContext, plan: FunctionPlan, body: ts.Statement[]): ts.Statement[] {
  const linearized = new Linearizer(ctx, plan).run(body);
  return new Reenter(ctx, plan, linearized).run();
}

/** A file the transform rewrites: not a declaration file, not a JSON module (`import data from './x.json'`, emitted as the JSON it is). */
export function isProgramCode(sf: ts.SourceFile): boolean {
  return !sf.isDeclarationFile && (sf.flags & ts.NodeFlags.JsonFile) === 0;
}

/** TypeScript's own answer (not in its declarations): the option, else on from an ES2022 target. */
function usesDefineForClassFields(options: ts.CompilerOptions): boolean {
  const own = (ts as unknown as { getUseDefineForClassFields?: (o: ts.CompilerOptions) => boolean }).getUseDefineForClassFields;
  return own !== undefined ? own(options) : options.useDefineForClassFields ?? (options.target === undefined || options.target >= ts.ScriptTarget.ES2022);
}

export function createTransformer(options: TransformOptions): (tctx: ts.TransformationContext) => (sf: ts.SourceFile) => ts.SourceFile {
  return (tctx) => (sf) => {
    if (!isProgramCode(sf)) return sf;
    const original = (ts.getParseTreeNode(sf) as ts.SourceFile | undefined) ?? sf;
    return transformModule(sf, original, options, tctx);
  };
}

export function transformModule(input: ts.SourceFile, original: ts.SourceFile, options: TransformOptions, tctx: ts.TransformationContext): ts.SourceFile {
  const f = ts.factory;
  const moduleId = relative(options.rootDir, original.fileName).split('\\').join('/');
  const names = new NameGen(collectIdentifiers(input));
  const compilerOptions = tctx.getCompilerOptions();
  const rt = f.createIdentifier(names.fixed('R'));
  const ctx: FileContext = {
    f,
    names,
    sf: original,
    moduleId,
    rt,
    unwind: f.createIdentifier(names.fixed('U')),
    plans: [],
    generatorBodies: new Map(),
    wrapperKinds: new Map(),
    shadowedGlobals: new Set(),
    leafFunctions: new Set(),
    leafDeclarations: new Set(),
    defineFields: usesDefineForClassFields(compilerOptions),
  };
  // Passes 0 to 0c, each over the whole file, in the order of the table above.
  let early = isCommonJsOutput(input, compilerOptions) ? exportCommonJsContainers(input, tctx) : input;
  early = substituteClassAliases(early, tctx);
  early = nameGeneratedIdentifiers(early, names, tctx);
  early = qualifyContainerMembers(early, tctx);
  early = innermostContinueLabels(early, tctx);
  early = useRuntimeEventLoop(early, rt, tctx);
  early = wrapLibraryHelpers(early, rt, tctx, names);
  early = announceDynamicImports(early, rt, tctx, names, moduleId);
  early = routeArrayCallbacks(early, rt, tctx);
  const homeDecls = new Set<ts.Statement>();
  early = readSupersFromHomes(early, rt, tctx, names, homeDecls);
  const sf = lowerGenerators(early, rt, tctx, ctx.generatorBodies, ctx.wrapperKinds, names, homeDecls);
  const isCommonJs = isCommonJsOutput(sf, compilerOptions);
  // A CommonJS file without "use strict" is sloppy (TypeScript writes it whenever the source is a module, or alwaysStrict is on).
  const analysis = analyze(sf, isCommonJs);
  ctx.shadowedGlobals = new Set(analysis.scopes.flatMap((s) => [...s.bindings.keys()]));
  ({ names: ctx.leafFunctions, declarations: ctx.leafDeclarations } = findLeafFunctions(sf, analysis, ctx));
  const lowering = new ScopeLowering(ctx, analysis, (plan, body) => instrumentFunction(ctx, plan, body));
  const lowered = lowering.lowerModule(sf, isCommonJs);

  const spec = options.runtimeImport(original.fileName);
  const imported = f.createIdentifier(names.fixed('Rm'));
  const runtimeImport: ts.Statement = isCommonJs
    ? f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(rt, undefined, undefined, f.createPropertyAccessExpression(f.createCallExpression(f.createIdentifier('require'), undefined, [f.createStringLiteral(spec)]), 'runtime'))], ts.NodeFlags.Const))
    : f.createImportDeclaration(undefined, f.createImportClause(false, undefined, f.createNamedImports([f.createImportSpecifier(false, f.createIdentifier('runtime'), imported)])), f.createStringLiteral(spec));
  const aliases = f.createVariableStatement(undefined, f.createVariableDeclarationList([
    // `$R` is a module constant, not the import binding itself: V8 reaches an
    // import through a cell on every use, and `$R` is on every hot path
    // (a local constant made richards ~15 % faster). Every use runs after
    // this line: the module's own statements are its body, run by the driver.
    ...(isCommonJs ? [] : [f.createVariableDeclaration(rt, undefined, undefined, imported)]),
    f.createVariableDeclaration(ctx.unwind, undefined, undefined, f.createPropertyAccessExpression(rt, 'U')),
    f.createVariableDeclaration(names.fixed('CL'), undefined, undefined, f.createPropertyAccessExpression(rt, 'CL')),
  ], ts.NodeFlags.Const));

  const bodyModifiers = lowered.bodyAsync ? [f.createModifier(ts.SyntaxKind.AsyncKeyword)] : undefined;
  const bodyFn = f.createFunctionDeclaration(bodyModifiers, lowered.bodyTask ? f.createToken(ts.SyntaxKind.AsteriskToken) : undefined, names.fixed('body'), undefined, [], undefined, f.createBlock(lowered.body, true));
  const state = lowered.state;
  const v = f.createIdentifier(names.fixed('v'));
  const getter = f.createArrowFunction(undefined, undefined, [], undefined, undefined, f.createArrayLiteralExpression(state.map((n) => f.createIdentifier(n))));
  const setter = f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, undefined, v)], undefined, undefined, f.createBlock(state.map((n, i) => f.createExpressionStatement(f.createAssignment(f.createIdentifier(n), f.createElementAccessExpression(v, i)))), true));
  const fingerprint = createHash('sha256').update(original.text).update('\0introspect-transform-5').digest('hex').slice(0, 16);
  const prop = (k: string, e: ts.Expression) => f.createPropertyAssignment(k, e);
  const table = ctx.plans.map((p): FunctionRow => (p.deadAt?.length ? [p.id, p.name, p.line, [...p.params, ...p.locals], p.siteLines, p.deadAt] : [p.id, p.name, p.line, [...p.params, ...p.locals], p.siteLines]));
  const registration = f.createExpressionStatement(f.createCallExpression(f.createPropertyAccessExpression(rt, 'module'), undefined, [
    f.createObjectLiteralExpression([
      prop('id', f.createStringLiteral(moduleId)),
      prop('hash', f.createStringLiteral(fingerprint)),
      prop('url', isCommonJs ? f.createIdentifier('__filename') : f.createPropertyAccessExpression(f.createMetaProperty(ts.SyntaxKind.ImportKeyword, f.createIdentifier('meta')), 'url')),
      prop('body', f.createIdentifier(names.fixed('body'))),
      ...(lowered.bodyTask ? [prop('task', f.createTrue())] : []),
      prop('get', getter),
      prop('set', setter),
      prop('stateNames', f.createArrayLiteralExpression(state.map((n) => f.createStringLiteral(n)))),
      prop('statics', f.createObjectLiteralExpression(lowered.statics.map((s) => prop(JSON.stringify(s.id), s.expr)), true)),
      prop('factories', f.createObjectLiteralExpression(lowered.factories.map((x) => prop(JSON.stringify(x.id), x.madeClass ? f.createCallExpression(f.createPropertyAccessExpression(rt, 'mcf'), undefined, [f.createStringLiteral(x.id)]) : f.createIdentifier(x.name))), true)),
      prop('exports', isCommonJs ? f.createIdentifier('exports') : f.createVoidZero()),
      // As JSON text, which the runtime parses: the module may have a `JSON` of its own.
      prop('functions', f.createStringLiteral(encodeFunctionTable(moduleId, table), /* single quotes: the JSON's own quotes need no escape */ true)),
    ], true),
  ]));

  const prologue: ts.Statement[] = [];
  const rest: ts.Statement[] = [];
  for (const s of lowered.hoisted) (ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression) ? prologue : rest).push(s);
  const libraries = registerLibraries(sf.statements, rt, names, ctx.moduleId, isCommonJs);
  // The program's own imports of the runtime API load the same runtime as the transform's.
  // (In CommonJS output, TypeScript has made the import a `require("introspect/runtime")` already.)
  const pointRequire = (n: ts.Node): ts.Node => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return n;
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && ts.idText(n.expression) === 'require' && n.arguments.length === 1 && ts.isStringLiteral(n.arguments[0]!) && n.arguments[0].text === RUNTIME_PACKAGE) {
      return f.updateCallExpression(n, n.expression, n.typeArguments, [f.createStringLiteral(spec)]);
    }
    return ts.visitEachChild(n, pointRequire, tctx);
  };
  const pointed = rest.map((st) =>
    ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.moduleSpecifier.text === RUNTIME_PACKAGE
      ? f.updateImportDeclaration(st, st.modifiers, st.importClause, f.createStringLiteral(spec), st.attributes)
      : isCommonJs
        ? (pointRequire(st) as ts.Statement)
        : st,
  );
  const statements = [...prologue, runtimeImport, ...libraries.imports, aliases, ...libraries.registrations, ...lowered.templates, ...pointed, ...lowered.factories.filter((x) => !x.inClass).flatMap((x) => (x.runner ? [x.decl, x.runner] : [x.decl])), bodyFn, registration];
  return f.updateSourceFile(sf, statements);
}

function isCommonJsOutput(sf: ts.SourceFile, options: ts.CompilerOptions): boolean {
  const kind = options.module;
  if (kind === ts.ModuleKind.CommonJS || kind === ts.ModuleKind.UMD || kind === ts.ModuleKind.AMD) return true;
  if (kind === ts.ModuleKind.Node16 || kind === ts.ModuleKind.NodeNext || kind === ts.ModuleKind.Node18 || (ts.ModuleKind as any).Node20 === kind) {
    // Decided per file by TypeScript; its output tells: `exports`/`require` plumbing present, no import/export statements.
    return !sf.statements.some((s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s) || (ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)));
  }
  return false;
}
