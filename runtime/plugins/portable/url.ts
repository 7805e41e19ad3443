// `URL` and `URLSearchParams` for the script engines that lack them
// (QuickJS, jsc, gjs): the URL Standard's API over url-parser.ts, so that a
// program moved there from Node parses, changes and prints URLs as it did,
// and a checkpoint holding one (saved by its href, platform-values.ts)
// restarts there. Node's console shows them as Node does. Imports nothing
// from a platform.

import { basicParse, FAILURE, inForm, origin, percentDecodeBytes, percentEncode, percentEncodeSets, serialize, serializePath, utf8Decode, type State, type URLRecord } from './url-parser.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

function parseOrThrow(input: unknown, base: unknown): URLRecord {
  let baseRecord: URLRecord | null = null;
  if (base !== undefined) {
    const parsed = basicParse(String(base), null);
    if (parsed === FAILURE || parsed === undefined) throw new TypeError(`Invalid base URL: ${String(base)}`);
    baseRecord = parsed;
  }
  const parsed = basicParse(String(input), baseRecord);
  if (parsed === FAILURE || parsed === undefined) throw new TypeError(`Invalid URL: ${String(input)}`);
  return parsed;
}

const records = new WeakMap<object, URLRecord>();
const queries = new WeakMap<object, PortableURLSearchParams>();

class PortableURL {
  constructor(url: unknown, base?: unknown) {
    records.set(this, parseOrThrow(url, base));
    const params = new PortableURLSearchParams(this.search);
    listOwners.set(params, this);
    queries.set(this, params);
  }

  static canParse(url: unknown, base?: unknown): boolean {
    try {
      parseOrThrow(url, base);
      return true;
    } catch {
      return false;
    }
  }

  static parse(url: unknown, base?: unknown): PortableURL | null {
    try {
      return new PortableURL(url, base);
    } catch {
      return null;
    }
  }

  get href(): string {
    return serialize(rec(this));
  }
  set href(value: string) {
    const parsed = parseOrThrow(value, undefined);
    records.set(this, parsed);
    queries.get(this)!.replaceFrom(parsed.query);
  }
  get origin(): string {
    return origin(rec(this));
  }
  get protocol(): string {
    return `${rec(this).scheme}:`;
  }
  set protocol(value: string) {
    basicParse(`${String(value)}:`, null, rec(this), 'scheme start');
  }
  get username(): string {
    return rec(this).username;
  }
  set username(value: string) {
    if (cannotHaveCredentials(rec(this))) return;
    rec(this).username = percentEncode(String(value), percentEncodeSets.inUserinfo);
  }
  get password(): string {
    return rec(this).password;
  }
  set password(value: string) {
    if (cannotHaveCredentials(rec(this))) return;
    rec(this).password = percentEncode(String(value), percentEncodeSets.inUserinfo);
  }
  get host(): string {
    const r = rec(this);
    if (r.host === null) return '';
    return r.port === null ? r.host : `${r.host}:${r.port}`;
  }
  set host(value: string) {
    if (typeof rec(this).path === 'string') return;
    overrideInto(rec(this), String(value), 'host');
  }
  get hostname(): string {
    return rec(this).host ?? '';
  }
  set hostname(value: string) {
    if (typeof rec(this).path === 'string') return;
    overrideInto(rec(this), String(value), 'hostname');
  }
  get port(): string {
    return rec(this).port === null ? '' : String(rec(this).port);
  }
  set port(value: string) {
    if (cannotHaveCredentials(rec(this))) return;
    if (String(value) === '') rec(this).port = null;
    else overrideInto(rec(this), String(value), 'port');
  }
  get pathname(): string {
    return serializePath(rec(this));
  }
  set pathname(value: string) {
    const r = rec(this);
    if (typeof r.path === 'string') return;
    const copy = { ...r, path: [] as string[] };
    if (basicParse(String(value), null, copy, 'path start') !== FAILURE) r.path = copy.path;
  }
  get search(): string {
    const q = rec(this).query;
    return q === null || q === '' ? '' : `?${q}`;
  }
  set search(value: string) {
    const r = rec(this);
    let input = String(value);
    if (input === '') {
      r.query = null;
      queries.get(this)!.replaceFrom(null);
      stripTrailingSpaces(r);
      return;
    }
    if (input.startsWith('?')) input = input.slice(1);
    r.query = '';
    basicParse(input, null, r, 'query');
    queries.get(this)!.replaceFrom(r.query);
  }
  get searchParams(): PortableURLSearchParams {
    return queries.get(this)!;
  }
  get hash(): string {
    const f = rec(this).fragment;
    return f === null || f === '' ? '' : `#${f}`;
  }
  set hash(value: string) {
    const r = rec(this);
    let input = String(value);
    if (input === '') {
      r.fragment = null;
      stripTrailingSpaces(r);
      return;
    }
    if (input.startsWith('#')) input = input.slice(1);
    r.fragment = '';
    basicParse(input, null, r, 'fragment');
  }

