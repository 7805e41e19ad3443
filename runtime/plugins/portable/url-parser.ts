// The WHATWG URL Standard's basic URL parser and serializer (§4.4, §4.5),
// for the script engines that have no URL (QuickJS, jsc, gjs): a program
// moved there from Node keeps parsing and printing URLs as Node does.
// Hosts are ASCII-lowercased and non-ASCII labels punycode-encoded, without
// the IDNA mapping tables (UTS #46): an internationalized domain name that
// needs mapping beyond lowercase is the one difference from Node. The
// parser takes a state override, as the URL setters need it. Imports nothing.

export interface URLRecord {
  scheme: string;
  username: string;
  password: string;
  host: string | null;
  port: number | null;
  /** A list of segments, or a string for an opaque path (`mailto:x`). */
  path: string[] | string;
  query: string | null;
  fragment: string | null;
}

export const SPECIAL: Record<string, number | null> = { ftp: 21, file: null, http: 80, https: 443, ws: 80, wss: 443 };

export type State =
  | 'scheme start' | 'scheme' | 'no scheme' | 'special relative or authority' | 'path or authority' | 'relative' | 'relative slash'
  | 'special authority slashes' | 'special authority ignore slashes' | 'authority' | 'host' | 'hostname' | 'port' | 'file' | 'file slash'
  | 'file host' | 'path start' | 'path' | 'opaque path' | 'query' | 'fragment';

export const FAILURE = Symbol('failure');

// ---- percent-encode sets (§1.3) ----

const inC0 = (c: number): boolean => c < 0x20 || c > 0x7e;
const inFragment = (c: number): boolean => inC0(c) || c === 0x20 || c === 0x22 || c === 0x3c || c === 0x3e || c === 0x60;
const inQuery = (c: number): boolean => inC0(c) || c === 0x20 || c === 0x22 || c === 0x23 || c === 0x3c || c === 0x3e;
const inSpecialQuery = (c: number): boolean => inQuery(c) || c === 0x27;
// (`^` as Node 20's URL leaves it; the Standard added it to the set in 2024)
const inPath = (c: number): boolean => inQuery(c) || c === 0x3f || c === 0x60 || c === 0x7b || c === 0x7d;
const inUserinfo = (c: number): boolean => inPath(c) || c === 0x5e || c === 0x2f || c === 0x3a || c === 0x3b || c === 0x3d || c === 0x40 || (c >= 0x5b && c <= 0x5d) || c === 0x7c;
const inComponent = (c: number): boolean => inUserinfo(c) || (c >= 0x24 && c <= 0x26) || c === 0x2b || c === 0x2c;
/** application/x-www-form-urlencoded (space is written `+` by the serializer). */
export const inForm = (c: number): boolean => inComponent(c) || c === 0x21 || (c >= 0x27 && c <= 0x29) || c === 0x7e;
export const percentEncodeSets = { inC0, inFragment, inQuery, inSpecialQuery, inPath, inUserinfo, inComponent };

const HEX = '0123456789ABCDEF';

export function utf8Bytes(cp: number): number[] {
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 63)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
}

/** A string percent-encoded after the set (lone surrogates as U+FFFD). */
export function percentEncode(input: string, inSet: (c: number) => boolean, spaceAsPlus = false): string {
  let out = '';
  for (const ch of input) {
    let cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (spaceAsPlus && cp === 0x20) out += '+';
    else if (!inSet(cp)) out += String.fromCodePoint(cp);
    else for (const b of utf8Bytes(cp)) out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

const isHex = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/** Percent-decoding to bytes (§1.3), from the string's UTF-8. */
export function percentDecodeBytes(input: string): number[] {
  const bytes: number[] = [];
  for (const ch of input) bytes.push(...utf8Bytes(ch.codePointAt(0)!));
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x25 && i + 2 < bytes.length && isHex(bytes[i + 1]!) && isHex(bytes[i + 2]!)) {
      out.push(parseInt(String.fromCharCode(bytes[i + 1]!, bytes[i + 2]!), 16));
      i += 2;
    } else out.push(b);
  }
  return out;
}

