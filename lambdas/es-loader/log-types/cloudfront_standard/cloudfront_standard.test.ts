import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';
import { unquote } from './transform';

const KEY = 'cloudfront-logs/E2EXAMPLE12345.2026-11-21-10.a1b2c3d4.gz';

describe('Log type: cloudfront_standard', () => {
  const p = pipeline();

  it('parses a standard log file (#Version and #Fields lines, tab-separated records) into the expected documents', async () => {
    const items = await run(p, KEY, fixture('cloudfront_standard', 'fixture.log'));
    expect(docs(items)).toEqual(expected('cloudfront_standard'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'cloudfront_standard', totalRecords: 5, emitted: 5, failed: 0 });
  });

  it('maps viewer, request, URL, status and the distribution', async () => {
    const [hit, v6, denied, originError, aborted] = docs(await run(p, KEY, fixture('cloudfront_standard', 'fixture.log')));
    expect(hit._index).toBe('log-aws-cloudfront-2026-11');
    expect(hit._source).toMatchObject({
      '@timestamp': '2026-11-21T10:02:31.000Z',
      date_time: '2026-11-21 10:02:31',
      distribution_id: 'E2EXAMPLE12345',
      source: { ip: '81.2.69.160', port: 11040 },
      http: { request: { method: 'GET', bytes: 23 }, response: { status_code: 200, bytes: 392 }, version: '2.0' },
      url: { full: 'https://www.example.com/index.html', domain: 'www.example.com', path: '/index.html', scheme: 'https' },
      user_agent: { original: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', name: 'Chrome' },
      event: { kind: 'event', category: 'web', module: 'cloudfront-standard', outcome: 'success' },
      cloud: { region: 'global', provider: 'aws' },
      x_edge_result_type: 'Hit',
    });
    expect(hit._source).not.toHaveProperty('cs_referer');
    expect(v6._source).toMatchObject({
      source: { ip: '2001:db8:85a3::8a2e:370:7334' },
      url: { query: 'q=shoes&page=2', full: 'https://www.example.com/search?q=shoes&page=2' },
      http: { request: { referrer: 'https://www.example.com/' }, version: '1.1' },
      x_forwarded_for: '2001:db8::10',
    });
    expect(denied._source).toMatchObject({ event: { outcome: 'failure' }, user_agent: { original: 'sqlmap/1.7.2#stable (https://sqlmap.org)' }, url: { query: 'user=admin%27--' } });
    expect(originError._source).toMatchObject({ x_edge_detailed_result_type: 'OriginCommError', url: { scheme: 'http', domain: 'api.example.com' } });
    // A line written before the c-port ... columns existed; status 000 (viewer gone) has no outcome.
    expect(aborted._source).not.toHaveProperty('source.port');
    expect(aborted._source).not.toHaveProperty('c_port');
    expect(aborted._source.event).not.toHaveProperty('outcome');
  });

  it('decodes percent-encoded user agents like the reference, leaving invalid sequences alone', () => {
    expect(unquote('a%20b%2Fc')).toBe('a b/c');
    expect(unquote('%E3%81%82 %ZZ %E3')).toBe('あ %ZZ %E3');
  });

  it.each([KEY, 'E1A2B3C4D5E6F7.2026-11-21-23.0a1b2c3d.gz', 'logs/cf/EMLARXS9EXAMPL.2019-11-14-20.rt4kcn4s.gz'])(
    'recognises %s',
    (key) => expect(p.resolveLogType(key)?.name).toBe('cloudfront_standard'),
  );
});
