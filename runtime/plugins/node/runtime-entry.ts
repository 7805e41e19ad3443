// What an ES-module program built by `introspect build` imports as
// <outDir>/__introspect/runtime.mjs under Node, Bun and Deno: the runtime
// copy of its CommonJS form, runtime.cjs, next to it. Takes nothing but that
// file; guarantees the same exports as the runtime's ES-module bundle
// (dist/runtime.mjs, a test compares them). Why not that bundle itself: a
// module Node loads through require can be one `introspect run` or
// `restart` has already compiled with V8's code cache and put in require's
// cache (cli/code-cache.ts), so a start skips compiling the runtime; an ES
// module cannot be given a code cache on Node 20. Copied alone, so it
// imports nothing of ours. The script-engine bundles (cli/platform/bundle.ts)
// take runtime.cjs in its place.

import { createRequire } from 'node:module';
import type * as RuntimeModule from '../../index.js';

const loaded = createRequire(import.meta.url)('./runtime.cjs') as typeof RuntimeModule;

export const { runtime, checkpoint, onRestore, transient } = loaded;
