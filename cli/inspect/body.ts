// The plug-in point for `introspect inspect`'s body summary: every stack and
// task with original file:line, locals, heap summary by type and size.
// Takes the checkpoint (bytes + decoded header); gives sections of text lines
// plus JSON data for --json, or undefined when this build cannot decode the
// body. Replace the implementation here when the body reader exists; the
// rest of inspect does not change.

import type { CheckpointFile } from '../checkpoint-file.js';

export interface BodySection {
  title: string;
  lines: string[];
}

export interface BodySummary {
  sections: BodySection[];
  /** What --json prints under "body". */
  data: unknown;
}

export function describeBody(_checkpoint: CheckpointFile): BodySummary | undefined {
  return undefined;
}
