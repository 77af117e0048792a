import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const FIREHOSE_KEY = 'AWSLogs/123456789012/WAF/ap-northeast-1/2026/11/22/07/aws-waf-logs-aes-siem-ap-northeast-1-1-2026-11-22-07-00-00-a1b2c3d4';

describe('Log type: waf', () => {
  const p = pipeline();

  it('turns WAF log records into the expected ECS documents', async () => {
    const items = await run(p, FIREHOSE_KEY, fixture('waf', 'fixture.json'));
    expect(docs(items)).toEqual(expected('waf'));
  });

  it('maps request fields, headers and the web ACL', async () => {
    const [blocked, allowed] = docs(await run(p, FIREHOSE_KEY, fixture('waf', 'fixture.json')));
    expect(blocked._index).toBe('log-aws-waf-2026-11');
    expect(blocked._source).toMatchObject({
      '@timestamp': '2026-11-21T10:00:00.123Z',
      event: { action: 'BLOCK', kind: 'alert', category: 'web' },
      rule: { name: 'AWS-AWSManagedRulesSQLiRuleSet', ruleset: 'aes-siem-web-acl' },
      source: { ip: '81.2.69.160' },
      http: { request: { method: 'GET', referrer: 'https://app.example.com/search' }, version: '1.1' },
      url: { path: '/products', query: 'id=10%20AND%201=1', domain: 'app.example.com' },
      user_agent: { name: 'Safari', os: { name: 'Mac OS X' } },
      cloud: { account: { id: '123456789012' }, region: 'ap-northeast-1' },
    });
    expect(allowed._source).toMatchObject({ cloud: { region: 'global' }, user_agent: { name: 'curl' }, http: { version: '2.0' } });
    // Polymorphic rule details are flat objects (excludedRules is null in one record and an array in the other).
    expect(allowed._source.ruleGroupList).toEqual({ value: expect.any(Array) });
  });

  it('copies request headers to httpRequest.header.<lower-case name, - as _>, without the Authorization header', async () => {
    const [blocked, allowed] = docs(await run(p, FIREHOSE_KEY, fixture('waf', 'fixture.json')));
    expect((blocked._source.httpRequest as Record<string, unknown>).header).toEqual({
      host: 'app.example.com',
      user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
      referer: 'https://app.example.com/search',
    });
    expect((allowed._source.httpRequest as Record<string, unknown>).header).toEqual({
      host: 'd111111abcdef8.cloudfront.net',
      user_agent: 'curl/8.4.0',
      x_forwarded_for: '198.51.100.23',
    });
    // The record's own headers list stays as logged, as in the reference (WAF's logging redaction hides it).
    expect((allowed._source.httpRequest as { headers: unknown[] }).headers).toHaveLength(4);
  });

  it.each([
    ['AWSLogs/123456789012/WAF/global/2026/11/22/07/aws-waf-logs-cf-1-2026-11-22-07-00-00-abc', 'waf'],
    ['AWSLogs/123456789012/WAFLogs/us-east-1/aes-siem-web-acl/2026/11/22/07/05/123456789012_waflogs_us-east-1_aes-siem-web-acl_20261122T0705Z_abc.log.gz', 'waf'],
    ['AWSLogs/123456789012/WAFLogs/cloudfront/aes-siem-cf-acl/2026/11/22/07/05/123456789012_waflogs_cloudfront_aes-siem-cf-acl_20261122T0705Z_abc.log.gz', 'waf'],
  ])('recognises %s', (key, type) => {
    expect(p.resolveLogType(key)?.name).toBe(type);
  });

  it('does not load Firehose error output', () => {
    const key = 'AWSLogs/123456789012/WAF/us-east-1/error/processing-failed/2026/11/22/07/x';
    expect(p.resolveLogType(key)).toBeUndefined();
    expect(p.classify(key)?.ignored).toMatch(/s3_key_ignored of \[waf\]/);
  });

  it('reads Firehose output where records follow each other without a newline', async () => {
    const [a, b] = fixture('waf', 'fixture.json').toString().trim().split('\n');
    const out = docs(await run(p, FIREHOSE_KEY, a + b));
    expect(out).toEqual(expected('waf'));
  });
});