  toString(): string {
    return this.href;
  }
  toJSON(): string {
    return this.href;
  }

  get [Symbol.toStringTag](): string {
    return 'URL';
  }

  [INSPECT](_depth: number, options: unknown, show: (v: unknown, o: unknown) => string): string {
    const fields: [string, unknown][] = [['href', this.href], ['origin', this.origin], ['protocol', this.protocol], ['username', this.username], ['password', this.password], ['host', this.host], ['hostname', this.hostname], ['port', this.port], ['pathname', this.pathname], ['search', this.search], ['searchParams', this.searchParams], ['hash', this.hash]];
    return `URL {\n${fields.map(([k, v]) => `  ${k}: ${typeof show === 'function' ? show(v, options) : JSON.stringify(v)}`).join(',\n')}\n}`;
  }
}

function rec(url: PortableURL): URLRecord {
  const r = records.get(url);
  if (r === undefined) throw new TypeError('Illegal invocation');
  return r;
}

function cannotHaveCredentials(r: URLRecord): boolean {
  return r.host === null || r.host === '' || r.scheme === 'file';
}

function overrideInto(r: URLRecord, value: string, state: State): void {
  const copy: URLRecord = { ...r, path: Array.isArray(r.path) ? r.path.slice() : r.path };
  const result = basicParse(value, null, copy, state);
  if (result !== FAILURE && result !== undefined) Object.assign(r, copy);
}

/** An opaque path loses its trailing spaces when nothing follows it any more (the Standard's "strip trailing spaces"). */
function stripTrailingSpaces(r: URLRecord): void {
  if (typeof r.path !== 'string' || r.fragment !== null || r.query !== null) return;
  r.path = r.path.replace(/ +$/, '');
}

// ---- URLSearchParams ----

const listOwners = new WeakMap<object, PortableURL>();

function parseForm(input: string): [string, string][] {
  const out: [string, string][] = [];
  for (const sequence of input.split('&')) {
    if (sequence === '') continue;
    const eq = sequence.indexOf('=');
    const name = eq < 0 ? sequence : sequence.slice(0, eq);
    const value = eq < 0 ? '' : sequence.slice(eq + 1);
    out.push([utf8Decode(percentDecodeBytes(name.replace(/\+/g, ' '))), utf8Decode(percentDecodeBytes(value.replace(/\+/g, ' ')))]);
  }
  return out;
}

const toUSV = (s: unknown): string => String(s).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

class PortableURLSearchParams {
  private list: [string, string][] = [];

  constructor(init: unknown = '') {
    if (init !== null && typeof init === 'object') {
      const iterator = (init as { [Symbol.iterator]?: unknown })[Symbol.iterator];
      if (typeof iterator === 'function') {
        for (const pair of init as Iterable<unknown>) {
          const items = [...(pair as Iterable<unknown>)];
          if (items.length !== 2) throw new TypeError('Each query pair must be an iterable [name, value] tuple');
          this.list.push([toUSV(items[0]), toUSV(items[1])]);
        }
      } else {
        for (const key of Reflect.ownKeys(init)) {
          if (typeof key !== 'string') continue;
          const d = Object.getOwnPropertyDescriptor(init, key);
          if (d?.enumerable) this.list.push([toUSV(key), toUSV((init as Record<string, unknown>)[key])]);
        }
      }
    } else {
      let s = toUSV(init);
      if (s.startsWith('?')) s = s.slice(1);
      this.list = parseForm(s);
    }
  }

  /** The URL's query changed (its `search` or `href` setter): the list follows it. */
  replaceFrom(query: string | null): void {
    this.list = query === null ? [] : parseForm(query);
  }

  private update(): void {
    const url = listOwners.get(this);
    if (url === undefined) return;
    const r = records.get(url)!;
    const serialized = this.toString();
    r.query = serialized === '' ? null : serialized;
    if (serialized === '') stripTrailingSpaces(r);
  }

