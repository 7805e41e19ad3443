// Ends with an error nothing catches: an async function that throws, called
// without await. Node prints its stack on stderr and exits 1, and the timer
// never fires. Restarted on a script engine that only logs such a rejection
// (gjs) or drops it, the runtime ends it the same way (Host.uncaught).
function work(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += i % 7;
  return s;
}
async function fail(): Promise<number> {
  console.log('before', work(10));
  await null;
  throw new Error('rejection boom');
}
console.log('start', work(5));
setTimeout(() => console.log('timer (never: the error ends the program first)'), 20);
void fail();
console.log('end', work(3));
