import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/OpenSearch/ap-northeast-1/audit/2026/11/21/10/aes-siem-opensearch-audit-1-2026-11-21-10-05-00-1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809';

describe('Log type: opensearch_audit', () => {
  const p = pipeline();

  it('reads the CloudWatch Logs messages Firehose wrote (control message skipped) into the expected documents', async () => {
    const items = await run(p, KEY, fixture('opensearch_audit', 'fixture.json'));
    expect(docs(items)).toEqual(expected('opensearch_audit'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'opensearch_audit', totalRecords: 5, emitted: 5, failed: 0, skipped: 0 });
  });

  it('also when Firehose compressed the gzip data again', async () => {
    const text = fixture('opensearch_audit', 'fixture.json').toString();
    const members = text.split(/(?<=\})\n?(?=\{"messageType")/);
    expect(members).toHaveLength(3);
    expect(docs(await run(p, KEY, gzipSync(Buffer.concat(members.map((m) => gzipSync(m)))), { gzip: false }))).toEqual(expected('opensearch_audit'));
  });

  it('sets the outcome and authentication category from audit_category, the rule, user and user agent', async () => {
    const [failedLogin, login, granted, missing, indexEvent] = docs(await run(p, KEY, fixture('opensearch_audit', 'fixture.json')));
    expect(failedLogin!._index).toBe('log-aws-opensearch-2026-11');
    expect(failedLogin!._source).toMatchObject({
      '@timestamp': '2026-11-21T10:00:01.120Z',
      '@log_type': 'opensearch-audit',
      '@log_group': '/aws/OpenSearchService/domains/aes-siem/audit-logs',
      '@log_stream': 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6',
      event: { kind: 'event', category: ['database', 'authentication'], type: ['info'], outcome: 'failure', module: 'opensearch-audit' },
      rule: { name: 'GET' },
      source: { ip: '198.51.100.23' },
      user: { name: 'mallory' },
      user_agent: { original: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36', name: 'Chrome' },
      cloud: { account: { id: '123456789012' }, region: 'ap-northeast-1' },
      related: { hosts: ['search-aes-siem-abcdefghijklmnopqrstuvwxyz.ap-northeast-1.es.amazonaws.com'], ip: ['198.51.100.23'], user: ['mallory'] },
      opensearch: { audit_category: 'FAILED_LOGIN', timestamp: '2026-11-21T10:00:01.120+00:00', audit_rest_request_path: '/_plugins/_security/authinfo' },
    });
    for (const k of ['audit_category', 'audit_request_remote_address']) expect(failedLogin!._source).not.toHaveProperty(k);
    expect(login!._source).toMatchObject({ event: { category: ['database', 'authentication'], outcome: 'success' }, source: { ip: '2001:db8:4f::17' } });
    expect(granted!._source).toMatchObject({ event: { category: ['database'], outcome: 'success' }, rule: { name: 'SearchRequest' }, user: { name: 'alice' } });
    expect(missing!._source).toMatchObject({ event: { outcome: 'failure' }, rule: { name: 'DeleteIndexRequest' }, related: { user: ['bob'] } });
    expect(indexEvent!._source).toMatchObject({ event: { outcome: 'unknown' }, rule: { name: 'CreateIndexRequest' } });
    expect(new Set([failedLogin, login, granted, missing, indexEvent].map((d) => d!._source['@log_stream']))).toEqual(
      new Set(['a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6', 'f6e5d4c3b2a1f6e5d4c3b2a1f6e5d4c3']),
    );
  });

  it('names a message it cannot parse: a truncated audit message (10,000 characters at most) is a record error', async () => {
    const env = {
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: 'g',
      logStream: 's',
      subscriptionFilters: [],
      logEvents: [{ id: '1', timestamp: 1795255201000, message: '{"audit_category":"INDEX_EVENT","@timestamp":"2026-11-21T10:00:01Z","audit_trace' }],
    };
    const [err] = await run(p, KEY, JSON.stringify(env));
    expect(err).toMatchObject({ kind: 'record-error', record: 0, reason: expect.stringMatching(/^AWSLogs\/.*: record 0 \(line 1\): malformed JSON: /) });
  });

  it('gives a message without a category the reference rule name ParsingError', async () => {
    const env = { messageType: 'DATA_MESSAGE', owner: '123456789012', logGroup: 'g', logStream: 's', subscriptionFilters: [], logEvents: [{ id: '1', timestamp: 1, message: '{"@timestamp":"2026-11-21T10:00:01Z"}' }] };
    const [doc] = docs(await run(p, KEY, JSON.stringify(env)));
    expect(doc!._source).toMatchObject({ rule: { name: 'ParsingError' }, event: { outcome: 'unknown', category: ['database'] } });
  });

  it.each([KEY, 'AWSLogs/123456789012/opensearch-audit/2026/11/21/x', 'OpenSearch/aes-siem/AuditLogs/x.gz'])('recognises %s', (key) =>
    expect(p.resolveLogType(key)?.name).toBe('opensearch_audit'),
  );
});
