// A program that holds Node's streams in its data. On Bun, process.stdout is
// also a data property of console (`console._stdout`), which Node's console
// does not have: a checkpoint taken there named it by that path, and the
// restart on Node failed. It is named `platform:process.stdout` instead.
const out = process.stdout;
const streams = { err: process.stderr, proc: process };
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));
for (let i = 0; i < 4; i++) {
  out.write(`step ${[i].map((x) => x * 3)[0]}\n`);
  await tick();
}
console.log('same streams', out === process.stdout, streams.err === process.stderr, streams.proc === process);
