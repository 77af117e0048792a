/** Shared by the benchmarks: medians, and each benchmark's own section of docs/benchmarks.md. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const BENCHMARKS_DOC = path.join(__dirname, '..', 'docs', 'benchmarks.md');

/** The median (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The markers around benchmark `name`'s section. */
export const sectionMarkers = (name: string) => ({ start: `<!-- bench:${name}:start -->`, end: `<!-- bench:${name}:end -->` });

/**
 * Replaces benchmark `name`'s section of docs/benchmarks.md with `section` (which carries the markers),
 * or appends it; the other benchmarks' sections are left as they are.
 */
export function writeSection(name: string, section: string): string {
  const { start, end } = sectionMarkers(name);
  const doc = fs.readFileSync(BENCHMARKS_DOC, 'utf8');
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  const next = from >= 0 && to > from ? doc.slice(0, from) + section + doc.slice(to + end.length) : `${doc.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(BENCHMARKS_DOC, next);
  return BENCHMARKS_DOC;
}
