// Typed errors of the CLI. Commands throw these; only cli/main.ts turns them
// into a message on stderr and an exit code (the table below is the contract,
// also documented in README.md).
//
//   exit 1  BuildError       the build failed (syntax error, bad tsconfig, emit failure)
//   exit 1  InputError       a path named on the command line is missing or unreadable
//   exit 2  UsageError       the command line itself is wrong (unknown flag, bad value)
//   exit 3  CheckpointError  a checkpoint file is missing, unreadable, corrupt or foreign
//   exit 3  RestoreError     the checkpoint is fine but cannot be resumed here
//   exit 4  CaptureError     the runtime could not take a checkpoint
//   exit 5  ProcessError     `checkpoint <pid>`: no such process, or not permitted

export abstract class CliError extends Error {
  abstract readonly exitCode: number;
  /** Extra lines shown under the message (hints, diagnostics). */
  readonly details: readonly string[];
  constructor(message: string, details: readonly string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.details = details;
  }
}

export class UsageError extends CliError {
  readonly exitCode = 2;
  /** The command whose help to point at, if any. */
  readonly command: string | undefined;
  constructor(message: string, command?: string, details: readonly string[] = []) {
    super(message, details);
    this.command = command;
  }
}

export class BuildError extends CliError {
  readonly exitCode = 1;
}

export class InputError extends CliError {
  readonly exitCode = 1;
}

export class CheckpointError extends CliError {
  readonly exitCode = 3;
  /** The format module's error code, when the format reader refused the file. */
  readonly code: string | undefined;
  constructor(message: string, code?: string, details: readonly string[] = [], options?: { cause?: unknown }) {
    super(message, details, options);
    this.code = code;
  }
}

export class RestoreError extends CliError {
  readonly exitCode = 3;
}

export class CaptureError extends CliError {
  readonly exitCode = 4;
}

export class ProcessError extends CliError {
  readonly exitCode = 5;
}

/**
 * The program itself failed (uncaught error while loading it). Not a CLI
 * error: main.ts re-throws `cause` outside every handler so Node reports it
 * exactly as plain `node main.js` would (stack on stderr, exit code 1).
 */
export class ProgramFailure extends Error {
  constructor(readonly failure: unknown) {
    super('the program threw');
    this.name = 'ProgramFailure';
  }
}

/**
 * Errors thrown by the runtime inside the program come from a bundled copy of
 * the runtime (another module instance), so they are recognised by name.
 * Returns the CLI error to report instead, or undefined for a program error.
 */
export function fromRuntimeError(error: unknown): CliError | undefined {
  if (!(error instanceof Error)) return undefined;
  const raw = (error as Error & { code?: unknown }).code;
  const code = typeof raw === 'string' ? raw : undefined;
  switch (error.name) {
    case 'FormatError':
      return new CheckpointError(error.message, code, [], { cause: error });
    case 'RestoreError':
      return new RestoreError(error.message, [], { cause: error });
    case 'CaptureError':
      return new CaptureError(error.message, [], { cause: error });
    default:
      return undefined;
  }
}
