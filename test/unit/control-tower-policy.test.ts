/**
 * Exact decisions of the Control Tower integration's policies, simulated with
 * @cloud-copilot/iam-simulate over the synthesized `log-archive` stack (and the loader statements the
 * central stack adds): who may send to and consume `aes-siem-ct`, who may assume `ct-role-for-siem`
 * and what that role may read and decrypt.
 */
import { describe, expect, it } from 'vitest';
import { controlTowerKeyPolicyStatement, loaderControlTowerStatements, requireControlTowerSettings } from '../../modules/log-archive';
import { decide, type Caller, type Decision, type Policy } from '../helpers/iam';
import {
  ctOrganization,
  CT_ACCESS_LOGS,
  CT_KEY_ARN,
  CT_LOGS,
  DLQ_ARN,
  EXTERNAL_ID,
  LOADER_ROLE_ARN,
  LOG_ARCHIVE,
  MANAGEMENT,
  only,
  policyOf,
  QUEUE_ARN,
  READER_ROLE_ARN,
  REGION,
  resources,
  RULE_ARN,
  SECURITY,
  synthLogArchive,
} from './log-archive-helpers';

const OTHER_BUCKET = `some-other-bucket-${LOG_ARCHIVE}`;
const OUTSIDER = '999999999999';

function synthesizedPolicies(mode: 'eventbridge' | 'direct') {
  const org = ctOrganization({ notificationMode: mode, controlTowerKmsKeyArn: CT_KEY_ARN });
  const { json } = synthLogArchive(org);
  const tfName = (name: string) => Object.entries(resources(json, 'aws_sqs_queue')).find(([, q]) => q.name === name)![0];
  const qp = (name: string) => policyOf(only(json, 'aws_sqs_queue_policy', (p) => p.queue_url === `\${aws_sqs_queue.${tfName(name)}.url}`).policy);
  const settings = requireControlTowerSettings(org, 'test');
  return {
    queue: qp('aes-siem-ct'),
    dlq: qp('aes-siem-ct-dlq'),
    trust: policyOf(only(json, 'aws_iam_role').assume_role_policy),
    reader: policyOf(only(json, 'aws_iam_role_policy').policy),
    loader: { Version: '2012-10-17', Statement: loaderControlTowerStatements(settings) } as Policy,
    key: { Version: '2012-10-17', Statement: [controlTowerKeyPolicyStatement(settings)!] } as Policy,
  };
}

interface Case {
  readonly name: string;
  readonly caller: Caller;
  readonly action: string;
  readonly resource: string;
  readonly account: string;
  readonly policy: 'queue' | 'dlq' | 'trust' | 'key' | 'none';
  readonly expected: Decision;
  readonly secureTransport?: boolean;
  readonly context?: Record<string, string>;
}

const s3From = (bucket: string, account = LOG_ARCHIVE): Caller => ({ service: 's3.amazonaws.com', sourceAccount: account, sourceArn: `arn:aws:s3:::${bucket}` });
const events = (ruleArn: string): Caller => ({ service: 'events.amazonaws.com', sourceAccount: LOG_ARCHIVE, sourceArn: ruleArn });
const obj = (bucket: string, key = 'o-a1b2c3d4e5/AWSLogs/444444444444/CloudTrail/ap-northeast-1/2026/11/22/x.json.gz') => `arn:aws:s3:::${bucket}/${key}`;