/** UTF-8 decode without BOM, with replacement (the Encoding Standard's). */
export function utf8Decode(bytes: number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    let need = 0;
    let cp = 0;
    let lower = 0x80;
    let upper = 0xbf;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      cp = b & 0xf;
      if (b === 0xe0) lower = 0xa0;
      if (b === 0xed) upper = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      cp = b & 0x7;
      if (b === 0xf0) lower = 0x90;
      if (b === 0xf4) upper = 0x8f;
    } else {
      out += '\ufffd';
      i++;
      continue;
    }
    let j = i + 1;
    let ok = true;
    for (let k = 0; k < need; k++, j++) {
      const c = bytes[j];
      if (c === undefined || c < lower || c > upper) {
        ok = false;
        break;
      }
      lower = 0x80;
      upper = 0xbf;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (!ok) {
      out += '\ufffd';
      i = j;
      continue;
    }
    out += String.fromCodePoint(cp);
    i = j;
  }
  return out;
}

// ---- hosts (§3) ----

const FORBIDDEN_HOST = new Set([0x00, 0x09, 0x0a, 0x0d, 0x20, 0x23, 0x2f, 0x3a, 0x3c, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x5e, 0x7c]);
const forbiddenHost = (c: number): boolean => FORBIDDEN_HOST.has(c);
const forbiddenDomain = (c: number): boolean => forbiddenHost(c) || c <= 0x1f || c === 0x25 || c === 0x7f;

export function parseHost(input: string, notSpecial: boolean): string | typeof FAILURE {
  if (input.startsWith('[')) {
    if (!input.endsWith(']')) return FAILURE;
    const pieces = parseIPv6(input.slice(1, -1));
    return pieces === FAILURE ? FAILURE : `[${serializeIPv6(pieces)}]`;
  }
  if (notSpecial) {
    for (const ch of input) if (forbiddenHost(ch.codePointAt(0)!)) return FAILURE;
    return percentEncode(input, inC0);
  }
  const domain = utf8Decode(percentDecodeBytes(input));
  const ascii = domainToASCII(domain);
  if (ascii === FAILURE || ascii === '') return FAILURE;
  for (let i = 0; i < ascii.length; i++) if (forbiddenDomain(ascii.charCodeAt(i))) return FAILURE;
  if (endsInNumber(ascii)) {
    const v4 = parseIPv4(ascii);
    return v4 === FAILURE ? FAILURE : serializeIPv4(v4);
  }
  return ascii;
}

function domainToASCII(domain: string): string | typeof FAILURE {
  // UTS #46 without its tables: full stops, lowercase, NFC, then Punycode per label.
  const mapped = domain.replace(/[\u3002\uff0e\uff61]/g, '.').toLowerCase().normalize('NFC');
  if (/^[\x00-\x7f]*$/.test(mapped)) return mapped;
  const labels = mapped.split('.').map((label) => (/^[\x00-\x7f]*$/.test(label) ? label : `xn--${punycode(label)}`));
  return labels.join('.');
}

/** RFC 3492 Punycode encoding of one label. */
function punycode(label: string): string {
  const input = Array.from(label, (c) => c.codePointAt(0)!);
  let out = input.filter((c) => c < 0x80).map((c) => String.fromCharCode(c)).join('');
  const basic = out.length;
  let handled = basic;
  if (basic > 0) out += '-';
  let n = 128;
  let delta = 0;
  let bias = 72;
  const digit = (d: number): string => String.fromCharCode(d < 26 ? 97 + d : 22 + d);
  const adapt = (d: number, count: number, first: boolean): number => {
    d = first ? Math.floor(d / 700) : d >> 1;
    d += Math.floor(d / count);
    let k = 0;
    for (; d > 455; k += 36) d = Math.floor(d / 35);
    return k + Math.floor((36 * d) / (d + 38));
  };
  while (handled < input.length) {
    const m = Math.min(...input.filter((c) => c >= n));
    delta += (m - n) * (handled + 1);
    n = m;
    for (const c of input) {
      if (c < n) delta++;
      if (c === n) {
        let q = delta;
        for (let k = 36; ; k += 36) {
          const t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
          if (q < t) break;
          out += digit(t + ((q - t) % (36 - t)));
          q = Math.floor((q - t) / (36 - t));
        }
        out += digit(q);
        bias = adapt(delta, handled + 1, handled === basic);
        delta = 0;
        handled++;
      }
    }
    delta++;
    n++;
  }
  return out;
}

