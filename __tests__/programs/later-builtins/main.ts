// Built-ins Node 22 has and Node 20 lacks (Object.groupBy, Map.groupBy, the
// Set methods, Promise.withResolvers), used before and after points where
// checkpoints land: a checkpoint taken on Node 22 restarted on Node 20 gets
// them from the runtime (runtime/later-builtins.ts), because the program had
// them where it started (platforms.test.ts).

interface Order {
  id: number;
  customer: string;
  total: number;
}

function weight(x: number): number {
  let s = 0;
  for (let i = 0; i < 30; i++) s = (s * 31 + x * i) % 1000003;
  return s;
}

const { promise, resolve } = (Promise as any).withResolvers() as { promise: Promise<string>; resolve: (v: string) => void };
const done = promise.then((v) => console.log('resolved', v));

const orders: Order[] = [];
for (let i = 0; i < 12; i++) {
  orders.push({ id: i + 1, customer: ['ada', 'bob', 'cy'][weight(i) % 3]!, total: weight(i + 7) % 500 });
  console.log('order', i + 1, orders[i]!.customer, orders[i]!.total);
}

const byCustomer = (Object as any).groupBy(orders, (o: Order) => o.customer) as Record<string, Order[]>;
for (const name of Object.keys(byCustomer).sort()) console.log('customer', name, byCustomer[name]!.map((o) => o.id).join(','));
const bySize = (Map as any).groupBy(orders, (o: Order) => (o.total > 250 ? 'big' : 'small')) as Map<string, Order[]>;
for (const [size, list] of bySize) console.log('size', size, list.length, weight(list.length));

const evens = new Set(orders.filter((o) => o.total % 2 === 0).map((o) => o.id));
const small = new Set(bySize.get('small')?.map((o) => o.id) ?? []);
const s = evens as any;
for (const op of ['union', 'intersection', 'difference', 'symmetricDifference']) {
  console.log(op, [...(s[op](small) as Set<number>)].sort((a, b) => a - b).join(','), weight(op.length));
}
console.log('subset', s.isSubsetOf(new Set(orders.map((o) => o.id))), 'superset', s.isSupersetOf(small), 'disjoint', s.isDisjointFrom(new Set([100])));

const late = (Promise as any).withResolvers() as { promise: Promise<number>; resolve: (v: number) => void };
late.promise.then((n) => console.log('late', n));
late.resolve(weight(3));
resolve(`after ${orders.length} orders`);
await done;
console.log('typeof', typeof (Object as any).groupBy, typeof (Set.prototype as any).union, typeof (Promise as any).withResolvers);
