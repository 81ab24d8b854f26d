import { readFileSync } from 'node:fs';

// A docs page that shows a file of this repository shows it as it is, so its example is one that
// `npm test` runs: the ```ts block after a link to a repository file must be that file.
const shownFiles = (page: string): { path: string; block: string }[] =>
  [...readFileSync(page, 'utf8').matchAll(/\]\(\.\.\/([\w./-]+\.ts)\)[\s\S]*?```ts\n([\s\S]*?)```/g)].map(
    (match) => ({ path: match[1]!, block: match[2]! }),
  );

describe('docs/testing.md', () => {
  it("shows the sample app's specs as they are", () => {
    const shown = shownFiles('docs/testing.md');
    expect(shown.map((file) => file.path)).toEqual([
      'sample-app/src/enrollments/enrollments.handlers.spec.ts',
      'sample-app/src/liveness/liveness-checks.spec.ts',
    ]);
    for (const { path, block } of shown) expect(block).toBe(readFileSync(path, 'utf8'));
  });
});