function endsInNumber(input: string): boolean {
  const parts = input.split('.');
  if (parts[parts.length - 1] === '') {
    if (parts.length === 1) return false;
    parts.pop();
  }
  const last = parts[parts.length - 1]!;
  if (last !== '' && /^[0-9]+$/.test(last)) return true;
  return parseIPv4Number(last) !== FAILURE;
}

function parseIPv4Number(input: string): number | typeof FAILURE {
  if (input === '') return FAILURE;
  let radix = 10;
  if (input.length >= 2 && (input.startsWith('0x') || input.startsWith('0X'))) {
    input = input.slice(2);
    radix = 16;
  } else if (input.length >= 2 && input.startsWith('0')) {
    input = input.slice(1);
    radix = 8;
  }
  if (input === '') return 0;
  const valid = radix === 10 ? /^[0-9]+$/ : radix === 16 ? /^[0-9a-fA-F]+$/ : /^[0-7]+$/;
  if (!valid.test(input)) return FAILURE;
  return parseInt(input, radix);
}

function parseIPv4(input: string): number | typeof FAILURE {
  const parts = input.split('.');
  if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop();
  if (parts.length > 4) return FAILURE;
  const numbers: number[] = [];
  for (const part of parts) {
    const n = parseIPv4Number(part);
    if (n === FAILURE) return FAILURE;
    numbers.push(n);
  }
  for (let i = 0; i < numbers.length - 1; i++) if (numbers[i]! > 255) return FAILURE;
  if (numbers[numbers.length - 1]! >= 256 ** (5 - numbers.length)) return FAILURE;
  let ipv4 = numbers[numbers.length - 1]!;
  for (let i = 0; i < numbers.length - 1; i++) ipv4 += numbers[i]! * 256 ** (3 - i);
  return ipv4;
}

function serializeIPv4(address: number): string {
  const out: number[] = [];
  for (let i = 0; i < 4; i++) {
    out.unshift(address % 256);
    address = Math.floor(address / 256);
  }
  return out.join('.');
}

