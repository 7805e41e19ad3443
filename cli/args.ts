// Command-line parsing for one command: takes the words after the command
// name and that command's flag table; gives back typed flag values and
// positionals, or throws UsageError naming the offending word. Knows nothing
// about what the commands do.
//
//   --name value  --name=value  -x value   flags (value types below)
//   --flag                                  boolean flags take no value
//   --                                      everything after goes to `rest`
//   -h, --help                              sets `help` (before `--` only)

import { constants } from 'node:os';
import { UsageError } from './errors.js';

export type FlagType =
  | 'boolean'
  | 'string'
  /** A whole number >= `min` (default 1). */
  | 'integer'
  /** "500ms", "30s", "2m", "1h", or a bare number of seconds; parsed to milliseconds. */
  | 'duration'
  /** A catchable signal: "SIGTERM", "TERM", "sigterm"; parsed to "SIGTERM". */
  | 'signal';

export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
  /** Placeholder shown in help: `--keep N`. */
  value?: string;
  min?: number;
  description: string;
}

export type FlagValue = string | number | boolean;

export interface ParsedArgs {
  flags: Record<string, FlagValue>;
  positionals: string[];
  /** Words after `--`, untouched. */
  rest: string[];
  help: boolean;
}

export function parseArgs(words: readonly string[], specs: readonly FlagSpec[], command?: string): ParsedArgs {
  const parsed: ParsedArgs = { flags: {}, positionals: [], rest: [], help: false };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') {
      parsed.rest = words.slice(i + 1);
      break;
    }
    if (word === '-h' || word === '--help') {
      parsed.help = true;
      continue;
    }
    if (!word.startsWith('-') || word === '-') {
      parsed.positionals.push(word);
      continue;
    }
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const label = eq === -1 ? word : word.slice(0, eq);
    const spec = findSpec(label, specs);
    if (spec === undefined) {
      throw new UsageError(`unknown option ${label}${command ? ` for '${command}'` : ''}`, command);
    }
    if (spec.type === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${spec.name} takes no value`, command);
      parsed.flags[spec.name] = true;
      continue;
    }
    let raw: string;
    if (eq !== -1) {
      raw = word.slice(eq + 1);
    } else {
      const next = words[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`--${spec.name} needs a value${spec.value ? ` (${spec.value})` : ''}`, command);
      }
      raw = next;
      i++;
    }
    parsed.flags[spec.name] = convert(raw, spec, command);
  }
  return parsed;
}

function findSpec(label: string, specs: readonly FlagSpec[]): FlagSpec | undefined {
  if (label.startsWith('--')) return specs.find((s) => s.name === label.slice(2));
  return specs.find((s) => s.short !== undefined && `-${s.short}` === label);
}

function convert(raw: string, spec: FlagSpec, command: string | undefined): FlagValue {
  const bad = (why: string) => new UsageError(`--${spec.name} ${JSON.stringify(raw)}: ${why}`, command);
  switch (spec.type) {
    case 'string':
      if (raw === '') throw bad('must not be empty');
      return raw;
    case 'integer': {
      const min = spec.min ?? 1;
      if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)) || Number(raw) < min) {
        throw bad(`expected a whole number >= ${min}`);
      }
      return Number(raw);
    }
    case 'duration': {
      const ms = parseDuration(raw);
      if (ms === undefined) throw bad('expected a duration such as 500ms, 30s, 5m, 1h');
      return ms;
    }
    case 'signal': {
      const name = parseSignal(raw);
      if (name === undefined) throw bad('expected a signal name such as SIGTERM');
      if (name === 'SIGKILL' || name === 'SIGSTOP') throw bad(`${name} cannot be caught, so no checkpoint can be taken on it`);
      return name;
    }
    case 'boolean':
      return true;
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds, or undefined if `text` is not a positive duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (match === null) return undefined;
  const ms = Math.round(Number(match[1]) * UNIT_MS[match[2] ?? 's']!);
  return ms > 0 ? ms : undefined;
}

/** The canonical "SIGXXX" name of a signal this OS knows, or undefined. */
export function parseSignal(text: string): string | undefined {
  const upper = text.trim().toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return Object.prototype.hasOwnProperty.call(constants.signals, name) ? name : undefined;
}
