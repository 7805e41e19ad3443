// Standard (TC39) decorators as TypeScript lowers them: each decorated
// member or class is passed to `__esDecorate(ctor, descriptor, decorators,
// context, initializers, extraInitializers)`, a helper TypeScript prints
// itself, after every transformer, so the `addInitializer` function it puts
// in each decorator's context is a closure of uninstrumented code: a
// decorator that keeps its context (an initializer reading `context.name`)
// made every later checkpoint fail. Pass 0b points the program's calls here
// (platform-globals.ts): the same steps as TypeScript's helper, with
// `addInitializer` a bound function of a registered one over a plain state
// object, so a kept context is saved like any value. The decorators are the
// program's, run as no-save regions (no call site of the program's is below
// them), as they were under the native helper.

import { functions } from './functions.js';
import type { Runtime } from './runtime.js';

let rt: Runtime;

export function bindDecorators(runtime: Runtime): void {
  rt = runtime;
}

interface DecoratorContext {
  kind: string;
  name: string | symbol;
  static?: boolean;
  access?: Record<string, unknown>;
  [key: string]: unknown;
}

/** What one `__esDecorate` call shares with the `addInitializer` functions it hands out. */
class Decoration {
  done = false;
  constructor(public initializers: unknown[]) {}
}

function accept(f: unknown): unknown {
  if (f !== undefined && typeof f !== 'function') throw new TypeError('Function expected');
  return f;
}

function addInitializer(decoration: Decoration, f: unknown): void {
  if (decoration.done) throw new TypeError('Cannot add initializers after decoration has completed');
  decoration.initializers.push(accept(f ?? null));
}

/** `__esDecorate(ctor, descriptorIn, decorators, contextIn, initializers, extraInitializers)`. */
export function esDecorate(ctor: Function | null, descriptorIn: PropertyDescriptor | null, decorators: Function[], contextIn: DecoratorContext, initializers: unknown[] | null, extraInitializers: unknown[]): void {
  const kind = contextIn.kind;
  const key = kind === 'getter' ? 'get' : kind === 'setter' ? 'set' : 'value';
  const target = !descriptorIn && ctor ? (contextIn['static'] ? ctor : (ctor as { prototype: object }).prototype) : null;
  const descriptor: PropertyDescriptor = descriptorIn || (target ? Object.getOwnPropertyDescriptor(target, contextIn.name) ?? {} : {});
  const decoration = new Decoration(extraInitializers);
  for (let i = decorators.length - 1; i >= 0; i--) {
    const context: Record<string, unknown> = {};
    for (const p in contextIn) context[p] = p === 'access' ? {} : contextIn[p];
    for (const p in contextIn.access) (context['access'] as Record<string, unknown>)[p] = contextIn.access[p];
    context['addInitializer'] = addInitializer.bind(undefined, decoration);
    const decorator = decorators[i]!;
    const input = kind === 'accessor' ? { get: descriptor.get, set: descriptor.set } : descriptor[key];
    const result = rt.nsv(() => Reflect.apply(decorator, undefined, [input, context]));
    let f: unknown;
    if (kind === 'accessor') {
      if (result === undefined) continue;
      if (result === null || typeof result !== 'object') throw new TypeError('Object expected');
      if ((f = accept((result as PropertyDescriptor).get))) descriptor.get = f as () => unknown;
      if ((f = accept((result as PropertyDescriptor).set))) descriptor.set = f as (v: unknown) => void;
      if ((f = accept((result as { init?: unknown }).init))) initializers!.unshift(f);
    } else if ((f = accept(result))) {
      if (kind === 'field') initializers!.unshift(f);
      else (descriptor as Record<string, unknown>)[key] = f;
    }
  }
  if (target) Object.defineProperty(target, contextIn.name, descriptor);
  decoration.done = true;
}

functions.registerClassMembers('introspect:Decoration', Decoration);
functions.registerStatic('introspect:addInitializer', addInitializer);

/**
 * `__decorate(decorators, target, key, desc)`, TypeScript's helper for legacy
 * (experimentalDecorators) decorators, which pass 0b points here
 * (platform-globals.ts): the same steps, `arguments.length` and a
 * `Reflect.decorate` polyfill included, run as a no-save region. The native
 * helper is uninstrumented code in a program file, so a checkpoint due in a
 * decorator it called unwound through it, and it went on with the unwind's
 * marker as that decorator's result (a property decorator's target property
 * then became a read-only `undefined`); now such a checkpoint waits until the
 * helper returns.
 */
export function legacyDecorate(...args: unknown[]): unknown {
  return rt.nsv(() => {
    const c = args.length;
    const decorators = args[0] as (Function | undefined)[];
    const target = args[1] as object;
    const key = args[2] as PropertyKey;
    let desc = args[3] as PropertyDescriptor | null | undefined;
    let r: unknown = c < 3 ? target : desc === null ? (desc = Object.getOwnPropertyDescriptor(target, key)) : desc;
    const decorate = (Reflect as unknown as { decorate?: Function }).decorate;
    if (typeof decorate === 'function') r = Reflect.apply(decorate, Reflect, [decorators, target, key, desc]);
    else {
      for (let i = decorators.length - 1; i >= 0; i--) {
        const d = decorators[i];
        if (d) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
      }
    }
    if (c > 3 && r) Object.defineProperty(target, key, r as PropertyDescriptor);
    return r;
  });
}
