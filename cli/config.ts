// The run configuration the CLI hands to the runtime: RunConfig (runtime/host.ts)
// plus the periodic/signal/rotation settings of `introspect run` that the
// runtime will honour later. Extra fields are optional, so a runtime that does
// not know them yet simply ignores them.

import type { RunConfig } from '../runtime/host.js';

export interface CliRunConfig extends RunConfig {
  /** Checkpoint every this many milliseconds (`--every 30s`). */
  every?: number;
  /** Checkpoint when this signal arrives, then exit (`--on-signal SIGTERM`). */
  onSignal?: string;
  /** Where periodic/signal/requested checkpoints are written (`--checkpoint-dir`). */
  checkpointDir?: string;
  /** Keep only the newest N checkpoints in checkpointDir (`--keep N`). */
  keep?: number;
}
