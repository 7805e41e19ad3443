// What the passes know about one function they instrument. Pass 2 (scopes)
// creates it; pass 3 (linearize) adds its temporaries; pass 4 (reenter)
// reads it to build the prologue, the frame record and the resume points.

import ts = require('typescript');
import type { NameGen } from './names.js';

export type FunctionKind =
  /** function declarations/expressions, object-literal methods */
  | 'plain'
  | 'arrow'
  | 'method'
  /** a base-class constructor: `this` lives in a local ($this) */
  | 'ctor'
  /** a derived-class constructor: `this` comes from super() */
  | 'derived-ctor'
  /** a module's top-level statements */
  | 'body';

export interface FunctionPlan {
  id: string;
  kind: FunctionKind;
  /** Source position of the function, for the function table (1-based line). */
  line: number;
  name: string;
  /** Everything the frame saves, in a fixed order: parameters first. */
  /** Parameter names (after lowering: plain identifiers). */
  params: string[];
  /** Hoisted locals (not parameters); the frame saves params then locals. */
  locals: string[];
  /** An expression that evaluates to this very function object (for the frame record). */
  self: ts.Expression;
  /** The local holding `this` in constructors ($this), else undefined. */
  thisLocal?: string;
  /** The local holding `new.target`, for constructors. */
  newTargetLocal?: string;
  /** Original (1-based) line of every resume point, filled by pass 4. */
  siteLines: number[];
  /** A generator's body (pass 0c): `yield` is a resume point. */
  generator?: boolean;
  /** Pass 1b took it for a leaf, and its callers make no resume point at its calls: pass 4 must find none in it. */
  predictedLeaf?: boolean;
  /** The local counting back-edges of call-free loops (pass 4), starting at 0. */
  counter?: string;
  /**
   * Locals the code can read before assigning them (`var`s, hoisted
   * functions, `arguments`, environments, a constructor's `this`): they start
   * undefined. Every other local starts at 0 (pass 4, reenter.ts wrap).
   */
  startUndefined?: Set<string>;
  /** Per resume point, indices of frame values that are dead there (liveness.ts). */
  deadAt?: number[][];
}

export interface FileContext {
  f: ts.NodeFactory;
  names: NameGen;
  sf: ts.SourceFile;
  moduleId: string;
  /** `$R`, the runtime object. */
  rt: ts.Identifier;
  /** `$U`, the module's alias of the unwind signal. */
  unwind: ts.Identifier;
  /** Every instrumented function, in source order, for the module's function table. */
  plans: FunctionPlan[];
  /** Every name the file declares (so `Math.max` may not be the built-in); set from pass 1. */
  shadowedGlobals: ReadonlySet<string>;
  /** Top-level functions that never reach a resume point (pass 1b, leaf-functions.ts): calling one is no site. */
  leafFunctions: ReadonlySet<string>;
  /** Their declarations, for pass 4 to check the prediction. */
  leafDeclarations: ReadonlySet<ts.Node>;
  /**
   * Class fields have define semantics (`useDefineForClassFields`, the
   * default from ES2022): a field without an initializer is a property
   * set to undefined in its place among the static initializers.
   */
  defineFields: boolean;
  /** The arrows pass 0c made to hold generator bodies (generators.ts), and which kind of function each is the body of. */
  generatorBodies: Map<ts.Node, BodyKind>;
  /**
   * The functions pass 0c made plain around such a body, and what they were
   * written as: the runtime gives each the prototype of that kind of function
   * (`$R.fk`), so `fn.constructor.name` and `fn[Symbol.toStringTag]` are
   * 'AsyncFunction' as natively, which libraries test to tell async callbacks.
   */
  wrapperKinds: Map<ts.Node, BodyKind>;
}

/** The code `$R.fk` takes for a wrapper's kind (runtime/functions.ts KIND_PROTOTYPES). */
export const WRAPPER_CODE: Record<BodyKind, number> = { task: 1, gen: 2, agen: 3 };

/** What a generator body runs for: a generator function, an async function's task, or an async generator. */
export type BodyKind = 'gen' | 'task' | 'agen';

export function lineOf(ctx: FileContext, node: ts.Node): number {
  const pos = ts.getOriginalNode(node).pos;
  if (pos < 0 || pos > ctx.sf.text.length) return 0;
  return ctx.sf.getLineAndCharacterOfPosition(skipTrivia(ctx.sf.text, pos)).line + 1;
}

function skipTrivia(text: string, pos: number): number {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  scanner.resetTokenState(pos);
  scanner.scan();
  return scanner.getTokenStart();
}

export function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/**
 * Statements of a function's start that pass 4 puts before the entry point:
 * the copy of `arguments` (and the environments and copies before it), which
 * a re-entered call, made with no arguments, could not make again.
 */
export const entryStatements = new WeakSet<ts.Node>();

/** The statements cannot fall off their end (the last one returns, throws, breaks or continues). */
export function endsAbruptly(stmts: readonly ts.Statement[]): boolean {
  const last = stmts[stmts.length - 1];
  return last !== undefined && (ts.isReturnStatement(last) || ts.isThrowStatement(last) || ts.isBreakStatement(last) || ts.isContinueStatement(last));
}
