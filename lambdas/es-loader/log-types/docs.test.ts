import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipeline } from './testing';

const DOC = join(__dirname, '../../../docs/log-types.md');

/** docs/log-types.md describes exactly the built-in log types, each with its index. */
describe('Log types: docs/log-types.md', () => {
  const text = readFileSync(DOC, 'utf8');
  const types = pipeline().logTypes;
  const sections = [...text.matchAll(/^### (\S+)$/gm)].map((m) => m[1]);

  it('has one section per aws.ini section and none for a type that does not exist', () => {
    const names = types.map((t) => t.name);
    expect(names.filter((n) => !sections.includes(n)).map((n) => `[${n}] has no "### ${n}" section in docs/log-types.md`)).toEqual([]);
    expect(sections.filter((s) => !names.includes(s)).map((s) => `docs/log-types.md describes "${s}", which is not an aws.ini section`)).toEqual([]);
  });

  it.each(types.map((t) => [t.name, t.indexName]))('the summary row of %s names its index %s', (name, index) => {
    const row = text.split('\n').find((l) => l.startsWith(`| ${name} |`));
    expect(row, `no summary row for ${name}`).toBeDefined();
    expect(row).toContain(`\`${index}\``);
  });
});
