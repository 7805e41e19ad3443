// Listeners removed while an emit runs over their event's array: one that
// removes itself, and once-listeners. Node 24 counts the emits running over
// an array in a symbol of the array and removes from a copy while one runs;
// restored without that symbol, the emit skipped the listener after.
import { EventEmitter } from 'node:events';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));
const bus = new EventEmitter();
const heard: string[] = [];
function first(n: number): void {
  heard.push(`first ${n}`);
  bus.removeListener('done', first);
}
bus.on('done', first);
bus.on('done', (n: number) => heard.push(`second ${n}`));
bus.on('step', (n: number) => heard.push(`step ${n}`));
bus.on('step', (n: number) => heard.push(`step again ${n}`));
for (let i = 0; i < 4; i++) {
  bus.emit('step', i);
  await tick();
}
bus.emit('done', 1);
bus.emit('done', 2);
console.log(heard.join(', '));
console.log('listeners', bus.listenerCount('done'), bus.listenerCount('step'));
