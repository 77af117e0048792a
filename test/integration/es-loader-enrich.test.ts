/**
 * Client IP, user agent and organization context end to end (issue 16): the organization context object
 * the central stack writes, put into the geo bucket (s3rver) and read the way the Lambda reads it at cold
 * start; a WAF object whose request came through a CloudFront address with X-Forwarded-For, loaded by the
 * handler into the local OpenSearch and read back: the exact document (source.ip from X-Forwarded-For,
 * user_agent.* parsed, cloud.account.name/organizational_unit/tags), keyword mappings and terms
 * aggregations on the new fields as dashboards use them.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { organizationContextFromConfig, organizationContextJson, ORGANIZATION_CONTEXT_KEY } from '../../lambdas/es-loader/enrich/organization';
import { docs, pipeline, run } from '../../lambdas/es-loader/log-types/testing';
import { loadOrganizationContext, organizationContextEnvironment } from '../../lambdas/es-loader/runtime/organization';
import { allDocs, ensureBucket, failureMessages, fieldType, makeLoader, osClient, putObject, RecordingLog, resetIndices, s3c, s3Event } from './es-loader-helpers';

const GEO_BUCKET = 'aes-siem-111122223333-geo';
const client = osClient();
const WAF_KEY = 'AWSLogs/444444444444/WAF/us-east-1/2026/11/21/10/aws-waf-logs-x-1-2026-11-21-10-00-00-abc.gz';
const CONTEXT = organizationContextJson(
  organizationContextFromConfig({
    security: { accountId: '111122223333' },
    loader: { trustedProxies: ['130.176.0.0/16'] },
    members: [{ name: 'workload-prod', accountId: '444444444444', organizationalUnit: 'Root/Workloads/Prod', tags: { team: 'payments' } }],
  }),
);

/** Two WAF records of account 444444444444 that came through CloudFront (130.176.x.x) with X-Forwarded-For. */
function wafRecords(): string {
  const base = JSON.parse(readFileSync(path.join(__dirname, '../../lambdas/es-loader/log-types/waf/fixture.json'), 'utf8').trim().split('\n')[0]!);
  return [
    ['81.2.69.160, 130.176.9.9', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1', 'req-1'],
    ['2a00:1450:4001::1', 'curl/8.4.0', 'req-2'],
  ]
    .map(([xff, ua, id]) => {
      const r = structuredClone(base);
      r.webaclId = String(r.webaclId).replace('123456789012', '444444444444');
      r.httpRequest.clientIp = '130.176.10.20';
      r.httpRequest.requestId = id;
      r.httpRequest.headers = [{ name: 'User-Agent', value: ua }, { name: 'X-Forwarded-For', value: xff }];
      return JSON.stringify(r);
    })
    .join('\n');
}

async function terms(field: string): Promise<Array<{ key: string; doc_count: number }>> {
  const res = await client.transport.request({
    method: 'POST',
    path: '/log-aws-waf-*/_search',
    body: { size: 0, aggs: { t: { terms: { field, size: 20, order: [{ _count: 'desc' }, { _key: 'asc' }] } } } },
  });
  return (res.body as { aggregations: { t: { buckets: Array<{ key: string; doc_count: number }> } } }).aggregations.t.buckets;
}

beforeEach(async () => {
  await resetIndices(client);
});
afterAll(async () => {
  await resetIndices(client);
});

describe('es-loader: client IP, user agent and organization context in OpenSearch', () => {
  it('indexes source.ip from X-Forwarded-For, parsed user agents and the account context, aggregatable', async () => {
    await ensureBucket(GEO_BUCKET);
    await s3c().send(new PutObjectCommand({ Bucket: GEO_BUCKET, Key: ORGANIZATION_CONTEXT_KEY, Body: CONTEXT }));
    const log = new RecordingLog();
    const options = await loadOrganizationContext(s3c(), GEO_BUCKET, organizationContextEnvironment(ORGANIZATION_CONTEXT_KEY, CONTEXT), log);
    expect(log.lines.map((l) => `${l.level} ${l.message}`)).toEqual([`info loaded s3://${GEO_BUCKET}/${ORGANIZATION_CONTEXT_KEY}`]);
    const loader = await makeLoader({ pipeline: options });
    const body = wafRecords();
    const size = await putObject(WAF_KEY, body);
    expect(await loader.invoke(s3Event(WAF_KEY, { size }))).toBeUndefined();
    expect(await failureMessages(loader.dlqUrl)).toEqual([]);

    const want = docs(await run(pipeline(options), WAF_KEY, body));
    expect(want).toHaveLength(2);
    const [iphone, curl] = want.map((d) => d._source as Record<string, any>);
    expect(iphone!.source).toEqual({ ip: '81.2.69.160', address: '130.176.10.20', geo: { country_iso_code: 'GB' } });
    expect(curl!.source).toEqual({ ip: '2a00:1450:4001::1', address: '130.176.10.20', geo: { country_iso_code: 'GB' } });
    expect(iphone!.user_agent).toEqual({
      original: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
      name: 'Mobile Safari',
      version: '17.1',
      os: { name: 'iOS', version: '17.1', full: 'iOS 17.1' },
      device: { name: 'iPhone' },
    });
    expect(iphone!.cloud.account).toEqual({ id: '444444444444', name: 'workload-prod', organizational_unit: 'Root/Workloads/Prod', tags: { team: 'payments' } });

    const index = want[0]!._index;
    const stored = (await allDocs(client, index)).map((h) => ({ _index: h._index, _id: h._id, _source: h._source }));
    const sort = <T extends { _id: string }>(a: T[]) => [...a].sort((x, y) => x._id.localeCompare(y._id));
    expect(sort(stored)).toEqual(sort(want));

    for (const field of ['user_agent.name', 'user_agent.os.name', 'user_agent.os.full', 'user_agent.device.name', 'cloud.account.name', 'cloud.account.organizational_unit', 'cloud.account.tags.team'])
      expect(await fieldType(client, index, field), field).toBe('keyword');
    expect(await fieldType(client, index, 'source.ip')).toBe('ip');
    expect(await terms('user_agent.name')).toEqual([
      { key: 'Mobile Safari', doc_count: 1 },
      { key: 'curl', doc_count: 1 },
    ]);
    expect(await terms('cloud.account.name')).toEqual([{ key: 'workload-prod', doc_count: 2 }]);
    expect(await terms('cloud.account.organizational_unit')).toEqual([{ key: 'Root/Workloads/Prod', doc_count: 2 }]);
    // ip keys sort by address (IPv4 as IPv4-mapped IPv6 before 2a00::).
    expect(await terms('source.ip')).toEqual([
      { key: '81.2.69.160', doc_count: 1 },
      { key: '2a00:1450:4001::1', doc_count: 1 },
    ]);
  });
});
