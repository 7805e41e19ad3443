// Values of platform classes whose whole state their public API shows, saved
// as how to make them again: a TextEncoder, a TextDecoder (its encoding and
// flags), a URL (its href), URLSearchParams (its query string), the Intl
// formatters (their resolved locale and options; a DateTimeFormat's checked
// against what it prints, date-format-options.ts) and a DOMException (its
// message and name). The heap cannot save such
// an object as data (its state is in internal slots), and programs keep them
// in module constants all the time (`const fmt = new Intl.NumberFormat(…)`).
// Each is saved like a transient value (transient.ts) whose `recreate` is
// `remake` bound to the class's name and arguments, both plain data; after a
// restore it is made again with `new`, on whatever platform restarts it; a
// UTF-8 TextDecoder in the middle of a `stream: true` decode is then fed the
// bytes it held back (text-decoder-streams.ts). A URL's `searchParams`
// object is made anew, so a program holding both holds two objects after
// the restart.
//
// Node's StringDecoder is one too, though no global names it: its state
// lives under a private symbol of Node's, which a restart could not name.
// It is saved as its class (a library value: the program imported it), its
// encoding and the bytes of a character it holds back, and made again by
// constructing the class and writing those bytes to it.
//
// A Proxy of the program is one too (proxies.ts), and so is the function an
// Intl formatter's `format` (or a Collator's `compare`) getter gives out,
// and a function the Function constructors made (its source text), the
// `Function` constructor itself (what `emitDecoratorMetadata` records as a
// method's `design:type`; it has no built-in path, builtins.ts), and a
// PerformanceMark or PerformanceMeasure (timeline.ts), and an `arguments`
// object (arguments-objects.ts).

import { argumentsValue } from './arguments-objects.js';
import { dateTimeFormatArgs } from './date-format-options.js';
import { functions } from './functions.js';
import { proxyParts, remakeProxy } from './proxies.js';
import { timelineEntryValue } from './timeline.js';
import { primeTextDecoder, textDecoderPrimer } from './text-decoder-streams.js';
import { PlatformValue } from './transient.js';

interface Maker {
  /** The global path of the class. */
  name: string;
  args(v: any): unknown[];
}

const MAKERS: Maker[] = [
  { name: 'TextEncoder', args: () => [] },
  { name: 'TextDecoder', args: (d) => [d.encoding, { fatal: d.fatal, ignoreBOM: d.ignoreBOM }] },
  { name: 'URL', args: (u) => [u.href] },
  { name: 'URLSearchParams', args: (p) => [p.toString()] },
  { name: 'Intl.DateTimeFormat', args: dateTimeFormatArgs },
  ...['NumberFormat', 'Collator', 'PluralRules', 'RelativeTimeFormat', 'ListFormat', 'Segmenter', 'DisplayNames'].map(
    (c): Maker => ({ name: `Intl.${c}`, args: (f) => resolvedArgs(f.resolvedOptions()) }),
  ),
  { name: 'Intl.Locale', args: (l) => [l.toString()] },
  // An aborted signal's default reason (event-target.ts); its stack is not kept.
  { name: 'DOMException', args: (e) => [e.message, e.name] },
];

/**
 * The functions some Intl getters give out, bound to their formatter
 * (`const money = new Intl.NumberFormat(…).format`, a common idiom). The
 * engine never shows which formatter one is bound to, so those getters are
 * the runtime's, installed at load, which note it: such a function is saved
 * as how to make its formatter again and read the getter.
 */
const BOUND_GETTERS: readonly (readonly [string, string])[] = [['Intl.NumberFormat', 'format'], ['Intl.DateTimeFormat', 'format'], ['Intl.Collator', 'compare']];
const boundOwners = new WeakMap<Function, { maker: Maker; owner: object; key: string }>();

