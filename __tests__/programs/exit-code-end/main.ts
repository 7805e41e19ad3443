// A program that sets process.exitCode and then runs out of work: Node exits
// with that code, and so must a restart on an engine whose shell ends with 0.
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));
for (let i = 0; i < 3; i++) {
  console.log(`step ${[i].map((x) => x * 2)[0]}`);
  await tick();
}
setTimeout(() => {
  process.exitCode = 7;
  console.log('exit code set in a timer');
}, 2);
