/**
 * The third-party log types of issue 14 that the reference ships as user.ini samples, built in here, end
 * to end against the local servers: Okta System Log events (log-intra-audit-okta) and Trend Micro Deep
 * Security agent events shipped by fluentd (log-deepsecurity). Each fixture object is stored under a key
 * of its delivery, the handler is invoked with its S3 notification, and the documents read back from
 * OpenSearch are compared exactly with the log type's expected documents; field types are checked in the
 * index mappings. The ElastiCache slow log read through CloudWatch Logs (the reference has no such form) too,
 * and the SIEM's own OpenSearch application logs (opensearch_application, no reference counterpart).
 * The Deep Security line without a CEF header goes to the DLQ with its reason.
 */
import { describe, expect, it } from 'vitest';
import { allDocs, byId, expected, expectIndexedExactly, failureMessages, fieldType, fixture, putObject, s3Event, useLoaderSuite } from './es-loader-helpers';

const OKTA_KEY = 'okta-logs/2026/11/21/okta-events-1.json.gz';
const DS_KEY = 'ds_agent/2026/11/21/10/20261121_10_web-1_0.json.gz';

const suite = useLoaderSuite('log-intra-audit-okta-*,log-deepsecurity-*,log-aws-elasticache-*,log-aws-opensearch_application-*');
const client = suite.client;

describe('es-loader: Okta and Deep Security logs in OpenSearch', () => {
  it('Okta: exact documents and field types', async () => {
    await expectIndexedExactly(suite.loader, client, {
      name: 'Okta',
      type: 'okta',
      file: 'fixture.json',
      key: OKTA_KEY,
      types: {
        '@timestamp': 'date', 'source.ip': 'ip', 'client.ip': 'ip', 'event.outcome': 'keyword', 'event.action': 'keyword', 'user.name': 'keyword',
        'user.email': 'keyword', 'related.user': 'keyword', 'client.geo.city_name': 'keyword',
        // client.geo.location is an object of two numbers, as in the reference's templates (only source/destination.geo.location are geo points)
        'client.geo.location.lat': 'float', 'okta.actor.alternate_id': 'keyword', 'okta.target.app_name.display_name': 'keyword',
      },
    });
  });

  it('ElastiCache slow log through CloudWatch Logs: exact documents and field types', async () => {
    await expectIndexedExactly(suite.loader, client, {
      name: 'ElastiCache CWL',
      type: 'elasticache_redis_slowlog_cwl',
      file: 'fixture.json',
      key: 'AWSLogs/123456789012/CloudWatchLogs/ElastiCache/redis-slowlog/ap-northeast-1/2026/11/21/10/aes-siem-cwl-1-2026-11-21-10-05-00-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0.gz',
      types: { '@timestamp': 'date', 'source.ip': 'ip', 'source.port': 'long', 'event.module': 'keyword' },
    });
  });

  it('OpenSearch application logs through CloudWatch Logs: exact documents and field types', async () => {
    await expectIndexedExactly(suite.loader, client, {
      name: 'OpenSearch application',
      type: 'opensearch_application',
      file: 'fixture.json',
      key: 'AWSLogs/111122223333/CloudWatchLogs/OpenSearch/application/ap-northeast-1/2026/11/22/07/aes-siem-domain-logs-1-2026-11-22-07-05-00-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
      types: { '@timestamp': 'date', 'log.level': 'keyword', 'log.logger': 'keyword', 'host.name': 'keyword', 'error.stack_trace': 'keyword', 'event.module': 'keyword' },
    });
  });

  it('Deep Security: exact documents and field types; the line without a CEF header goes to the DLQ', async () => {
    const want = expected('deepsecurity');
    const size = await putObject(DS_KEY, fixture('deepsecurity', 'fixture.json'));
    expect(await suite.loader.invoke(s3Event(DS_KEY, { size }))).toBeUndefined();
    expect(byId(await allDocs(client, 'log-deepsecurity-*'))).toEqual(byId(want));
    const types = { '@timestamp': 'date', 'source.ip': 'ip', 'destination.ip': 'ip', 'source.port': 'long', 'destination.bytes': 'long', 'event.severity': 'float', 'event.action': 'keyword', 'rule.name': 'keyword', 'host.id': 'keyword', 'file.path': 'keyword' };
    for (const [field, type] of Object.entries(types)) expect(await fieldType(client, 'log-deepsecurity-2026-11', field), field).toBe(type);
    expect(suite.loader.log.lastTotals()).toMatchObject({ objects: 1, read: 7, indexed: 6, failed: 1 });
    const [msg] = await failureMessages(suite.loader.dlqUrl);
    expect(msg).toMatchObject({
      key: DS_KEY,
      failures: [{ stage: 'parse', record: 6, line: 7, reason: `${DS_KEY}: record 6 (line 7): transform deepsecurity failed: message is not a Deep Security CEF event: no "CEF:<version>|" header with its 7 |-separated fields` }],
    });
  });
});
