import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { documentationPages } from './support/doc-pages.js';

// Every TypeScript example of the documentation compiles against the built package, as a reader's
// app would import it (`nestjs-face-webhooks` resolved through node_modules to its dist/, not to the
// sources). Each ```ts block is one module. A page may declare context the reader already has in an
// HTML comment (`<!-- example-context` ... `-->`): it is prepended to every later block of that page.
const root = process.cwd();
const pages = documentationPages({ generated: false });

interface Example {
  page: string;
  /** Line of the page where the block's code starts (1-based). */
  line: number;
  /** Lines of hidden context before the block's code in the compiled file. */
  offset: number;
  file: string;
  source: string;
}

const examplesOf = (page: string, index: { next: number }): Example[] => {
  const lines = readFileSync(page, 'utf8').split('\n');
  const examples: Example[] = [];
  let context: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '<!-- example-context') {
      const end = lines.indexOf('-->', i);
      if (end === -1) throw new Error(`${page}:${i + 1}: example-context is not closed by a line "-->"`);
      context = lines.slice(i + 1, end);
      i = end;
    } else if (/^\s*```(ts|typescript)\s*$/.test(line)) {
      const indent = /^\s*/.exec(line)![0].length;
      const end = lines.findIndex((candidate, at) => at > i && /^\s*```\s*$/.test(candidate));
      if (end === -1) throw new Error(`${page}:${i + 1}: code block is not closed`);
      const code = lines.slice(i + 1, end).map((codeLine) => codeLine.slice(indent));
      // A block whose first line names its file (`// src/app.module.ts`) is written there, in the
      // page's own folder, so the page's other blocks can import it; others get a name of their own.
      // The paragraph before the block may name it instead: "`src/main.ts` starts the app:".
      let start = i - 1;
      while (start > 0 && lines[start]!.trim() === '') start--;
      while (start > 0 && lines[start - 1]!.trim() !== '') start--;
      const named =
        /^\/\/ ((?:[\w.-]+\/)*[\w.-]+\.ts)\s*$/.exec(code[0] ?? '')?.[1] ??
        /^`((?:[\w.-]+\/)*[\w.-]+\.ts)`/.exec(lines[start] ?? '')?.[1];
      // A block shown as a file of this repository (the paragraph before links it, and the block
      // is that file, byte for byte) is that file: `npm run lint` type-checks it where it lives,
      // with its neighbours, and `npm test` runs it.
      const paragraph = lines.slice(start, i).join('\n');
      const shown = [...paragraph.matchAll(/\]\(([\w./-]+\.ts)\)/g)].map((link) =>
        join(dirname(page), link[1]!),
      );
      if (shown.some((file) => existsSync(file) && readFileSync(file, 'utf8') === code.join('\n') + '\n')) {
        i = end;
        continue;
      }
      const folder = page.replace(/[^\w]+/g, '_');
      const name = `${folder}/${named ?? `example_${(index.next++).toString().padStart(3, '0')}.ts`}`;
      // `export {}` keeps a block without imports a module.
      const source = [...context, ...code, 'export {};', ''].join('\n');
      examples.push({ page, line: i + 2, offset: context.length, file: name, source });
      i = end;
    }
  }
  return examples;
};

describe('documentation examples', () => {
  const index = { next: 0 };
  const all = pages.flatMap((page) => examplesOf(page, index));
  let errors: string[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(join(root, '.doc-examples-'));
    try {
      for (const example of all) {
        mkdirSync(dirname(join(dir, example.file)), { recursive: true });
        writeFileSync(join(dir, example.file), example.source);
      }
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          extends: relative(dir, join(root, 'tsconfig.base.json')),
          compilerOptions: { noEmit: true, types: ['node', 'jest'], declaration: false, sourceMap: false },
          include: ['**/*.ts'],
        }),
      );
      // In-process, so a syntax error in one block does not hide the type errors of the others
      // (tsc stops at syntax errors).
      const config = ts.getParsedCommandLineOfConfigFile(
        join(dir, 'tsconfig.json'),
        {},
        {
          ...ts.sys,
          onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
            throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
          },
        },
      )!;
      const program = ts.createProgram(config.fileNames, config.options);
      // Each error at the page and line the reader sees.
      errors = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
        const message = `error TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
        const file = diagnostic.file && relative(dir, diagnostic.file.fileName).split('\\').join('/');
        const example = all.find((candidate) => candidate.file === file);
        if (!example || diagnostic.start === undefined) return `${file ?? ''}: ${message}`;
        const { line, character } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start);
        const at = line + 1 - example.offset;
        return at < 1
          ? `${example.page}: example-context before line ${example.line}: ${message}`
          : `${example.page}:${example.line + at - 1}:${character + 1}: ${message}`;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('finds the examples of the README and docs/', () => {
    expect(all.filter((example) => example.page === 'README.md').length).toBeGreaterThan(0);
    expect(new Set(all.map((example) => example.page)).size).toBeGreaterThan(5);
  });

  it.each(pages)('every TypeScript block of %s compiles against the built package', (page) => {
    const unattributed = errors.filter((error) => !pages.some((known) => error.startsWith(`${known}:`)));
    expect(unattributed).toEqual([]);
    expect(errors.filter((error) => error.startsWith(`${page}:`))).toEqual([]);
  });
});