function parseIPv6(input: string): number[] | typeof FAILURE {
  const address = [0, 0, 0, 0, 0, 0, 0, 0];
  let pieceIndex = 0;
  let compress: number | null = null;
  let p = 0;
  const c = (i = p): number => (i < input.length ? input.charCodeAt(i) : -1);
  if (c() === 0x3a) {
    if (c(p + 1) !== 0x3a) return FAILURE;
    p += 2;
    compress = ++pieceIndex;
  }
  while (c() !== -1) {
    if (pieceIndex === 8) return FAILURE;
    if (c() === 0x3a) {
      if (compress !== null) return FAILURE;
      p++;
      compress = ++pieceIndex;
      continue;
    }
    let value = 0;
    let length = 0;
    while (length < 4 && isHex(c())) {
      value = value * 16 + parseInt(input[p]!, 16);
      p++;
      length++;
    }
    if (c() === 0x2e) {
      if (length === 0) return FAILURE;
      p -= length;
      if (pieceIndex > 6) return FAILURE;
      let numbersSeen = 0;
      while (c() !== -1) {
        let ipv4Piece: number | null = null;
        if (numbersSeen > 0) {
          if (c() === 0x2e && numbersSeen < 4) p++;
          else return FAILURE;
        }
        if (!(c() >= 0x30 && c() <= 0x39)) return FAILURE;
        while (c() >= 0x30 && c() <= 0x39) {
          const n = c() - 0x30;
          if (ipv4Piece === null) ipv4Piece = n;
          else if (ipv4Piece === 0) return FAILURE;
          else ipv4Piece = ipv4Piece * 10 + n;
          if (ipv4Piece > 255) return FAILURE;
          p++;
        }
        address[pieceIndex] = address[pieceIndex]! * 0x100 + ipv4Piece!;
        numbersSeen++;
        if (numbersSeen === 2 || numbersSeen === 4) pieceIndex++;
      }
      if (numbersSeen !== 4) return FAILURE;
      break;
    } else if (c() === 0x3a) {
      p++;
      if (c() === -1) return FAILURE;
    } else if (c() !== -1) return FAILURE;
    address[pieceIndex] = value;
    pieceIndex++;
  }
  if (compress !== null) {
    let swaps = pieceIndex - compress;
    pieceIndex = 7;
    while (pieceIndex !== 0 && swaps > 0) {
      const t = address[pieceIndex]!;
      address[pieceIndex] = address[compress + swaps - 1]!;
      address[compress + swaps - 1] = t;
      pieceIndex--;
      swaps--;
    }
  } else if (pieceIndex !== 8) return FAILURE;
  return address;
}

function serializeIPv6(address: number[]): string {
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (address[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && address[j] === 0) j++;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
    i = j;
  }
  let out = '';
  let ignore0 = false;
  for (let i = 0; i < 8; i++) {
    if (ignore0 && address[i] === 0) continue;
    ignore0 = false;
    if (best === i) {
      out += i === 0 ? '::' : ':';
      ignore0 = true;
      continue;
    }
    out += address[i]!.toString(16);
    if (i !== 7) out += ':';
  }
  return out;
}

// ---- the parser (§4.4) ----

const isAlpha = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isWindowsDriveLetter = (s: string, normalizedOnly = false): boolean => s.length === 2 && isAlpha(s.charCodeAt(0)) && (s[1] === ':' || (!normalizedOnly && s[1] === '|'));
function startsWithWindowsDriveLetter(cps: number[], p: number): boolean {
  if (cps.length - p < 2) return false;
  if (!isAlpha(cps[p]!) || (cps[p + 1] !== 0x3a && cps[p + 1] !== 0x7c)) return false;
  if (cps.length - p === 2) return true;
  const third = cps[p + 2];
  return third === 0x2f || third === 0x5c || third === 0x3f || third === 0x23;
}
const isSingleDot = (s: string): boolean => s === '.' || s.toLowerCase() === '%2e';
const isDoubleDot = (s: string): boolean => {
  const l = s.toLowerCase();
  return l === '..' || l === '.%2e' || l === '%2e.' || l === '%2e%2e';
};

function shortenPath(url: URLRecord): void {
  const path = url.path as string[];
  if (url.scheme === 'file' && path.length === 1 && isWindowsDriveLetter(path[0]!, true)) return;
  path.pop();
}

function takeAuthority(url: URLRecord, base: URLRecord): void {
  url.username = base.username;
  url.password = base.password;
  url.host = base.host;
  url.port = base.port;
}

export function emptyRecord(): URLRecord {
  return { scheme: '', username: '', password: '', host: null, port: null, path: [], query: null, fragment: null };
}

/**
 * The basic URL parser: a new record, or with `url` and `override` the
 * setters' state-overridden parse into it (returning `url`, or FAILURE; an
 * override that must not change the record returns undefined).
 */
