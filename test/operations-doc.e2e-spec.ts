import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaceDeliveryOutcome } from 'nestjs-face-webhooks';
import { REFUSAL_WORDS } from '../libs/face-webhooks/src/console/refusal-words.js';

// docs/operations.md is what operators build dashboards and alerts from: every name the library
// reports must be in its tables, or a new metric, span, attribute, outcome or reason goes unseen.
const page = readFileSync('docs/operations.md', 'utf8');
const section = (heading: string): string => {
  const start = page.indexOf(`\n### ${heading}\n`);
  expect(start).toBeGreaterThan(-1);
  const end = page.indexOf('\n#', start + 1);
  return page.slice(start, end === -1 ? undefined : end);
};
/** The first column of a markdown table's rows, without its backquotes. */
const firstColumn = (text: string): string[] =>
  [...text.matchAll(/^\| `([^`]+)` +\|/gm)].map((match) => match[1]!);

/** The library's non-test sources, as text. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [readFileSync(path, 'utf8')] : [];
  });
}
const library = sources('libs/face-webhooks/src');
const matches = (pattern: RegExp) => [
  ...new Set(library.flatMap((text) => [...text.matchAll(pattern)].map((m) => m[1]!))),
];

// Keyed by the type, so a new outcome does not compile here until it is listed (and documented).
const OUTCOMES: Record<FaceDeliveryOutcome, true> = {
  accepted: true,
  duplicate: true,
  queued: true,
  rejected: true,
  failed: true,
  'retry-later': true,
};

describe('docs/operations.md', () => {
  it('names every metric, span and attribute the library reports', () => {
    const names = matches(/'(face_webhooks\.[a-z_.]+)'/g);
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => !page.includes(`\`${name}\``))).toEqual([]);
  });

  it('lists every metric in the metrics table, with its Prometheus name', () => {
    const metrics = matches(/(?:createCounter|createHistogram|observe)\(\s*'(face_webhooks\.[a-z_.]+)'/g);
    expect(metrics).toEqual(expect.arrayContaining(['face_webhooks.deliveries', 'face_webhooks.queue.jobs']));
    const rows = section('Metrics').split('\n');
    expect(firstColumn(section('Metrics')).sort()).toEqual([...metrics].sort());
    for (const metric of metrics) {
      const row = rows.find((line) => line.startsWith(`| \`${metric}\` `))!;
      expect(row).toContain(`\`${metric.replaceAll('.', '_')}`);
    }
  });

  it('lists every span', () => {
    const spans = matches(/(?:startSpan|startActiveSpan|inSpan)\(\s*'(face_webhooks\.[a-z_.]+)'/g);
    expect(spans.length).toBe(3);
    expect(firstColumn(section('Spans')).sort()).toEqual([...spans].sort());
  });

  it('lists every outcome and every refusal reason', () => {
    expect(firstColumn(section('Outcomes')).sort()).toEqual(Object.keys(OUTCOMES).sort());
    expect(firstColumn(section('Refusal reasons')).sort()).toEqual(Object.keys(REFUSAL_WORDS).sort());
  });
});
