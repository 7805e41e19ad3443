// The `events` package's file (events-module.ts imports it by path, so the
// restart bundle's `events` → events-module.ts mapping does not catch it):
// Node's EventEmitter API, which it implements.
declare module 'events/events.js' {
  import { EventEmitter } from 'node:events';
  export default EventEmitter;
}
