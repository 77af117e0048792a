/**
 * `npm ci` on any Node.js version the project accepts (package.json `engines`, the README's set-up
 * line, the CI workflows) prints no EBADENGINE warning: every package of the lock file accepts every
 * such version. The Lambda functions run on Node.js 22 whatever the development version is.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as semver from 'semver';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = path.join(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const projectEngines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version?: string; engines?: { node?: string } | string[] }> };

/** The lowest version of each alternative of a range: `^20.19.0 || >=24` -> ['20.19.0', '24.0.0']. */
const minimums = (range: string) => new semver.Range(range).set.map((alternative) => semver.minVersion(alternative.map((c) => c.value).join(' '))!.version);

describe('Node.js versions', () => {
  it('every package in package-lock.json accepts every Node.js version package.json engines allows', () => {
    expect(semver.validRange(projectEngines)).not.toBeNull();
    const refusing = Object.entries(lock.packages)
      .filter(([name, p]) => name !== '' && !Array.isArray(p.engines) && p.engines?.node && !semver.subset(projectEngines, p.engines.node))
      .map(([name, p]) => `${name.replace(/^.*node_modules\//, '')}@${p.version} wants node ${(p.engines as { node: string }).node}`);
    expect(refusing).toEqual([]);
    expect(lock.packages['']!.engines).toEqual({ node: projectEngines });
  });

  it('the installed packages (node_modules) agree with the lock file', () => {
    const refusing: string[] = [];
    for (const [name, entry] of Object.entries(lock.packages)) {
      const manifest = path.join(root, name, 'package.json');
      if (name === '' || !fs.existsSync(manifest)) continue;
      const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string; engines?: { node?: string } };
      expect(pkg.version, name).toBe(entry.version);
      if (typeof pkg.engines?.node === 'string' && !semver.subset(projectEngines, pkg.engines.node)) refusing.push(`${name}@${pkg.version}: ${pkg.engines.node}`);
    }
    expect(refusing).toEqual([]);
  });

  it('the README and the CI workflows name versions package.json engines allows', () => {
    const lows = minimums(projectEngines).map((v) => v.replace(/\.0$/, '').replace(/\.0$/, ''));
    expect(lows).toEqual(['20.19', '22.13', '24']);
    expect(read('README.md')).toContain(`Node.js ${lows[0]}+ (or ${lows[1]}+, ${lows[2]}+)`);
    for (const file of ['.github/workflows/plan.yml', '.github/workflows/deploy.yml']) {
      const wf = parse(read(file)) as { jobs: Record<string, { steps?: { uses?: string; with?: { 'node-version'?: string } }[] }> };
      const versions = Object.values(wf.jobs).flatMap((j) => j.steps ?? []).filter((s) => s.uses?.startsWith('actions/setup-node')).map((s) => s.with!['node-version']!);
      expect(versions.length, file).toBeGreaterThan(0);
      // setup-node installs the newest release of the named line.
      for (const v of versions) expect(semver.satisfies(`${v}.99.0`, projectEngines), `${file} node-version ${v}`).toBe(true);
    }
  });
});
