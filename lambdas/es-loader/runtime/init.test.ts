import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
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

const dir = mkdtempSync(join(tmpdir(), 'user-ini-'));
const env = (userIni: string) => ({
  OPENSEARCH_ENDPOINT: 'http://127.0.0.1:9',
  OPENSEARCH_AUTH: 'none',
  AWS_REGION: 'us-east-1',
  SPLIT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/222222222222/aes-siem-sqs-splitted-logs',
  DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/222222222222/aes-siem-dlq',
  USER_INI: userIni,
});
const clients = { s3: new S3Client({ region: 'us-east-1' }), sqs: new SQSClient({ region: 'us-east-1' }) };
const CLOUDTRAIL_KEY = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/22/111122223333_CloudTrail_us-east-1_20261122T0700Z_a.json.gz';

describe('Function: initRuntime (cold start) with USER_INI', () => {
  it('loads a valid user.ini: its log types and overrides apply', async () => {
    const file = join(dir, 'good.ini');
    writeFileSync(file, '[cloudtrail]\nmax_log_count = 7\n\n[myapp]\ns3_key = /myapp/\nfile_format = json\nindex_name = log-myapp\n');
    const { log, lines } = recordingLog();
    const rt = await initRuntime(env(file), dir, { ...clients, log });
    expect(rt.pipeline.resolveLogType(CLOUDTRAIL_KEY)).toMatchObject({ maxLogCount: 7 });
    expect(rt.pipeline.resolveLogType('x/myapp/a.json')).toMatchObject({ name: 'myapp' });
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('leaves out an invalid user.ini with one error line; the built-in log types keep loading', async () => {
    const file = join(dir, 'bad.ini');
    writeFileSync(file, '[cloudtrail]\nmax_log_count = 7\nindex_rotaton = daily\n');
    const { log, lines } = recordingLog();
    const rt = await initRuntime(env(file), dir, { ...clients, log });
    expect(lines.filter((l) => l.level === 'error')).toEqual([
      {
        level: 'error',
        message: `user.ini ignored, loading the built-in log types only: ${file}: [cloudtrail] index_rotaton: unknown key; did you mean "index_rotation"? Allowed: the keys listed in docs/log-types.md "user.ini" and ECS mapping lines such as "source.ip = srcaddr"`,
      },
    ]);
    // aws.ini's cloudtrail, without the override of the ignored file
    expect(rt.pipeline.resolveLogType(CLOUDTRAIL_KEY)).toMatchObject({ name: 'cloudtrail', maxLogCount: 50000 });
  });

  it('leaves out a user.ini that cannot be read, with one error line', async () => {
    const { log, lines } = recordingLog();
    const rt = await initRuntime(env(join(dir, 'missing.ini')), dir, { ...clients, log });
    expect(lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      expect.stringMatching(/^user\.ini ignored, loading the built-in log types only: USER_INI .*missing\.ini: cannot read .*missing\.ini: ENOENT/),
    ]);
    expect(rt.pipeline.resolveLogType(CLOUDTRAIL_KEY)).toMatchObject({ name: 'cloudtrail' });
  });
});