function noteBoundFunctions(): void {
  for (const [name, key] of BOUND_GETTERS) {
    const C = classAt(name);
    const maker = MAKERS.find((m) => m.name === name);
    const proto = C?.prototype as object | undefined;
    const d = proto === undefined ? undefined : Object.getOwnPropertyDescriptor(proto, key);
    const nativeGet = d?.get;
    if (maker === undefined || proto === undefined || nativeGet === undefined || !d!.configurable) continue;
    // (an object literal's getter, so that it is named `get format` as the engine's is)
    const noted = Object.getOwnPropertyDescriptor({
      get [key]() {
        const f = Reflect.apply(nativeGet, this, []) as unknown;
        if (typeof f === 'function' && !boundOwners.has(f)) boundOwners.set(f, { maker, owner: this as object, key });
        return f;
      },
    }, key)!.get!;
    Object.defineProperty(proto, key, { ...d, get: noted });
  }
}
noteBoundFunctions();

/**
 * A function the Function constructors made (`new Function('x', 'return x * 2')`,
 * and their async and generator kinds): it closes over the global scope
 * only, so its source text, in the form the language gives it
 * (CreateDynamicFunction), makes it again anywhere.
 */
const DYNAMIC_SOURCE = /^(?:async )?function\*? anonymous\([^]*\n\) \{\n[^]*\n\}$/;
const functionToString = Function.prototype.toString;

function dynamicFunctionSource(fn: Function): string | undefined {
  if (Object.getOwnPropertyDescriptor(fn, 'name')?.value !== 'anonymous') return undefined;
  const source = Reflect.apply(functionToString, fn, []) as string;
  return DYNAMIC_SOURCE.test(source) ? source : undefined;
}

function remakeDynamicFunction(source: string): Function {
  return (0, eval)(`(${source})`) as Function;
}

/** The `Function` constructor, by its global name (saved as a stand-in: it has no built-in path). */
const FunctionConstructor = Function;
function functionConstructor(): Function {
  return FunctionConstructor;
}

function remakeBound(name: string, args: unknown[], key: string): unknown {
  return (remake(name, args) as Record<string, unknown>)[key];
}

function resolvedArgs(options: Record<string, unknown>): unknown[] {
  const { locale, ...rest } = options;
  return [locale, rest];
}

function classAt(path: string): Function | undefined {
  let v: unknown = globalThis;
  for (const part of path.split('.')) v = v === undefined || v === null ? undefined : (v as Record<string, unknown>)[part];
  return typeof v === 'function' ? v : undefined;
}

/**
 * Prototype → its maker, or null: none. Asked per prototype met, by the
 * name of its constructor first, so that a capture reads the global of no
 * class it meets no object of: some are the host's lazy getters, and
 * reading them all cost ~10 ms of a small program's first checkpoint.
 */
const makerByPrototype = new WeakMap<object, Maker | null>();

function makerOf(proto: object): Maker | undefined {
  let maker = makerByPrototype.get(proto);
  if (maker === undefined) {
    const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
    const name = typeof ctor === 'function' ? ctor.name : undefined;
    // (without a constructor link, as the engine made it, every class is asked)
    const candidates = typeof name === 'string' ? MAKERS.filter((m) => m.name === name || m.name.endsWith(`.${name}`)) : MAKERS;
    maker = candidates.find((m) => classAt(m.name)?.prototype === proto) ?? null;
    makerByPrototype.set(proto, maker);
  }
  return maker ?? undefined;
}

/** The transient standing for `v`, if it is one of the program's proxies (proxies.ts). */
export function proxyStandIn(v: object): PlatformValue | undefined {
  const proxy = proxyParts(v);
  return proxy === undefined ? undefined : new PlatformValue(remakeProxy.bind(undefined, proxy.target, proxy.handler, proxy.revocation));
}

