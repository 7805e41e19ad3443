// Json benchmark: a hand-written recursive-descent JSON parser (character
// scanning, string building, number conversion, nested objects and arrays)
// run over a fixed, generated document. Checksum: a digest of the parsed tree.

import { sampleDocument } from './sample.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

class ParseError extends Error {}

class Parser {
  private index = 0;
  private current = '';

  constructor(private readonly input: string) {
    this.read();
  }

  parse(): Json {
    this.skipWhiteSpace();
    const result = this.readValue();
    this.skipWhiteSpace();
    if (this.current !== '') throw new ParseError(`unexpected character at ${this.index}`);
    return result;
  }

  private readValue(): Json {
    switch (this.current) {
      case 'n': return this.readLiteral('null', null);
      case 't': return this.readLiteral('true', true);
      case 'f': return this.readLiteral('false', false);
      case '"': return this.readString();
      case '[': return this.readArray();
      case '{': return this.readObject();
      default:
        if (this.isDigit() || this.current === '-') return this.readNumber();
        throw new ParseError(`unexpected '${this.current}' at ${this.index}`);
    }
  }

  private readLiteral(word: string, value: Json): Json {
    for (let i = 0; i < word.length; i++) this.readChar(word[i]);
    return value;
  }

  private readArray(): Json[] {
    this.read();
    const array: Json[] = [];
    this.skipWhiteSpace();
    if (this.readOptional(']')) return array;
    do {
      this.skipWhiteSpace();
      array.push(this.readValue());
      this.skipWhiteSpace();
    } while (this.readOptional(','));
    this.readChar(']');
    return array;
  }

  private readObject(): { [key: string]: Json } {
    this.read();
    const object: { [key: string]: Json } = {};
    this.skipWhiteSpace();
    if (this.readOptional('}')) return object;
    do {
      this.skipWhiteSpace();
      const name = this.readString();
      this.skipWhiteSpace();
      this.readChar(':');
      this.skipWhiteSpace();
      object[name] = this.readValue();
      this.skipWhiteSpace();
    } while (this.readOptional(','));
    this.readChar('}');
    return object;
  }

  private readString(): string {
    this.readChar('"');
    let text = '';
    while (this.current !== '"') {
      if (this.current === '\\') {
        this.read();
        text += this.readEscape();
      } else if (this.current === '') {
        throw new ParseError('unterminated string');
      } else {
        text += this.current;
        this.read();
      }
    }
    this.read();
    return text;
  }

  private readEscape(): string {
    const c = this.current;
    this.read();
    switch (c) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'u': {
        let code = 0;
        for (let i = 0; i < 4; i++) {
          code = code * 16 + parseInt(this.current, 16);
          this.read();
        }
        return String.fromCharCode(code);
      }
      default: return c;
    }
  }

  private readNumber(): number {
    const start = this.index - 1;
    this.readOptional('-');
    while (this.isDigit()) this.read();
    if (this.readOptional('.')) while (this.isDigit()) this.read();
    if (this.current === 'e' || this.current === 'E') {
      this.read();
      if (!this.readOptional('+')) this.readOptional('-');
      while (this.isDigit()) this.read();
    }
    return Number(this.input.slice(start, this.index - 1));
  }

  private readOptional(ch: string): boolean {
    if (this.current !== ch) return false;
    this.read();
    return true;
  }

  private readChar(ch: string): void {
    if (!this.readOptional(ch)) throw new ParseError(`expected '${ch}' at ${this.index}`);
  }

  private skipWhiteSpace(): void {
    while (this.current === ' ' || this.current === '\n' || this.current === '\r' || this.current === '\t') this.read();
  }

  private isDigit(): boolean {
    return this.current >= '0' && this.current <= '9';
  }

  private read(): void {
    this.current = this.index < this.input.length ? this.input[this.index] : '';
    this.index++;
  }
}

/** An order-dependent digest of a value: counts, string lengths and numbers. */
function digest(value: Json): number {
  if (value === null) return 1;
  if (typeof value === 'boolean') return value ? 3 : 5;
  if (typeof value === 'number') return Math.floor(value * 7) % 1000003;
  if (typeof value === 'string') return value.length * 11 + (value.charCodeAt(0) || 0);
  let h = 17;
  if (Array.isArray(value)) {
    for (const item of value) h = (h * 31 + digest(item)) % 1000000007;
    return h;
  }
  for (const key of Object.keys(value)) h = (h * 31 + key.length + digest(value[key])) % 1000000007;
  return h;
}

const document = sampleDocument(60);

function iteration(inner: number): number {
  let result = 0;
  for (let i = 0; i < inner; i++) result = digest(new Parser(document).parse());
  return result;
}

// ---- harness (the same in every benchmark program) ----
// BENCH_SCALE multiplies the work per iteration, BENCH_WARMUP and
// BENCH_ITERATIONS set the number of untimed and timed iterations. Prints one
// deterministic CHECKSUM line and one machine-readable BENCH line.
function benchEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const v = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

function runBench(name: string, innerDefault: number, iteration: (inner: number) => number | string): void {
  const inner = Math.max(1, Math.round(innerDefault * benchEnv('BENCH_SCALE', 1)));
  const warmup = benchEnv('BENCH_WARMUP', 3);
  const count = Math.max(1, benchEnv('BENCH_ITERATIONS', 10));
  const times: number[] = [];
  let check: number | string = '';
  for (let i = 0; i < warmup + count; i++) {
    const t0 = performance.now();
    const result = iteration(inner);
    const ms = performance.now() - t0;
    if (i === 0) check = result;
    else if (result !== check) throw new Error(`${name}: iteration ${i} gave ${result}, the first gave ${check}`);
    if (i >= warmup) times.push(Math.round(ms * 1000) / 1000);
  }
  console.log(`CHECKSUM ${name} inner=${inner} ${check}`);
  console.log(`BENCH ${JSON.stringify({ name, inner, warmup, iterations: times })}`);
}

runBench('json', 100, iteration);
