// Formatting, with a running line counter as module state.
import type { Account, Entry } from './ledger.js';

let lineNo = 0;

export function line(text: string): void {
  lineNo++;
  console.log(`${String(lineNo).padStart(3, '0')} ${text}`);
}

export function balances(accounts: Account[]): string {
  let total = 0;
  const parts: string[] = [];
  for (const a of accounts) {
    total += a.balance;
    parts.push(`${a.owner}=${a.balance}`);
  }
  return `${parts.join(', ')} (total ${total})`;
}

export function entry(e: Entry): string {
  return `${e.id}: ${e.from} -> ${e.to} ${e.amount}`;
}
