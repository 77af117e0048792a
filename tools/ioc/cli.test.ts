import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IocDatabase } from '../../lambdas/shared/ioc/database';
import { FEODO_JSON, OTX_PULSE, STIX_BUNDLE, TOR_EXIT_ADDRESSES } from '../../lambdas/ioc-downloader/test-fixtures';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'tools/ioc/cli.ts');
const dir = mkdtempSync(join(tmpdir(), 'ioc-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

function ioc(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run ioc -- build', () => {
  it('builds the database from every kind of source, printing counts and skipped lines', () => {
    const out = join(dir, 'ioc.siemdb');
    const tor = file('exit-addresses', TOR_EXIT_ADDRESSES);
    const feodo = file('ipblocklist.json', FEODO_JSON);
    const otx = file('pulse.json', JSON.stringify(OTX_PULSE));
    const txt = file('mine.txt', '# ours\n203.0.113.99\nbad..domain\nphish.example.net\n');
    const stix = file('cert.json', JSON.stringify(STIX_BUNDLE));
    const r = ioc('build', '--tor', tor, '--feodo', feodo, '--otx', otx, '--custom', txt, '--custom', stix, '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines.slice(0, -1)).toEqual([
      `tor (${tor}): 2 IPv4, 0 IPv6, 0 domains; 1 skipped`,
      '  skipped line 10: not an IPv4/IPv6 address or CIDR: "999.1.1.1"',
      `feodo (${feodo}): 2 IPv4, 0 IPv6, 0 domains; 2 skipped`,
      '  skipped entry 3: not an IPv4/IPv6 address or CIDR: "not-an-ip"',
      '  skipped entry 4: no "ip_address" string',
      `otx (${otx}): 2 IPv4, 1 IPv6, 2 domains; 1 skipped, 2 of other types ignored`,
      '  skipped pulse "Emotet C2 November" indicator 8: not an IPv4/IPv6 address or CIDR: "203.0.113.500"',
      `custom (${txt}): 1 IPv4, 0 IPv6, 1 domains; 1 skipped`,
      '  skipped line 3: invalid domain label "": "bad..domain"',
      `custom (${stix}): 2 IPv4, 1 IPv6, 1 domains; 1 skipped, 1 of other types ignored`,
      '  skipped object 6 (indicator--e): not an IPv4/IPv6 address or CIDR: "192.0.2.300"',
    ]);
    const bytes = readFileSync(out);
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(lines.at(-1)).toMatch(new RegExp(`^wrote ${out.replace(/[.]/g, '\\.')}: [\\d,]+ bytes, 9 IPv4 ranges, 2 IPv6 ranges, 4 domains; sha256 ${sha}$`));
    expect(readFileSync(`${out}.sha256`, 'utf8')).toBe(`${sha}  ioc.siemdb\n`);
    const db = IocDatabase.fromBuffer(bytes);
    expect(db.matchIp('203.0.113.99')).toEqual([{ provider: 'custom', type: 'ipv4-addr', name: 'mine.txt' }]);
    expect(db.matchDomain('login.phish.example.net')[0]?.matches).toEqual([{ provider: 'custom', type: 'domain-name', name: 'mine.txt' }]);
  });

  it('exits 2 with one line per unreadable source when no source could be read', () => {
    const html = file('tor.html', '<html>503 Service Unavailable</html>\n');
    const out = join(dir, 'none.siemdb');
    const r = ioc('build', '--tor', html, '--feodo', join(dir, 'missing.json'), '--out', out);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      [
        `ioc build: tor (${html}): no valid indicator (1 skipped; first at line 1: not an exit-list line: "<html>503 Service Unavailable</html>")`,
        `ioc build: ${join(dir, 'missing.json')}: cannot read (ENOENT)`,
        'ioc build: no source could be read; nothing written',
        '',
      ].join('\n'),
    );
    expect(() => readFileSync(out)).toThrow();
  });

  it('exits 1 when one source fails but still writes the others; never a stack trace', () => {
    const out = join(dir, 'partial.siemdb');
    const badJson = file('broken-pulse.json', '{"name": "x", "indicators": [');
    const r = ioc('build', '--tor', file('tor2', '185.112.146.73\n'), '--otx', badJson, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^ioc build: otx \\(${badJson.replace(/[.]/g, '\\.')}\\): not valid JSON \\([^\\n]*\\)\\n$`));
    expect(IocDatabase.fromBuffer(readFileSync(out)).matchIp('185.112.146.73')).toHaveLength(1);
  });

  it('refuses a build without --out or without any source', () => {
    expect(ioc('build', '--tor', 'x')).toMatchObject({ code: 1, err: "error: required option '--out <file>' not specified\n" });
    expect(ioc('build', '--out', join(dir, 'x.siemdb'))).toMatchObject({ code: 1, err: 'ioc build: no source given; pass at least one of --tor, --feodo, --otx, --custom\n' });
  });
});
