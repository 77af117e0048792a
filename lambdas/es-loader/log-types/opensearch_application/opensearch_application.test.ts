import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

// The key the central stack's exporter writes for its domain's application-logs group (opensearch.auditLogsToSiem).
const KEY = 'AWSLogs/111122223333/CloudWatchLogs/OpenSearch/application/ap-northeast-1/2026/11/22/07/aes-siem-domain-logs-1-2026-11-22-07-05-00-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';

describe('Log type: opensearch_application', () => {
  const p = pipeline();

  it('reads the CloudWatch Logs events of the domain application log (control message skipped) into the expected documents', async () => {
    const items = await run(p, KEY, fixture('opensearch_application', 'fixture.json'));
    expect(docs(items)).toEqual(expected('opensearch_application'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'opensearch_application', totalRecords: 5, emitted: 5, failed: 0, skipped: 0 });
  });

  it('takes level, logger (padding trimmed), node and time from the log4j prefix; a stack trace of the same event goes to error.stack_trace', async () => {
    const s = docs(await run(p, KEY, fixture('opensearch_application', 'fixture.json'))).map((x) => x._source);
    expect(s.map((x) => [x['@timestamp'], x.log, (x.host as { name: string }).name])).toEqual([
      ['2026-11-22T07:00:00.123Z', { level: 'WARN', logger: 'o.o.c.r.a.DiskThresholdMonitor' }, 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6'],
      ['2026-11-22T07:00:05.456Z', { level: 'INFO', logger: 'o.o.c.m.MetadataCreateIndexService' }, 'f6e5d4c3b2a1f6e5d4c3b2a1f6e5d4c3'],
      ['2026-11-22T07:01:10.789Z', { level: 'ERROR', logger: 'o.o.i.e.Engine' }, 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6'],
      ['2026-11-22T07:03:00.000Z', { level: 'DEBUG', logger: 'o.o.a.s.TransportSearchAction' }, 'f6e5d4c3b2a1f6e5d4c3b2a1f6e5d4c3'],
      ['2026-11-22T07:04:30.250Z', { level: 'INFO', logger: 'o.o.s.a.s.SinkProvider' }, 'f6e5d4c3b2a1f6e5d4c3b2a1f6e5d4c3'],
    ]);
    expect(s[2]).toMatchObject({
      message: '[log-aws-vpcflowlogs-2026-11][0] failed engine [refresh failed source[schedule]]',
      error: { type: 'java.lang.OutOfMemoryError' },
      event: { kind: 'event', module: 'opensearch-application' },
      '@log_type': 'opensearch-application',
    });
    expect((s[2]!.error as { stack_trace: string }).stack_trace).toMatch(/^java\.lang\.OutOfMemoryError: Java heap space\n\tat org\.apache\.lucene\.util\.ArrayUtil\.growExact\(.*\n\t\.\.\. 12 more$/s);
    // a chain: the first throwable names error.type, its causes stay in the trace
    expect(s[3]!.error).toMatchObject({ type: 'org.opensearch.transport.RemoteTransportException' });
    expect((s[3]!.error as { stack_trace: string }).stack_trace.split('\n').filter((l) => l.startsWith('Caused by: '))).toHaveLength(2);
    // a message over two lines without a trace stays the message
    expect(s[4]!.message).toBe('Closing DebugSink\nsecond line of the same message');
    expect(s[4]).not.toHaveProperty('error');
    for (const x of s) for (const raw of ['os_time', 'os_level', 'os_logger', 'os_node', 'os_message']) expect(x).not.toHaveProperty(raw);
  });

  it('an event that is not a log4j entry fails alone, with a message naming the record', async () => {
    const body = JSON.stringify({
      messageType: 'DATA_MESSAGE', owner: '111122223333', logGroup: '/aws/OpenSearchService/domains/aes-siem/application-logs', logStream: 'n1', subscriptionFilters: [],
      logEvents: [
        { id: '1', timestamp: 1795330800000, message: 'not a log4j line' },
        { id: '2', timestamp: 1795330800000, message: '[2026-11-22T07:00:00,000][INFO ][o.o.n.Node] [n1] started' },
      ],
    });
    const items = await run(p, KEY, body);
    expect(docs(items).map((d) => d._source.message)).toEqual(['started']);
    expect(items.at(-1)).toMatchObject({ kind: 'summary', totalRecords: 2, emitted: 1, failed: 1 });
    expect(items.filter((i) => i.kind === 'record-error')).toMatchObject([{ record: 0, reason: `${KEY}: record 0 (line 1): does not match the log_pattern of [opensearch_application]`, raw: 'not a log4j line' }]);
  });
});
