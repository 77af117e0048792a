import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRANSFORMS } from './index';
import { REGISTRY_COMMAND, REGISTRY_FILE, registrySource, transformFolders } from './registry-gen';
import { pipeline } from './testing';

/**
 * Every built-in section has a folder with a fixture, expected documents and a test, and vice versa;
 * every folder's transform.ts is registered. Nothing here lists the log types: adding one is adding its
 * folder (and its aws.ini section).
 */
describe('Log types: completeness', () => {
  const sections = pipeline().logTypes.map((t) => t.name).sort();
  const folders = readdirSync(__dirname, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

  it('has one folder per aws.ini section and no folder without a section', () => {
    expect(folders.filter((f) => !sections.includes(f)).map((f) => `log-types/${f} has no [${f}] section in aws.ini`)).toEqual([]);
    expect(sections.filter((s) => !folders.includes(s)).map((s) => `[${s}] of aws.ini has no folder log-types/${s}`)).toEqual([]);
  });

  it.each(sections)('%s has a fixture, expected documents and a test', (name) => {
    const files = readdirSync(join(__dirname, name));
    expect(files.some((f) => f.startsWith('fixture'))).toBe(true);
    expect(files.some((f) => /^expected.*\.json$/.test(f))).toBe(true);
    expect(files).toContain(`${name}.test.ts`);
  });

  it(`registers the transform.ts of every folder (${REGISTRY_FILE} is generated from the folders)`, () => {
    const registered = [...TRANSFORMS.keys()].sort();
    const missing = transformFolders(__dirname).filter((f) => !registered.includes(f)).map((f) => `log-types/${f}/transform.ts is not registered: run ${REGISTRY_COMMAND}`);
    const stale = registered.filter((r) => !transformFolders(__dirname).includes(r)).map((r) => `${REGISTRY_FILE} registers "${r}", which has no log-types/${r}/transform.ts: run ${REGISTRY_COMMAND}`);
    expect([...missing, ...stale]).toEqual([]);
    expect(readFileSync(join(__dirname, REGISTRY_FILE), 'utf8'), `${REGISTRY_FILE} is not what ${REGISTRY_COMMAND} writes: run it`).toBe(registrySource(__dirname));
  });

  it('every transform named in aws.ini lives in its own folder', () => {
    for (const t of pipeline().logTypes) {
      if (t.transform) expect(existsSync(join(__dirname, t.transform, 'transform.ts'))).toBe(true);
    }
  });
});
