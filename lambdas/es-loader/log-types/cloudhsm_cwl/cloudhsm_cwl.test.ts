import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'cloudhsm-cwl/123456789012/ap-northeast-1/cluster-abcdefghijk/2f1a9c3e-5b7d-4e2a-9c1f-3a5b7d9e1f2a/hsm-bcdefghijkm/000000.gz';
const SUBSCRIPTION_KEY = 'AWSLogs/123456789012/CloudHSM/ap-northeast-1/2026/11/21/10/aes-siem-cloudhsm-1-2026-11-21-10-05-00-1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809';

describe('Log type: cloudhsm_cwl', () => {
  const p = pipeline();

  it('reads the entries of a CloudWatch Logs export into the expected documents', async () => {
    const items = await run(p, KEY, fixture('cloudhsm_cwl', 'fixture.txt'));
    expect(docs(items)).toEqual(expected('cloudhsm_cwl'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'cloudhsm_cwl', totalRecords: 5, emitted: 5, failed: 0, skipped: 0 });
  });

  it('takes cluster, HSM, account and region from the key; @log_type cloudhsm and event.module cloudhsm-cwl as the reference sample', async () => {
    const [login] = docs(await run(p, KEY, fixture('cloudhsm_cwl', 'fixture.txt')));
    expect(login!._source).toMatchObject({
      '@log_type': 'cloudhsm',
      '@message': expect.stringMatching(/^2026-11-21T10:00:01\.323Z Time: 11\/21\/26 10:00:01\.123456, usecs:1795255201123456\nSequence No {2}: 0x1a4\n/),
      event: { module: 'cloudhsm-cwl', outcome: 'success' },
      cloud: { account: { id: '123456789012' }, region: 'ap-northeast-1', instance: { id: 'hsm-bcdefghijkm' } },
      cloudhsm: { cluster_id: 'cluster-abcdefghijk', hsm_id: 'hsm-bcdefghijkm' },
    });
  });

  it('gives an entry the same document (id, index, fields) as the same entry read from the subscription', async () => {
    const exported = docs(await run(p, KEY, fixture('cloudhsm_cwl', 'fixture.txt')));
    const subscribed = docs(await run(p, SUBSCRIPTION_KEY, fixture('cloudhsm', 'fixture.json')));
    expect(exported.map((d) => [d._index, d._id])).toEqual(subscribed.map((d) => [d._index, d._id]));
    expect(exported.map((d) => [d._source.cloudhsm, d._source.user, d._source.event && (d._source.event as Record<string, unknown>).outcome])).toEqual(
      subscribed.map((d) => [d._source.cloudhsm, d._source.user, d._source.event && (d._source.event as Record<string, unknown>).outcome]),
    );
  });

  it('indexes an entry of a key without cluster and HSM ids under its hashed id', async () => {
    const text = fixture('cloudhsm_cwl', 'fixture.txt').toString().split(/\n(?=20\d\d-)/)[0]!;
    const [d] = docs(await run(p, 'cloudhsm-cwl/123456789012/ap-northeast-1/export/000000.gz', text));
    expect(d!._id).not.toMatch(/^hsm-/);
    expect(d!._source).not.toHaveProperty('related');
    expect(d!._source.cloudhsm).not.toHaveProperty('cluster_id');
  });

  it('loads the same documents with the reference\'s user.ini sample [cloudhsm-cwl] unchanged', async () => {
    const sample = [
      '[cloudhsm-cwl]',
      '# export CWL CloudHSM log group to S3 with prefix \'cloudhsm-cwl/awsaccountid/region/xxxxxxxxxxx\'',
      'index_name = ${cloudhsm:index_name}',
      'file_format = ${cloudhsm:file_format}',
      'timestamp_key = ${cloudhsm:timestamp_key}',
      'timestamp_format = ${cloudhsm:timestamp_format}',
      'field_prefix = ${cloudhsm:field_prefix}',
      'log_pattern = ${cloudhsm:log_pattern}',
      '',
      's3_key = cloudhsm-cwl/',
      'index_rotation = monthly',
      'multiline_firstline = ^20\\d{2}-\\d{2}-\\d{2}',
      '',
      'ecs = user.id',
      'user.id = user_id',
      '',
      'static_ecs = @log_type',
      '@log_type = cloudhsm',
      '',
      'script_ecs = cloud.instance.id user.name',
      '',
    ].join('\n');
    const withSample = pipeline({ userIni: sample });
    const got = docs(await run(withSample, KEY, fixture('cloudhsm_cwl', 'fixture.txt')));
    // event.module is the section's name (cloudhsm-cwl), as the reference's, whatever its static @log_type says.
    expect(got).toEqual(expected('cloudhsm_cwl'));
  });

  it('is chosen for the export prefix', () => expect(p.resolveLogType(KEY)?.name).toBe('cloudhsm_cwl'));
});
