// A program for the exit-after-checkpoint output test (__tests__/requests.test.ts):
// prints 20,000 lines (2 MB, far more than a pipe holds), asks for a
// checkpoint, and prints 20,000 more after it.

const line = 'x'.repeat(100);
for (let i = 0; i < 20000; i++) console.log(`${i} ${line}`);
(globalThis as Record<symbol, { request(): void } | undefined>)[Symbol.for('introspect.runtime')]?.request();
await new Promise((resolve) => setTimeout(resolve, 5));
for (let i = 20000; i < 40000; i++) console.log(`${i} ${line}`);