export function basicParse(input: string, base: URLRecord | null, url?: URLRecord, override?: State): URLRecord | typeof FAILURE | undefined {
  if (url === undefined) {
    input = input.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '');
    url = emptyRecord();
  }
  input = input.replace(/[\t\n\r]/g, '');
  let state: State = override ?? 'scheme start';
  let buffer = '';
  let atSignSeen = false;
  let insideBrackets = false;
  let passwordTokenSeen = false;
  const cps = Array.from(input, (ch) => ch.codePointAt(0)!);
  const EOF = -1;
  const special = (): boolean => url!.scheme in SPECIAL;
  for (let p = 0; ; p++) {
    const c = p < cps.length ? cps[p]! : EOF;
    const ch = c === EOF ? '' : String.fromCodePoint(c);
    switch (state) {
      case 'scheme start':
        if (c !== EOF && isAlpha(c)) {
          buffer += ch.toLowerCase();
          state = 'scheme';
        } else if (override === undefined) {
          state = 'no scheme';
          p--;
        } else return FAILURE;
        break;
      case 'scheme':
        if (c !== EOF && (isAlpha(c) || isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e)) buffer += ch.toLowerCase();
        else if (c === 0x3a) {
          if (override !== undefined) {
            if ((url.scheme in SPECIAL) !== (buffer in SPECIAL)) return undefined;
            if ((url.username !== '' || url.password !== '' || url.port !== null) && buffer === 'file') return undefined;
            if (url.scheme === 'file' && url.host === '') return undefined;
          }
          url.scheme = buffer;
          if (override !== undefined) {
            if (url.port === SPECIAL[url.scheme]) url.port = null;
            return url;
          }
          buffer = '';
          if (url.scheme === 'file') state = 'file';
          else if (special() && base !== null && base.scheme === url.scheme) state = 'special relative or authority';
          else if (special()) state = 'special authority slashes';
          else if (cps[p + 1] === 0x2f) {
            state = 'path or authority';
            p++;
          } else {
            url.path = '';
            state = 'opaque path';
          }
        } else if (override === undefined) {
          buffer = '';
          state = 'no scheme';
          p = -1;
        } else return FAILURE;
        break;
      case 'no scheme':
        if (base === null || (typeof base.path === 'string' && c !== 0x23)) return FAILURE;
        if (typeof base.path === 'string' && c === 0x23) {
          url.scheme = base.scheme;
          url.path = base.path;
          url.query = base.query;
          url.fragment = '';
          state = 'fragment';
        } else if (base.scheme !== 'file') {
          state = 'relative';
          p--;
        } else {
          state = 'file';
          p--;
        }
        break;
      case 'special relative or authority':
        if (c === 0x2f && cps[p + 1] === 0x2f) {
          state = 'special authority ignore slashes';
          p++;
        } else {
          state = 'relative';
          p--;
        }
        break;
      case 'path or authority':
        if (c === 0x2f) state = 'authority';
        else {
          state = 'path';
          p--;
        }
        break;
      case 'relative':
        url.scheme = base!.scheme;
        if (c === 0x2f) state = 'relative slash';
        else if (special() && c === 0x5c) state = 'relative slash';
        else {
          takeAuthority(url, base!);
          url.path = (base!.path as string[]).slice();
          url.query = base!.query;
          if (c === 0x3f) {
            url.query = '';
            state = 'query';
          } else if (c === 0x23) {
            url.fragment = '';
            state = 'fragment';
          } else if (c !== EOF) {
            url.query = null;
            shortenPath(url);
            state = 'path';
            p--;
          }
        }
        break;
      case 'relative slash':
        if (special() && (c === 0x2f || c === 0x5c)) state = 'special authority ignore slashes';
        else if (c === 0x2f) state = 'authority';
        else {
          takeAuthority(url, base!);
          state = 'path';
          p--;
        }
        break;
      case 'special authority slashes':
        if (c === 0x2f && cps[p + 1] === 0x2f) {
          state = 'special authority ignore slashes';
          p++;
        } else {
          state = 'special authority ignore slashes';
          p--;
        }
        break;
      case 'special authority ignore slashes':
        if (c !== 0x2f && c !== 0x5c) {
          state = 'authority';
          p--;
        }
        break;
      case 'authority':
        if (c === 0x40) {
          if (atSignSeen) buffer = `%40${buffer}`;
          atSignSeen = true;
          for (const b of buffer) {
            if (b === ':' && !passwordTokenSeen) {
              passwordTokenSeen = true;
              continue;
            }
            const encoded = percentEncode(b, inUserinfo);
            if (passwordTokenSeen) url.password += encoded;
            else url.username += encoded;
          }
          buffer = '';
        } else if (c === EOF || c === 0x2f || c === 0x3f || c === 0x23 || (special() && c === 0x5c)) {
          if (atSignSeen && buffer === '') return FAILURE;
          p -= Array.from(buffer).length + 1;
          buffer = '';
          state = 'host';
        } else buffer += ch;
        break;
      case 'host':
      case 'hostname':
        if (override !== undefined && url.scheme === 'file') {
          p--;
          state = 'file host';
        } else if (c === 0x3a && !insideBrackets) {
          if (buffer === '') return FAILURE;
          if (override === 'hostname') return undefined;
          const host = parseHost(buffer, !special());
          if (host === FAILURE) return FAILURE;
          url.host = host;
          buffer = '';
          state = 'port';
        } else if (c === EOF || c === 0x2f || c === 0x3f || c === 0x23 || (special() && c === 0x5c)) {
          p--;
          if (special() && buffer === '') return FAILURE;
          if (override !== undefined && buffer === '' && (url.username !== '' || url.password !== '' || url.port !== null)) return undefined;
          const host = parseHost(buffer, !special());
          if (host === FAILURE) return FAILURE;
          url.host = host;
          buffer = '';
          state = 'path start';
          if (override !== undefined) return url;
        } else {
          if (c === 0x5b) insideBrackets = true;
          if (c === 0x5d) insideBrackets = false;
          buffer += ch;
        }
        break;
      case 'port':
        if (c !== EOF && isDigit(c)) buffer += ch;
        else if (c === EOF || c === 0x2f || c === 0x3f || c === 0x23 || (special() && c === 0x5c) || override !== undefined) {
          if (buffer !== '') {
            const port = parseInt(buffer, 10);
            if (port > 65535) return FAILURE;
            url.port = SPECIAL[url.scheme] === port ? null : port;
            buffer = '';
            if (override !== undefined) return url;
          }
          if (override !== undefined) return FAILURE;
          state = 'path start';
          p--;
        } else return FAILURE;
        break;
      case 'file':
        url.scheme = 'file';
        url.host = '';
        if (c === 0x2f || c === 0x5c) state = 'file slash';
        else if (base !== null && base.scheme === 'file') {
          url.host = base.host;
          url.path = (base.path as string[]).slice();
          url.query = base.query;
          if (c === 0x3f) {
            url.query = '';
            state = 'query';
          } else if (c === 0x23) {
            url.fragment = '';
            state = 'fragment';
          } else if (c !== EOF) {
            url.query = null;
            if (!startsWithWindowsDriveLetter(cps, p)) shortenPath(url);
            else url.path = [];
            state = 'path';
            p--;
          }
        } else {
          state = 'path';
          p--;
        }
        break;
      case 'file slash':
        if (c === 0x2f || c === 0x5c) state = 'file host';
        else {
          if (base !== null && base.scheme === 'file') {
            url.host = base.host;
            const first = (base.path as string[])[0];
            if (!startsWithWindowsDriveLetter(cps, p) && first !== undefined && isWindowsDriveLetter(first, true)) (url.path as string[]).push(first);
          }
          state = 'path';
          p--;
        }
        break;
      case 'file host':
        if (c === EOF || c === 0x2f || c === 0x5c || c === 0x3f || c === 0x23) {
          p--;
          if (override === undefined && isWindowsDriveLetter(buffer)) state = 'path';
          else if (buffer === '') {
            url.host = '';
            if (override !== undefined) return url;
            state = 'path start';
          } else {
            let host = parseHost(buffer, false);
            if (host === FAILURE) return FAILURE;
            if (host === 'localhost') host = '';
            url.host = host;
            if (override !== undefined) return url;
            buffer = '';
            state = 'path start';
          }
        } else buffer += ch;
        break;
      case 'path start':
        if (special()) {
          state = 'path';
          if (c !== 0x2f && c !== 0x5c) p--;
        } else if (override === undefined && c === 0x3f) {
          url.query = '';
          state = 'query';
        } else if (override === undefined && c === 0x23) {
          url.fragment = '';
          state = 'fragment';
        } else if (c !== EOF) {
          state = 'path';
          if (c !== 0x2f) p--;
        } else if (override !== undefined && url.host === null) (url.path as string[]).push('');
        break;
      case 'path':
        if (c === EOF || c === 0x2f || (special() && c === 0x5c) || (override === undefined && (c === 0x3f || c === 0x23))) {
          const path = url.path as string[];
          if (isDoubleDot(buffer)) {
            shortenPath(url);
            if (c !== 0x2f && !(special() && c === 0x5c)) path.push('');
          } else if (isSingleDot(buffer) && c !== 0x2f && !(special() && c === 0x5c)) path.push('');
          else if (!isSingleDot(buffer)) {
            if (url.scheme === 'file' && path.length === 0 && isWindowsDriveLetter(buffer)) buffer = `${buffer[0]}:`;
            path.push(buffer);
          }
          buffer = '';
          if (c === 0x3f) {
            url.query = '';
            state = 'query';
          }
          if (c === 0x23) {
            url.fragment = '';
            state = 'fragment';
          }
        } else buffer += percentEncode(ch, inPath);
        break;
      case 'opaque path':
        if (c === 0x3f) {
          url.query = '';
          state = 'query';
        } else if (c === 0x23) {
          url.fragment = '';
          state = 'fragment';
        } else if (c !== EOF) url.path = (url.path as string) + percentEncode(ch, inC0);
        break;
      case 'query':
        if ((override === undefined && c === 0x23) || c === EOF) {
          url.query = (url.query ?? '') + percentEncode(buffer, special() ? inSpecialQuery : inQuery);
          buffer = '';
          if (c === 0x23) {
            url.fragment = '';
            state = 'fragment';
          }
        } else if (c !== EOF) buffer += ch;
        break;
      case 'fragment':
        if (c !== EOF) url.fragment = (url.fragment ?? '') + percentEncode(ch, inFragment);
        break;
    }
    // The Standard's loop: stop when the pointer (as the state left it) is at the end.
    if (p >= cps.length) break;
  }
  return url;
}

