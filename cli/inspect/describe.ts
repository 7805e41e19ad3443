// What `introspect inspect` shows, as data: takes a checkpoint file (bytes +
// decoded header) and gives a Description that both the text view and
// --json render. Known header fields get names; any other header fields are
// kept as they are, so nothing the format adds is hidden.

import type { PlatformInfo } from '../../runtime/host.js';
import type { CheckpointFile } from '../checkpoint-file.js';
import { describeBody, type BodySummary } from './body.js';

export interface Description {
  file: string;
  fileBytes: number;
  formatVersion: unknown;
  createdAt: string;
  program: { entry: string; dir: string; fingerprint: unknown };
  platform: Partial<PlatformInfo>;
  plugins: string[];
  /** Any numeric size fields of the header (`sizes`, `*Bytes`, `*Size`). */
  sizes: Record<string, number>;
  otherHeaderFields: Record<string, unknown>;
  body: BodySummary | undefined;
}

const KNOWN = new Set(['formatVersion', 'program', 'createdAt', 'platform', 'plugins', 'sizes']);

export function describeCheckpoint(checkpoint: CheckpointFile): Description {
  const { header } = checkpoint;
  const sizes: Record<string, number> = {};
  const other: Record<string, unknown> = {};
  if (isRecord(header.sizes)) {
    for (const [key, value] of Object.entries(header.sizes)) if (typeof value === 'number') sizes[key] = value;
  }
  for (const [key, value] of Object.entries(header)) {
    if (KNOWN.has(key)) continue;
    if (typeof value === 'number' && /(Bytes|Size)$/.test(key)) sizes[key] = value;
    else other[key] = value;
  }
  return {
    file: checkpoint.path,
    fileBytes: checkpoint.source.size,
    formatVersion: header.formatVersion,
    createdAt: timestamp(header.createdAt),
    program: { entry: header.program.entry, dir: header.program.dir, fingerprint: header.program.fingerprint },
    platform: isRecord(header.platform) ? (header.platform as Partial<PlatformInfo>) : {},
    plugins: pluginNames(header.plugins),
    sizes,
    otherHeaderFields: other,
    body: describeBody(checkpoint),
  };
}

function timestamp(value: unknown): string {
  const date = typeof value === 'number' || typeof value === 'string' ? new Date(value) : undefined;
  return date !== undefined && !Number.isNaN(date.getTime()) ? date.toISOString() : String(value);
}

function pluginNames(plugins: unknown): string[] {
  const list = Array.isArray(plugins) ? plugins : isRecord(plugins) ? Object.keys(plugins) : [];
  return list.map((plugin) => {
    if (typeof plugin === 'string') return plugin;
    if (isRecord(plugin) && typeof plugin.name === 'string') {
      return typeof plugin.version === 'string' || typeof plugin.version === 'number' ? `${plugin.name}@${plugin.version}` : plugin.name;
    }
    return JSON.stringify(plugin);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
