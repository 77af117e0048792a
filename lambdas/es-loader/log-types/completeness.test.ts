import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRANSFORMS } from './index';
import { pipeline } from './testing';

/** Every built-in section has a folder with a fixture, expected documents and a test, and vice versa. */
describe('Log types: completeness', () => {
  const sections = pipeline().logTypes.map((t) => t.name).sort();
  const folders = readdirSync(__dirname, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

  it('has one folder per aws.ini section and no folder without a section', () => {
    expect(folders).toEqual(sections);
    expect(sections).toEqual(['cloudtrail', 'config', 'guardduty', 'opensearch_metrics', 's3accesslog', 'vpcflowlogs', 'waf']);
  });

  it.each(sections)('%s has a fixture, expected documents and a test', (name) => {
    const files = readdirSync(join(__dirname, name));
    expect(files.some((f) => f.startsWith('fixture'))).toBe(true);
    expect(files.some((f) => /^expected.*\.json$/.test(f))).toBe(true);
    expect(files).toContain(`${name}.test.ts`);
  });

  it('every transform named in aws.ini lives in its own folder', () => {
    for (const t of pipeline().logTypes) {
      if (t.transform) expect(existsSync(join(__dirname, t.transform, 'transform.ts'))).toBe(true);
    }
    expect([...TRANSFORMS.keys()].every((k) => sections.includes(k))).toBe(true);
  });
});
