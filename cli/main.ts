// The `introspect` command line (bin/introspect.mjs imports this file).
// Declares every command — help text, options, examples — and maps parsed
// arguments to each command module's typed options. It is the only place
// that turns errors into stderr messages and exit codes (cli/errors.ts);
// commands are loaded on demand so `run`/`restart` never load TypeScript.
// During run/restart nothing here writes to stdout: the program owns it.

import { readFileSync } from 'node:fs';
import { parseArgs, type FlagSpec, type ParsedArgs } from './args.js';
import { CliError, ProgramFailure, UsageError } from './errors.js';
import { commandPage, overview, type CommandHelp } from './help.js';
import { failLikeNode } from './uncaught.js';

interface Command extends CommandHelp {
  /** How many positionals the command takes (more go to the program for `run`). */
  positionals: { min: number; max: number };
  start(args: ParsedArgs): Promise<void>;
}

const str = (args: ParsedArgs, name: string) => args.flags[name] as string | undefined;
const num = (args: ParsedArgs, name: string) => args.flags[name] as number | undefined;
const bool = (args: ParsedArgs, name: string) => args.flags[name] === true;

const RUN_FLAGS: FlagSpec[] = [
  { name: 'count-points', type: 'boolean', description: 'when the program ends, print "introspect: N suspension points" as the last stderr line' },
  { name: 'checkpoint-at', type: 'integer', value: 'K', description: 'take a checkpoint at the K-th suspension point reached (from 1)' },
  { name: 'checkpoint-file', type: 'string', value: 'F', description: 'write that checkpoint, or the program\'s own checkpoint() calls (introspect/runtime), to F (atomically: F is always whole)' },
  { name: 'exit-after-checkpoint', type: 'boolean', description: 'exit (code 0) once the checkpoint is durable, instead of continuing' },
  { name: 'checkpoint-dir', type: 'string', value: 'D', description: 'directory for periodic, signalled and requested checkpoints' },
  { name: 'every', type: 'duration', value: 'TIME', description: 'checkpoint periodically: 500ms, 30s, 5m, 1h (a bare number is seconds)' },
  { name: 'on-signal', type: 'signal', value: 'SIG', description: 'checkpoint when this signal arrives, then exit 0 (e.g. SIGTERM before preemption)' },
  { name: 'keep', type: 'integer', value: 'N', description: 'keep only the newest N checkpoints in --checkpoint-dir' },
  { name: 'quiesce-timeout', type: 'duration', value: 'TIME', description: 'how long a checkpoint waits for pending I/O promises of the platform or libraries (default 10s), then fails' },
];

/** Where and when a run (or a resumed program) checkpoints: the RUN_FLAGS that run and restart share. */
function checkpointOptions(args: ParsedArgs) {
  return {
    checkpointFile: str(args, 'checkpoint-file'),
    exitAfterCheckpoint: bool(args, 'exit-after-checkpoint'),
    checkpointDir: str(args, 'checkpoint-dir'),
    every: num(args, 'every'),
    onSignal: str(args, 'on-signal'),
    keep: num(args, 'keep'),
    quiesceTimeout: num(args, 'quiesce-timeout'),
  };
}

