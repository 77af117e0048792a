import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/KafkaBrokerLogs/ap-northeast-1/msk-prod-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2/2026-11-21-10/Broker-2_10-00_3f9a6b2c.log.gz';

describe('Log type: msk', () => {
  const p = pipeline();

  it('parses broker log lines (stack traces joined to their line) into the expected documents', async () => {
    const items = await run(p, KEY, fixture('msk', 'fixture.log'));
    expect(docs(items)).toEqual(expected('msk'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'msk', totalRecords: 6, emitted: 6, failed: 0 });
  });

  it('takes the cluster and broker from the key, the level and time from the line, and splits ConsumerLag lines', async () => {
    const [rolled, warn, lag, auth, error] = docs(await run(p, KEY, fixture('msk', 'fixture.log')));
    expect(rolled!._index).toBe('log-aws-msk-2026-11');
    expect(rolled!._source).toMatchObject({
      '@timestamp': '2026-11-21T10:00:01.452Z',
      '@log_type': 'msk',
      log: { level: 'INFO' },
      event: { module: 'msk' },
      cloud: { account: { id: '123456789012' }, region: 'ap-northeast-1' },
      msk: { cluster_name: 'msk-prod', broker_id: '2', log_level: 'INFO', timestamp: '2026-11-21 10:00:01,452' },
    });
    expect(warn!._source['@message']).toMatch(
      /closing connection \(org\.apache\.kafka\.common\.network\.Selector\)\norg\.apache\.kafka\.common\.network\.InvalidReceiveException: .*\n\tat .*\n\tat .*KafkaChannel\.java:447\)$/,
    );
    expect(lag!._source.msk).toMatchObject({ log_type: 'ConsumerLag', group_id: 'amazon.msk.canary.group.broker-2', topic: 'canary', sum_lag: 3, max_lag: 1, time_lag: 60 });
    expect((auth!._source.msk as { message: string }).message).toContain('Failed authentication with /2001:db8:1f70::999:de8:7648:6e8');
    expect(error!._source).toMatchObject({ log: { level: 'ERROR' } });
    for (const d of [rolled, warn, auth, error]) expect(d!._source.msk).not.toHaveProperty('log_type');
  });

  it('tells text before the first log line by its record number', async () => {
    const items = await run(p, KEY, 'garbage before the first line\n[2026-11-21 10:00:01,452] INFO ok (x)\n');
    expect(items[0]).toMatchObject({ kind: 'record-error', record: 0, line: 1, reason: `${KEY}: record 0 (line 1): does not match the log_pattern of [msk]` });
    expect(docs(items)).toHaveLength(1);
  });

  it('recognises the MSK delivery key, and leaves the cluster fields out for another key layout', async () => {
    expect(p.resolveLogType(KEY)?.name).toBe('msk');
    const [doc] = docs(await run(p, 'msk/KafkaBrokerLogs/x.log.gz', '[2026-11-21 10:00:01,452] INFO ok (x)\n'));
    expect(doc!._source.msk).toEqual({ timestamp: '2026-11-21 10:00:01,452', log_level: 'INFO', message: 'ok (x)' });
  });
});
