import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/Apache/ap-northeast-1/web-site-name=shop/error/2026/11/21/10/aes-siem-apache-error-1-2026-11-21-10-05-00-3a4b5c6d-7e8f-9012-a3b4-c5d6e7f80912';

describe('Log type: apache_error', () => {
  const p = pipeline();

  it('reads the CloudWatch Logs events of an error log into the expected documents', async () => {
    const items = await run(p, KEY, fixture('apache_error', 'fixture.json'));
    expect(docs(items)).toEqual(expected('apache_error'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'apache_error', totalRecords: 5, emitted: 5, failed: 0, skipped: 0 });
  });

  it('takes module, level, pid/tid, client (IPv6 too), code, referer and event.type from the level', async () => {
    const d = docs(await run(p, KEY, fixture('apache_error', 'fixture.json'))).map((x) => x._source);
    expect(d[0]).toMatchObject({
      '@timestamp': '2026-11-21T10:00:01.123Z',
      '@log_type': 'apache-error',
      apache: { error: { module: 'core' } },
      log: { level: 'error' },
      process: { pid: 12345, thread: { id: '140234567890' } },
      source: { ip: '198.51.100.23', port: 40022 },
      error: { code: 'AH00126', message: 'Invalid URI in request GET /../../etc/passwd HTTP/1.1' },
      event: { module: 'error', category: 'web', type: 'error' },
      url: { scheme: 'https' },
      service: { name: 'shop' },
    });
    expect(d[1]).toMatchObject({ source: { ip: '2001:db8::25', port: 51000 }, http: { request: { referrer: 'https://www.example.com/' } } });
    expect(d[2]!.event).not.toHaveProperty('type');
    expect(d[2]).toMatchObject({ log: { level: 'notice' }, apache: { error: { debug_message: 'AH00163' } } });
    expect(d[3]).toMatchObject({ event: { type: 'error' }, log: { level: 'warn' } });
    expect(d[4]).toMatchObject({ event: { type: 'info' } });
    for (const k of ['client_ip', 'log_level', 'message', 'pid']) expect(d[0]).not.toHaveProperty([k]);
  });

  it('recognises apache error keys', () => {
    expect(p.resolveLogType(KEY)?.name).toBe('apache_error');
  });
});
