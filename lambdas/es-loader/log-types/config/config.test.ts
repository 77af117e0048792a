import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const HISTORY = 'AWSLogs/123456789012/Config/us-east-1/2026/11/21/ConfigHistory/123456789012_Config_us-east-1_ConfigHistory_AWS::EC2::SecurityGroup_20261121T101011Z_20261121T102000Z_1.json.gz';
const SNAPSHOT = 'AWSLogs/123456789012/Config/eu-west-1/2026/11/21/ConfigSnapshot/123456789012_Config_eu-west-1_ConfigSnapshot_20261121T060000Z_a1b2c3d4-0000-4000-8000-EXAMPLE00001.json.gz';

describe('Log type: config', () => {
  const p = pipeline();

  it('turns each configuration item of a history file into a document', async () => {
    const out = docs(await run(p, HISTORY, fixture('config', 'fixture-history.json')));
    expect(out).toEqual(expected('config', 'expected-history.json'));
    expect(out[0]._source).toMatchObject({
      '@timestamp': '2026-11-21T10:10:11.222Z',
      event: { action: 'OK', type: 'change', category: 'configuration' },
      cloud: { account: { id: '123456789012' }, region: 'us-east-1' },
      resourceType: 'AWS::EC2::SecurityGroup',
    });
    expect(out[0]._source.cloud).not.toHaveProperty('availability_zone');
    // configuration is a string in one item and an object in the other: both are flat objects
    expect(out[1]._source.configuration).toEqual({ value: '{"bucketName":"b"}' });
  });

  it('reads a pretty-printed snapshot file', async () => {
    const out = docs(await run(p, SNAPSHOT, fixture('config', 'fixture-snapshot.json')));
    expect(out).toEqual(expected('config', 'expected-snapshot.json'));
    expect(out[0]._source).toMatchObject({ event: { type: 'deletion' }, cloud: { availability_zone: 'eu-west-1a', region: 'eu-west-1' } });
  });

  it('ignores the writability check file', () => {
    const key = 'AWSLogs/123456789012/Config/ConfigWritabilityCheckFile';
    expect(p.resolveLogType(key)).toBeUndefined();
    expect(p.classify('AWSLogs/123456789012/Config/us-east-1/ConfigWritabilityCheckFile_ConfigHistory_x')?.ignored).toBeDefined();
  });
});
