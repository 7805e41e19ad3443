// The compiler pass `introspect build` runs, behind the interface
// transformer/index.ts exports (an `after` transformer factory). Takes
// nothing; gives `createTransformer`. Until transformer/index.ts exists in
// this build, an identity stand-in with the same signature is used and
// `standIn` says so (the build then warns that the output is not
// checkpointable).

import { fileURLToPath } from 'node:url';
import type ts from 'typescript';

export interface TransformOptions {
  /** The module specifier a given emitted file imports the runtime from. */
  runtimeImport(sourceFileName: string): string;
  /** Directory that module ids are made relative to (stable ids). */
  rootDir: string;
}

export type CreateTransformer = (
  options: TransformOptions,
) => (context: ts.TransformationContext) => (file: ts.SourceFile) => ts.SourceFile;

export interface LoadedTransformer {
  createTransformer: CreateTransformer;
  standIn: boolean;
}

// A non-literal specifier: the module may not exist yet when this compiles.
const TRANSFORMER_MODULE = '../../transformer/index.js';

const identity: CreateTransformer = () => () => (file) => file;

export async function loadTransformer(): Promise<LoadedTransformer> {
  try {
    const module = (await import(TRANSFORMER_MODULE)) as { createTransformer?: CreateTransformer };
    if (typeof module.createTransformer === 'function') return { createTransformer: module.createTransformer, standIn: false };
  } catch (error) {
    const missing = fileURLToPath(new URL(TRANSFORMER_MODULE, import.meta.url));
    const itself = (error as Error).message?.includes(`'${missing}'`) && !(error as Error).message.includes(`imported from ${missing}`);
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND' || !itself) throw error;
  }
  return { createTransformer: identity, standIn: true };
}
