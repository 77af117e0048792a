import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/Nginx/ap-northeast-1/error/2026/11/21/10/aes-siem-nginx-error-1-2026-11-21-10-05-00-5a6b7c8d-9e0f-1234-a5b6-c7d8e9f01234';

describe('Log type: nginx_error', () => {
  const p = pipeline();

  it('reads the CloudWatch Logs events of an error log (one spanning several lines) into the expected documents', async () => {
    const items = await run(p, KEY, fixture('nginx_error', 'fixture.json'));
    expect(docs(items)).toEqual(expected('nginx_error'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'nginx_error', totalRecords: 5, emitted: 5, failed: 0, skipped: 0 });
  });

  it('takes client, request, host and referrer from the message', async () => {
    const s = docs(await run(p, KEY, fixture('nginx_error', 'fixture.json'))).map((x) => x._source);
    expect(s[0]).toMatchObject({
      '@log_type': 'nginx-error',
      log: { level: 'error' },
      process: { pid: 2345, thread: { id: '2345' } },
      nginx: { error: { connection_id: '17' } },
      source: { ip: '198.51.100.23', address: '198.51.100.23' },
      related: { ip: ['198.51.100.23'] },
      http: { version: '1.1', request: { method: 'GET', referrer: 'https://www.example.com/' } },
      url: { domain: 'www.example.com', original: '/favicon.ico', path: '/favicon.ico', extension: 'ico', scheme: 'http' },
      event: { module: 'error', type: 'error' },
    });
    // host with a port: url.domain and url.port (the reference writes top-level domain/port)
    expect(s[1]).toMatchObject({ source: { ip: '2001:db8::25' }, url: { domain: 'api.example.com', port: 8443, path: '/export' } });
    expect(s[1]).not.toHaveProperty('domain');
    expect(s[2]).not.toHaveProperty('source');
    expect((s[4]!.error as { message: string }).message).toContain('attempt to index a nil value\nstack traceback:\ncoroutine 0:\n');
    expect(s[4]).toMatchObject({ source: { ip: '203.0.113.10' }, url: { domain: 'www.example.com', path: '/secure' } });
  });
});
