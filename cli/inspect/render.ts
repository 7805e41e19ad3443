// Renders a Description for people (aligned "label  value" lines) or tools
// (JSON, stable field names, bigints as strings, bytes as their length).

import type { Description } from './describe.js';

export function renderText(d: Description, now: Date = new Date()): string {
  const rows: [string, string][] = [
    ['checkpoint', `${d.file}`],
    ['format', `version ${String(d.formatVersion)}`],
    ['size', bytes(d.fileBytes)],
    ['program', d.program.entry],
    ['  directory', d.program.dir],
    ['  fingerprint', String(d.program.fingerprint ?? '(none)')],
    ['created', `${d.createdAt}${ago(d.createdAt, now)}`],
    ['platform', platformLine(d)],
    ['plugins', d.plugins.length > 0 ? d.plugins.join(', ') : '(none)'],
  ];
  for (const [key, value] of Object.entries(d.sizes)) rows.push([`  ${key}`, bytes(value)]);
  for (const [key, value] of Object.entries(d.otherHeaderFields)) {
    if (d.body !== undefined && SHOWN_BY_BODY.has(key)) continue;
    const deferred = value as { by?: unknown; point?: unknown } | undefined;
    if (key === 'deferred' && typeof deferred?.by === 'string') rows.push([key, `came due at point ${String(deferred.point)}, deferred by ${deferred.by}`]);
    else if (key === 'laterBuiltins' && Array.isArray(value)) rows.push([key, laterBuiltins(value)]);
    else rows.push([key, brief(value)]);
  }
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines = rows.map(([label, value]) => `${label.padEnd(width)}${value}`);
  if (d.body === undefined) {
    lines.push('', 'frames, tasks and heap: not summarised by this build of introspect');
  } else {
    for (const section of d.body.sections) lines.push('', section.title, ...section.lines.map((line) => `  ${line}`));
  }
  return `${lines.join('\n')}\n`;
}

export function renderJson(d: Description): string {
  const { body, ...rest } = d;
  return `${JSON.stringify({ ...rest, body: body?.data ?? null }, replacer, 2)}\n`;
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return { bytes: value.byteLength };
  return value;
}

const BRIEF_LIMIT = 100;

/** Header fields the body sections show in full (the text view skips their one-line form). */
const SHOWN_BY_BODY = new Set(['functions', 'modules', 'stack']);

/** One short line for a header field of unknown meaning. */
function brief(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.some((item) => typeof item === 'object' && item !== null)) {
    return `${value.length} ${value.length === 1 ? 'entry' : 'entries'}`;
  }
  const text = JSON.stringify(value, replacer) ?? String(value);
  if (text.length <= BRIEF_LIMIT) return text;
  return typeof value === 'object' && value !== null ? `{${Object.keys(value).length} fields}` : `${text.slice(0, BRIEF_LIMIT - 1)}…`;
}

/** The later built-ins the program had at its start (runtime/later-builtins.ts): how many, and the first names. */
function laterBuiltins(names: unknown[]): string {
  if (names.length === 0) return 'none (a restart provides none)';
  const text = `${names.length}: ${names.join(', ')}`;
  return text.length <= BRIEF_LIMIT ? text : `${text.slice(0, BRIEF_LIMIT - 1)}…`;
}

function platformLine(d: Description): string {
  const p = d.platform;
  const order = p.endianness === 'LE' ? 'little-endian' : p.endianness === 'BE' ? 'big-endian' : 'byte order unknown';
  return [`engine ${p.engine ?? '?'}`, p.runtime ?? '?', `${p.os ?? '?'} ${p.cpu ?? '?'}`, order].join(' · ');
}

function bytes(n: number): string {
  return `${n.toLocaleString('en-US')} bytes`;
}

function ago(iso: string, now: Date): string {
  const ms = now.getTime() - new Date(iso).getTime();
  if (!Number.isFinite(ms) || ms < 0) return '';
  const units: [number, string][] = [[86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1000, 'second']];
  for (const [size, name] of units) {
    const count = Math.floor(ms / size);
    if (count >= 1) return ` (${count} ${name}${count === 1 ? '' : 's'} ago)`;
  }
  return ' (just now)';
}
