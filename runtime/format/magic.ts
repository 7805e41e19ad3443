// The first 16 bytes of every checkpoint, whatever its version. Like PNG's:
// a non-ASCII first byte catches 7-bit transfers, CR LF catches line-ending
// conversion, 1A stops a DOS `type`, a final NUL ends C strings.

export const MAGIC = Uint8Array.from([0x89, 0x49, 0x4e, 0x54, 0x52, 0x4f, 0x53, 0x50, 0x45, 0x43, 0x54, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]);
export const VERSION_OFFSET = 16;
