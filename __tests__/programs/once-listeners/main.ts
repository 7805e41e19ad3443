// Once-listeners pending across the checkpoint, on an emitter of node:events.
// Node 24 and Bun keep `once` as a closure and Deno binds it with a bind of
// its own; the Node host puts Node 20's savable `onceWrapper.bind(state)` in
// their place, so the checkpoint can be taken there (it failed before).
import { EventEmitter } from 'node:events';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));
const bus = new EventEmitter();
const heard: string[] = [];
bus.once('go', (n: number) => heard.push(`once ${n}`));
bus.prependOnceListener('go', (n: number) => heard.push(`first ${n}`));
bus.on('go', (n: number) => heard.push(`on ${n}`));
for (let i = 0; i < 3; i++) await tick();
console.log('raw', bus.rawListeners('go').length, 'listeners', bus.listeners('go').length);
bus.emit('go', 1);
bus.emit('go', 2);
const late = (): void => void heard.push('late');
bus.once('x', late);
bus.off('x', late);
console.log('a once-listener removed by its function:', bus.emit('x') === false);
console.log(heard.join(', '), bus.listenerCount('go'));
