// Accounts and transfers; the ledger's journal is module state shared by every account.
import { newId } from './ids.js';

export interface Entry { id: string; from: string; to: string; amount: number }

const journal: Entry[] = [];
let rejected = 0;

export class Account {
  static count = 0;
  readonly id: string;
  constructor(readonly owner: string, public balance: number) {
    this.id = newId('acct');
    Account.count++;
  }
}

export function transfer(from: Account, to: Account, amount: number): boolean {
  if (amount <= 0 || from.balance < amount) {
    rejected++;
    return false;
  }
  from.balance -= amount;
  to.balance += amount;
  journal.push({ id: newId('tx'), from: from.owner, to: to.owner, amount });
  return true;
}

export function journalSize(): number {
  return journal.length;
}

export function rejectedCount(): number {
  return rejected;
}

export function lastEntries(n: number): Entry[] {
  return journal.slice(-n);
}