/** The URL serializer (§4.5). */
export function serialize(url: URLRecord, excludeFragment = false): string {
  let out = `${url.scheme}:`;
  if (url.host !== null) {
    out += '//';
    if (url.username !== '' || url.password !== '') {
      out += url.username;
      if (url.password !== '') out += `:${url.password}`;
      out += '@';
    }
    out += url.host;
    if (url.port !== null) out += `:${url.port}`;
  } else if (typeof url.path !== 'string' && url.path.length > 1 && url.path[0] === '') out += '/.';
  out += serializePath(url);
  if (url.query !== null) out += `?${url.query}`;
  if (!excludeFragment && url.fragment !== null) out += `#${url.fragment}`;
  return out;
}

export function serializePath(url: URLRecord): string {
  if (typeof url.path === 'string') return url.path;
  let out = '';
  for (const segment of url.path) out += `/${segment}`;
  return out;
}

export function origin(url: URLRecord): string {
  if (url.scheme === 'blob') {
    const inner = basicParse(serializePath(url), null);
    return inner !== FAILURE && inner !== undefined && (inner.scheme === 'http' || inner.scheme === 'https') ? origin(inner) : 'null';
  }
  if (url.scheme === 'file' || !(url.scheme in SPECIAL)) return 'null';
  return `${url.scheme}://${url.host}${url.port === null ? '' : `:${url.port}`}`;
}
