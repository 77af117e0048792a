/**
 * Exact IAM decisions for the Amazon Security Lake subscriber, simulated with @cloud-copilot/iam-simulate
 * on the policy text the central stack synthesizes for the es-loader role (all of its inline policies).
 *
 * The subscriber role, its trust policy and the queue policy are Security Lake's, not ours; they are
 * modelled here as Security Lake writes them for a subscriber with S3 data access (trust: the subscriber
 * account with the external id; queue: the subscriber account may receive and delete). What is ours is
 * the loader's side: it may assume that role (only with the external id) and consume that queue, and
 * nothing else of the Security Lake account.
 */
import { describe, expect, it } from 'vitest';
import { decide, type Caller, type Decision, type Policy } from '../helpers/iam';
import { policyOf, type TfJson } from './log-archive-helpers';
import { LOADER_ROLE_ARN, SECURITY, SECURITY_LAKE, SL_EXTERNAL_ID, SL_QUEUE_ARN, slOrganization, SUBSCRIBER_ROLE_ARN, synthCentral } from './security-lake-helpers';

const OTHER_SUBSCRIBER_ROLE_ARN = `arn:aws:iam::${SECURITY_LAKE}:role/AmazonSecurityLake-0a0b0c0d-1e1f-4a2b-8c3d-4e5f6a7b8c9d`;
const OTHER_QUEUE_ARN = `arn:aws:sqs:ap-northeast-1:${SECURITY_LAKE}:AmazonSecurityLake-0a0b0c0d-1e1f-4a2b-8c3d-4e5f6a7b8c9d-Main-Queue`;

/** Every inline policy of the es-loader role, as synthesized. */
function loaderPolicies(json: TfJson): Policy[] {
  const role = Object.entries(json.resource.aws_iam_role ?? {}).find(([, r]) => r.name === 'aes-siem-es-loader-role')![0];
  return Object.values(json.resource.aws_iam_role_policy ?? {})
    .filter((p) => p.role === `\${aws_iam_role.${role}.name}`)
    .map((p) => policyOf(p.policy) as Policy);
}

/** A subscriber role's trust policy as Security Lake writes it: the subscriber account, with the external id. */
const trustOf = (externalId: string): Policy => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${SECURITY}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': externalId } } }],
});
/** A trust policy without the external id, to show the loader's own condition on its own. */
const LAX_TRUST: Policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${SECURITY}:root` }, Action: 'sts:AssumeRole' }] };
/** The subscriber queue's policy as Security Lake writes it: the subscriber account may consume. */
const queuePolicyOf = (queueArn: string): Policy => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${SECURITY}:root` },
      Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
      Resource: queueArn,
    },
  ],
});

interface Case {
  readonly name: string;
  readonly action: string;
  readonly resource: string;
  readonly resourcePolicy: Policy;
  readonly externalId?: string;
  readonly expected: Decision;
}

describe('Policies: Security Lake subscriber (the loader role as synthesized)', () => {
  const json = synthCentral(slOrganization());
  const loader: Caller = { roleArn: LOADER_ROLE_ARN, identityPolicies: loaderPolicies(json) };
  const cases: Case[] = [
    { name: 'the loader may assume the subscriber role with the external id', action: 'sts:AssumeRole', resource: SUBSCRIBER_ROLE_ARN, resourcePolicy: trustOf(SL_EXTERNAL_ID), externalId: SL_EXTERNAL_ID, expected: 'Allowed' },
    { name: 'the loader may not assume the subscriber role without the external id', action: 'sts:AssumeRole', resource: SUBSCRIBER_ROLE_ARN, resourcePolicy: trustOf(SL_EXTERNAL_ID), expected: 'ImplicitlyDenied' },
    { name: 'the loader may not assume the subscriber role with another external id, even where the trust does not ask for one', action: 'sts:AssumeRole', resource: SUBSCRIBER_ROLE_ARN, resourcePolicy: LAX_TRUST, externalId: 'guessed-id', expected: 'ImplicitlyDenied' },
    { name: 'the loader may not assume another role of the Security Lake account that trusts the SIEM account', action: 'sts:AssumeRole', resource: OTHER_SUBSCRIBER_ROLE_ARN, resourcePolicy: trustOf(SL_EXTERNAL_ID), externalId: SL_EXTERNAL_ID, expected: 'ImplicitlyDenied' },
    { name: 'the loader may receive from the subscriber queue', action: 'sqs:ReceiveMessage', resource: SL_QUEUE_ARN, resourcePolicy: queuePolicyOf(SL_QUEUE_ARN), expected: 'Allowed' },
    { name: 'the loader may delete from the subscriber queue (partial batch responses)', action: 'sqs:DeleteMessage', resource: SL_QUEUE_ARN, resourcePolicy: queuePolicyOf(SL_QUEUE_ARN), expected: 'Allowed' },
    { name: 'the loader may read the subscriber queue attributes', action: 'sqs:GetQueueAttributes', resource: SL_QUEUE_ARN, resourcePolicy: queuePolicyOf(SL_QUEUE_ARN), expected: 'Allowed' },
    { name: 'the loader may not send to the subscriber queue', action: 'sqs:SendMessage', resource: SL_QUEUE_ARN, resourcePolicy: queuePolicyOf(SL_QUEUE_ARN), expected: 'ImplicitlyDenied' },
    { name: 'the loader may not receive from another subscriber queue that trusts the SIEM account', action: 'sqs:ReceiveMessage', resource: OTHER_QUEUE_ARN, resourcePolicy: queuePolicyOf(OTHER_QUEUE_ARN), expected: 'ImplicitlyDenied' },
  ];

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const decision = await decide({
      caller: loader,
      action: c.action,
      resource: c.resource,
      resourceAccount: SECURITY_LAKE,
      resourcePolicy: c.resourcePolicy,
      context: c.externalId ? { 'sts:ExternalId': c.externalId } : undefined,
    });
    expect(decision).toBe(c.expected);
  });

  it('the policy text is deterministic (two syntheses, same text) and needs no plan-time data source', () => {
    const again = synthCentral(slOrganization());
    const text = (j: TfJson) => Object.values(j.resource.aws_iam_role_policy ?? {}).find((p) => p.name === 'aes-siem-es-loader-security-lake')!.policy as string;
    expect(text(again)).toBe(text(json));
    expect(text(json)).not.toMatch(/\$\{/);
    expect(Object.keys((json as { data?: Record<string, unknown> }).data ?? {})).toEqual([]);
  });
});
