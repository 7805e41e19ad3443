// Help text from the command declarations in main.ts: the overview
// (`introspect`, `introspect --help`) and one page per command
// (`introspect <cmd> --help`). Pure: takes declarations, gives text.

import type { FlagSpec } from './args.js';

export interface CommandHelp {
  name: string;
  summary: string;
  usage: string;
  description: string;
  flags: readonly FlagSpec[];
  examples: readonly string[];
}

export const EXIT_CODES: readonly [number, string][] = [
  [0, 'success (run/restart: the program\'s own exit code)'],
  [1, 'build failed, an input path is missing, or the program threw (as under node)'],
  [2, 'bad command line (unknown command or option, bad value, unsupported option)'],
  [3, 'the checkpoint is missing, unreadable, corrupt or foreign, or its program is not found'],
  [4, 'the runtime could not take a checkpoint'],
  [5, 'checkpoint <pid>: no such process, or not permitted'],
];

export function overview(commands: readonly CommandHelp[], version: string): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    `introspect ${version} — checkpoint a running TypeScript/JavaScript program anywhere, restart it anywhere`,
    '',
    'Usage: introspect <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Typical session:',
    '  introspect build ./my-program --out-dir build',
    '  introspect run build/main.js --checkpoint-dir ckpts --every 30s --keep 3',
    '  introspect restart ckpts/<newest>.ckpt',
    '',
    'Exit codes:',
    ...EXIT_CODES.map(([code, meaning]) => `  ${code}  ${meaning}`),
    '',
    'Run `introspect <command> --help` for a command\'s options and examples.',
    '',
  ].join('\n');
}

export function commandPage(command: CommandHelp): string {
  const lines = [`Usage: ${command.usage}`, '', command.summary, ''];
  if (command.description) lines.push(...command.description.split('\n'), '');
  if (command.flags.length > 0) {
    const labels = command.flags.map(flagLabel);
    const width = Math.max(...labels.map((l) => l.length)) + 2;
    lines.push('Options:');
    command.flags.forEach((flag, i) => lines.push(`  ${labels[i]!.padEnd(width)}${flag.description}`));
    lines.push(`  ${'-h, --help'.padEnd(width)}show this help`, '');
  }
  if (command.examples.length > 0) lines.push('Examples:', ...command.examples.map((e) => `  ${e}`), '');
  return lines.join('\n');
}

function flagLabel(flag: FlagSpec): string {
  const name = `${flag.short ? `-${flag.short}, ` : '    '}--${flag.name}`;
  return flag.type === 'boolean' ? name : `${name} ${flag.value ?? 'VALUE'}`;
}
