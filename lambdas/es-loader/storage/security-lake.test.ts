/**
 * The loader's Amazon Security Lake side (storage/security-lake.ts): its environment, which buckets it
 * answers for, how it assumes the subscriber role (external id), and the path from a Security Lake
 * subscriber notification (an EventBridge "Object Created" event in an SQS message) to the object's
 * bytes read with the subscriber role's credentials. STS and S3 are mocked with aws-sdk-client-mock.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { Pipeline } from '../pipeline';
import { parseInvocation } from '../sources/events';
import { securityLakeEnvironment } from '../runtime/config';
import { bucketMatcher } from './bucket-pattern';
import { S3ClientRegistry, S3ObjectStore } from './index';
import { SecurityLakeAssumeRoleError, SecurityLakeConfigError, securityLakeEnv, securityLakeStrategy } from './security-lake';

const REGION = 'ap-northeast-1';
const ROLE_ARN = 'arn:aws:iam::444444444444:role/AmazonSecurityLake-5f2a7c1e-9b3d-4e6f-8a0b-1c2d3e4f5a6b';
const EXTERNAL_ID = 'siem-sl-external-id';
const LAKE_BUCKET = 'aws-security-data-lake-ap-northeast-1-k3j4h5g6f7d8s9a0z1x2c3v4b';
const QUEUE_ARN = 'arn:aws:sqs:ap-northeast-1:444444444444:AmazonSecurityLake-5f2a7c1e-9b3d-4e6f-8a0b-1c2d3e4f5a6b-Main-Queue';
const CT_KEY = 'aws/CLOUD_TRAIL_MGMT/2.0/region=ap-northeast-1/accountId=555555555555/eventDay=20261120/6c1f0e2a9b8d4e7fa3c5b2d1e0f9a8b7.gz.parquet';
const CUSTOM_KEY = 'ext/okta-system-log/1.0/region=ap-northeast-1/accountId=444444444444/eventDay=20261120/0f1e2d3c4b5a69788796a5b4c3d2e1f0.gz.parquet';
/** The environment modules/security-lake-ingestion.ts gives the loader (through the same builder). */
const ENV = securityLakeEnvironment({ bucketPatterns: [`aws-security-data-lake-${REGION}-*`], roleArn: ROLE_ARN, externalId: EXTERNAL_ID, region: REGION, queueArn: QUEUE_ARN, maxReceiveCount: 3 });
const T0 = Date.parse('2026-11-22T00:00:00Z');
const fixture = () => JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'security-lake-sqs-event.json'), 'utf8')) as { Records: { body: string }[] };

function stsReturning(key: string) {
  const sts = new STSClient({ region: REGION });
  const mock = mockClient(sts);
  mock.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: key, SecretAccessKey: `secret-${key}`, SessionToken: `token-${key}`, Expiration: new Date(T0 + 3600_000) } });
  return { sts, mock };
}

