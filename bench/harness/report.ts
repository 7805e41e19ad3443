// Turns the measured figures into the one table `npm run bench` prints: a
// row per benchmark (plain ms, instrumented ms, ratio), the geometric mean,
// code size and build time, then the checkpoint figures; each row with its
// SPEC §9 target and whether it is met.

import type { ApiFigure } from './checkpoint-api.js';
import { mbPerSecond, type E2eFigure, type Latency } from './checkpoint-e2e.js';
import { geomean, round } from './stats.js';
import type { ProgramResult, SuiteResult } from './suite.js';

export interface Row {
  measure: string;
  plain: string;
  introspect: string;
  value: string;
  target: string;
  met: string;
}

const yes = (ok: boolean): string => (ok ? 'yes' : 'NO');
const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '—');
const x = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '—');
const mbs = (v: number): string => (Number.isFinite(v) ? `${round(v, 0)} MB/s` : '—');

export function suiteRows(suite: SuiteResult): Row[] {
  const results = suite.programs;
  const rows: Row[] = results.map((r) => r.failure !== undefined
    ? { measure: r.name, plain: ms(r.plainMs), introspect: `fails: ${r.failure}`, value: '—', target: '≤ 2×', met: 'NO' }
    : { measure: r.name, plain: ms(r.plainMs), introspect: ms(r.instrumentedMs), value: `${x(r.ratio)} (min ${x(r.minRatio)})`, target: '≤ 2×', met: yes(r.ratio <= 2) });
  const ran = results.filter((r) => r.failure === undefined);
  const g = geomean(ran.map((r) => r.ratio));
  const gMin = geomean(ran.map((r) => r.minRatio));
  const failing = results.length - ran.length;
  rows.push({
    measure: 'geometric mean', plain: '', introspect: failing > 0 ? `(${ran.length} of ${results.length}; ${failing} fail)` : '',
    value: `${x(g)} (min ${x(gMin)})`, target: '≤ 1.15×', met: yes(g <= 1.15 && failing === 0),
  });
  const sum = (f: (r: ProgramResult) => number): number => results.reduce((s, r) => s + (Number.isFinite(f(r)) ? f(r) : 0), 0);
  for (const form of ['raw', 'unindented'] as const) {
    const plainBytes = sum((r) => r.codeBytes.plain[form]);
    const instrBytes = sum((r) => r.codeBytes.instrumented[form]);
    const what = form === 'raw' ? 'code size (bytes, whole suite)' : 'code size without indentation';
    rows.push({ measure: what, plain: String(plainBytes), introspect: String(instrBytes), value: x(instrBytes / plainBytes), target: '≤ 2×', met: yes(instrBytes / plainBytes <= 2) });
  }
  const b = suite.build;
  rows.push({
    measure: 'build time (ms, tsc -p vs introspect build -p)', plain: ms(b.plainMs),
    introspect: b.failure !== undefined ? `fails: ${b.failure}` : ms(b.instrumentedMs),
    value: x(b.instrumentedMs / b.plainMs), target: '≤ 2×', met: yes(b.failure === undefined && b.instrumentedMs / b.plainMs <= 2),
  });
  return rows;
}

function label(f: { kind: string; sizeMB: number }): string {
  const size = f.sizeMB >= 1024 ? `${f.sizeMB / 1024} GB` : `${f.sizeMB} MB`;
  return `${f.kind === 'f64' ? 'Float64Array' : 'objects'} ${size}`;
}

export function checkpointRows(e2e: readonly E2eFigure[], api: readonly ApiFigure[], small: E2eFigure | undefined, latency: Latency | undefined): Row[] {
  const rows: Row[] = [];
  for (const f of e2e) {
    const apiFigure = api.find((a) => a.kind === f.kind && a.sizeMB === f.sizeMB);
    const captureTarget = f.kind === 'f64' ? 1024 : 200;
    if (f.failure !== undefined) {
      rows.push({ measure: `checkpoint ${label(f)}`, plain: '', introspect: `fails: ${f.failure}`, value: '—', target: '', met: 'NO' });
      continue;
    }
    const capture = mbPerSecond(f.liveBytes, f.captureMs);
    const restart = mbPerSecond(f.liveBytes, f.restartMs);
    const api1 = apiFigure && apiFigure.failure === undefined ? `API ${mbs(apiFigure.captureMBps)}` : apiFigure?.failure ? `API fails: ${apiFigure.failure}` : '';
    const api2 = apiFigure && apiFigure.failure === undefined ? `API ${mbs(apiFigure.restoreMBps)}` : '';
    rows.push({ measure: `capture+write ${label(f)}`, plain: '', introspect: `pause ${ms(f.captureMs)} ms; ${api1}`, value: mbs(capture), target: `≥ ${captureTarget === 1024 ? '1 GB/s' : '200 MB/s'}`, met: yes(capture >= captureTarget) });
    rows.push({ measure: `restart ${label(f)}`, plain: '', introspect: `${ms(f.restartMs)} ms from spawn; ${api2}`, value: mbs(restart), target: '≥ 200 MB/s', met: yes(restart >= 200) });
    const ratio = f.fileBytes / f.liveBytes;
    rows.push({ measure: `file size ${label(f)}`, plain: `${f.liveBytes} live`, introspect: `${f.fileBytes} file`, value: x(ratio), target: '≤ 1.2×', met: yes(ratio <= 1.2) });
  }
  if (small !== undefined) {
    rows.push(small.failure !== undefined
      ? { measure: 'small program restart', plain: '', introspect: `fails: ${small.failure}`, value: '—', target: '< 150 ms', met: 'NO' }
      : { measure: 'small program restart', plain: '', introspect: `median of 5, from spawn; file ${small.fileBytes} bytes`, value: `${ms(small.restartMs)} ms`, target: '< 150 ms', met: yes(small.restartMs < 150) });
  }
  if (latency !== undefined) {
    rows.push('ms' in latency
      ? { measure: 'latency request → file (sync loop)', plain: '', introspect: '', value: `${ms(latency.ms)} ms`, target: '< 100 ms', met: yes(latency.ms < 100) }
      : { measure: 'latency request → file (sync loop)', plain: '', introspect: `not measured: ${latency.notMeasured}`, value: '—', target: '< 100 ms', met: '—' });
  }
  return rows;
}

export function renderTable(rows: readonly Row[]): string {
  const head: Row = { measure: 'benchmark / measure', plain: 'plain', introspect: 'instrumented', value: 'ratio / value', target: 'target', met: 'met?' };
  const keys = Object.keys(head) as (keyof Row)[];
  const all = [head, ...rows];
  const width = keys.map((k) => Math.max(...all.map((r) => r[k].length)));
  const line = (r: Row): string => `| ${keys.map((k, i) => (i === 0 || i === 2 ? r[k].padEnd(width[i]!) : r[k].padStart(width[i]!))).join(' | ')} |`;
  const rule = `|${width.map((w, i) => (i === 0 || i === 2 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}