function cases(p: ReturnType<typeof synthesizedPolicies>, mode: 'eventbridge' | 'direct'): Case[] {
  const loader: Caller = { roleArn: LOADER_ROLE_ARN, identityPolicies: [p.loader] };
  const otherSecurityRole: Caller = { roleArn: `arn:aws:iam::${SECURITY}:role/some-admin` };
  const outsider: Caller = { roleArn: `arn:aws:iam::${OUTSIDER}:role/aes-siem-es-loader-role` };
  const reader: Caller = { roleArn: READER_ROLE_ARN, identityPolicies: [p.reader] };
  const viaS3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com`, 'kms:CallerAccount': LOG_ARCHIVE };
  return [
    // Queue: who may send
    { name: 'S3 from the Control Tower logs bucket may send', caller: s3From(CT_LOGS), action: 'sqs:SendMessage', resource: QUEUE_ARN, account: LOG_ARCHIVE, policy: 'queue', expected: 'Allowed' },
    { name: 'S3 from the Control Tower access-logs bucket may send', caller: s3From(CT_ACCESS_LOGS), action: 'sqs:SendMessage', resource: QUEUE_ARN, account: LOG_ARCHIVE, policy: 'queue', expected: 'Allowed' },
    { name: 'S3 from another bucket may not send', caller: s3From(OTHER_BUCKET), action: 'sqs:SendMessage', resource: QUEUE_ARN, account: LOG_ARCHIVE, policy: 'queue', expected: 'ImplicitlyDenied' },
    { name: 'S3 for a same-named bucket of another account may not send', caller: s3From(CT_LOGS, OUTSIDER), action: 'sqs:SendMessage', resource: QUEUE_ARN, account: LOG_ARCHIVE, policy: 'queue', expected: 'ImplicitlyDenied' },
    {
      name: `EventBridge for the stack's rule ${mode === 'eventbridge' ? 'may' : 'may not'} send`,
      caller: events(RULE_ARN),
      action: 'sqs:SendMessage',
      resource: QUEUE_ARN,
      account: LOG_ARCHIVE,
      policy: 'queue',
      expected: mode === 'eventbridge' ? 'Allowed' : 'ImplicitlyDenied',
    },
    { name: 'EventBridge for another rule may not send', caller: events(`arn:aws:events:${REGION}:${LOG_ARCHIVE}:rule/other`), action: 'sqs:SendMessage', resource: QUEUE_ARN, account: LOG_ARCHIVE, policy: 'queue', expected: 'ImplicitlyDenied' },
    { name: 'the central loader role may not send to the queue', caller: loader, action: 'sqs:SendMessage', resource: QUEUE_ARN, account: LOG_ARCHIVE, policy: 'queue', expected: 'ImplicitlyDenied' },
    // Queue: who may consume
    { name: 'the central loader role may receive', caller: loader, action: 'sqs:ReceiveMessage', resource: QUEUE_ARN, account: LOG_ARCHIVE, policy: 'queue', expected: 'Allowed' },
    { name: 'the central loader role may delete', caller: loader, action: 'sqs:DeleteMessage', resource: QUEUE_ARN, account: LOG_ARCHIVE, policy: 'queue', expected: 'Allowed' },
    { name: 'the central loader role may get the queue attributes', caller: loader, action: 'sqs:GetQueueAttributes', resource: QUEUE_ARN, account: LOG_ARCHIVE, policy: 'queue', expected: 'Allowed' },
    { name: 'the central loader role may not purge', caller: loader, action: 'sqs:PurgeQueue', resource: QUEUE_ARN, account: LOG_ARCHIVE, policy: 'queue', expected: 'ImplicitlyDenied' },
    { name: 'the central loader role may not receive without TLS', caller: loader, action: 'sqs:ReceiveMessage', resource: QUEUE_ARN, account: LOG_ARCHIVE, policy: 'queue', expected: 'ExplicitlyDenied', secureTransport: false },
    { name: 'another role of the security account (allowed everything by IAM) may not receive', caller: otherSecurityRole, action: 'sqs:ReceiveMessage', resource: QUEUE_ARN, account: LOG_ARCHIVE, policy: 'queue', expected: 'ImplicitlyDenied' },
    { name: 'a role named like the loader in another account may not receive', caller: outsider, action: 'sqs:ReceiveMessage', resource: QUEUE_ARN, account: LOG_ARCHIVE, policy: 'queue', expected: 'ImplicitlyDenied' },
    // DLQ
    { name: 'the central loader role may write failure messages to the DLQ', caller: loader, action: 'sqs:SendMessage', resource: DLQ_ARN, account: LOG_ARCHIVE, policy: 'dlq', expected: 'Allowed' },
    { name: 'the central loader role may not read the DLQ', caller: loader, action: 'sqs:ReceiveMessage', resource: DLQ_ARN, account: LOG_ARCHIVE, policy: 'dlq', expected: 'ImplicitlyDenied' },
    { name: 'another role of the security account may not write to the DLQ', caller: otherSecurityRole, action: 'sqs:SendMessage', resource: DLQ_ARN, account: LOG_ARCHIVE, policy: 'dlq', expected: 'ImplicitlyDenied' },
    { name: 'S3 may not send to the DLQ', caller: s3From(CT_LOGS), action: 'sqs:SendMessage', resource: DLQ_ARN, account: LOG_ARCHIVE, policy: 'dlq', expected: 'ImplicitlyDenied' },
    // Trust of ct-role-for-siem
    { name: 'the central loader role may assume ct-role-for-siem with the external id', caller: loader, action: 'sts:AssumeRole', resource: READER_ROLE_ARN, account: LOG_ARCHIVE, policy: 'trust', expected: 'Allowed', context: { 'sts:ExternalId': EXTERNAL_ID } },
    { name: 'the central loader role may not assume it without the external id', caller: loader, action: 'sts:AssumeRole', resource: READER_ROLE_ARN, account: LOG_ARCHIVE, policy: 'trust', expected: 'ImplicitlyDenied' },
    { name: 'the central loader role may not assume it with a wrong external id', caller: loader, action: 'sts:AssumeRole', resource: READER_ROLE_ARN, account: LOG_ARCHIVE, policy: 'trust', expected: 'ImplicitlyDenied', context: { 'sts:ExternalId': 'guessed' } },
    { name: 'another role of the security account may not assume it, even with the external id', caller: otherSecurityRole, action: 'sts:AssumeRole', resource: READER_ROLE_ARN, account: LOG_ARCHIVE, policy: 'trust', expected: 'ImplicitlyDenied', context: { 'sts:ExternalId': EXTERNAL_ID } },
    { name: 'a role of another account may not assume it, even with the external id', caller: outsider, action: 'sts:AssumeRole', resource: READER_ROLE_ARN, account: LOG_ARCHIVE, policy: 'trust', expected: 'ImplicitlyDenied', context: { 'sts:ExternalId': EXTERNAL_ID } },
    // What ct-role-for-siem may do
    { name: 'the reader role may read an object of the Control Tower logs bucket', caller: reader, action: 's3:GetObject', resource: obj(CT_LOGS), account: LOG_ARCHIVE, policy: 'none', expected: 'Allowed' },
    { name: 'the reader role may read an object of the access-logs bucket', caller: reader, action: 's3:GetObject', resource: obj(CT_ACCESS_LOGS, '2026-11-22-01-02-03-0123456789ABCDEF'), account: LOG_ARCHIVE, policy: 'none', expected: 'Allowed' },
    { name: 'the reader role may not read another bucket', caller: reader, action: 's3:GetObject', resource: obj(OTHER_BUCKET), account: LOG_ARCHIVE, policy: 'none', expected: 'ImplicitlyDenied' },
    { name: 'the reader role may not list the Control Tower bucket', caller: reader, action: 's3:ListBucket', resource: `arn:aws:s3:::${CT_LOGS}`, account: LOG_ARCHIVE, policy: 'none', expected: 'ImplicitlyDenied' },
    { name: 'the reader role may not write to the Control Tower bucket', caller: reader, action: 's3:PutObject', resource: obj(CT_LOGS), account: LOG_ARCHIVE, policy: 'none', expected: 'ImplicitlyDenied' },
    { name: 'the reader role may not delete from the Control Tower bucket', caller: reader, action: 's3:DeleteObject', resource: obj(CT_LOGS), account: LOG_ARCHIVE, policy: 'none', expected: 'ImplicitlyDenied' },
    // The Control Tower key (management account): role policy and the statement pasted into the key policy
    { name: 'the reader role may decrypt with the Control Tower key through S3', caller: reader, action: 'kms:Decrypt', resource: CT_KEY_ARN, account: MANAGEMENT, policy: 'key', expected: 'Allowed', context: viaS3 },
    { name: 'the reader role may not decrypt with the Control Tower key directly', caller: reader, action: 'kms:Decrypt', resource: CT_KEY_ARN, account: MANAGEMENT, policy: 'key', expected: 'ImplicitlyDenied', context: { 'kms:CallerAccount': LOG_ARCHIVE } },
    { name: 'the reader role may not encrypt with the Control Tower key', caller: reader, action: 'kms:Encrypt', resource: CT_KEY_ARN, account: MANAGEMENT, policy: 'key', expected: 'ImplicitlyDenied', context: viaS3 },
    { name: 'another role of the Log Archive account may not decrypt with the Control Tower key', caller: { roleArn: `arn:aws:iam::${LOG_ARCHIVE}:role/some-reader` }, action: 'kms:Decrypt', resource: CT_KEY_ARN, account: MANAGEMENT, policy: 'key', expected: 'ImplicitlyDenied', context: viaS3 },
    { name: 'the central loader role may not decrypt with the Control Tower key', caller: loader, action: 'kms:Decrypt', resource: CT_KEY_ARN, account: MANAGEMENT, policy: 'key', expected: 'ImplicitlyDenied', context: { 'kms:ViaService': `s3.${REGION}.amazonaws.com`, 'kms:CallerAccount': SECURITY } },
  ];
}

describe.each(['eventbridge', 'direct'] as const)('Policies: Control Tower integration (%s mode)', (mode) => {
  const p = synthesizedPolicies(mode);
  const resourcePolicy = (c: Case): Policy | undefined => (c.policy === 'none' ? undefined : p[c.policy]);
  it.each(cases(p, mode).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const decision = await decide({
      caller: c.caller,
      action: c.action,
      resource: c.resource,
      resourceAccount: c.account,
      resourcePolicy: resourcePolicy(c),
      secureTransport: c.secureTransport,
      context: c.context,
    });
    expect(decision).toBe(c.expected);
  });
});
