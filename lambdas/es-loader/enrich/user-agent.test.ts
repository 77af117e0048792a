import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docs, pipeline, run } from '../log-types/testing';
import { uapRegexesFromYaml, UAP_JSON } from './uap-regexes-gen';
import { enrichUserAgent, parseUserAgent, setUserAgentCacheMax, USER_AGENT_CACHE_MAX, userAgentCacheSize } from './user-agent';

const enriched = (original: unknown) => {
  const doc: Record<string, unknown> = { user_agent: { original } };
  enrichUserAgent(doc);
  return doc.user_agent;
};

describe('Enrichment: user agent (uap-core, as the reference)', () => {
  // Each expectation is what the reference's siem/user_agent.py produces for the agent (python ua-parser).
  it.each([
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91',
      { name: 'Edge', version: '120.0.2210', os: { name: 'Windows', version: '10', full: 'Windows 10' }, device: { name: 'Other' } },
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1',
      { name: 'Chrome Mobile iOS', version: '120.0.6099', os: { name: 'iOS', version: '17.1', full: 'iOS 17.1' }, device: { name: 'iPhone' } },
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36',
      { name: 'Chrome Mobile', version: '120.0.6099', os: { name: 'Android', version: '14', full: 'Android 14' }, device: { name: 'Samsung SM-S918B' } },
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
      { name: 'Safari', version: '17.1', os: { name: 'Mac OS X', version: '10.15.7', full: 'Mac OS X 10.15.7' }, device: { name: 'Mac' } },
    ],
    ['aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.amzn.2023', { name: 'aws-cli', version: '2.15.0', os: { name: 'Linux', version: '6.1', full: 'Linux 6.1' }, device: { name: 'Other' } }],
    [
      'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.0',
      { name: 'Boto3', version: '1.34.0', os: { name: 'Linux', full: 'Linux' }, device: { name: 'Spider' } },
    ],
    ['python-requests/2.31.0', { name: 'Python Requests', version: '2.31', os: { name: 'Other', full: 'Other' }, device: { name: 'Other' } }],
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', { name: 'Googlebot', version: '2.1', os: { name: 'Other', full: 'Other' }, device: { name: 'Spider' } }],
    // Unknown agents are "Other"; AWS itself keeps its name (CloudTrail's userAgent of service calls).
    ['sqlmap/1.7.2#stable (https://sqlmap.org)', { name: 'Other', os: { name: 'Other', full: 'Other' }, device: { name: 'Other' } }],
    ['console.ec2.amazonaws.com', { name: 'console.ec2.amazonaws.com', os: { name: 'Other', full: 'Other' }, device: { name: 'Other' } }],
    ['AWS Internal', { name: 'AWS Internal', os: { name: 'Other', full: 'Other' }, device: { name: 'Other' } }],
  ])('%s', (original, fields) => expect(enriched(original)).toEqual({ original, ...fields }));

  it('URL-decodes an agent with %20 (CloudFront logs) and keeps the decoded text as user_agent.original, as the reference', () => {
    expect(enriched('Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20Firefox/121.0')).toEqual({
      original: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/121.0',
      name: 'Firefox',
      version: '121.0',
      os: { name: 'Windows', version: '10', full: 'Windows 10' },
      device: { name: 'Other' },
    });
  });

  it('takes the first agent of a list, and leaves "-", empty and non-string agents alone', () => {
    expect(enriched(['curl/8.4.0', 'Wget/1.21.3'])).toEqual({ original: ['curl/8.4.0', 'Wget/1.21.3'], name: 'curl', version: '8.4.0', os: { name: 'Other', full: 'Other' }, device: { name: 'Other' } });
    expect(enriched('-')).toEqual({ original: '-' });
    expect(enriched('')).toEqual({ original: '' });
    expect(enriched(42)).toEqual({ original: 42 });
    const noUa: Record<string, unknown> = { source: { ip: '81.2.69.160' } };
    enrichUserAgent(noUa);
    expect(noUa).toEqual({ source: { ip: '81.2.69.160' } });
  });

  it('parses each distinct agent once and keeps a bounded number of them (10,000 by default), dropping the oldest first', () => {
    expect(USER_AGENT_CACHE_MAX).toBe(10_000);
    setUserAgentCacheMax(50);
    try {
      const first = parseUserAgent('curl/8.4.0');
      expect(parseUserAgent('curl/8.4.0')).toBe(first);
      for (let i = 0; i < 60; i++) parseUserAgent(`curl/8.${i}.0`);
      expect(userAgentCacheSize()).toBe(50);
      expect(parseUserAgent('curl/8.4.0')).not.toBe(first);
      expect(parseUserAgent('curl/8.4.0')).toEqual(first);
    } finally {
      setUserAgentCacheMax(undefined);
    }
  });

  it('follows user_agent_enrichment_field, and the loader option userAgents: false turns parsing off', async () => {
    const KEY = 'AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/11/21/123456789012_elasticloadbalancing_us-east-1_app.my-loadbalancer.50dc6c495c0c9188_20261121T1000Z_10.0.0.1_x.log.gz';
    const LINE = `${readFileSync(join(__dirname, '../log-types/alb/fixture.log'), 'utf8').split('\n')[0]}\n`;
    const on = docs(await run(pipeline(), KEY, LINE))[0]!._source.user_agent;
    expect(on).toEqual({ original: 'curl/8.4.0', name: 'curl', version: '8.4.0', os: { name: 'Other', full: 'Other' }, device: { name: 'Other' } });
    const off = docs(await run(pipeline({ userAgents: false }), KEY, LINE))[0]!._source.user_agent;
    expect(off).toEqual({ original: 'curl/8.4.0' });
    const none = docs(await run(pipeline({ userIni: '[alb]\nuser_agent_enrichment_field =\n' }), KEY, LINE))[0]!._source.user_agent;
    expect(none).toEqual({ original: 'curl/8.4.0' });
  });

  it('ships the regexes of the installed uap-core (regenerate with: npx tsx lambdas/es-loader/enrich/uap-regexes-gen.ts)', () => {
    expect(JSON.parse(readFileSync(UAP_JSON, 'utf8'))).toEqual(uapRegexesFromYaml());
  });
});