describe('Function: es-loader Security Lake strategy', () => {
  const s3Mock = mockClient(S3Client);
  afterEach(() => s3Mock.reset());

  describe('environment', () => {
    it('the builder writes SL_BUCKETS, SL_ROLE_ARN, SL_EXTERNAL_ID, SL_REGION, SL_QUEUE_ARN, SL_MAX_RECEIVE_COUNT and the strategy reads them back', () => {
      expect(ENV).toEqual({ SL_BUCKETS: 'aws-security-data-lake-ap-northeast-1-*', SL_ROLE_ARN: ROLE_ARN, SL_EXTERNAL_ID: EXTERNAL_ID, SL_REGION: REGION, SL_QUEUE_ARN: QUEUE_ARN, SL_MAX_RECEIVE_COUNT: '3' });
      expect(securityLakeEnv(ENV)).toEqual({ bucketPatterns: ['aws-security-data-lake-ap-northeast-1-*'], roleArn: ROLE_ARN, externalId: EXTERNAL_ID, region: REGION, queueArn: QUEUE_ARN, maxReceiveCount: 3 });
      expect(() => securityLakeEnv({ ...ENV, SL_MAX_RECEIVE_COUNT: '0' })).toThrow('SL_MAX_RECEIVE_COUNT: must be a whole number from 1 to 999');
      expect(() => securityLakeEnv({ ...ENV, SL_QUEUE_ARN: 'https://sqs.ap-northeast-1.amazonaws.com/444444444444/q' })).toThrow('SL_QUEUE_ARN: must be an SQS queue ARN');
    });

    it('is off when no SL_* variable is set', () => {
      expect(securityLakeEnv({ CT_BUCKETS: 'x' })).toBeUndefined();
      expect(securityLakeStrategy({})).toBeUndefined();
    });

    it('names the missing or invalid variable in one line', () => {
      expect(() => securityLakeEnv({ SL_BUCKETS: LAKE_BUCKET, SL_EXTERNAL_ID: EXTERNAL_ID })).toThrow(SecurityLakeConfigError);
      expect(() => securityLakeEnv({ SL_BUCKETS: LAKE_BUCKET, SL_EXTERNAL_ID: EXTERNAL_ID })).toThrow(
        'invalid es-loader environment for the Security Lake buckets: SL_ROLE_ARN: is required: the ARN of the Security Lake subscriber role',
      );
      expect(() => securityLakeEnv({ ...ENV, SL_BUCKETS: 'Bad_Bucket' })).toThrow('SL_BUCKETS.0: "Bad_Bucket" is not an S3 bucket name or pattern');
      expect(() => securityLakeEnv({ ...ENV, SL_EXTERNAL_ID: 'x' })).toThrow('SL_EXTERNAL_ID: must be 2-1224 characters of letters, digits and +=,.@:/-');
    });
  });

  describe('bucket patterns', () => {
    it('* stands for any characters, everything else is literal', () => {
      const isLake = bucketMatcher(['aws-security-data-lake-ap-northeast-1-*', 'my.lake']);
      expect(isLake(LAKE_BUCKET)).toBe(true);
      expect(isLake('aws-security-data-lake-us-east-1-abc')).toBe(false);
      expect(isLake('aes-siem-222222222222-log')).toBe(false);
      expect(isLake('my.lake')).toBe(true);
      expect(isLake('myxlake')).toBe(false);
    });
  });

  describe('S3 clients', () => {
    it('answers only for the lake buckets, with a client signing with the subscriber role, assumed with the external id', async () => {
      const { sts, mock } = stsReturning('ASIASLREAD');
      const strategy = securityLakeStrategy(ENV, { region: REGION }, { sts, now: () => T0 })!;
      expect(strategy('aes-siem-222222222222-log')).toBeUndefined();
      expect(strategy(`aws-controltower-logs-333333333333-${REGION}`)).toBeUndefined();
      const client = strategy(LAKE_BUCKET)!;
      expect(client).toBeInstanceOf(S3Client);
      expect(await client.config.region()).toBe(REGION);
      expect((await client.config.credentials()).accessKeyId).toBe('ASIASLREAD');
      expect(mock.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).toEqual([
        { RoleArn: ROLE_ARN, RoleSessionName: 'siem-es-loader', ExternalId: EXTERNAL_ID, DurationSeconds: 3600 },
      ]);
    });

    it('a refused AssumeRole names the role and docs/security-lake.md', async () => {
      const sts = new STSClient({ region: REGION });
      const denied = Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' });
      mockClient(sts).on(AssumeRoleCommand).rejects(denied);
      const client = securityLakeStrategy(ENV, { region: REGION }, { sts, now: () => T0 })!(LAKE_BUCKET)!;
      const err = await client.config.credentials().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SecurityLakeAssumeRoleError);
      expect((err as Error).message).toBe(
        `cannot assume ${ROLE_ARN} (check its trust policy names the loader role and the external id, see docs/security-lake.md): AccessDenied: User is not authorized to perform: sts:AssumeRole`,
      );
    });

    it('is plugged into the loader: the registry built from the environment picks it for lake buckets only', () => {
      const defaultClient = new S3Client({ region: REGION });
      const registry = S3ClientRegistry.fromEnvironment({ ...ENV, AWS_REGION: REGION }, defaultClient);
      expect(registry.clientFor('aes-siem-222222222222-log')).toBe(defaultClient);
      expect(registry.clientFor(LAKE_BUCKET)).not.toBe(defaultClient);
      expect(S3ClientRegistry.fromEnvironment({ AWS_REGION: REGION }, defaultClient).clientFor(LAKE_BUCKET)).toBe(defaultClient);
    });
  });

  describe('subscriber notification to object bytes', () => {
    it('parses Security Lake\'s SQS messages (EventBridge "Object Created") into bucket, key, size and time, one message per object', () => {
      const event = { Records: fixture().Records };
      const inv = parseInvocation(event);
      expect(inv.kind).toBe('sqs');
      if (inv.kind !== 'sqs') return;
      expect(inv.messages.map((m) => ({ id: m.messageId, arn: m.eventSourceArn, error: m.error, tasks: m.notification?.tasks }))).toEqual([
        {
          id: '0c6c7a15-2f1b-4a3e-9d8c-7b6a5f4e3d20',
          arn: QUEUE_ARN,
          error: undefined,
          tasks: [{ ref: { bucket: LAKE_BUCKET, key: CT_KEY, size: 48213, eventTime: '2026-11-20T03:10:11Z' }, origin: 'eventbridge' }],
        },
        {
          id: '0c6c7a15-2f1b-4a3e-9d8c-7b6a5f4e3d21',
          arn: QUEUE_ARN,
          error: undefined,
          tasks: [{ ref: { bucket: LAKE_BUCKET, key: CUSTOM_KEY, size: 9120, eventTime: '2026-11-20T03:12:40Z' }, origin: 'eventbridge' }],
        },
      ]);
    });

    it('the notified keys (an AWS source and a custom source) are Security Lake objects for the pipeline: log type securitylake', () => {
      const pipeline = Pipeline.create();
      expect([CT_KEY, CUSTOM_KEY].map((k) => pipeline.resolveLogType(k)?.name)).toEqual(['securitylake', 'securitylake']);
    });

    it('reads the notified object with the subscriber role and hands its bytes on under its key', async () => {
      const { sts } = stsReturning('ASIASLREAD');
      const registry = new S3ClientRegistry(new S3Client({ region: REGION, credentials: { accessKeyId: 'AKIALOADER', secretAccessKey: 'x' } })).use(securityLakeStrategy(ENV, { region: REGION }, { sts, now: () => T0 })!);
      const bytes = Buffer.from('PAR1 row group bytes PAR1');
      s3Mock.on(GetObjectCommand, { Bucket: LAKE_BUCKET, Key: CT_KEY }).resolves({ Body: Readable.from([bytes]) as never, ETag: '"9b2cf535f27731c974343645a3985328"' });

      const inv = parseInvocation({ Records: fixture().Records.slice(0, 1) });
      const ref = inv.kind === 'sqs' ? inv.messages[0]!.notification!.tasks[0]!.ref : undefined;
      const stream = await new S3ObjectStore(registry).open(ref!);
      const chunks: Buffer[] = [];
      for await (const c of stream.body) chunks.push(Buffer.from(c));
      expect(Buffer.concat(chunks)).toEqual(bytes);

      const calls = s3Mock.commandCalls(GetObjectCommand);
      expect(calls.map((c) => c.args[0].input)).toEqual([{ Bucket: LAKE_BUCKET, Key: CT_KEY }]);
      const usedClient = calls[0]!.thisValue as S3Client;
      expect((await usedClient.config.credentials()).accessKeyId).toBe('ASIASLREAD');
    });
  });
});
