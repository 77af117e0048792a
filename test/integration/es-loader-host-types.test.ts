/**
 * The host and web server log types of issue 14 end to end against the local servers: Linux secure and
 * syslog files (sshd/sudo/su lines of syslog routed to log-linux-secure), Apache access and error logs and
 * NGINX access and error logs, all CloudWatch Logs subscription messages written by Firehose (via_cwl).
 * Each fixture object is stored under a key of the layout the delivery writes, the handler is invoked
 * with its S3 notification, and the documents read back from OpenSearch are compared exactly with the
 * log type's expected documents; field types are checked in the index mappings. The Linux secure fixture
 * is also loaded as a bzip2 object and as a zip archive (formats/archives.ts). Windows events (event XML
 * through CloudWatch Logs, one malformed event to the DLQ) and Apache access logs of ECS containers
 * written by FireLens (stderr lines skipped, a truncated and a non-access line to the DLQ) are loaded too.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allDocs, byId, expected, expectIndexedExactly, failureMessages, fieldType, fixture, type LogTypeCase, putObject, s3Event, useLoaderSuite } from './es-loader-helpers';

const LINUX_SECURE_KEY = 'AWSLogs/123456789012/Linux/ap-northeast-1/secure/2026/11/21/10/aes-siem-linux-secure-1-2026-11-21-10-05-00-0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9';
const LINUX = { '@timestamp': 'date', 'source.ip': 'ip', 'source.port': 'long', 'user.name': 'keyword', 'event.action': 'keyword', 'process.pid': 'long', 'host.hostname': 'keyword', 'cloud.instance.id': 'keyword' };
const WEB = { '@timestamp': 'date', 'source.ip': 'ip', 'url.path': 'keyword', 'http.response.status_code': 'long', 'http.request.method': 'keyword', 'event.outcome': 'keyword' };

const FIXTURES: LogTypeCase[] = [
  { name: 'Linux secure', type: 'linux_secure', file: 'fixture.json', key: LINUX_SECURE_KEY, types: LINUX },
  { name: 'Linux syslog (secure lines routed)', type: 'linux_os_syslog', file: 'fixture.json', key: 'AWSLogs/123456789012/Linux/ap-northeast-1/messages/2026/11/21/10/aes-siem-linux-messages-1-2026-11-21-10-05-00-1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809', types: { '@timestamp': 'date', 'process.name': 'keyword', 'event.module': 'keyword' } },
  { name: 'Apache access', type: 'apache_access', file: 'fixture.json', key: 'AWSLogs/123456789012/Apache/ap-northeast-1/web-site-name=shop/access/2026/11/21/10/aes-siem-apache-access-1-2026-11-21-10-05-00-2a3b4c5d-6e7f-8091-a2b3-c4d5e6f70819', types: { ...WEB, 'http.request.bytes': 'long', 'url.port': 'long', 'user_agent.name': 'keyword' } },
  { name: 'Apache error', type: 'apache_error', file: 'fixture.json', key: 'AWSLogs/123456789012/Apache/ap-northeast-1/web-site-name=shop/error/2026/11/21/10/aes-siem-apache-error-1-2026-11-21-10-05-00-3a4b5c6d-7e8f-9012-a3b4-c5d6e7f80912', types: { '@timestamp': 'date', 'source.ip': 'ip', 'source.port': 'long', 'log.level': 'keyword', 'error.code': 'keyword', 'process.pid': 'long' } },
  { name: 'NGINX access', type: 'nginx_access', file: 'fixture.json', key: 'AWSLogs/123456789012/Nginx/ap-northeast-1/access/2026/11/21/10/aes-siem-nginx-access-1-2026-11-21-10-05-00-4a5b6c7d-8e9f-0123-a4b5-c6d7e8f90123', types: { ...WEB, 'http.request.header.x_forwarded_for': 'keyword' } },
  { name: 'NGINX error', type: 'nginx_error', file: 'fixture.json', key: 'AWSLogs/123456789012/Nginx/ap-northeast-1/error/2026/11/21/10/aes-siem-nginx-error-1-2026-11-21-10-05-00-5a6b7c8d-9e0f-1234-a5b6-c7d8e9f01234', types: { '@timestamp': 'date', 'source.ip': 'ip', 'url.domain': 'keyword', 'url.port': 'long', 'log.level': 'keyword' } },
];

const suite = useLoaderSuite('log-linux-*,log-web-*,log-win-*');
const client = suite.client;

describe('es-loader: Linux, Apache and NGINX logs through CloudWatch Logs in OpenSearch', () => {
  it.each(FIXTURES)('$name: exact documents and field types', async (f) => {
    await expectIndexedExactly(suite.loader, client, f);
  });

  it.each([
    ['bzip2', 'linux_secure.json.bz2'],
    ['zip', 'linux_secure.zip'],
  ])('a %s object is read from its content', async (_, file) => {
    const body = readFileSync(path.join(__dirname, '../../lambdas/es-loader/formats/testdata', file));
    const key = `${LINUX_SECURE_KEY}-${file}`;
    const size = await putObject(key, body, { gzip: false });
    expect(await suite.loader.invoke(s3Event(key, { size }))).toBeUndefined();
    const want = expected('linux_secure').map((d) => ({ ...d, _source: { ...(d._source as Record<string, unknown>), '@log_s3key': key } }));
    expect(byId(await allDocs(client, 'log-linux-secure-*'))).toEqual(byId(want));
    expect(suite.loader.log.lastTotals()).toMatchObject({ objects: 1, read: 11, indexed: 11, failed: 0 });
    expect(await failureMessages(suite.loader.dlqUrl)).toEqual([]);
  });

  it('Windows events (winevtxml through CloudWatch Logs): exact documents and field types; the malformed event goes to the DLQ', async () => {
    const key = 'AWSLogs/123456789012/WindowsEvent/ap-northeast-1/2026/11/21/10/aes-siem-windows-event-1-2026-11-21-10-05-00-0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9';
    const size = await putObject(key, fixture('windows_event', 'fixture.json'));
    expect(await suite.loader.invoke(s3Event(key, { size }))).toBeUndefined();
    expect(byId(await allDocs(client, 'log-win-event-*'))).toEqual(byId(expected('windows_event')));
    const types = { '@timestamp': 'date', 'source.ip': 'ip', 'source.port': 'long', 'destination.ip': 'ip', 'event.code': 'keyword', 'event.action': 'keyword', 'event.outcome': 'keyword', 'user.name': 'keyword', 'host.name': 'keyword', 'Event.EventData.Data.TargetUserName': 'keyword' };
    for (const [field, type] of Object.entries(types)) expect(await fieldType(client, 'log-win-event-2026-11', field), field).toBe(type);
    expect(suite.loader.log.lastTotals()).toMatchObject({ objects: 1, read: 10, indexed: 9, failed: 1 });
    const [msg] = await failureMessages(suite.loader.dlqUrl);
    expect(msg).toMatchObject({ key, failures: [{ stage: 'parse', record: 5, line: 1, reason: `${key}: record 5 (line 1): is not well-formed XML: Unexpected close tag at line 1, column 595` }] });
  });

  it('Apache access logs of ECS containers (FireLens): exact documents and field types; stderr skipped, the bad lines to the DLQ', async () => {
    const key = 'AWSLogs/123456789012/firelens/ap-northeast-1/web-httpd/2026/11/21/10/web-firelens-1-2026-11-21-10-05-00-6a7b8c9d-0e1f-2a3b-4c5d-6e7f8091a2b3';
    const size = await putObject(key, fixture('apache_ecs', 'fixture.jsonl'));
    expect(await suite.loader.invoke(s3Event(key, { size }))).toBeUndefined();
    expect(byId(await allDocs(client, 'log-web-apache-*'))).toEqual(byId(expected('apache_ecs')));
    const types = { ...WEB, 'container.name': 'keyword', 'cloud.instance.id': 'keyword', 'http.response.body.bytes': 'long', 'user_agent.name': 'keyword' };
    for (const [field, type] of Object.entries(types)) expect(await fieldType(client, 'log-web-apache-2026-11', field), field).toBe(type);
    expect(suite.loader.log.lastTotals()).toMatchObject({ objects: 1, indexed: 7, failed: 2, skipped: 2 });
    const [msg] = await failureMessages(suite.loader.dlqUrl);
    expect(msg).toMatchObject({
      key,
      failures: [
        { stage: 'parse', record: 7, line: 8, reason: `${key}: record 7 (line 8): the FireLens record is malformed JSON: Unterminated string in JSON at position 170` },
        { stage: 'parse', record: 8, line: 9, reason: `${key}: record 8 (line 9): does not match the log_pattern of [apache_ecs]` },
      ],
    });
  });
});
