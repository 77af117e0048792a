import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/firelens/ap-northeast-1/web-httpd/2026/11/21/10/web-firelens-1-2026-11-21-10-05-00-6a7b8c9d-0e1f-2a3b-4c5d-6e7f8091a2b3';
const TASK = 'arn:aws:ecs:ap-northeast-1:123456789012:task/web-cluster/0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const line = (meta: Record<string, string>, log: string) => JSON.stringify({ container_id: 'c1', container_name: 'httpd', source: 'stdout', ecs_cluster: 'web-cluster', ecs_task_arn: TASK, ecs_task_definition: 'web-httpd:7', ...meta, log });
const ACCESS = '203.0.113.10 - - [21/Nov/2026:10:00:01 +0000] "GET /index.html HTTP/1.1" 200 2326';

describe('Log type: apache_ecs', () => {
  const p = pipeline();

  it('reads the Apache access lines of FireLens records into the expected documents, stderr lines skipped', async () => {
    const items = await run(p, KEY, fixture('apache_ecs', 'fixture.jsonl'));
    expect(docs(items)).toEqual(expected('apache_ecs'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'apache_ecs', totalRecords: 11, emitted: 7, failed: 2, skipped: 2 });
    expect(items.filter((i) => i.kind === 'skipped')).toEqual([
      { kind: 'skipped', key: KEY, record: 2, reason: "the container's stderr (ignore_container_stderr of [apache_ecs])" },
      { kind: 'skipped', key: KEY, record: 9, reason: "the container's stderr (ignore_container_stderr of [apache_ecs])" },
    ]);
  });

  it('a line that is not a FireLens record, or whose log line is not an access log line, is a record error naming key and record', async () => {
    const items = await run(p, KEY, fixture('apache_ecs', 'fixture.jsonl'));
    expect(items.filter((i) => i.kind === 'record-error').map((i) => i.kind === 'record-error' && i.reason)).toEqual([
      `${KEY}: record 7 (line 8): the FireLens record is malformed JSON: Unterminated string in JSON at position 170`,
      `${KEY}: record 8 (line 9): does not match the log_pattern of [apache_ecs]`,
    ]);
    const other = await run(p, KEY, [JSON.stringify({ source: 'stdout', message: ACCESS }), '[1, 2]'].join('\n'));
    expect(other.filter((i) => i.kind === 'record-error').map((i) => i.kind === 'record-error' && i.reason)).toEqual([
      `${KEY}: record 0 (line 1): the FireLens record has no log (a string): it is not a FireLens record with the log line in "log"`,
      `${KEY}: record 1 (line 2): the FireLens record has no log (a string): it is not a FireLens record with the log line in "log"`,
    ]);
  });

  it('takes account and region from the task ARN, the instance from ec2_instance_id, the container from its metadata, as the reference', async () => {
    const body = [line({}, ACCESS), line({ container_id: 'c2', container_name: '/ecs-web-2-httpd', ec2_instance_id: 'i-0fedcba9876543210' }, ACCESS)].join('\n');
    // The key names another account and Region: the task ARN wins.
    const d = docs(await run(p, 'AWSLogs/999999999999/firelens/us-east-1/web/x.gz', body)).map((x) => x._source);
    expect(d[0]).toMatchObject({
      cloud: { account: { id: '123456789012' }, region: 'ap-northeast-1' },
      container: { id: 'c1', name: 'httpd' },
      container_source: 'stdout',
      ecs_cluster: 'web-cluster',
      ecs_task_arn: TASK,
      ecs_task_definition: 'web-httpd:7',
      '@message': ACCESS,
      '@log_type': 'apache',
      event: { module: 'apache-ecs' },
      source: { ip: '203.0.113.10' },
      http: { request: { method: 'GET' }, response: { status_code: 200 }, version: '1.1' },
    });
    expect(d[0]!.cloud).not.toHaveProperty('instance');
    expect(d[1]).toMatchObject({ cloud: { instance: { id: 'i-0fedcba9876543210' } }, container: { id: 'c2', name: '/ecs-web-2-httpd' }, ec2_instance_id: 'i-0fedcba9876543210' });
  });

  it('gives the same log line of two containers two ids, and of one container one id (log line and container name, as the reference)', async () => {
    const body = [line({}, ACCESS), line({ container_name: 'httpd-2' }, ACCESS), line({ container_id: 'c9' }, ACCESS)].join('\n');
    const ids = docs(await run(p, KEY, body)).map((x) => x._id);
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids[2]).toBe(ids[0]);
  });

  it('reads stderr lines too with ignore_container_stderr = False', async () => {
    const q = pipeline({ userIni: '[apache_ecs]\nignore_container_stderr = False\n' });
    const items = await run(q, KEY, fixture('apache_ecs', 'fixture.jsonl'));
    expect(items.at(-1)).toMatchObject({ totalRecords: 11, emitted: 7, failed: 4, skipped: 0 });
    // The httpd image writes its error log to stderr: not access log lines.
    expect(items.filter((i) => i.kind === 'record-error').map((i) => i.record)).toEqual([2, 7, 8, 9]);
  });

  it("reads a combined-format line right (the reference sample's greedy pattern does not)", async () => {
    const d = docs(await run(p, KEY, fixture('apache_ecs', 'fixture.jsonl'))).map((x) => x._source);
    expect(d[5]).toMatchObject({
      http: { request: { method: 'GET', referrer: 'https://shop.example.com/' }, response: { status_code: 200, body: { bytes: '1048' } }, version: '1.1' },
      url: { path: '/search?q=shoes' },
      user_agent: { original: 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0', name: 'Firefox' },
    });
  });

  it.each([KEY, 'firelens/web/2026/11/21/part-0001.gz'])('recognises %s', (key) => expect(p.resolveLogType(key)?.name).toBe('apache_ecs'));
});
