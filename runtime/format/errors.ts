// The one way the container fails. Takes nothing; guarantees every refusal
// carries a stable `code` (for the CLI's exit codes and for tests) and a
// message that says what is wrong, where (byte offset or section), and what
// to do about it.

export type FormatErrorCode =
  | 'not-a-checkpoint'
  | 'truncated'
  | 'corrupted'
  | 'unsupported-version'
  | 'signature'
  | 'invalid-argument';

export class FormatError extends Error {
  override name = 'FormatError';
  readonly code: FormatErrorCode;
  /** Byte offset the problem was found at, when there is one. */
  readonly offset: number | undefined;

  constructor(code: FormatErrorCode, message: string, offset?: number) {
    super(message);
    this.code = code;
    this.offset = offset;
  }
}
