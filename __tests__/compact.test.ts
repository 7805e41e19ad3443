// The emitted code loses its indentation but not a byte that the program can
// see (cli/build/compact.ts), and its source map still points each
// generated token at the same source position.
import { decode } from '@jridgewell/sourcemap-codec';
import { compactJavaScript, compactingWriter, shiftSourceMap } from '../cli/build/compact.js';

const program = [
  'function f(a) {',
  '    if (a) {',
  '        const t = `line one',
  '    kept indented ${a} and',
  '        this too`;',
  "        const s = 'cont\\",
  "    inued';",
  '        return t + s;',
  '    }',
  '}',
  'console.log(f(1));',
].join('\n');

test('leading spaces go, template literals and continued strings keep theirs', () => {
  const { text, removed } = compactJavaScript(program, 'main.js');
  expect(text.split('\n')).toEqual([
    'function f(a) {',
    'if (a) {',
    'const t = `line one',
    '    kept indented ${a} and',
    '        this too`;',
    "const s = 'cont\\",
    "    inued';",
    'return t + s;',
    '}',
    '}',
    'console.log(f(1));',
  ]);
  expect(removed).toEqual([0, 4, 8, 0, 0, 8, 0, 8, 4, 0, 0]);
  const run = (code: string) => new Function(`${code.replace('console.log', 'return')}`)() as string;
  expect(run(text)).toBe(run(program));
});

test('JSX text and a file without templates', () => {
  const jsx = 'const a = <p>\n    two  words\n    </p>;\n    const b = 1;';
  expect(compactJavaScript(jsx, 'x.jsx').text).toBe('const a = <p>\n    two  words\n    </p>;\nconst b = 1;');
  expect(compactJavaScript('  a();\n\t\tb();', 'x.js').text).toBe('a();\nb();');
});

test('the source map is shifted by what each line lost', () => {
  // line 0: one segment at column 4; line 1: segments at 8 and 12
  const map = JSON.stringify({ version: 3, sources: ['a.ts'], names: [], mappings: 'IAAA;QACA,IAAI' });
  const shifted = JSON.parse(shiftSourceMap(map, [4, 8])) as { mappings: string };
  expect(decode(shifted.mappings)).toEqual([[[0, 0, 0, 0]], [[0, 0, 1, 0], [4, 0, 1, 4]]]);
});

test('an inline source map is shifted in place', () => {
  const map = JSON.stringify({ version: 3, sources: ['a.ts'], names: [], mappings: 'AAAA;IACA' });
  const text = `a();\n    b();\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString('base64')}`;
  const out = compactJavaScript(text, 'a.js').text;
  const inline = /base64,(.*)$/.exec(out)![1]!;
  const back = JSON.parse(Buffer.from(inline, 'base64').toString('utf8')) as { mappings: string };
  expect(out.startsWith('a();\nb();\n//# sourceMappingURL=')).toBe(true);
  expect(decode(back.mappings)).toEqual([[[0, 0, 0, 0]], [[0, 0, 1, 0]]]);
});

test('the writer pairs a file and its map in either order', () => {
  const map = JSON.stringify({ version: 3, sources: ['a.ts'], names: [], mappings: ';IAAA' });
  for (const order of [['a.js', 'a.js.map'], ['a.js.map', 'a.js']]) {
    const written = new Map<string, string>();
    const writer = compactingWriter((name, text) => written.set(name, text));
    for (const name of order) writer.writeFile(name, name.endsWith('.map') ? map : 'x();\n    y();');
    writer.writeFile('a.d.ts', '    declare const x: 1;');
    writer.flush();
    expect(written.get('a.js')).toBe('x();\ny();');
    expect(decode((JSON.parse(written.get('a.js.map')!) as { mappings: string }).mappings)).toEqual([[], [[0, 0, 0, 0]]]);
    expect(written.get('a.d.ts')).toBe('    declare const x: 1;');
  }
});
