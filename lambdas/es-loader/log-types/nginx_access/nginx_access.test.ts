import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/Nginx/ap-northeast-1/access/2026/11/21/10/aes-siem-nginx-access-1-2026-11-21-10-05-00-4a5b6c7d-8e9f-0123-a4b5-c6d7e8f90123';

describe('Log type: nginx_access', () => {
  const p = pipeline();

  it('reads the CloudWatch Logs events of an access log into the expected documents', async () => {
    const items = await run(p, KEY, fixture('nginx_access', 'fixture.json'));
    expect(docs(items)).toEqual(expected('nginx_access'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'nginx_access', totalRecords: 5, emitted: 5, failed: 0, skipped: 0 });
  });

  it('takes the user, X-Forwarded-For (last field), an absolute URL and its fragment', async () => {
    const d = docs(await run(p, KEY, fixture('nginx_access', 'fixture.json')));
    expect(d[0]!._index).toBe('log-web-nginx-2026-11');
    const s = d.map((x) => x._source);
    expect(s[1]).toMatchObject({
      '@log_type': 'nginx-access',
      user: { id: 'bob', name: 'bob' },
      event: { outcome: 'failure' },
      http: { request: { header: { x_forwarded_for: ['192.0.2.44', '10.0.0.12'] } } },
      related: { ip: ['10.0.0.12', '192.0.2.44', '198.51.100.23'] },
    });
    expect(s[2]).toMatchObject({ source: { ip: '2001:db8:85a3::8a2e:370:7334' }, event: { outcome: 'success' }, http: { version: '2.0', request: { method: 'POST' } } });
    expect(s[3]).not.toHaveProperty('user_agent');
    expect(s[4]!.url).toEqual({ original: 'http://www.example.com:8080/static/app.js?v=3#top', domain: 'www.example.com', port: 8080, fragment: 'top', path: '/static/app.js', query: 'v=3', extension: 'js', scheme: 'http' });
  });
});
