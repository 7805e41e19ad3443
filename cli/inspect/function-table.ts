// The header's function table, read defensively: one row per instrumented
// function, `[id, name, line, localNames, siteLines]` as the transformer
// emits it (transformer/index.ts) and the runtime copies into the header
// (runtime/checkpoint.ts). Takes the untrusted header field; gives a map by
// id, skipping rows that are not of that shape.

import { generatedPrefix } from './local-names.js';

export interface FunctionInfo {
  /** `<module>#<qualified path>`, e.g. `main.ts#Shelf/restock`. */
  id: string;
  name: string;
  /** The module (original source file, relative to the program root). */
  module: string;
  /** The qualified path inside the module, e.g. `Shelf/restock/bump`. */
  path: string;
  /** 1-based line of the function in the original source. */
  line: number;
  /** Names of the frame's values: parameters, then locals. */
  locals: string[];
  /** Original line of each resume point: index pc-1 (pc 1 is the entry). */
  siteLines: number[];
  /** The module's generated-name prefix (`$`, `$$`, …; '' if none is used), see local-names.ts. */
  prefix: string;
}

export function readFunctionTable(rows: unknown): Map<string, FunctionInfo> {
  const table = new Map<string, FunctionInfo>();
  if (!Array.isArray(rows)) return table;
  for (const row of rows) {
    if (!Array.isArray(row) || row.length < 5) continue;
    const [id, name, line, locals, siteLines] = row as unknown[];
    if (typeof id !== 'string' || typeof name !== 'string' || typeof line !== 'number') continue;
    if (!isStringArray(locals) || !isNumberArray(siteLines)) continue;
    const cut = id.indexOf('#');
    table.set(id, {
      id,
      name,
      module: cut >= 0 ? id.slice(0, cut) : id,
      path: cut >= 0 ? id.slice(cut + 1) : name,
      line,
      locals,
      siteLines,
      prefix: '',
    });
  }
  const byModule = new Map<string, FunctionInfo[]>();
  for (const info of table.values()) byModule.set(info.module, [...(byModule.get(info.module) ?? []), info]);
  for (const infos of byModule.values()) {
    const prefix = generatedPrefix(infos.flatMap((info) => info.locals));
    for (const info of infos) info.prefix = prefix;
  }
  return table;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number');
}
