import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/aws.inspector2/Inspector2_Finding/ap-northeast-1/2026/11/21/siem-eventbridge-events-1-2026-11-21-10-12-15-b2c3d4e5.gz';

describe('Log type: inspector', () => {
  const p = pipeline();

  it('parses EventBridge "Inspector2 Finding" events (package, container image, network reachability, closed) into the expected documents', async () => {
    const items = await run(p, KEY, fixture('inspector', 'fixture.json'));
    expect(docs(items)).toEqual(expected('inspector'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'inspector', totalRecords: 4, emitted: 4, failed: 0 });
  });

  it('maps the vulnerability, the rule id per finding type, the instance (not for an image) and keeps the finding under inspector.*', async () => {
    const [pkg, image, reach, closed] = docs(await run(p, KEY, fixture('inspector', 'fixture.json')));
    expect(pkg._index).toBe('log-aws-inspector-2026-11');
    expect(pkg._id).toBe('arn:aws:inspector2:ap-northeast-1:123456789012:finding/0f1e2d3c4b5a69788796a5b4c3d2e1f0_Nov 21, 2026, 10:12:13 AM');
    expect(pkg._source).toMatchObject({
      '@timestamp': '2026-11-21T10:12:13.000Z',
      rule: { id: 'PACKAGE_VULNERABILITY_CVE-2026-31337', name: 'CVE-2026-31337 - libnghttp2', category: 'vulnerability' },
      vulnerability: {
        id: 'CVE-2026-31337',
        severity: 'HIGH',
        category: ['AMAZON_LINUX_2023', 'AWS_EC2_INSTANCE', 'PACKAGE_VULNERABILITY'],
        description: 'A use-after-free in the HTTP/2 stream handling of libnghttp2 lets a remote client crash the server.\n\nRemediation: Update libnghttp2 to 1.59.0 or later.',
        reference: ['https://nvd.nist.gov/vuln/detail/CVE-2026-31337', 'https://alas.aws.amazon.com/AL2023/ALAS-2026-901.html'],
        scanner: { vendor: 'inspector' },
      },
      cloud: { account: { id: '123456789012' }, region: 'ap-northeast-1', instance: { id: 'i-0a1b2c3d4e5f60718' } },
      related: { hosts: ['i-0a1b2c3d4e5f60718'], ip: ['10.0.1.25', '203.0.113.25'] },
      inspector: { status: 'ACTIVE', type: 'PACKAGE_VULNERABILITY', inspectorScore: 7.5 },
    });
    for (const k of ['detail', 'detail-type', 'severity', 'title', 'resources']) expect(pkg._source).not.toHaveProperty(k);
    expect(image._source).not.toHaveProperty('cloud.instance');
    expect(image._source).not.toHaveProperty('related');
    expect(image._source).toMatchObject({ vulnerability: { severity: 'CRITICAL', category: ['ALPINE_LINUX_3_20', 'AWS_ECR_CONTAINER_IMAGE', 'PACKAGE_VULNERABILITY'], reference: 'https://nvd.nist.gov/vuln/detail/CVE-2026-11111' } });
    expect(reach._source).toMatchObject({ rule: { id: 'NETWORK_REACHABILITY_TCP_22_22' }, vulnerability: { severity: 'MEDIUM' } });
    expect(reach._source).not.toHaveProperty('vulnerability.id');
    expect(closed._source).toMatchObject({ '@timestamp': '2026-11-21T12:05:44.000Z', inspector: { status: 'CLOSED' }, vulnerability: { severity: 'LOW', description: 'curl could leak the Proxy-Authorization header on a cross-origin redirect.' } });
  });

  it('recognises the Firehose prefix and leaves coverage events alone', () => {
    expect(p.resolveLogType(KEY)?.name).toBe('inspector');
    expect(p.resolveLogType('AWSLogs/123456789012/aws.inspector2/Inspector2_Coverage/ap-northeast-1/2026/11/21/x.gz')?.name).toBeUndefined();
  });
});
