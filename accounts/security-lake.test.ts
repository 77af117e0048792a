/**
 * `securityLake` in organization.yaml (accounts/schema.ts, accounts/rules.ts): the subscriber Security
 * Lake created for the SIEM account, read through the accounts loader as `npm run synth` reads it. Bad
 * values come out as `file: field: message` lines, all at once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountsWith, problemLines } from '../test/helpers/accounts';
import { loadOrganization } from './load';
import { securityLakeSettings } from '../modules/security-lake-settings';

const EXAMPLE = fs.readFileSync(path.join(__dirname, 'organization.yaml'), 'utf8');
const SL = '444444444444';
const ROLE = `arn:aws:iam::${SL}:role/AmazonSecurityLake-5f2a7c1e-9b3d-4e6f-8a0b-1c2d3e4f5a6b`;
const QUEUE_NAME = 'AmazonSecurityLake-5f2a7c1e-9b3d-4e6f-8a0b-1c2d3e4f5a6b-Main-Queue';
const QUEUE_ARN = `arn:aws:sqs:ap-northeast-1:${SL}:${QUEUE_NAME}`;

/** The example organization with a `securityLake:` section of these lines (YAML, two-space indented). */
function withSecurityLake(fields: Record<string, string>): string {
  const lines = Object.entries(fields).map(([k, v]) => `  ${k}: ${v}`);
  return `${EXAMPLE}\nsecurityLake:\n${lines.join('\n')}\n`;
}

const VALID = { accountId: `"${SL}"`, region: 'ap-northeast-1', subscriberRoleArn: ROLE, externalId: 'siem-sl-external-id', queue: QUEUE_ARN };

describe('organization.yaml: securityLake', () => {
  it('is off in the example organization (a commented example only)', () => {
    expect(EXAMPLE).toMatch(/^# securityLake:$/m);
    expect(loadOrganization(__dirname).securityLake).toBeUndefined();
    expect(securityLakeSettings(loadOrganization(__dirname))).toBeUndefined();
  });

  it('the commented example, uncommented, is valid', () => {
    const uncommented = EXAMPLE.replace(/^# (securityLake:)$/m, '$1').replace(/^# ( {2}\w+: .*)$/gm, '$1');
    const org = loadOrganization(accountsWith({ 'organization.yaml': uncommented }));
    expect(org.securityLake?.queue).toBe(QUEUE_ARN);
  });

  it('derives queue URL and the default bucket pattern aws-security-data-lake-<region>-*', () => {
    const org = loadOrganization(accountsWith({ 'organization.yaml': withSecurityLake(VALID) }));
    expect(securityLakeSettings(org)).toEqual({
      accountId: SL,
      region: 'ap-northeast-1',
      subscriberRoleArn: ROLE,
      externalId: 'siem-sl-external-id',
      queueArn: QUEUE_ARN,
      queueUrl: `https://sqs.ap-northeast-1.amazonaws.com/${SL}/${QUEUE_NAME}`,
      bucketPatterns: ['aws-security-data-lake-ap-northeast-1-*'],
    });
  });

  it('accepts the queue as its URL and keeps the ARN; takes named buckets', () => {
    const org = loadOrganization(
      accountsWith({
        'organization.yaml': withSecurityLake({ ...VALID, queue: `https://sqs.ap-northeast-1.amazonaws.com/${SL}/${QUEUE_NAME}`, buckets: '[aws-security-data-lake-ap-northeast-1-k3j4h5g6f7d8s9a0]' }),
      }),
    );
    const s = securityLakeSettings(org)!;
    expect(s.queueArn).toBe(QUEUE_ARN);
    expect(s.bucketPatterns).toEqual(['aws-security-data-lake-ap-northeast-1-k3j4h5g6f7d8s9a0']);
  });

  it('names each bad value with what to enter', () => {
    const dir = accountsWith({
      'organization.yaml': withSecurityLake({
        accountId: '"4444"',
        region: 'ap-northeast-1',
        subscriberRoleArn: 'AmazonSecurityLake-5f2a7c1e',
        externalId: '"x"',
        queue: 'AmazonSecurityLake-5f2a7c1e-Main-Queue',
        buckets: '["Bad_Bucket"]',
        extra: 'true',
      }),
    });
    expect(problemLines(dir)).toEqual([
      'organization.yaml: securityLake.accountId: must be a 12-digit AWS account id, got "4444"',
      'organization.yaml: securityLake.subscriberRoleArn: must be an IAM role ARN such as arn:aws:iam::<account>:role/AmazonSecurityLake-<id>; got "AmazonSecurityLake-5f2a7c1e"',
      'organization.yaml: securityLake.externalId: must be 2-1224 characters of letters, digits and +=,.@:/-',
      'organization.yaml: securityLake.queue: must be the subscriber queue ARN (arn:aws:sqs:<region>:<account>:<name>) or URL (https://sqs.<region>.amazonaws.com/<account>/<name>); got "AmazonSecurityLake-5f2a7c1e-Main-Queue"',
      'organization.yaml: securityLake.buckets[0]: must be an S3 bucket name, or a pattern of one with * for any characters; got "Bad_Bucket"',
      'organization.yaml: securityLake: unknown field "extra" (check the spelling)',
    ]);
  });

  it('rules: the subscriber must be in the SIEM Region, its queue and role in the Security Lake account, and no pattern may catch the SIEM log bucket', () => {
    const dir = accountsWith({
      'organization.yaml': withSecurityLake({
        ...VALID,
        region: 'us-east-1',
        subscriberRoleArn: 'arn:aws:iam::555555555555:role/AmazonSecurityLake-5f2a7c1e',
        queue: `arn:aws:sqs:ap-northeast-1:${SL}:${QUEUE_NAME}`,
        buckets: '["aws-security-data-lake-*", "aes-siem-*"]',
      }),
    });
    expect(problemLines(dir)).toEqual([
      'organization.yaml: securityLake.region: is us-east-1 but security.region is ap-northeast-1; the es-loader can only consume the subscriber queue in its own Region. Create the subscriber in ap-northeast-1 (a rollup Region can collect the others), or deploy the SIEM in us-east-1',
      `organization.yaml: securityLake.queue: is in ap-northeast-1 of account ${SL}, but securityLake names us-east-1 of account ${SL}; Security Lake creates the subscriber queue in its own account and the subscriber's Region. Copy the "Subscription endpoint" of the subscriber`,
      `organization.yaml: securityLake.subscriberRoleArn: is a role of account 555555555555, but securityLake.accountId is ${SL}; Security Lake creates the subscriber role in its own account. Copy the "AWS role ID" of the subscriber`,
      `organization.yaml: securityLake.buckets[1]: "aes-siem-*" matches the SIEM's own log bucket aes-siem-222222222222-log; name the Security Lake buckets only (aws-security-data-lake-<region>-*)`,
    ]);
  });
});