/** The transient standing for `v` in a checkpoint, if `v` is an instance (not of a subclass) of one of the classes above. */
export function platformValueFor(v: object): PlatformValue | undefined {
  if (typeof v === 'function') {
    const bound = boundOwners.get(v);
    if (bound !== undefined) return new PlatformValue(remakeBound.bind(undefined, bound.maker.name, bound.maker.args(bound.owner), bound.key));
    if (v === FunctionConstructor) return new PlatformValue(functionConstructor);
    const source = dynamicFunctionSource(v);
    return source === undefined ? undefined : new PlatformValue(remakeDynamicFunction.bind(undefined, source));
  }
  const proto = Object.getPrototypeOf(v) as object | null;
  const maker = proto === null ? undefined : makerOf(proto);
  if (maker !== undefined) {
    const primer = maker.name === 'TextDecoder' ? textDecoderPrimer(v) : undefined;
    if (primer !== undefined) return new PlatformValue(remakeStreamingDecoder.bind(undefined, maker.args(v), primer));
    return new PlatformValue(remake.bind(undefined, maker.name, maker.args(v)));
  }
  if (proto !== null && isStringDecoderPrototype(proto)) return stringDecoderValue(v as StringDecoderLike);
  return timelineEntryValue(v) ?? argumentsValue(v);
}

interface StringDecoderLike {
  encoding: string;
  lastChar: Uint8Array;
  lastNeed: number;
  lastTotal: number;
  write(bytes: Uint8Array): string;
}

const decoderPrototypes = new Map<object, boolean>();

/** Node's StringDecoder.prototype (not a subclass's), told by its shape; remembered per prototype. */
function isStringDecoderPrototype(proto: object): boolean {
  let known = decoderPrototypes.get(proto);
  if (known === undefined) {
    const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as { name?: unknown } | undefined;
    known = typeof ctor === 'function' && ctor.name === 'StringDecoder' && typeof Object.getOwnPropertyDescriptor(proto, 'write')?.value === 'function' && Object.getOwnPropertyDescriptor(proto, 'lastNeed')?.get !== undefined;
    decoderPrototypes.set(proto, known);
  }
  return known;
}

function stringDecoderValue(d: StringDecoderLike): PlatformValue {
  const held = Math.max(0, d.lastTotal - d.lastNeed);
  const bytes = d.lastNeed > 0 ? Uint8Array.from(d.lastChar.subarray(0, held)) : new Uint8Array(0);
  const C = Object.getPrototypeOf(d).constructor as Function;
  return new PlatformValue(remakeStringDecoder.bind(undefined, C, d.encoding, bytes));
}

function remakeStringDecoder(C: Function, encoding: string, bytes: Uint8Array): object {
  const d = Reflect.construct(C, [encoding]) as StringDecoderLike;
  if (bytes.length > 0) d.write(bytes);
  return d;
}

/** A TextDecoder in the middle of a stream: made again, then fed what it held (text-decoder-streams.ts). */
function remakeStreamingDecoder(args: unknown[], primer: Uint8Array): object {
  return primeTextDecoder(remake('TextDecoder', args), primer);
}

function remake(name: string, args: unknown[]): object {
  const C = classAt(name);
  if (C === undefined && name === 'DOMException') {
    // An engine without DOMException: an Error that reads the same.
    const e = new Error(args[0] as string);
    e.name = args[1] as string;
    return e;
  }
  if (C === undefined) throw new Error(`introspect: the checkpoint holds ${/^[AEIO]/i.test(name) ? 'an' : 'a'} ${name}, which this platform does not have`);
  return Reflect.construct(C, args) as object;
}

functions.registerStatic('introspect:remakePlatformValue', remake);
functions.registerStatic('introspect:remakeStringDecoder', remakeStringDecoder);
functions.registerStatic('introspect:remakeStreamingTextDecoder', remakeStreamingDecoder);
functions.registerStatic('introspect:remakeBoundPlatformFunction', remakeBound);
functions.registerStatic('introspect:remakeDynamicFunction', remakeDynamicFunction);
functions.registerStatic('introspect:functionConstructor', functionConstructor);
functions.registerClassMembers('introspect:PlatformValue', PlatformValue);
