import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { initRuntime } from './init';
import type { Log } from './observability';

function recordingLog() {
  const lines: Array<{ level: string; message: string }> = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  const log: Log = { info: at('info'), warn: at('warn'), error: at('error') };
  return { log, lines };
}

/** An S3 client holding `objects` of the geo bucket; every other key is missing (NoSuchKey). */
function geoBucket(objects: Record<string, string | Error>): S3Client {
  const s3 = new S3Client({ region: 'us-east-1' });
  s3.send = (async (cmd: unknown) => {
    const key = cmd instanceof GetObjectCommand ? cmd.input.Key! : '';
    const v = objects[key];
    if (v instanceof Error) throw v;
    if (v === undefined) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    return { Body: { transformToByteArray: async () => new Uint8Array(Buffer.from(v)) } };
  }) as S3Client['send'];
  return s3;
}

const env = {
  OPENSEARCH_ENDPOINT: 'http://127.0.0.1:9',
  OPENSEARCH_AUTH: 'none',
  AWS_REGION: 'us-east-1',
  SPLIT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/222222222222/aes-siem-sqs-splitted-logs',
  DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/222222222222/aes-siem-dlq',
  GEOIP_BUCKET: 'aes-siem-222222222222-geo',
};
const sqs = new SQSClient({ region: 'us-east-1' });
const errors = (lines: Array<{ level: string; message: string }>) => lines.filter((l) => l.level === 'error').map((l) => l.message);

describe('Function: initRuntime (cold start) with the exclusion CSV of the geo bucket', () => {
  it('applies exclude_log_patterns.csv to its log types', async () => {
    const { log, lines } = recordingLog();
    const s3 = geoBucket({ 'exclude_log_patterns.csv': 'log_type,field,pattern,pattern_type,comment\ncloudtrail,eventSource,athena.amazonaws.com,text,\n' });
    const rt = await initRuntime(env, __dirname, { s3, sqs, log });
    const ct = rt.pipeline.logTypes.find((t) => t.name === 'cloudtrail')!;
    expect(ct.excludeRaw!.map((r) => [r.text, r.test('athena.amazonaws.com')])).toEqual([['s3://aes-siem-222222222222-geo/exclude_log_patterns.csv row 2 (cloudtrail,eventSource,athena.amazonaws.com,text)', true]]);
    expect(errors(lines)).toEqual([]);
  });

  it('without the CSV in the bucket: nothing excluded, nothing logged as an error', async () => {
    const { log, lines } = recordingLog();
    const rt = await initRuntime(env, __dirname, { s3: geoBucket({}), sqs, log });
    expect(rt.pipeline.logTypes.some((t) => t.excludeRaw)).toBe(false);
    expect(errors(lines)).toEqual([]);
  });

  it('leaves out an invalid or unreadable CSV with one error line', async () => {
    const { log, lines } = recordingLog();
    const bad = await initRuntime(env, __dirname, { s3: geoBucket({ 'exclude_log_patterns.csv': 'log_type,field,pattern,pattern_type\nnope,a,b,text\n' }), sqs, log });
    expect(bad.pipeline.logTypes.some((t) => t.excludeRaw)).toBe(false);
    const denied = recordingLog();
    await initRuntime(env, __dirname, { s3: geoBucket({ 'exclude_log_patterns.csv': Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }) }), sqs, log: denied.log });
    expect([...errors(lines), ...errors(denied.lines)]).toEqual([
      'exclusion CSV ignored, no record is excluded by it: s3://aes-siem-222222222222-geo/exclude_log_patterns.csv: row 2: log_type "nope" is not a log type of aws.ini or user.ini',
      'exclusion CSV ignored, no record is excluded by it: s3://aes-siem-222222222222-geo/exclude_log_patterns.csv: cannot read it: Access Denied',
    ]);
  });
});
