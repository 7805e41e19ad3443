// `introspect inspect <file.ckpt> [--json]`: prints what a checkpoint holds
// to stdout without loading its program: the header (program, creation
// time, source platform, plugins), sizes, and the body that
// cli/inspect/body.ts decodes (frames innermost first with file:line and
// locals, module state, heap by type). Throws CheckpointError (exit 3) when
// the file is missing or the format reader refuses its header or body.

import { readCheckpointFile } from '../checkpoint-file.js';
import { describeCheckpoint } from '../inspect/describe.js';
import { renderJson, renderText } from '../inspect/render.js';

export interface InspectOptions {
  file: string;
  json: boolean;
  /** Where the report goes (stdout by default). */
  print?: (text: string) => void;
}

export async function inspect(options: InspectOptions): Promise<void> {
  const print = options.print ?? ((text: string) => void process.stdout.write(text));
  const description = describeCheckpoint(await readCheckpointFile(options.file));
  print(options.json ? renderJson(description) : renderText(description));
}
