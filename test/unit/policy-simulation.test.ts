/**
 * Exact decisions of the synthesized central bucket and key policies, simulated with
 * @cloud-copilot/iam-simulate. The simulator ignores encryption-context keys whose names contain
 * colons (kms:EncryptionContext:aws:cloudtrail:arn); those conditions are asserted on the policy text
 * in central-stack.test.ts.
 */
import { App } from 'cdktf';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOrganization } from '../../accounts/load';
import type { Organization } from '../../accounts/schema';
import { elbLogBucketPolicyStatements } from '../../modules/elb-log-bucket';
import { policySize } from '../../modules/policies/document';
import { BUCKET_POLICY_MAX_BYTES } from '../../modules/secure-bucket';
import { CentralStack } from '../../stacks/central-stack';
import { decide, type Caller, type Decision, type Policy } from '../helpers/iam';
import { exampleOrganization, findResource, parsePolicy, resourcesOf, synthesize, type SynthesizedStack } from '../helpers/synth';

const SECURITY = '222222222222';
const MGMT = '111111111111';
const ORG = 'o-a1b2c3d4e5';
const A = '444444444444'; // workload-prod
const B = '555555555555'; // workload-dev
const OUTSIDER = '999999999999';
const BUCKET = `aes-siem-${SECURITY}-log`;
const KEY_ARN = `arn:aws:kms:ap-northeast-1:${SECURITY}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const obj = (key: string) => `arn:aws:s3:::${BUCKET}/${key}`;

function policiesOf(stack: SynthesizedStack): { bucket: Policy; key: Policy } {
  const [bucketId] = Object.entries(resourcesOf(stack, 'aws_s3_bucket')).find(([, b]) => b.bucket.endsWith('-log'))!;
  const bucketPolicy = findResource(stack, 'aws_s3_bucket_policy', (p) => p.bucket === `\${aws_s3_bucket.${bucketId}.id}`);
  // The key ARN is only known after apply; the simulation stands in a concrete one.
  const bucket = parsePolicy(bucketPolicy.policy.replaceAll('${aws_kms_key.key.arn}', KEY_ARN));
  const key = parsePolicy(Object.values(resourcesOf(stack, 'aws_kms_key'))[0]!.policy);
  return { bucket, key };
}

const service = (svc: string, account: string, sourceArn?: string): Caller => ({ service: `${svc}.amazonaws.com`, sourceAccount: account, sourceArn });
const role = (account: string, name: string, inOrganization = true, identityPolicies?: Policy[]): Caller => ({ roleArn: `arn:aws:iam::${account}:role/${name}`, orgId: inOrganization ? ORG : undefined, identityPolicies });
const trailArn = (account: string) => `arn:aws:cloudtrail:ap-northeast-1:${account}:trail/aes-siem-trail`;

interface Case {
  readonly name: string;
  readonly caller: Caller;
  readonly action: string;
  readonly resource: string;
  readonly expected: Decision;
  readonly secureTransport?: boolean;
  readonly context?: Record<string, string>;
}

const bucketCases: Case[] = [
  { name: "member A's CloudTrail writes its own prefix", caller: service('cloudtrail', A, trailArn(A)), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/CloudTrail/ap-northeast-1/2026/11/22/x.json.gz`), expected: 'Allowed' },
  { name: "member A's CloudTrail may not write member B's prefix", caller: service('cloudtrail', A, trailArn(A)), action: 's3:PutObject', resource: obj(`AWSLogs/${B}/CloudTrail/ap-northeast-1/2026/11/22/x.json.gz`), expected: 'ImplicitlyDenied' },
  { name: "member A's CloudTrail may not write outside AWSLogs/", caller: service('cloudtrail', A, trailArn(A)), action: 's3:PutObject', resource: obj(`other/${A}/x.json.gz`), expected: 'ImplicitlyDenied' },
  { name: "member A's CloudTrail checks the bucket ACL", caller: service('cloudtrail', A, trailArn(A)), action: 's3:GetBucketAcl', resource: `arn:aws:s3:::${BUCKET}`, expected: 'Allowed' },
  { name: 'member A writes under the organization-trail path for itself', caller: service('cloudtrail', A, trailArn(A)), action: 's3:PutObject', resource: obj(`${ORG}/AWSLogs/${A}/CloudTrail/x.json.gz`), expected: 'Allowed' },
  { name: 'member A may not write the organization-trail path of B', caller: service('cloudtrail', A, trailArn(A)), action: 's3:PutObject', resource: obj(`${ORG}/AWSLogs/${B}/CloudTrail/x.json.gz`), expected: 'ImplicitlyDenied' },
  { name: "the organization trail (management account) writes B's events under the org path", caller: service('cloudtrail', MGMT, `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/org-trail`), action: 's3:PutObject', resource: obj(`${ORG}/AWSLogs/${B}/CloudTrail/x.json.gz`), expected: 'Allowed' },
  { name: "the organization trail may not write B's account-trail prefix", caller: service('cloudtrail', MGMT, `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/org-trail`), action: 's3:PutObject', resource: obj(`AWSLogs/${B}/CloudTrail/x.json.gz`), expected: 'ImplicitlyDenied' },
  { name: "member A's VPC Flow Logs delivery writes its own prefix", caller: service('delivery.logs', A, `arn:aws:logs:ap-northeast-1:${A}:*`), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/vpcflowlogs/ap-northeast-1/2026/11/22/x.log.gz`), expected: 'Allowed' },
  { name: "member A's VPC Flow Logs delivery may not write B's prefix", caller: service('delivery.logs', A), action: 's3:PutObject', resource: obj(`AWSLogs/${B}/vpcflowlogs/ap-northeast-1/x.log.gz`), expected: 'ImplicitlyDenied' },
  // Route 53 Resolver query logs are written by the same vended-logs service as flow logs: the shared
  // MemberLogDelivery statement (AWSLogs/${aws:SourceAccount}/*) covers them, no statement of their own.
  { name: "member A's Resolver query logs delivery writes its own vpcdnsquerylogs prefix", caller: service('delivery.logs', A, `arn:aws:logs:ap-northeast-1:${A}:*`), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/vpcdnsquerylogs/vpc-0a1b2c3d4e5f60001/2026/11/22/vpc-0a1b2c3d4e5f60001_vpcdnsquerylogs_${A}_20261122T0000Z_x.log.gz`), expected: 'Allowed' },
  { name: "member A's Resolver query logs delivery may not write B's vpcdnsquerylogs prefix", caller: service('delivery.logs', A, `arn:aws:logs:ap-northeast-1:${A}:*`), action: 's3:PutObject', resource: obj(`AWSLogs/${B}/vpcdnsquerylogs/vpc-0a1b2c3d4e5f60002/2026/11/22/x.log.gz`), expected: 'ImplicitlyDenied' },
  { name: "member A's Resolver query logs delivery checks the bucket ACL", caller: service('delivery.logs', A, `arn:aws:logs:ap-northeast-1:${A}:*`), action: 's3:GetBucketAcl', resource: `arn:aws:s3:::${BUCKET}`, expected: 'Allowed' },
  // Network Firewall logs are written by the vended-logs service too: covered by MemberLogDelivery, no statement of their own.
  { name: "member A's Network Firewall logs write its own network-firewall prefix", caller: service('delivery.logs', A, `arn:aws:logs:ap-northeast-1:${A}:*`), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/network-firewall/alert/ap-northeast-1/prod-egress/2026/11/22/00/${A}_network-firewall_alert_ap-northeast-1_prod-egress_202611220000_abcd1234.log.gz`), expected: 'Allowed' },
  { name: "member A's Network Firewall logs may not write B's network-firewall prefix", caller: service('delivery.logs', A, `arn:aws:logs:ap-northeast-1:${A}:*`), action: 's3:PutObject', resource: obj(`AWSLogs/${B}/network-firewall/flow/ap-northeast-1/fw/2026/11/22/00/x.log.gz`), expected: 'ImplicitlyDenied' },
  // Findings export (workload-prod = A exports; workload-dev = B does not).
  { name: "member A's findings Firehose role writes its Security Hub prefix", caller: role(A, 'aes-siem-findings-firehose'), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/aws.securityhub/Security_Hub_Findings_-_Imported/ap-northeast-1/2026/11/22/x.gz`), expected: 'Allowed' },
  { name: "member A's findings Firehose role writes its Inspector prefix", caller: role(A, 'aes-siem-findings-firehose'), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/aws.inspector2/Inspector2_Finding/us-east-1/2026/11/22/x.gz`), expected: 'Allowed' },
  { name: "member A's findings Firehose role writes its Config rules prefix", caller: role(A, 'aes-siem-findings-firehose'), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/aws.config/Config_Rules_Compliance_Change/ap-northeast-1/2026/11/22/x.gz`), expected: 'Allowed' },
  { name: "member A's findings Firehose role may not write B's Security Hub prefix", caller: role(A, 'aes-siem-findings-firehose'), action: 's3:PutObject', resource: obj(`AWSLogs/${B}/aws.securityhub/Security_Hub_Findings_-_Imported/ap-northeast-1/2026/11/22/x.gz`), expected: 'ImplicitlyDenied' },
  { name: "member A's findings Firehose role may not write its CloudTrail prefix", caller: role(A, 'aes-siem-findings-firehose'), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/CloudTrail/x.json.gz`), expected: 'ImplicitlyDenied' },
  { name: 'member B exports no findings: its findings Firehose role may not write even its own prefix', caller: role(B, 'aes-siem-findings-firehose'), action: 's3:PutObject', resource: obj(`AWSLogs/${B}/aws.securityhub/Security_Hub_Findings_-_Imported/ap-northeast-1/2026/11/22/x.gz`), expected: 'ImplicitlyDenied' },
  // CloudWatch Logs export (workload-prod = A exports two groups, B exports none): AWSLogs/<own account>/CloudWatchLogs/ only.
  { name: "member A's CloudWatch Logs Firehose role writes its own Linux secure prefix", caller: role(A, 'aes-siem-cwl-firehose'), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/CloudWatchLogs/Linux/secure/ap-northeast-1/2026/12/01/aes-siem-cwl-export-1-2026-12-01-10-15-00-x.gz`), expected: 'Allowed' },
  { name: "member A's CloudWatch Logs Firehose role writes its own error folder", caller: role(A, 'aes-siem-cwl-firehose'), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/CloudWatchLogs/error/processing-failed/ap-northeast-1/2026/12/01/x.gz`), expected: 'Allowed' },
  { name: "member A's CloudWatch Logs Firehose role may not write B's CloudWatchLogs prefix", caller: role(A, 'aes-siem-cwl-firehose'), action: 's3:PutObject', resource: obj(`AWSLogs/${B}/CloudWatchLogs/Linux/secure/ap-northeast-1/2026/12/01/x.gz`), expected: 'ImplicitlyDenied' },
  { name: "member A's CloudWatch Logs Firehose role may not write its CloudTrail prefix", caller: role(A, 'aes-siem-cwl-firehose'), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/CloudTrail/x.json.gz`), expected: 'ImplicitlyDenied' },
  { name: "member A's CloudWatch Logs Firehose role may not write a Linux key outside its folder", caller: role(A, 'aes-siem-cwl-firehose'), action: 's3:PutObject', resource: obj(`Linux/secure/${A}/x.gz`), expected: 'ImplicitlyDenied' },
  { name: "another role of member A may not write A's CloudWatchLogs prefix", caller: role(A, 'aes-siem-findings-firehose'), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/CloudWatchLogs/Linux/secure/ap-northeast-1/x.gz`), expected: 'ImplicitlyDenied' },
  { name: 'member B exports no log groups: its CloudWatch Logs Firehose role may not write even its own prefix', caller: role(B, 'aes-siem-cwl-firehose'), action: 's3:PutObject', resource: obj(`AWSLogs/${B}/CloudWatchLogs/Linux/secure/ap-northeast-1/x.gz`), expected: 'ImplicitlyDenied' },
  { name: "member A's GuardDuty export writes its own prefix", caller: service('guardduty', A, `arn:aws:guardduty:ap-northeast-1:${A}:detector/abc`), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/GuardDuty/ap-northeast-1/2026/11/22/x.jsonl.gz`), expected: 'Allowed' },
  { name: "member A's Config delivery writes its own prefix", caller: service('config', A), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/Config/ap-northeast-1/2026/11/22/ConfigHistory/x.json.gz`), expected: 'Allowed' },
  { name: "member A's ELB access logs write its own prefix", caller: service('logdelivery.elasticloadbalancing', A), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/elasticloadbalancing/ap-northeast-1/2026/11/22/x.log.gz`), expected: 'Allowed' },
  { name: 'a delivery service of an account outside the organization may not write', caller: service('cloudtrail', OUTSIDER), action: 's3:PutObject', resource: obj(`AWSLogs/${OUTSIDER}/CloudTrail/x.json.gz`), expected: 'ImplicitlyDenied' },
  { name: 'an unrelated service principal of a member may not write', caller: service('lambda', A), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/CloudTrail/x.json.gz`), expected: 'ImplicitlyDenied' },
  { name: "member A's WAF Firehose role writes its WAF prefix", caller: role(A, 'aes-siem-waf-firehose'), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/WAF/ap-northeast-1/2026/11/22/aws-waf-logs-x.gz`), expected: 'Allowed' },
  { name: "member A's WAF Firehose role may not write B's WAF prefix", caller: role(A, 'aes-siem-waf-firehose'), action: 's3:PutObject', resource: obj(`AWSLogs/${B}/WAF/ap-northeast-1/x.gz`), expected: 'ImplicitlyDenied' },
  { name: "member A's WAF Firehose role may not write A's CloudTrail prefix", caller: role(A, 'aes-siem-waf-firehose'), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/CloudTrail/x.json.gz`), expected: 'ImplicitlyDenied' },
  { name: "member A's WAF Firehose role may not read logs", caller: role(A, 'aes-siem-waf-firehose'), action: 's3:GetObject', resource: obj(`AWSLogs/${A}/WAF/ap-northeast-1/x.gz`), expected: 'ImplicitlyDenied' },
  { name: 'another role of member A may not write the WAF prefix', caller: role(A, 'developer'), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/WAF/ap-northeast-1/x.gz`), expected: 'ImplicitlyDenied' },
  { name: 'a Firehose-named role outside the organization is denied explicitly', caller: role(OUTSIDER, 'aes-siem-waf-firehose', false), action: 's3:PutObject', resource: obj(`AWSLogs/${OUTSIDER}/WAF/x.gz`), expected: 'ExplicitlyDenied' },
  { name: 'any principal outside the organization is denied reading', caller: role(OUTSIDER, 'reader', false), action: 's3:GetObject', resource: obj(`AWSLogs/${A}/CloudTrail/x.json.gz`), expected: 'ExplicitlyDenied' },
  { name: 'a request without TLS is denied even for an allowed delivery', caller: service('cloudtrail', A, trailArn(A)), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/CloudTrail/x.json.gz`), secureTransport: false, expected: 'ExplicitlyDenied' },
  { name: "the security account's loader reads logs over TLS", caller: role(SECURITY, 'aes-siem-es-loader-role'), action: 's3:GetObject', resource: obj(`AWSLogs/${A}/CloudTrail/x.json.gz`), expected: 'Allowed' },
  { name: "the security account's loader is denied without TLS", caller: role(SECURITY, 'aes-siem-es-loader-role'), action: 's3:GetObject', resource: obj(`AWSLogs/${A}/CloudTrail/x.json.gz`), secureTransport: false, expected: 'ExplicitlyDenied' },
  { name: 'a PutObject naming another KMS key is denied', caller: service('cloudtrail', A, trailArn(A)), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/CloudTrail/x.json.gz`), context: { 's3:x-amz-server-side-encryption-aws-kms-key-id': `arn:aws:kms:ap-northeast-1:${A}:key/other` }, expected: 'ExplicitlyDenied' },
  { name: 'a PutObject naming the central key is allowed', caller: service('cloudtrail', A, trailArn(A)), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/CloudTrail/x.json.gz`), context: { 's3:x-amz-server-side-encryption-aws-kms-key-id': KEY_ARN }, expected: 'Allowed' },
  { name: 'a PutObject naming the central key by alias is allowed', caller: service('cloudtrail', A, trailArn(A)), action: 's3:PutObject', resource: obj(`AWSLogs/${A}/CloudTrail/x.json.gz`), context: { 's3:x-amz-server-side-encryption-aws-kms-key-id': `arn:aws:kms:ap-northeast-1:${SECURITY}:alias/aes-siem-key` }, expected: 'Allowed' },
];

const keyCases: Case[] = [
  { name: "member A's GuardDuty may GenerateDataKey", caller: service('guardduty', A, `arn:aws:guardduty:ap-northeast-1:${A}:detector/abc`), action: 'kms:GenerateDataKey', resource: KEY_ARN, expected: 'Allowed' },
  { name: 'GuardDuty of an account outside the organization may not', caller: service('guardduty', OUTSIDER, `arn:aws:guardduty:ap-northeast-1:${OUTSIDER}:detector/abc`), action: 'kms:GenerateDataKey', resource: KEY_ARN, expected: 'ImplicitlyDenied' },
  { name: "GuardDuty acting for A with B's detector ARN may not (confused deputy)", caller: service('guardduty', A, `arn:aws:guardduty:ap-northeast-1:${B}:detector/abc`), action: 'kms:GenerateDataKey', resource: KEY_ARN, expected: 'ImplicitlyDenied' },
  // CloudTrail's GenerateDataKey hinges on kms:EncryptionContext:aws:cloudtrail:arn, which the simulator
  // cannot evaluate; central-stack.test.ts asserts that statement's text.
  { name: "member A's CloudTrail may DescribeKey", caller: service('cloudtrail', A, trailArn(A)), action: 'kms:DescribeKey', resource: KEY_ARN, expected: 'Allowed' },
  { name: 'CloudTrail of an outside account may not GenerateDataKey', caller: service('cloudtrail', OUTSIDER, trailArn(OUTSIDER)), action: 'kms:GenerateDataKey', resource: KEY_ARN, expected: 'ImplicitlyDenied' },
  { name: "member A's Resolver query logs delivery may GenerateDataKey (the vended-logs statement)", caller: service('delivery.logs', A, `arn:aws:logs:ap-northeast-1:${A}:*`), action: 'kms:GenerateDataKey', resource: KEY_ARN, expected: 'Allowed' },
  { name: "member B's VPC Flow Logs delivery may GenerateDataKey", caller: service('delivery.logs', B), action: 'kms:GenerateDataKey', resource: KEY_ARN, expected: 'Allowed' },
  { name: 'an unrelated service principal may not use the key', caller: service('lambda', A), action: 'kms:GenerateDataKey', resource: KEY_ARN, expected: 'ImplicitlyDenied' },
  { name: "member A's Firehose role may GenerateDataKey through S3", caller: role(A, 'aes-siem-waf-firehose'), action: 'kms:GenerateDataKey', resource: KEY_ARN, context: { 'kms:ViaService': 's3.ap-northeast-1.amazonaws.com' }, expected: 'Allowed' },
  { name: "member A's Firehose role may not decrypt directly with KMS", caller: role(A, 'aes-siem-waf-firehose'), action: 'kms:Decrypt', resource: KEY_ARN, expected: 'ImplicitlyDenied' },
  { name: 'another role of member A may not use the key even through S3', caller: role(A, 'developer'), action: 'kms:GenerateDataKey', resource: KEY_ARN, context: { 'kms:ViaService': 's3.ap-northeast-1.amazonaws.com' }, expected: 'ImplicitlyDenied' },
  { name: "member A's findings Firehose role may GenerateDataKey through S3", caller: role(A, 'aes-siem-findings-firehose'), action: 'kms:GenerateDataKey', resource: KEY_ARN, context: { 'kms:ViaService': 's3.ap-northeast-1.amazonaws.com' }, expected: 'Allowed' },
  { name: "member B's findings Firehose role (B exports no findings) may not", caller: role(B, 'aes-siem-findings-firehose'), action: 'kms:GenerateDataKey', resource: KEY_ARN, context: { 'kms:ViaService': 's3.ap-northeast-1.amazonaws.com' }, expected: 'ImplicitlyDenied' },
  { name: "member A's CloudWatch Logs Firehose role may GenerateDataKey through S3", caller: role(A, 'aes-siem-cwl-firehose'), action: 'kms:GenerateDataKey', resource: KEY_ARN, context: { 'kms:ViaService': 's3.ap-northeast-1.amazonaws.com' }, expected: 'Allowed' },
  { name: "member A's CloudWatch Logs Firehose role may not use the key directly (not through S3)", caller: role(A, 'aes-siem-cwl-firehose'), action: 'kms:GenerateDataKey', resource: KEY_ARN, expected: 'ImplicitlyDenied' },
  { name: "member B's CloudWatch Logs Firehose role (B exports no log groups) may not", caller: role(B, 'aes-siem-cwl-firehose'), action: 'kms:GenerateDataKey', resource: KEY_ARN, context: { 'kms:ViaService': 's3.ap-northeast-1.amazonaws.com' }, expected: 'ImplicitlyDenied' },
  { name: "member A's Network Firewall delivery may GenerateDataKey (the vended-logs statement)", caller: service('delivery.logs', A, `arn:aws:logs:ap-northeast-1:${A}:*`), action: 'kms:GenerateDataKey', resource: KEY_ARN, expected: 'Allowed' },
  { name: "the security account's loader role may decrypt", caller: role(SECURITY, 'aes-siem-es-loader-role'), action: 'kms:Decrypt', resource: KEY_ARN, expected: 'Allowed' },
  { name: 'a role of an outside account may not decrypt', caller: role(OUTSIDER, 'reader', false), action: 'kms:Decrypt', resource: KEY_ARN, expected: 'ImplicitlyDenied' },
  { name: "S3 of the security account may use the key for encrypted queue notifications", caller: service('s3', SECURITY, `arn:aws:s3:::${BUCKET}`), action: 'kms:GenerateDataKey', resource: KEY_ARN, expected: 'Allowed' },
  { name: 'S3 acting for another account may not', caller: service('s3', OUTSIDER, 'arn:aws:s3:::someone-elses-bucket'), action: 'kms:GenerateDataKey', resource: KEY_ARN, expected: 'ImplicitlyDenied' },
  { name: 'CloudWatch alarms may encrypt to the alert topic', caller: service('cloudwatch', SECURITY), action: 'kms:GenerateDataKey', resource: KEY_ARN, expected: 'Allowed' },
];

async function run(c: Case, policy: Policy, account: string): Promise<Decision> {
  return decide({ caller: c.caller, action: c.action, resource: c.resource, resourceAccount: account, resourcePolicy: policy, secureTransport: c.secureTransport, context: c.context });
}

describe('central policies (example organization)', () => {
  const { bucket, key } = policiesOf(synthesize(exampleOrganization()).stacks.central!);

  it.each(bucketCases)('log bucket: $name → $expected', async (c) => {
    expect(await run(c, bucket, SECURITY)).toBe(c.expected);
  });

  it.each(keyCases)('key: $name → $expected', async (c) => {
    expect(await run(c, key, SECURITY)).toBe(c.expected);
  });
});

/** An organization like the example one, with `count` generated members. */
export function generatedOrganization(count: number): Organization {
  const base = exampleOrganization();
  const { members: _members, ...file } = base;
  const members = Array.from({ length: count }, (_, i) => ({
    file: `members/member-${String(i + 1).padStart(3, '0')}.yaml`,
    data: {
      name: `member-${String(i + 1).padStart(3, '0')}`,
      accountId: String(700000000000 + i + 1),
      regions: ['ap-northeast-1'],
      vpcFlowLogs: { vpcs: [{ id: `vpc-0${String(i + 1).padStart(16, '0')}`, region: 'ap-northeast-1' }] },
    },
  }));
  return parseOrganization({ file: 'organization.yaml', data: file }, members);
}

describe('policy size limits', () => {
  it('synth refuses an organization whose bucket policy would exceed 20 KB, naming the limit', () => {
    expect(() => new CentralStack(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'siem-400-')) }), 'central', { org: generatedOrganization(400) })).toThrow(
      /the policy of bucket aes-siem-222222222222-log is \d+ bytes, above S3's limit of 20480/,
    );
  });
});

describe('central policies for an organization of 300 members', () => {
  const org = generatedOrganization(300);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-300-'));
  const app = new App({ outdir });
  new CentralStack(app, 'central', { org });
  app.synth();
  const stack: SynthesizedStack = { name: 'central', dir: path.join(outdir, 'stacks', 'central'), json: JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'central', 'cdk.tf.json'), 'utf8')) };
  const { bucket, key } = policiesOf(stack);
  const first = org.members[0]!.accountId;
  const last = org.members[299]!.accountId;

  it("fits S3's 20 KB bucket policy limit and KMS's 32 KB key policy limit", () => {
    const bucketBytes = policySize(bucket as any);
    const keyBytes = policySize(key as any);
    expect(bucketBytes).toBeLessThanOrEqual(BUCKET_POLICY_MAX_BYTES);
    expect(keyBytes).toBeLessThanOrEqual(32 * 1024);
    // Every member is named, so the size really depends on the member count.
    expect(JSON.stringify(bucket)).toContain(last);
  });

  it.each([
    ['the last member writes its own prefix', service('cloudtrail', '700000000300', trailArn('700000000300')), obj('AWSLogs/700000000300/CloudTrail/x.json.gz'), 'Allowed'],
    ["the last member may not write the first member's prefix", service('cloudtrail', '700000000300', trailArn('700000000300')), obj(`AWSLogs/${'700000000001'}/CloudTrail/x.json.gz`), 'ImplicitlyDenied'],
    ["the first member's Firehose role writes its own WAF prefix", role('700000000001', 'aes-siem-waf-firehose'), obj('AWSLogs/700000000001/WAF/ap-northeast-1/x.gz'), 'Allowed'],
    ['a 301st account may not write', service('delivery.logs', '700000000301'), obj('AWSLogs/700000000301/vpcflowlogs/x.log.gz'), 'ImplicitlyDenied'],
  ] as const)('%s', async (_, caller, resource, expected) => {
    expect([first, last]).toEqual(['700000000001', '700000000300']);
    expect(await decide({ caller, action: 's3:PutObject', resource, resourceAccount: SECURITY, resourcePolicy: bucket })).toBe(expected);
  });
});

/**
 * The SSE-S3 bucket for load-balancer access logs (modules/elb-log-bucket.ts), for members A and B that
 * both turned elbAccessLogs on, in a Region with a Regional ELB account (ap-northeast-1) and one
 * launched since August 2022 (ap-south-2, service principal only).
 *
 * What each writer can be tied to:
 * - logdelivery.elasticloadbalancing.amazonaws.com and delivery.logs.amazonaws.com (NLB) carry
 *   aws:SourceAccount: A's load balancers write A's prefix and are refused B's.
 * - A Regional ELB account is an AWS account principal acting for every customer of its Region: its
 *   requests carry no aws:SourceAccount/aws:SourceArn of the load balancer's owner, so the policy can
 *   restrict it to the members' prefixes and to keys without a custom prefix, but cannot tell A's load
 *   balancer from B's. That A's load balancer lands under AWSLogs/A/ is ELB's doing (it writes the
 *   owner's account into the key), not something a bucket policy can prove.
 */
describe('ELB log bucket policy (members A and B)', () => {
  const ELB_BUCKET = `aes-siem-${SECURITY}-log-elb`;
  const elbObj = (key: string) => `arn:aws:s3:::${ELB_BUCKET}/${key}`;
  const TOKYO_ELB = '582318560864';
  const OREGON_ELB = '797873946194';
  const policy: Policy = { Version: '2012-10-17', Statement: elbLogBucketPolicyStatements({ bucket: ELB_BUCKET, memberAccountIds: [A, B], regions: ['ap-northeast-1', 'ap-south-2'], organizationId: ORG }) as any[] };
  const elbAccount = (id: string): Caller => ({ roleArn: `arn:aws:iam::${id}:root` });
  const albKey = (acct: string, region = 'ap-northeast-1') => `AWSLogs/${acct}/elasticloadbalancing/${region}/2026/11/22/${acct}_elasticloadbalancing_${region}_app.web.0123456789abcdef_20261122T0000Z_192.0.2.1_x.log.gz`;
  const nlbArn = (acct: string) => `arn:aws:logs:ap-northeast-1:${acct}:*`;

  const cases: Case[] = [
    { name: "A's ALB (service principal, newer Region) writes A's prefix", caller: service('logdelivery.elasticloadbalancing', A), action: 's3:PutObject', resource: elbObj(albKey(A, 'ap-south-2')), expected: 'Allowed' },
    { name: "A's ALB (service principal) may not write B's prefix", caller: service('logdelivery.elasticloadbalancing', A), action: 's3:PutObject', resource: elbObj(albKey(B, 'ap-south-2')), expected: 'ImplicitlyDenied' },
    { name: 'a non-member ALB (service principal) may not write its own prefix', caller: service('logdelivery.elasticloadbalancing', OUTSIDER), action: 's3:PutObject', resource: elbObj(albKey(OUTSIDER, 'ap-south-2')), expected: 'ImplicitlyDenied' },
    { name: "A's NLB (vended logs) writes A's prefix", caller: service('delivery.logs', A, nlbArn(A)), action: 's3:PutObject', resource: elbObj(`AWSLogs/${A}/elasticloadbalancing/ap-northeast-1/2026/11/22/${A}_elasticloadbalancing_ap-northeast-1_net.nlb.0123456789abcdef_20261122T0000Z_abcd1234.log.gz`), expected: 'Allowed' },
    { name: "A's NLB (vended logs) checks the bucket ACL", caller: service('delivery.logs', A, nlbArn(A)), action: 's3:GetBucketAcl', resource: `arn:aws:s3:::${ELB_BUCKET}`, expected: 'Allowed' },
    { name: "A's NLB (vended logs) may not write B's prefix", caller: service('delivery.logs', A, nlbArn(A)), action: 's3:PutObject', resource: elbObj(albKey(B)), expected: 'ImplicitlyDenied' },
    { name: "vended logs for A with B's source ARN may not write (confused deputy)", caller: service('delivery.logs', A, nlbArn(B)), action: 's3:PutObject', resource: elbObj(albKey(A)), expected: 'ImplicitlyDenied' },
    { name: "the Tokyo ELB account writes A's prefix (A's ALB/CLB in ap-northeast-1)", caller: elbAccount(TOKYO_ELB), action: 's3:PutObject', resource: elbObj(albKey(A)), expected: 'Allowed' },
    { name: 'the Tokyo ELB account writes the test file ELB puts when logging is turned on', caller: elbAccount(TOKYO_ELB), action: 's3:PutObject', resource: elbObj(`AWSLogs/${A}/ELBAccessLogTestFile`), expected: 'Allowed' },
    // Cannot be restricted further: the request does not say whose load balancer it is (see above).
    { name: "the Tokyo ELB account may also write B's prefix: the policy cannot tell A's load balancer from B's", caller: elbAccount(TOKYO_ELB), action: 's3:PutObject', resource: elbObj(albKey(B)), expected: 'Allowed' },
    { name: "a custom prefix naming B's prefix is refused (A's ALB configured with prefix AWSLogs/B)", caller: elbAccount(TOKYO_ELB), action: 's3:PutObject', resource: elbObj(`AWSLogs/${B}/AWSLogs/${A}/elasticloadbalancing/ap-northeast-1/2026/11/22/x.log.gz`), expected: 'ExplicitlyDenied' },
    { name: 'any other custom prefix is refused', caller: elbAccount(TOKYO_ELB), action: 's3:PutObject', resource: elbObj(`my-alb/AWSLogs/${A}/elasticloadbalancing/ap-northeast-1/2026/11/22/x.log.gz`), expected: 'ExplicitlyDenied' },
    { name: 'a custom prefix is refused for the service principal too', caller: service('logdelivery.elasticloadbalancing', A), action: 's3:PutObject', resource: elbObj(`AWSLogs/${A}/x/AWSLogs/${A}/elasticloadbalancing/ap-south-2/x.log.gz`), expected: 'ExplicitlyDenied' },
    { name: 'the Tokyo ELB account may not write a non-member prefix', caller: elbAccount(TOKYO_ELB), action: 's3:PutObject', resource: elbObj(albKey(OUTSIDER)), expected: 'ImplicitlyDenied' },
    { name: 'the Tokyo ELB account may not read', caller: elbAccount(TOKYO_ELB), action: 's3:GetObject', resource: elbObj(albKey(A)), expected: 'ImplicitlyDenied' },
    { name: "the ELB account of a Region no member uses (us-west-2) is denied as outside the organization", caller: elbAccount(OREGON_ELB), action: 's3:PutObject', resource: elbObj(albKey(A, 'us-west-2')), expected: 'ExplicitlyDenied' },
    { name: 'a request without TLS is denied even for an allowed delivery', caller: elbAccount(TOKYO_ELB), action: 's3:PutObject', resource: elbObj(albKey(A)), secureTransport: false, expected: 'ExplicitlyDenied' },
    { name: "the security account's loader reads the logs", caller: role(SECURITY, 'aes-siem-es-loader-role'), action: 's3:GetObject', resource: elbObj(albKey(A)), expected: 'Allowed' },
    { name: 'a role outside the organization is denied reading', caller: role(OUTSIDER, 'reader', false), action: 's3:GetObject', resource: elbObj(albKey(A)), expected: 'ExplicitlyDenied' },
    { name: "a member's own role may not read the logs", caller: role(A, 'developer'), action: 's3:GetObject', resource: elbObj(albKey(A)), expected: 'ImplicitlyDenied' },
  ];

  it.each(cases)('$name → $expected', async (c) => {
    expect(await run(c, policy, SECURITY)).toBe(c.expected);
  });

  it('is the policy the central stack synthesizes for the example organization (A only, its regions ap-northeast-1 and us-east-1)', () => {
    const stack = synthesize(exampleOrganization()).stacks.central!;
    const [bucketId, bucketRes] = Object.entries(resourcesOf(stack, 'aws_s3_bucket')).find(([, b]) => b.bucket === ELB_BUCKET)!;
    expect(bucketRes.bucket).toBe(ELB_BUCKET);
    const synthesized = findResource(stack, 'aws_s3_bucket_policy', (p) => p.bucket === `\${aws_s3_bucket.${bucketId}.id}`);
    expect(parsePolicy(synthesized.policy).Statement).toEqual(
      elbLogBucketPolicyStatements({ bucket: ELB_BUCKET, memberAccountIds: [A], regions: ['ap-northeast-1', 'us-east-1'], organizationId: ORG }),
    );
    expect(parsePolicy(synthesized.policy).Statement.find((st: any) => st.Sid === 'ElbRegionalAccounts').Principal).toEqual({ AWS: ['arn:aws:iam::127311923021:root', `arn:aws:iam::${TOKYO_ELB}:root`] });
  });
});
