// Ends with an error nothing catches: a queueMicrotask callback throws. Node
// prints its stack on stderr and exits 1, and the timer never fires.
// Restarted on a script engine that only logs an exception of a promise job
// (gjs) or drops it, the runtime ends it the same way (Host.uncaught).
function work(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += i % 7;
  return s;
}
console.log('start', work(5));
setTimeout(() => console.log('timer (never: the error ends the program first)'), 20);
queueMicrotask(() => {
  console.log('job', work(2));
  throw new Error('microtask boom');
});
console.log('end', work(3));
