// The fixed JSON document the Json benchmark parses: `records` entries of a
// made-up inventory (nested objects, arrays, numbers in several notations,
// strings with escapes), generated deterministically as pretty-printed text.

export function sampleDocument(records: number): string {
  const items: unknown[] = [];
  let seed = 42;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  for (let i = 0; i < records; i++) {
    items.push({
      id: i,
      name: `item \"${i}\"\t#${next() % 1000}`,
      price: (next() % 100000) / 100,
      ratio: next() / 2147483648,
      big: 1e21 + i,
      tags: ['red', 'green', 'blue', 'caf\u00e9', '\u2603'].slice(0, 1 + (next() % 5)),
      active: next() % 2 === 0,
      parent: i > 0 ? i - 1 : null,
      dims: { w: next() % 300, h: next() % 300, d: -(next() % 50), unit: 'mm' },
      history: Array.from({ length: 1 + (next() % 6) }, (_, k) => ({ at: 1700000000 + k * 3600, qty: next() % 40 - 20 })),
    });
  }
  return JSON.stringify({ version: 3, generated: 'bench', items }, null, 2);
}
