// node qjs-wasm.js FILE.js: runs FILE in QuickJS compiled to wasm (the npm
// packages quickjs-emscripten-core + @jitl/quickjs-wasmfile-release-sync,
// dev dependencies of this project), with the same guest contract as the
// platforms' qjs-wasm wrapper: console.log/error, print, scriptArgs,
// host.{readFile,writeFile,exit,engine}, plus setTimeout/clearTimeout (an
// event loop on the Node side: each expiry calls the guest function, then
// runs the guest's pending jobs). The built-in fallback of
// `introspect restart --platform qjs-wasm` when no platforms directory has
// one, so the default test run covers a non-V8 engine with npm packages only.
// INTROSPECT_QJS_WASM_NO_TIMERS=1 leaves the timers out, as the platforms'
// wrapper does (the runtime then keeps virtual time: runtime/timers.ts).

import { readFileSync, writeFileSync } from 'node:fs';
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write('usage: node qjs-wasm.js FILE.js [args]\n');
    process.exit(2);
  }
  const { newQuickJSWASMModuleFromVariant } = await import('quickjs-emscripten-core');
  const QuickJS = await newQuickJSWASMModuleFromVariant(import('@jitl/quickjs-wasmfile-release-sync'));
  const rt = QuickJS.newRuntime();
  rt.setMemoryLimit(-1);
  rt.setMaxStackSize(0);
  const vm: QuickJSContext = rt.newContext();
  const set = (o: QuickJSHandle, k: string | number, h: QuickJSHandle) => {
    vm.setProp(o, k, h);
    h.dispose();
  };
  const out = (write: (s: string) => void) => (...args: QuickJSHandle[]) => {
    write(args.map((h) => { const v = vm.dump(h); return typeof v === 'string' ? v : JSON.stringify(v); }).join(' ') + '\n');
  };
  const stdout = (s: string) => process.stdout.write(s);
  const stderr = (s: string) => process.stderr.write(s);
  const con = vm.newObject();
  set(con, 'log', vm.newFunction('log', out(stdout)));
  set(con, 'error', vm.newFunction('error', out(stderr)));
  set(con, 'warn', vm.newFunction('warn', out(stderr)));
  set(vm.global, 'console', con);
  set(vm.global, 'print', vm.newFunction('print', out(stdout)));
  const host = vm.newObject();
  set(host, 'readFile', vm.newFunction('readFile', (p) => vm.newString(readFileSync(vm.getString(p), 'utf8'))));
  set(host, 'writeFile', vm.newFunction('writeFile', (p, s) => { writeFileSync(vm.getString(p), vm.getString(s)); }));
  set(host, 'exit', vm.newFunction('exit', (c) => process.exit(vm.getNumber(c))));
  set(host, 'engine', vm.newString('quickjs (quickjs-emscripten wasm32, built in)'));
  set(vm.global, 'host', host);
  const timers = new Map<number, { handle: QuickJSHandle; timer: ReturnType<typeof setTimeout> }>();
  let nextTimer = 1;
  if (process.env.INTROSPECT_QJS_WASM_NO_TIMERS !== '1') set(vm.global, 'setTimeout', vm.newFunction('setTimeout', (fn, ms) => {
    const id = nextTimer++;
    const handle = fn.dup();
    const timer = setTimeout(() => {
      timers.delete(id);
      const r = vm.callFunction(handle, vm.undefined);
      handle.dispose();
      if (r.error) {
        const e = vm.dump(r.error);
        r.error.dispose();
        process.stderr.write(`QuickJS error in a timer: ${JSON.stringify(e)}\n`);
        process.exitCode = 1;
      } else r.value.dispose();
      runJobs();
    }, ms === undefined ? 0 : vm.getNumber(ms));
    timers.set(id, { handle, timer });
    return vm.newNumber(id);
  }));
  if (process.env.INTROSPECT_QJS_WASM_NO_TIMERS !== '1') set(vm.global, 'clearTimeout', vm.newFunction('clearTimeout', (id) => {
    const t = timers.get(vm.getNumber(id));
    if (t === undefined) return;
    clearTimeout(t.timer);
    t.handle.dispose();
    timers.delete(vm.getNumber(id));
  }));
  const runJobs = (): void => {
    for (;;) {
      const j = rt.executePendingJobs();
      if (j.error) {
        const e = vm.dump(j.error);
        j.error.dispose();
        process.stderr.write(`QuickJS error in a job: ${JSON.stringify(e)}\n`);
        process.exitCode = 1;
        break;
      }
      if (j.value <= 0) break;
    }
  };
  const args = vm.newArray();
  process.argv.slice(2).forEach((a, i) => set(args, i, vm.newString(a)));
  set(vm.global, 'scriptArgs', args);
  const r = vm.evalCode(readFileSync(file, 'utf8'), file);
  if (r.error) {
    const e = vm.dump(r.error) as { name?: string; message?: string; stack?: string } | string;
    r.error.dispose();
    process.stderr.write(`QuickJS error: ${typeof e === 'string' ? e : `${e.name}: ${e.message}\n${e.stack ?? ''}`}\n`);
    process.exitCode = 1;
  } else r.value.dispose();
  runJobs();
}

void main();