export const COMMANDS: readonly Command[] = [
  {
    name: 'build',
    summary: 'compile a program into checkpointable JavaScript',
    usage: 'introspect build <programDir | entry.ts | tsconfig.json> --out-dir <dir> [-p tsconfig.json]',
    description: [
      'A directory without tsconfig.json: compiles <dir>/main.ts and everything it imports (.ts and .js),',
      'as ES modules for ES2022; <outDir>/main.js is then the entry. A source file (e.g. app.ts) is built',
      'the same way with itself as the entry (<outDir>/app.js). With a tsconfig.json (in the directory,',
      'named directly, or with -p): honours it, with --out-dir overriding its outDir.',
      'Type errors are warnings; syntax errors fail the build with file:line:col.',
      'The output holds package.json (module type) and __introspect/ (the runtime); node_modules imports',
      'are left as they are, not instrumented.',
    ].join('\n'),
    flags: [
      { name: 'out-dir', short: 'o', type: 'string', value: 'DIR', description: 'where the built program goes (required)' },
      { name: 'project', short: 'p', type: 'string', value: 'TSCONFIG', description: 'build the project of this tsconfig.json' },
    ],
    examples: [
      'introspect build fixtures/nqueens --out-dir /tmp/nqueens',
      'introspect build -p tsconfig.json --out-dir build',
    ],
    positionals: { min: 0, max: 1 },
    async start(args) {
      const outDir = str(args, 'out-dir');
      const project = str(args, 'project');
      const input = args.positionals[0];
      if (outDir === undefined) throw new UsageError('--out-dir <dir> is required', 'build');
      if (input === undefined && project === undefined) throw new UsageError('name a program directory, an entry file or a tsconfig.json (or -p tsconfig.json)', 'build');
      if (input !== undefined && project !== undefined) throw new UsageError('give either a program directory/tsconfig.json or -p, not both', 'build');
      const { build } = await import('./commands/build.js');
      await build({ input, project, outDir });
    },
  },
  {
    name: 'run',
    summary: 'run a built program under the runtime',
    usage: 'introspect run <main.js> [options] [-- program arguments]',
    description: [
      'Runs the program as `node main.js` would: same argv, stdout, stderr and exit code.',
      'Introspect\'s own messages go to stderr only.',
    ].join('\n'),
    flags: RUN_FLAGS,
    examples: [
      'introspect run build/main.js --count-points',
      'introspect run build/main.js --checkpoint-at 40 --checkpoint-file /tmp/p.ckpt --exit-after-checkpoint',
      'introspect run build/main.js --checkpoint-dir ckpts --every 30s --on-signal SIGTERM --keep 3',
      'introspect run build/main.js -- --input data.txt',
    ],
    positionals: { min: 1, max: Infinity },
    async start(args) {
      const { run } = await import('./commands/run.js');
      await run({
        entry: args.positionals[0]!,
        args: [...args.positionals.slice(1), ...args.rest],
        countPoints: bool(args, 'count-points'),
        checkpointAt: num(args, 'checkpoint-at'),
        ...checkpointOptions(args),
      });
    },
  },
  {
    name: 'restart',
    summary: 'resume a program from a checkpoint file',
    usage: 'introspect restart <file.ckpt> [--program DIR] [--platform NAME [--platforms-dir DIR]] [checkpoint options]',
    description: [
      'Reads the checkpoint\'s header, loads the built program it names and resumes it where it was.',
      'The program\'s output continues on stdout/stderr; its exit code is the process\'s.',
      'The checkpoint options are run\'s: with them the resumed program checkpoints again (a long job',
      'that keeps its --checkpoint-dir and --every across restarts); without them it does not.',
    ].join('\n'),
    flags: [
      { name: 'program', type: 'string', value: 'DIR', description: 'the built program\'s directory, if not where it was when checkpointed' },
      { name: 'platform', type: 'string', value: 'NAME', description: 'restart on an installed platform (qjs, bun, deno, node20-s390x, ... see scripts/platforms.sh)' },
      { name: 'platforms-dir', type: 'string', value: 'DIR', description: 'where platforms are installed (default $INTROSPECT_PLATFORMS)' },
      ...RUN_FLAGS.filter((f) => f.name !== 'count-points' && f.name !== 'checkpoint-at'),
    ],
    examples: ['introspect restart /tmp/p.ckpt', 'introspect restart /tmp/p.ckpt --program ./build', 'introspect restart /tmp/p.ckpt --platform qjs --platforms-dir ~/platforms', 'introspect restart ckpts/latest.ckpt --checkpoint-dir ckpts --every 30s --keep 3'],
    positionals: { min: 1, max: 1 },
    async start(args) {
      const { restart } = await import('./commands/restart.js');
      await restart({
        file: args.positionals[0]!,
        program: str(args, 'program'),
        platform: str(args, 'platform'),
        platformsDir: str(args, 'platforms-dir'),
        checkpoints: checkpointOptions(args),
      });
    },
  },
  {
    name: 'inspect',
    summary: 'show what a checkpoint file holds',
    usage: 'introspect inspect <file.ckpt> [--json]',
    description: [
      'Prints, without loading the program or running anything from the file: where and when it was taken,',
      'the program, plugins, sizes; every frame, innermost first, with its function, original file:line and',
      'locals; each module\'s top-level variables; the heap by type (count, bytes). --json: all of it, every frame.',
    ].join('\n'),
    flags: [{ name: 'json', type: 'boolean', description: 'print JSON for tools instead of text' }],
    examples: ['introspect inspect /tmp/p.ckpt', 'introspect inspect /tmp/p.ckpt --json'],
    positionals: { min: 1, max: 1 },
    async start(args) {
      const { inspect } = await import('./commands/inspect.js');
      await inspect({ file: args.positionals[0]!, json: bool(args, 'json') });
    },
  },
  {
    name: 'checkpoint',
    summary: 'ask a running program to checkpoint now',
    usage: 'introspect checkpoint <pid> [--exit] [--wait] [--timeout TIME]',
    description: [
      'Asks a program started with `introspect run ... --checkpoint-dir D` to checkpoint at its next suspension',
      'point, even inside a long synchronous loop; it writes the checkpoint into D. The request goes through',
      'the program\'s request socket; a program without one gets a signal instead: SIGUSR2 (checkpoint and',
      'continue) or, with --exit, SIGURG (checkpoint and exit).',
      'With --wait, prints the checkpoint\'s path on stdout once it is durable; exit 4 if the checkpoint failed.',
    ].join('\n'),
    flags: [
      { name: 'exit', type: 'boolean', description: 'exit once the checkpoint is written (code 0; code 4 if it failed)' },
      { name: 'wait', type: 'boolean', description: 'wait until the checkpoint is durable and print its path on stdout' },
      { name: 'timeout', type: 'duration', value: 'TIME', description: 'with --wait, how long to wait for the answer (default 60s)' },
      { name: 'force', type: 'boolean', description: 'send a signal even if the process does not look like it runs under introspect' },
    ],
    examples: ['introspect checkpoint 4242', 'introspect checkpoint 4242 --exit --wait', 'introspect restart "$(introspect checkpoint 4242 --wait)"'],
    positionals: { min: 1, max: 1 },
    async start(args) {
      const raw = args.positionals[0]!;
      if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new UsageError(`not a process id: ${JSON.stringify(raw)}`, 'checkpoint');
      const { checkpoint, DEFAULT_TIMEOUT_MS } = await import('./commands/checkpoint.js');
      await checkpoint({
        pid: Number(raw),
        exit: bool(args, 'exit'),
        wait: bool(args, 'wait'),
        force: bool(args, 'force'),
        timeoutMs: num(args, 'timeout') ?? DEFAULT_TIMEOUT_MS,
      });
    },
  },
];

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Runs one command line; resolves when the command is done (for run/restart: once the program is loaded). */
export async function main(argv: readonly string[]): Promise<void> {
  const [name, ...words] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === words[0]) : undefined;
    process.stdout.write(topic ? commandPage(topic) : overview(COMMANDS, version()));
    return;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`${version()}\n`);
    return;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    throw new UsageError(`unknown command ${JSON.stringify(name)}; commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
  }
  const args = parseCommandLine(command, words);
  if (args.help) {
    process.stdout.write(commandPage(command));
    return;
  }
  const { min, max } = command.positionals;
  if (args.positionals.length < min) throw new UsageError(`missing argument: ${command.usage}`, command.name);
  if (args.positionals.length > max) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[max])}`, command.name);
  await command.start(args);
}

