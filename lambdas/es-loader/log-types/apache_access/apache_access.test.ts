import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/Apache/ap-northeast-1/web-site-name=shop/access/2026/11/21/10/aes-siem-apache-access-1-2026-11-21-10-05-00-2a3b4c5d-6e7f-8091-a2b3-c4d5e6f70819';

/** One CloudWatch Logs subscription message holding `lines` (the format Firehose writes). */
export function cwl(logGroup: string, lines: string[]): string {
  const logEvents = lines.map((message, i) => ({ id: String(1000 + i), timestamp: 1795255201000 + i, message }));
  return JSON.stringify({ messageType: 'DATA_MESSAGE', owner: '123456789012', logGroup, logStream: 'i-0123456789abcdef0', subscriptionFilters: ['f'], logEvents });
}

describe('Log type: apache_access', () => {
  const p = pipeline();

  it('reads the CloudWatch Logs events of an access log into the expected documents', async () => {
    const items = await run(p, KEY, fixture('apache_access', 'fixture.json'));
    expect(docs(items)).toEqual(expected('apache_access'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'apache_access', totalRecords: 6, emitted: 6, failed: 0, skipped: 0 });
  });

  it('splits the request into http.* and url.*, takes X-Forwarded-For, the outcome, instance and site', async () => {
    const d = docs(await run(p, KEY, fixture('apache_access', 'fixture.json'))).map((x) => x._source);
    expect(d[0]).toMatchObject({
      '@log_type': 'apache-access',
      http: { request: { method: 'GET' }, response: { status_code: 200 }, version: '1.1' },
      url: { original: '/index.html', path: '/index.html', extension: 'html', scheme: 'http' },
      source: { ip: '203.0.113.10', address: '203.0.113.10' },
      event: { category: 'web', type: 'access', module: 'access', outcome: 'success' },
      cloud: { instance: { id: 'i-0123456789abcdef0' } },
      related: { hosts: ['i-0123456789abcdef0'] },
      service: { name: 'shop' },
      user_agent: { name: 'Chrome' },
    });
    expect(d[1]).toMatchObject({ user: { id: 'admin', name: 'admin' }, event: { outcome: 'failure' }, url: { path: '/wp-login.php', query: 'action=login' }, http: { request: { referrer: 'https://www.example.com/wp-login.php' } } });
    // IPv6 client, %-encoded path decoded in url.path only, no body bytes ("-")
    expect(d[2]).toMatchObject({ source: { ip: '2001:db8:85a3::8a2e:370:7334' }, url: { original: '/images/logo%20large.png', path: '/images/logo large.png', extension: 'png' } });
    expect(d[2]!.http).not.toHaveProperty('response.body');
    expect(d[3]).toMatchObject({
      source: { ip: '10.0.1.20' },
      http: { request: { bytes: 512, header: { x_forwarded_for: ['192.0.2.44', '10.0.0.12'] } }, response: { bytes: 845 } },
      related: { ip: ['10.0.0.12', '10.0.1.20', '192.0.2.44'] },
    });
    // a request line that is not HTTP: url.original only
    expect(d[4]!.url).toEqual({ original: String.raw`\x16\x03\x01\x00\xa5\x01`, scheme: 'http' });
    expect(d[5]).toMatchObject({ '@timestamp': '2026-11-21T10:00:06.000Z', url: { original: 'proxy.example.com:443', domain: 'proxy.example.com', port: 443 } });
    for (const k of ['remotehost', 'request_path', 'useragent', 'xff', 'datetime']) expect(d[3]).not.toHaveProperty([k]);
  });

  it('a line that is not an access log line is a record error naming key and record; the others are kept', async () => {
    const items = await run(p, KEY, cwl('/var/log/httpd/access_log', ['not an access log line', '203.0.113.10 - - [21/Nov/2026:10:00:01 +0000] "GET / HTTP/1.1" 200 5 "-" "-"']));
    expect(docs(items)).toHaveLength(1);
    expect(items.find((i) => i.kind === 'record-error')).toMatchObject({ record: 0, reason: `${KEY}: record 0 (line 1): does not match the log_pattern of [apache_access]`, raw: 'not an access log line' });
  });

  it('recognises apache access keys, an ssl log group gives https', async () => {
    expect(p.resolveLogType(KEY)?.name).toBe('apache_access');
    expect(p.resolveLogType('AWSLogs/123456789012/apache/httpd-access/x.gz')?.name).toBe('apache_access');
    const [d] = docs(await run(p, KEY, cwl('/var/log/httpd/ssl_access_log', ['203.0.113.10 - - [21/Nov/2026:10:00:01 +0000] "GET / HTTP/1.1" 200 5 "-" "-"'])));
    expect(d!._source.url).toMatchObject({ scheme: 'https' });
  });
});
