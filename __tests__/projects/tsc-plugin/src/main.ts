// A small bank simulation across four modules: accounts are created, a
// seeded generator picks transfers, every few rounds the balances and the
// last journal entries are reported.
import { issuedSummary } from './ids.js';
import { Account, journalSize, lastEntries, rejectedCount, transfer } from './ledger.js';
import { balances, entry, line } from './report.js';

let seed = 12345;
function random(n: number): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return (seed >>> 16) % n;
}

const accounts = ['ada', 'bob', 'cyd', 'dee'].map((owner, i) => new Account(owner, 100 + 25 * i));
line(`opened ${Account.count} accounts: ${balances(accounts)}`);

for (let round = 1; round <= 12; round++) {
  const from = accounts[random(accounts.length)]!;
  const to = accounts[random(accounts.length)]!;
  const amount = random(90) - 10;
  const ok = from !== to && transfer(from, to, amount);
  line(`round ${round}: ${from.owner} -> ${to.owner} ${amount} ${ok ? 'done' : 'rejected'}`);
  if (round % 4 === 0) {
    line(`balances: ${balances(accounts)}`);
    for (const e of lastEntries(2)) line(`  ${entry(e)}`);
  }
}
line(`journal ${journalSize()}, rejected ${rejectedCount()}, ids ${issuedSummary()}`);