function parseCommandLine(command: Command, words: readonly string[]): ParsedArgs {
  try {
    return parseArgs(words, command.flags, command.name);
  } catch (error) {
    if (error instanceof UsageError && command.name === 'run' && error.message.startsWith('unknown option')) {
      throw new UsageError(error.message, 'run', ['options of the program itself go after --: introspect run main.js -- --its-option']);
    }
    throw error;
  }
}

function report(error: unknown): void {
  if (error instanceof ProgramFailure) {
    failLikeNode(error.failure);
    return;
  }
  const lines: string[] = [];
  let code = 1;
  if (error instanceof CliError) {
    code = error.exitCode;
    lines.push(`introspect: error: ${error.message}`, ...error.details.map((d) => `  ${d}`));
    if (error instanceof UsageError) {
      lines.push(error.command ? `  see: introspect ${error.command} --help` : '  see: introspect --help');
    }
  } else {
    lines.push(`introspect: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  process.stderr.write(`${lines.join('\n')}\n`);
  exitWhenFlushed(code);
}

/** Exit now (a loaded program may still hold the event loop) but without cutting stdout short. */
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  if (process.stdout.writableLength === 0) process.exit(code);
  process.stdout.once('drain', () => process.exit(code));
}

// Not awaited at top level: a program whose own top-level await never settles
// must not make this module's evaluation hang (run reports that as node does).
main(process.argv.slice(2)).catch(report);
