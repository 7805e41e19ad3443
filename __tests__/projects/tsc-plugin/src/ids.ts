// Module-level state: the next id to hand out, and how many were handed out per prefix.
let next = 100;
const issued = new Map<string, number>();

export function newId(prefix: string): string {
  issued.set(prefix, (issued.get(prefix) ?? 0) + 1);
  return `${prefix}-${next++}`;
}

export function issuedSummary(): string {
  return [...issued].map(([prefix, n]) => `${prefix}:${n}`).join(' ');
}
