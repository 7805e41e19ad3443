// The URL and URLSearchParams the script engines get
// (runtime/plugins/portable/url.ts) parse, resolve, serialize and change URLs
// as Node's do: every input against every base, the setters, search params
// linked to their URL, and a seeded sweep of inputs made of the characters
// the parser treats specially, each compared with Node's own result.

import { inspect } from 'node:util';
import { PortableURL, PortableURLSearchParams } from '../runtime/plugins/portable/url.js';

const FIELDS = ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'] as const;
type Parsed = Record<(typeof FIELDS)[number], string>;
const show = (u: Parsed | null): string => (u === null ? 'invalid' : FIELDS.map((f) => u[f]).join(' | '));
function make(C: new (input: string, base?: string) => Parsed, input: string, base?: string): Parsed | null {
  try {
    return new C(input, base);
  } catch {
    return null;
  }
}
const Ours = PortableURL as unknown as new (input: string, base?: string) => Parsed;
const Node = URL as unknown as new (input: string, base?: string) => Parsed;

const BASES = [undefined, 'http://example.org/foo/bar?q#f', 'file:///C:/dir/file', 'https://u:p@h.com:8080/a/b/c', 'non-spec:/p/q', 'file://host/share/x'];
const INPUTS = [
  'http://example.com', 'HTTP://EXAMPLE.COM:80/A/./B/../C?x=1 2#f g', 'https://a.b:443/', 'https://a.b:0443/', 'http://[::1]:8080/', 'http://[2001:db8::ff00:42:8329]/',
  'http://[0:0:0:0:0:0:13.1.68.3]/', 'http://192.168.0.1/', 'http://0x7f.1/', 'http://0300.0250.0.1/', 'http://4294967295/', 'http://4294967296/', 'http://1.2.3.4.5/',
  'http://user:pa ss@host/', 'http://us@er:p@ss@host/', 'http://@host/', 'http://:@host/', 'http:/\\/host/p', 'http:host/p', 'https:\\\\host\\a\\b', '//host/path', '/abs/path', 'rel/path', '../up', './here', '?q', '#frag', '',
  'file:///etc/passwd', 'file:/x', 'file://localhost/x', 'file:C:/x', 'file:///C|/x/../..', '/C:/foo', 'C|/x', 'file://host/x/..', 'mailto:user@example.com?subject=hi there', 'data:text/plain,hello world',
  'non-special://host:123/a/../b', 'non-special://[1:2::3]/', 'non-special:opaque path ', 'http://ñandú.com/x', 'http://EXAMPLE.com./', 'http://ex%41mple.com/', 'http://a b/', 'http://a<b/', 'http://%zz/',
  'http://host/%2e%2E/x', 'http://host/a/%2e/b', 'http://host/a?b#c#d', "http://host/'\"<>`{}^|", 'ws://h/p?x=\'y', 'http://h/p?x=\'y', 'http://h/ä?ö#ü', 'blob:https://a.com/uuid', 'http://1.2.3.09/', 'http://09.2.3.4/',
  'http://[::ffff:1.2.3.4]/', 'http://[1::2::3]/', 'http://[::1', 'foo://', 'foo:', 'foo:/', 'http://h:65536/', 'http://h:65535/', '\t http://h/\n a \r ', 'http://h/a\\b', 'non-special:/a\\b', 'HTTPS://H/Ü', 'http://h/?a=b&c=d+e%20f',
];

describe('the portable URL', () => {
  test('parses every input against every base as Node does', () => {
    const differences: string[] = [];
    for (const base of BASES) for (const input of INPUTS) {
      const node = show(make(Node, input, base));
      const ours = show(make(Ours, input, base));
      if (node !== ours) differences.push(`${JSON.stringify(input)} on ${base}: node ${node}, ours ${ours}`);
    }
    expect(differences).toEqual([]);
  });

  test('a seeded sweep of inputs made of the parser’s special characters', () => {
    let seed = 12345;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const parts = ['http:', 'https:', 'file:', 'foo:', '//', '/', '\\', '.', '..', '%2e', ':', '@', '[', ']', '::1', '?', '#', 'a', 'B', 'ä', '😀', ' ', '%', '%41', '%zz', '0x', '1', '256', 'C:', 'c|', 'localhost', '\t', '"', '<', '`', '{', '|', '^', 'EXAMPLE.com', '127.0.0.1', '08'];
    const bases = [undefined, 'http://ex.org/a/b?c#d', 'file:///x/y', 'foo://h/p/q'];
    const differences: string[] = [];
    for (let t = 0; t < 5000; t++) {
      let input = '';
      for (let k = 1 + next(8); k > 0; k--) input += parts[next(parts.length)];
      const base = bases[next(bases.length)];
      const node = show(make(Node, input, base));
      const ours = show(make(Ours, input, base));
      if (node !== ours) differences.push(`${JSON.stringify(input)} on ${base}: node ${node}, ours ${ours}`);
    }
    expect(differences).toEqual([]);
  });

  test('setters change the URL as Node’s do, and its search params follow', () => {
    const setters: [string, string][] = [['protocol', 'https'], ['protocol', 'foo'], ['username', 'a b'], ['password', 'x@y'], ['host', 'new.host:99'], ['hostname', 'other'], ['port', '8081'], ['port', ''], ['pathname', '/a b/../c'], ['search', '?x=1&y=ä'], ['search', ''], ['hash', 'h h'], ['hash', ''], ['href', 'http://z/q']];
    for (const base of ['http://u:p@example.org:8000/foo/bar?q=1#f', 'file:///a/b', 'mailto:x?y', 'non-spec://h/p']) {
      for (const [key, value] of setters) {
        const node = new URL(base) as unknown as Record<string, unknown> & { searchParams: URLSearchParams };
        const ours = new PortableURL(base) as unknown as Record<string, unknown> & { searchParams: PortableURLSearchParams };
        node[key] = value;
        ours[key] = value;
        expect(`${key}=${value}: ${show(ours as unknown as Parsed)} ${ours.searchParams}`).toBe(`${key}=${value}: ${show(node as unknown as Parsed)} ${node.searchParams}`);
      }
    }
    const node = new URL('http://h/p?a=1');
    const ours = new PortableURL('http://h/p?a=1');
    node.searchParams.append('b', '2 3');
    ours.searchParams.append('b', '2 3');
    expect(ours.href).toBe(node.href);
    expect(() => new PortableURL('http://[1::2::3]/')).toThrow(TypeError);
  });

  test('URLSearchParams and what Node’s console shows', () => {
    for (const init of ['a=1&b=2&a=3', '?x=%20y+z&&=&k', 'é=ü&%zz=1', 'b=2&a=1&c=0&a=0']) {
      const node = new URLSearchParams(init);
      const ours = new PortableURLSearchParams(init);
      for (const p of [node, ours] as URLSearchParams[]) {
        p.append('n', 'v w');
        p.sort();
        p.set('a', 'Z');
        p.delete('b');
      }
      expect(`${ours} ${[...ours].join(';')} ${ours.size} ${ours.has('a', 'Z')}`).toBe(`${node} ${[...node].join(';')} ${node.size} ${node.has('a', 'Z')}`);
      expect(inspect(ours)).toBe(inspect(node));
    }
    expect(new PortableURLSearchParams({ a: '1', b: 'two words' }).toString()).toBe(new URLSearchParams({ a: '1', b: 'two words' }).toString());
    expect(inspect(new PortableURL('https://u@h.com:81/p?q=1#f'))).toBe(inspect(new URL('https://u@h.com:81/p?q=1#f')));
  });
});
