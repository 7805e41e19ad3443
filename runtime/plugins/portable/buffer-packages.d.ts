// The `buffer` and `string_decoder` packages' files (buffer-module.ts and
// string-decoder-module.ts import them by path, so that the restart
// bundle's `buffer` → buffer-module.ts mapping does not catch them): Node's
// API, which they implement.
declare module 'buffer/index.js' {
  export { Buffer, SlowBuffer, kMaxLength } from 'node:buffer';
}
declare module 'string_decoder/lib/string_decoder.js' {
  export { StringDecoder } from 'node:string_decoder';
}