  get size(): number {
    return this.list.length;
  }
  append(name: unknown, value: unknown): void {
    this.list.push([toUSV(name), toUSV(value)]);
    this.update();
  }
  delete(name: unknown, value?: unknown): void {
    const n = toUSV(name);
    const v = value === undefined ? undefined : toUSV(value);
    this.list = this.list.filter(([k, x]) => !(k === n && (v === undefined || x === v)));
    this.update();
  }
  get(name: unknown): string | null {
    const n = toUSV(name);
    return this.list.find(([k]) => k === n)?.[1] ?? null;
  }
  getAll(name: unknown): string[] {
    const n = toUSV(name);
    return this.list.filter(([k]) => k === n).map(([, v]) => v);
  }
  has(name: unknown, value?: unknown): boolean {
    const n = toUSV(name);
    const v = value === undefined ? undefined : toUSV(value);
    return this.list.some(([k, x]) => k === n && (v === undefined || x === v));
  }
  set(name: unknown, value: unknown): void {
    const n = toUSV(name);
    const v = toUSV(value);
    const i = this.list.findIndex(([k]) => k === n);
    if (i < 0) this.list.push([n, v]);
    else {
      this.list[i] = [n, v];
      this.list = this.list.filter(([k], j) => j <= i || k !== n);
    }
    this.update();
  }
  sort(): void {
    // stable, by UTF-16 code units
    this.list = this.list.map((pair, i) => [pair, i] as const).sort(([a, i], [b, j]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : i - j)).map(([pair]) => pair);
    this.update();
  }
  forEach(callback: (value: string, name: string, params: PortableURLSearchParams) => void, thisArg?: unknown): void {
    for (let i = 0; i < this.list.length; i++) callback.call(thisArg, this.list[i]![1], this.list[i]![0], this);
  }
  *keys(): IterableIterator<string> {
    for (let i = 0; i < this.list.length; i++) yield this.list[i]![0];
  }
  *values(): IterableIterator<string> {
    for (let i = 0; i < this.list.length; i++) yield this.list[i]![1];
  }
  *entries(): IterableIterator<[string, string]> {
    for (let i = 0; i < this.list.length; i++) yield [this.list[i]![0], this.list[i]![1]];
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
  toString(): string {
    return this.list.map(([k, v]) => `${percentEncode(k, inForm, true)}=${percentEncode(v, inForm, true)}`).join('&');
  }
  get [Symbol.toStringTag](): string {
    return 'URLSearchParams';
  }
  [INSPECT](_depth: number, options: unknown, show: (v: unknown, o: unknown) => string): string {
    if (this.list.length === 0) return 'URLSearchParams {}';
    const s = (v: string): string => (typeof show === 'function' ? show(v, options) : JSON.stringify(v));
    return `URLSearchParams { ${this.list.map(([k, v]) => `${s(k)} => ${s(v)}`).join(', ')} }`;
  }
}

/**
 * Installs URL and URLSearchParams where the engine has none, or where its
 * URL parses otherwise than the Standard and Node do (Chromium's accepts a
 * space in a host and gives a file: URL the origin "file://"). The page's
 * own statics (createObjectURL, revokeObjectURL) stay reachable.
 */
export function provideURL(): void {
  const g = globalThis as Record<string, unknown>;
  const native = g.URL as (typeof URL & Record<string, unknown>) | undefined;
  if (typeof native === 'function' && typeof g.URLSearchParams === 'function' && parsesAsNode(native)) return;
  if (typeof native === 'function') {
    for (const name of ['createObjectURL', 'revokeObjectURL']) {
      if (typeof native[name] === 'function') Object.defineProperty(PortableURL, name, { value: native[name], writable: true, configurable: true });
    }
  }
  Object.defineProperty(PortableURL, 'name', { value: 'URL' });
  Object.defineProperty(PortableURLSearchParams, 'name', { value: 'URLSearchParams' });
  for (const [name, value] of [['URL', PortableURL], ['URLSearchParams', PortableURLSearchParams]] as const) {
    Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
  }
}

/** The engine's URL agrees with Node's where engines are known to differ. */
function parsesAsNode(NativeURL: typeof URL): boolean {
  try {
    if (new NativeURL('file:///probe').origin !== 'null') return false;
  } catch {
    return false;
  }
  try {
    new NativeURL('http://exa mple.com/');
    return false;
  } catch {
    return true;
  }
}

export { PortableURL, PortableURLSearchParams };
