/**
 * The loader's Control Tower credential strategy (lambdas/es-loader/storage/control-tower.ts): which
 * buckets it answers for, how it assumes ct-role-for-siem (external id, session length), how long it
 * keeps the credentials, and where dead letters of Control Tower objects go. STS is mocked with
 * aws-sdk-client-mock (no local STS server exists).
 */
import { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import type { DeadLetter, DeadLetterQueue } from '../../lambdas/es-loader/sink/types';
import { S3ClientRegistry } from '../../lambdas/es-loader/storage';
import {
  assumedRoleCredentials,
  ControlTowerAssumeRoleError,
  ControlTowerConfigError,
  ControlTowerDeadLetterRouter,
  controlTowerEnv,
  controlTowerStrategy,
  CREDENTIAL_REFRESH_MARGIN_MS,
  withControlTowerDeadLetters,
} from '../../lambdas/es-loader/storage/control-tower';
import { CT_ACCESS_LOGS, CT_LOGS, EXTERNAL_ID, READER_ROLE_ARN } from './log-archive-helpers';

const ENV = { CT_BUCKETS: `${CT_LOGS},${CT_ACCESS_LOGS}`, CT_ROLE_ARN: READER_ROLE_ARN, CT_EXTERNAL_ID: EXTERNAL_ID, CT_REGION: 'ap-northeast-1' };
const T0 = Date.parse('2026-11-22T00:00:00Z');

function stsReturning(...keys: string[]) {
  const sts = new STSClient({ region: 'ap-northeast-1' });
  const mock = mockClient(sts);
  let i = 0;
  mock.on(AssumeRoleCommand).callsFake(async () => {
    const key = keys[Math.min(i++, keys.length - 1)]!;
    return { Credentials: { AccessKeyId: key, SecretAccessKey: `secret-${key}`, SessionToken: `token-${key}`, Expiration: new Date(T0 + 3600_000) } };
  });
  return { sts, mock };
}

class RecordingDlq implements DeadLetterQueue {
  readonly sent: DeadLetter[][] = [];
  async send(letters: readonly DeadLetter[]): Promise<void> {
    this.sent.push([...letters]);
  }
}

describe('Function: es-loader Control Tower strategy', () => {
  describe('environment', () => {
    it('is off when no CT_* variable is set', () => {
      expect(controlTowerEnv({})).toBeUndefined();
      expect(controlTowerStrategy({})).toBeUndefined();
    });

    it('parses the buckets, role, external id, Region and DLQ', () => {
      expect(controlTowerEnv({ ...ENV, CT_DLQ_URL: 'https://sqs.ap-northeast-1.amazonaws.com/333333333333/aes-siem-ct-dlq' })).toEqual({
        buckets: [CT_LOGS, CT_ACCESS_LOGS],
        roleArn: READER_ROLE_ARN,
        externalId: EXTERNAL_ID,
        region: 'ap-northeast-1',
        dlqUrl: 'https://sqs.ap-northeast-1.amazonaws.com/333333333333/aes-siem-ct-dlq',
      });
    });

    it('names the missing or invalid variable', () => {
      expect(() => controlTowerEnv({ CT_BUCKETS: CT_LOGS, CT_EXTERNAL_ID: EXTERNAL_ID })).toThrow(ControlTowerConfigError);
      expect(() => controlTowerEnv({ CT_BUCKETS: CT_LOGS, CT_EXTERNAL_ID: EXTERNAL_ID })).toThrow(/CT_ROLE_ARN: is required/);
      expect(() => controlTowerEnv({ ...ENV, CT_BUCKETS: 'Bad_Bucket' })).toThrow(/CT_BUCKETS.*"Bad_Bucket" is not an S3 bucket name/);
      expect(() => controlTowerEnv({ ...ENV, CT_ROLE_ARN: 'ct-role-for-siem' })).toThrow(/CT_ROLE_ARN: must be an IAM role ARN/);
    });
  });

  describe('credentials', () => {
    it('assumes ct-role-for-siem with the external id for one hour, once for many callers', async () => {
      const { sts, mock } = stsReturning('ASIACT0001');
      const provider = assumedRoleCredentials({ roleArn: READER_ROLE_ARN, externalId: EXTERNAL_ID, sts, now: () => T0 });
      const all = await Promise.all([provider(), provider(), provider()]);
      expect(all.map((c) => c.accessKeyId)).toEqual(['ASIACT0001', 'ASIACT0001', 'ASIACT0001']);
      expect(all[0]).toMatchObject({ secretAccessKey: 'secret-ASIACT0001', sessionToken: 'token-ASIACT0001' });
      expect(mock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
      expect(mock.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toEqual({ RoleArn: READER_ROLE_ARN, RoleSessionName: 'siem-es-loader', ExternalId: EXTERNAL_ID, DurationSeconds: 3600 });
    });

    it('keeps the credentials until the refresh margin before expiry, then assumes again', async () => {
      const { sts, mock } = stsReturning('ASIAFIRST', 'ASIASECOND');
      let now = T0;
      const provider = assumedRoleCredentials({ roleArn: READER_ROLE_ARN, externalId: EXTERNAL_ID, sts, now: () => now });
      expect((await provider()).accessKeyId).toBe('ASIAFIRST');
      now = T0 + 3600_000 - CREDENTIAL_REFRESH_MARGIN_MS - 1; // still just valid long enough
      expect((await provider()).accessKeyId).toBe('ASIAFIRST');
      now = T0 + 3600_000 - CREDENTIAL_REFRESH_MARGIN_MS; // inside the margin
      expect((await provider()).accessKeyId).toBe('ASIASECOND');
      expect(mock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    });

    it('reports a refused AssumeRole clearly, and tries again on the next call', async () => {
      const sts = new STSClient({ region: 'ap-northeast-1' });
      const mock = mockClient(sts);
      const denied = Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' });
      mock.on(AssumeRoleCommand).rejectsOnce(denied).resolves({ Credentials: { AccessKeyId: 'ASIALATER', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(T0 + 3600_000) } });
      const provider = assumedRoleCredentials({ roleArn: READER_ROLE_ARN, externalId: EXTERNAL_ID, sts, now: () => T0 });
      const err = await provider().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ControlTowerAssumeRoleError);
      expect((err as Error).message).toMatch(/cannot assume arn:aws:iam::333333333333:role\/ct-role-for-siem .*external id.*AccessDenied: User is not authorized/);
      expect((err as Error).cause).toBe(denied);
      expect((await provider()).accessKeyId).toBe('ASIALATER');
    });
  });

  describe('S3 clients', () => {
    it('answers only for the Control Tower buckets, with a client signing with the assumed credentials', async () => {
      const { sts } = stsReturning('ASIACTREAD');
      const strategy = controlTowerStrategy(ENV, { region: 'ap-northeast-1' }, { sts, now: () => T0 })!;
      expect(strategy('aes-siem-222222222222-log')).toBeUndefined();
      const client = strategy(CT_LOGS)!;
      expect(client).toBeInstanceOf(S3Client);
      expect(strategy(CT_ACCESS_LOGS)).toBe(client);
      expect(await client.config.region()).toBe('ap-northeast-1');
      expect((await client.config.credentials()).accessKeyId).toBe('ASIACTREAD');
    });

    it('is plugged into the loader: the registry built from the environment picks it for Control Tower buckets only', () => {
      const defaultClient = new S3Client({ region: 'ap-northeast-1' });
      const registry = S3ClientRegistry.fromEnvironment({ ...ENV, AWS_REGION: 'ap-northeast-1' }, defaultClient);
      expect(registry.clientFor('aes-siem-222222222222-log')).toBe(defaultClient);
      expect(registry.clientFor(CT_LOGS)).not.toBe(defaultClient);
      expect(S3ClientRegistry.fromEnvironment({ AWS_REGION: 'ap-northeast-1' }, defaultClient).clientFor(CT_LOGS)).toBe(defaultClient);
    });
  });

  describe('dead letters', () => {
    const ct: DeadLetter = { stage: 'object', bucket: CT_LOGS, key: 'o-a1b2c3d4e5/AWSLogs/444444444444/Unknown/x.gz', reason: 'unknown log type' };
    const central: DeadLetter = { stage: 'parse', bucket: 'aes-siem-222222222222-log', key: 'AWSLogs/444444444444/CloudTrail/x.json.gz', record: 3, reason: 'bad JSON' };

    it('sends letters about Control Tower objects to the Control Tower DLQ and the rest to the loader DLQ', async () => {
      const fallback = new RecordingDlq();
      const ctDlq = new RecordingDlq();
      await new ControlTowerDeadLetterRouter(fallback, ctDlq, [CT_LOGS, CT_ACCESS_LOGS]).send([ct, central]);
      expect(ctDlq.sent).toEqual([[ct]]);
      expect(fallback.sent).toEqual([[central]]);
    });

    it('leaves the loader DLQ alone when CT_DLQ_URL is not set', () => {
      const dlq = new RecordingDlq();
      const sqs = new SQSClient({ region: 'ap-northeast-1' });
      expect(withControlTowerDeadLetters(dlq, sqs, ENV)).toBe(dlq);
      expect(withControlTowerDeadLetters(dlq, sqs, { ...ENV, CT_DLQ_URL: 'https://sqs.ap-northeast-1.amazonaws.com/333333333333/aes-siem-ct-dlq' })).toBeInstanceOf(ControlTowerDeadLetterRouter);
    });
  });
});
