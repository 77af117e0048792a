/**
 * Per-account isolation across stacks: the member stacks' delivery settings and Firehose role policy
 * (as synthesized) against the central bucket and key policies (as synthesized), simulated with
 * @cloud-copilot/iam-simulate. Object keys are derived from the member stack's settings (destination,
 * prefixes), so a member stack writing elsewhere than its own `AWSLogs/<acct>/` fails here.
 *
 * The simulator ignores condition keys whose names contain colons (kms:EncryptionContext:aws:s3:arn);
 * member-stack.test.ts asserts that condition on the policy text.
 */
import { describe, expect, it } from 'vitest';
import { parseOrganization } from '../../accounts/load';
import type { Organization } from '../../accounts/schema';
import { decide, type Caller, type Decision, type Policy } from '../helpers/iam';
import { exampleOrganization, parsePolicy, resourcesOf, synthesize, type SynthesizedStack } from '../helpers/synth';

const SECURITY = '222222222222';
const ORG_ID = 'o-a1b2c3d4e5';
const A = '444444444444'; // workload-prod: CloudTrail, flow logs, WAF (regional + CloudFront), GuardDuty in 2 regions
const B = '555555555555'; // workload-dev
const OUTSIDER = '999999999999';
const KEY_ARN = `arn:aws:kms:ap-northeast-1:${SECURITY}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const BUCKET = `aes-siem-${SECURITY}-log`;
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const S3_IN_BUCKET_REGION = 's3.ap-northeast-1.amazonaws.com';
const ALLOW_ALL: Policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** The example organization with the central key ARN filled in, as after the first deploy of `central`. */
function withKeyArn(org: Organization, keyArn: string | undefined): Organization {
  const { members, ...file } = org;
  return parseOrganization(
    { file: 'organization.yaml', data: { ...file, security: { ...file.security, centralKeyArn: keyArn } } },
    members.map((m) => ({ file: `members/${m.name}.yaml`, data: m })),
  );
}

function centralPolicies(central: SynthesizedStack): { bucket: Policy; key: Policy } {
  const bucketId = Object.entries(resourcesOf(central, 'aws_s3_bucket')).find(([, b]) => b.bucket === BUCKET)![0];
  const bucketPolicy = Object.values(resourcesOf(central, 'aws_s3_bucket_policy')).find((p) => p.bucket === `\${aws_s3_bucket.${bucketId}.id}`)!;
  const keys = Object.entries(resourcesOf(central, 'aws_kms_key'));
  expect(keys).toHaveLength(1);
  // The key's ARN is known after apply; the simulation uses the ARN the organization file names.
  const bucket = parsePolicy(String(bucketPolicy.policy).replaceAll(`\${aws_kms_key.${keys[0]![0]}.arn}`, KEY_ARN));
  return { bucket, key: parsePolicy(keys[0]![1].policy) };
}

/**
 * The simulator cannot evaluate encryption-context keys (their names contain colons), so they are
 * removed before simulating; the removed conditions are returned so the tests can assert their text.
 */
function withoutEncryptionContext(policy: Policy): { policy: Policy; removed: Record<string, unknown>[] } {
  const removed: Record<string, unknown>[] = [];
  const copy = JSON.parse(JSON.stringify(policy)) as Policy;
  for (const st of copy.Statement) {
    for (const [op, keys] of Object.entries((st.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
      for (const k of Object.keys(keys)) {
        if (!k.startsWith('kms:EncryptionContext:')) continue;
        removed.push({ Sid: st.Sid, [op]: { [k]: keys[k] } });
        delete keys[k];
      }
      if (Object.keys(keys).length === 0) delete st.Condition[op];
    }
  }
  return { policy: copy, removed };
}

interface MemberView {
  readonly trail: Record<string, any>;
  readonly flowLog: Record<string, any>;
  readonly guardduty: Record<string, any>[];
  /** The WAF delivery streams. */
  readonly streams: Record<string, any>[];
  readonly queryLogConfigs: Record<string, any>[];
  /** Undefined for a member without WAF logging. */
  readonly rolePolicy?: Policy;
  /** The findings export's delivery streams (one per region). */
  readonly findingsStreams: Record<string, any>[];
  /** Undefined for a member without findings export. */
  readonly findingsRolePolicy?: Policy;
  readonly firewallLogging: Record<string, any>[];
}

function rolePolicyNamed(stack: SynthesizedStack, name: string): Policy | undefined {
  const found = Object.values(resourcesOf(stack, 'aws_iam_role_policy')).filter((p) => p.name === name);
  expect(found.length, `${stack.name}: role policies named ${name}`).toBeLessThanOrEqual(1);
  return found[0] ? parsePolicy(found[0].policy) : undefined;
}

function memberView(stack: SynthesizedStack): MemberView {
  const one = (type: string) => {
    const all = Object.values(resourcesOf(stack, type));
    expect(all, `${stack.name}: ${type}`).toHaveLength(1);
    return all[0]!;
  };
  return {
    trail: one('aws_cloudtrail'),
    flowLog: one('aws_flow_log'),
    guardduty: Object.values(resourcesOf(stack, 'aws_guardduty_publishing_destination')),
    streams: Object.values(resourcesOf(stack, 'aws_kinesis_firehose_delivery_stream')).filter((s) => s.name.startsWith('aws-waf-logs-')),
    queryLogConfigs: Object.values(resourcesOf(stack, 'aws_route53_resolver_query_log_config')),
    rolePolicy: rolePolicyNamed(stack, 'write-own-waf-prefix'),
    findingsStreams: Object.values(resourcesOf(stack, 'aws_kinesis_firehose_delivery_stream')).filter((s) => s.name === 'aes-siem-findings'),
    findingsRolePolicy: rolePolicyNamed(stack, 'write-own-findings-prefixes'),
    firewallLogging: Object.values(resourcesOf(stack, 'aws_networkfirewall_logging_configuration')),
  };
}

/** The object key a service writes for `account`, below the destination the member stack configured. */
const keyBelow = (destinationArn: string, rest: string) => {
  expect(destinationArn.startsWith(BUCKET_ARN)).toBe(true);
  const folder = destinationArn.slice(BUCKET_ARN.length).replace(/^\//, '');
  return `${BUCKET_ARN}/${folder}${rest}`;
};

const service = (svc: string, account: string, sourceArn?: string): Caller => ({ service: `${svc}.amazonaws.com`, sourceAccount: account, sourceArn });

interface Case {
  readonly name: string;
  readonly caller: Caller;
  readonly action: string;
  readonly resource: string;
  readonly on: 'bucket' | 'key';
  readonly context?: Record<string, string | string[]>;
  readonly expected: Decision;
}

describe('isolation between member accounts (member stacks x central policies)', () => {
  const org = withKeyArn(exampleOrganization(), KEY_ARN);
  const app = synthesize(org);
  const { bucket, key: keyPolicyText } = centralPolicies(app.stacks.central!);
  const a = memberView(app.stacks['member-workload-prod']!);
  const b = memberView(app.stacks['member-workload-dev']!);
  const key = withoutEncryptionContext(keyPolicyText).policy;
  const stripped = withoutEncryptionContext(a.rolePolicy!);
  const policyA = stripped.policy;
  const firehose = (account: string, policy: Policy, inOrg = true): Caller => ({
    roleArn: `arn:aws:iam::${account}:role/aes-siem-waf-firehose`,
    orgId: inOrg ? ORG_ID : undefined,
    identityPolicies: [policy],
  });

  // Keys exactly as each service would write them for the settings of A's stack.
  const trailArnA = `arn:aws:cloudtrail:ap-northeast-1:${A}:trail/${a.trail.name}`;
  const ctKey = (acct: string) => `${BUCKET_ARN}/${a.trail.s3_key_prefix ? `${a.trail.s3_key_prefix}/` : ''}AWSLogs/${acct}/CloudTrail/ap-northeast-1/2026/11/22/${acct}_CloudTrail_ap-northeast-1_20261122T0000Z_x.json.gz`;
  const flowKey = (acct: string) => keyBelow(a.flowLog.log_destination, `AWSLogs/${acct}/vpcflowlogs/ap-northeast-1/2026/11/22/${acct}_vpcflowlogs_ap-northeast-1_fl-1_20261122T0000Z_x.log.gz`);
  const dnsKey = (acct: string) => keyBelow(a.queryLogConfigs[0]!.destination_arn, `AWSLogs/${acct}/vpcdnsquerylogs/vpc-0a1b2c3d4e5f60001/2026/11/22/vpc-0a1b2c3d4e5f60001_vpcdnsquerylogs_${acct}_20261122T0000Z_x.log.gz`);
  const gdKey = (acct: string) => keyBelow(a.guardduty[0]!.destination_arn, `AWSLogs/${acct}/GuardDuty/ap-northeast-1/2026/11/22/x.jsonl.gz`);
  const wafStream = a.streams.find((s) => s.extended_s3_configuration.prefix.endsWith('/ap-northeast-1/'))!;
  const wafKeyA = `${BUCKET_ARN}/${wafStream.extended_s3_configuration.prefix}2026/11/22/00/${wafStream.name}-1-2026-11-22-00-00-00-x.gz`;
  const wafKeyB = wafKeyA.replaceAll(A, B);
  const globalStream = a.streams.find((s) => s.extended_s3_configuration.prefix.endsWith('/global/'))!;
  const wafGlobalKeyA = `${BUCKET_ARN}/${globalStream.extended_s3_configuration.prefix}2026/11/22/00/x.gz`;
  const kmsHeader = (keyArn: string) => ({ 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn });
  // Network Firewall: the logging configuration names the central bucket and no prefix; the service adds AWSLogs/<acct>/network-firewall/.
  const firewallDestination = a.firewallLogging[0]!.logging_configuration.log_destination_config[0].log_destination;
  const nfwKey = (acct: string, type = 'flow') =>
    `arn:aws:s3:::${firewallDestination.bucketName}/${firewallDestination.prefix ? `${firewallDestination.prefix}/` : ''}AWSLogs/${acct}/network-firewall/${type}/ap-northeast-1/prod-egress/2026/11/22/00/${acct}_network-firewall_${type}_ap-northeast-1_prod-egress_202611220000_abcd1234.log.gz`;
  const nfwSourceArn = (acct: string) => `arn:aws:logs:ap-northeast-1:${acct}:*`;
  // Findings export: the Firehose prefix of A's Tokyo stream with the partition keys an event gives.
  const findingsStream = a.findingsStreams.find((s) => s.extended_s3_configuration.prefix.includes('/ap-northeast-1/'))!;
  const findingsKey = (service: string, detailType: string) =>
    `${BUCKET_ARN}/${findingsStream.extended_s3_configuration.prefix
      .replace('!{partitionKeyFromQuery:service}', service)
      .replace('!{partitionKeyFromQuery:detailtype}', detailType)
      .replace('!{timestamp:yyyy}', '2026')
      .replace('!{timestamp:MM}', '11')
      .replace('!{timestamp:dd}', '22')}aes-siem-findings-3-2026-11-22-00-00-00-x.gz`;
  const hubKeyA = findingsKey('aws.securityhub', 'Security_Hub_Findings_-_Imported');
  const findingsStripped = withoutEncryptionContext(a.findingsRolePolicy!);
  const findingsRole = (account: string, policy: Policy): Caller => ({ roleArn: `arn:aws:iam::${account}:role/aes-siem-findings-firehose`, orgId: ORG_ID, identityPolicies: [policy] });
  const findingsA = findingsRole(A, findingsStripped.policy);
  const detectorArn = (acct: string) => `arn:aws:guardduty:ap-northeast-1:${acct}:detector/0123456789abcdef0123456789abcdef`;

  const cases: Case[] = [
    // CloudTrail of A (the trail's kms_key_id names the key in each PutObject).
    { name: "A's CloudTrail writes AWSLogs/A/CloudTrail/", caller: service('cloudtrail', A, trailArnA), action: 's3:PutObject', resource: ctKey(A), on: 'bucket', context: kmsHeader(a.trail.kms_key_id), expected: 'Allowed' },
    { name: "A's CloudTrail checks the bucket ACL", caller: service('cloudtrail', A, trailArnA), action: 's3:GetBucketAcl', resource: BUCKET_ARN, on: 'bucket', expected: 'Allowed' },
    { name: "A's CloudTrail may not write AWSLogs/B/", caller: service('cloudtrail', A, trailArnA), action: 's3:PutObject', resource: ctKey(B), on: 'bucket', context: kmsHeader(a.trail.kms_key_id), expected: 'ImplicitlyDenied' },
    { name: "A's CloudTrail gets data keys from the central key", caller: service('cloudtrail', A, trailArnA), action: 'kms:GenerateDataKey', resource: KEY_ARN, on: 'key', expected: 'Allowed' },
    { name: "A's CloudTrail describes the central key", caller: service('cloudtrail', A, trailArnA), action: 'kms:DescribeKey', resource: KEY_ARN, on: 'key', expected: 'Allowed' },
    { name: "A's CloudTrail may not decrypt with the central key", caller: service('cloudtrail', A, trailArnA), action: 'kms:Decrypt', resource: KEY_ARN, on: 'key', expected: 'ImplicitlyDenied' },
    // VPC Flow Logs of A (delivery.logs.amazonaws.com; bucket default encryption, no key header).
    { name: "A's flow log delivery writes AWSLogs/A/vpcflowlogs/", caller: service('delivery.logs', A, `arn:aws:logs:ap-northeast-1:${A}:*`), action: 's3:PutObject', resource: flowKey(A), on: 'bucket', expected: 'Allowed' },
    { name: "A's flow log delivery may not write AWSLogs/B/", caller: service('delivery.logs', A, `arn:aws:logs:ap-northeast-1:${A}:*`), action: 's3:PutObject', resource: flowKey(B), on: 'bucket', expected: 'ImplicitlyDenied' },
    { name: "A's Resolver query log delivery writes AWSLogs/A/vpcdnsquerylogs/", caller: service('delivery.logs', A, `arn:aws:logs:ap-northeast-1:${A}:*`), action: 's3:PutObject', resource: dnsKey(A), on: 'bucket', expected: 'Allowed' },
    { name: "A's Resolver query log delivery may not write AWSLogs/B/", caller: service('delivery.logs', A, `arn:aws:logs:ap-northeast-1:${A}:*`), action: 's3:PutObject', resource: dnsKey(B), on: 'bucket', expected: 'ImplicitlyDenied' },
    { name: "A's flow log delivery gets data keys", caller: service('delivery.logs', A, `arn:aws:logs:ap-northeast-1:${A}:*`), action: 'kms:GenerateDataKey', resource: KEY_ARN, on: 'key', expected: 'Allowed' },
    // GuardDuty of A (the destination's kms_key_arn is named in each PutObject).
    { name: "A's GuardDuty writes AWSLogs/A/GuardDuty/", caller: service('guardduty', A, detectorArn(A)), action: 's3:PutObject', resource: gdKey(A), on: 'bucket', context: kmsHeader(a.guardduty[0]!.kms_key_arn), expected: 'Allowed' },
    { name: "A's GuardDuty checks the bucket location", caller: service('guardduty', A, detectorArn(A)), action: 's3:GetBucketLocation', resource: BUCKET_ARN, on: 'bucket', expected: 'Allowed' },
    { name: "A's GuardDuty may not write AWSLogs/B/", caller: service('guardduty', A, detectorArn(A)), action: 's3:PutObject', resource: gdKey(B), on: 'bucket', context: kmsHeader(a.guardduty[0]!.kms_key_arn), expected: 'ImplicitlyDenied' },
    { name: "A's GuardDuty gets data keys", caller: service('guardduty', A, detectorArn(A)), action: 'kms:GenerateDataKey', resource: KEY_ARN, on: 'key', expected: 'Allowed' },
    { name: "GuardDuty for A with B's detector is refused the key (confused deputy)", caller: service('guardduty', A, detectorArn(B)), action: 'kms:GenerateDataKey', resource: KEY_ARN, on: 'key', expected: 'ImplicitlyDenied' },
    // A's Firehose role: its own identity policy from A's stack AND the central policies.
    { name: "A's Firehose role writes AWSLogs/A/WAF/<region>/", caller: firehose(A, policyA), action: 's3:PutObject', resource: wafKeyA, on: 'bucket', context: kmsHeader(wafStream.extended_s3_configuration.kms_key_arn), expected: 'Allowed' },
    { name: "A's Firehose role writes AWSLogs/A/WAF/global/", caller: firehose(A, policyA), action: 's3:PutObject', resource: wafGlobalKeyA, on: 'bucket', context: kmsHeader(globalStream.extended_s3_configuration.kms_key_arn), expected: 'Allowed' },
    { name: "A's Firehose role aborts its multipart uploads", caller: firehose(A, policyA), action: 's3:AbortMultipartUpload', resource: wafKeyA, on: 'bucket', expected: 'Allowed' },
    { name: "A's Firehose role gets the bucket location", caller: firehose(A, policyA), action: 's3:GetBucketLocation', resource: BUCKET_ARN, on: 'bucket', expected: 'Allowed' },
    { name: "A's Firehose role lists multipart uploads", caller: firehose(A, policyA), action: 's3:ListBucketMultipartUploads', resource: BUCKET_ARN, on: 'bucket', expected: 'Allowed' },
    { name: "A's Firehose role may not write AWSLogs/B/WAF/", caller: firehose(A, policyA), action: 's3:PutObject', resource: wafKeyB, on: 'bucket', expected: 'ImplicitlyDenied' },
    { name: "A's Firehose role may not write A's CloudTrail prefix", caller: firehose(A, policyA), action: 's3:PutObject', resource: ctKey(A), on: 'bucket', expected: 'ImplicitlyDenied' },
    { name: "A's Firehose role may not read its own WAF logs", caller: firehose(A, policyA), action: 's3:GetObject', resource: wafKeyA, on: 'bucket', expected: 'ImplicitlyDenied' },
    { name: "A's Firehose role may not read B's logs", caller: firehose(A, policyA), action: 's3:GetObject', resource: ctKey(B), on: 'bucket', expected: 'ImplicitlyDenied' },
    { name: "A's Firehose role may not list the bucket", caller: firehose(A, policyA), action: 's3:ListBucket', resource: BUCKET_ARN, on: 'bucket', expected: 'ImplicitlyDenied' },
    { name: "A's Firehose role may not delete objects", caller: firehose(A, policyA), action: 's3:DeleteObject', resource: wafKeyA, on: 'bucket', expected: 'ImplicitlyDenied' },
    { name: "A's Firehose role gets data keys through S3", caller: firehose(A, policyA), action: 'kms:GenerateDataKey', resource: KEY_ARN, on: 'key', context: { 'kms:ViaService': S3_IN_BUCKET_REGION }, expected: 'Allowed' },
    { name: "A's Firehose role decrypts through S3 (multipart uploads)", caller: firehose(A, policyA), action: 'kms:Decrypt', resource: KEY_ARN, on: 'key', context: { 'kms:ViaService': S3_IN_BUCKET_REGION }, expected: 'Allowed' },
    { name: "A's Firehose role may not decrypt directly (other objects' data keys)", caller: firehose(A, policyA), action: 'kms:Decrypt', resource: KEY_ARN, on: 'key', expected: 'ImplicitlyDenied' },
    { name: "A's Firehose role may not use the key through another service", caller: firehose(A, policyA), action: 'kms:Decrypt', resource: KEY_ARN, on: 'key', context: { 'kms:ViaService': 'sqs.ap-northeast-1.amazonaws.com' }, expected: 'ImplicitlyDenied' },
    { name: "A's Firehose role may not re-encrypt or manage the key", caller: firehose(A, policyA), action: 'kms:ReEncryptFrom', resource: KEY_ARN, on: 'key', context: { 'kms:ViaService': S3_IN_BUCKET_REGION }, expected: 'ImplicitlyDenied' },
    // B's Firehose role, from B's own stack policy... B has no WAF; an equally named role in B with A's policy text still cannot reach A's prefix.
    { name: "B's Firehose role (even with A's policy text) may not write AWSLogs/A/WAF/", caller: firehose(B, policyA), action: 's3:PutObject', resource: wafKeyA, on: 'bucket', expected: 'ImplicitlyDenied' },
    // The central policies alone keep accounts apart, whatever a member puts in its own role policy.
    { name: "B's Firehose role with an allow-all policy may not write AWSLogs/A/WAF/", caller: firehose(B, ALLOW_ALL), action: 's3:PutObject', resource: wafKeyA, on: 'bucket', expected: 'ImplicitlyDenied' },
    { name: "A's Firehose role with an allow-all policy may not read the bucket", caller: firehose(A, ALLOW_ALL), action: 's3:GetObject', resource: wafKeyA, on: 'bucket', expected: 'ImplicitlyDenied' },
    { name: "A's Firehose role with an allow-all policy may not decrypt directly", caller: firehose(A, ALLOW_ALL), action: 'kms:Decrypt', resource: KEY_ARN, on: 'key', expected: 'ImplicitlyDenied' },
    // Network Firewall of A (delivery.logs.amazonaws.com, like flow logs: no statement of its own).
    { name: "A's Network Firewall flow logs write AWSLogs/A/network-firewall/", caller: service('delivery.logs', A, nfwSourceArn(A)), action: 's3:PutObject', resource: nfwKey(A), on: 'bucket', expected: 'Allowed' },
    { name: "A's Network Firewall alert logs write AWSLogs/A/network-firewall/", caller: service('delivery.logs', A, nfwSourceArn(A)), action: 's3:PutObject', resource: nfwKey(A, 'alert'), on: 'bucket', expected: 'Allowed' },
    { name: "A's Network Firewall logs may not write AWSLogs/B/", caller: service('delivery.logs', A, nfwSourceArn(A)), action: 's3:PutObject', resource: nfwKey(B), on: 'bucket', expected: 'ImplicitlyDenied' },
    // A's findings export: its Firehose role's own policy from A's stack AND the central policies.
    { name: "A's findings Firehose role writes AWSLogs/A/aws.securityhub/", caller: findingsA, action: 's3:PutObject', resource: hubKeyA, on: 'bucket', context: kmsHeader(findingsStream.extended_s3_configuration.kms_key_arn), expected: 'Allowed' },
    { name: "A's findings Firehose role writes AWSLogs/A/aws.inspector2/", caller: findingsA, action: 's3:PutObject', resource: findingsKey('aws.inspector2', 'Inspector2_Finding'), on: 'bucket', expected: 'Allowed' },
    { name: "A's findings Firehose role writes AWSLogs/A/aws.config/", caller: findingsA, action: 's3:PutObject', resource: findingsKey('aws.config', 'Config_Rules_Compliance_Change'), on: 'bucket', expected: 'Allowed' },
    { name: "A's findings Firehose role writes its error output", caller: findingsA, action: 's3:PutObject', resource: `${BUCKET_ARN}/${findingsStream.extended_s3_configuration.error_output_prefix.replace('!{firehose:error-output-type}', 'processing-failed').replace('!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/', '2026/11/22/')}x.gz`, on: 'bucket', expected: 'Allowed' },
    { name: "A's findings Firehose role may not write AWSLogs/B/aws.securityhub/", caller: findingsA, action: 's3:PutObject', resource: hubKeyA.replaceAll(A, B), on: 'bucket', expected: 'ImplicitlyDenied' },
    { name: "A's findings Firehose role may not write a source it does not export (aws.guardduty)", caller: findingsA, action: 's3:PutObject', resource: findingsKey('aws.guardduty', 'GuardDuty_Finding'), on: 'bucket', expected: 'ImplicitlyDenied' },
    { name: "A's findings Firehose role may not write A's WAF prefix", caller: findingsA, action: 's3:PutObject', resource: wafKeyA, on: 'bucket', expected: 'ImplicitlyDenied' },
    { name: "A's findings Firehose role may not read its findings", caller: findingsA, action: 's3:GetObject', resource: hubKeyA, on: 'bucket', expected: 'ImplicitlyDenied' },
    { name: "A's findings Firehose role gets data keys through S3", caller: findingsA, action: 'kms:GenerateDataKey', resource: KEY_ARN, on: 'key', context: { 'kms:ViaService': S3_IN_BUCKET_REGION }, expected: 'Allowed' },
    { name: "A's findings Firehose role may not decrypt directly", caller: findingsA, action: 'kms:Decrypt', resource: KEY_ARN, on: 'key', expected: 'ImplicitlyDenied' },
    { name: "B's findings Firehose role (with an allow-all policy) may not write AWSLogs/A/aws.securityhub/", caller: findingsRole(B, ALLOW_ALL), action: 's3:PutObject', resource: hubKeyA, on: 'bucket', expected: 'ImplicitlyDenied' },
    { name: "B, which exports no findings, may not write even its own aws.securityhub prefix", caller: findingsRole(B, ALLOW_ALL), action: 's3:PutObject', resource: hubKeyA.replaceAll(A, B), on: 'bucket', expected: 'ImplicitlyDenied' },
    { name: "B's findings Firehose role may not use the key", caller: findingsRole(B, ALLOW_ALL), action: 'kms:GenerateDataKey', resource: KEY_ARN, on: 'key', context: { 'kms:ViaService': S3_IN_BUCKET_REGION }, expected: 'ImplicitlyDenied' },
    // Non-member accounts.
    { name: 'a non-member CloudTrail may not write its AWSLogs/ prefix', caller: service('cloudtrail', OUTSIDER, `arn:aws:cloudtrail:ap-northeast-1:${OUTSIDER}:trail/aes-siem-trail`), action: 's3:PutObject', resource: ctKey(OUTSIDER), on: 'bucket', expected: 'ImplicitlyDenied' },
    { name: 'a non-member flow log delivery may not write', caller: service('delivery.logs', OUTSIDER), action: 's3:PutObject', resource: flowKey(OUTSIDER), on: 'bucket', expected: 'ImplicitlyDenied' },
    { name: 'a non-member flow log delivery may not use the key', caller: service('delivery.logs', OUTSIDER), action: 'kms:GenerateDataKey', resource: KEY_ARN, on: 'key', expected: 'ImplicitlyDenied' },
    { name: 'a non-member GuardDuty may not use the key', caller: service('guardduty', OUTSIDER, detectorArn(OUTSIDER)), action: 'kms:GenerateDataKey', resource: KEY_ARN, on: 'key', expected: 'ImplicitlyDenied' },
    { name: "a non-member's Firehose role (same name, same policy) is denied the bucket", caller: firehose(OUTSIDER, JSON.parse(JSON.stringify(policyA).replaceAll(A, OUTSIDER)), false), action: 's3:PutObject', resource: wafKeyA.replaceAll(A, OUTSIDER), on: 'bucket', expected: 'ExplicitlyDenied' },
    { name: "a non-member's Firehose role is denied the key", caller: firehose(OUTSIDER, JSON.parse(JSON.stringify(policyA).replaceAll(A, OUTSIDER)), false), action: 'kms:GenerateDataKey', resource: KEY_ARN, on: 'key', context: { 'kms:ViaService': S3_IN_BUCKET_REGION }, expected: 'ImplicitlyDenied' },
  ];

  it('covers every isolation property of the issue with at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases)('$name → $expected', async (c) => {
    const decision = await decide({
      caller: c.caller,
      action: c.action,
      resource: c.resource,
      resourceAccount: SECURITY,
      resourcePolicy: c.on === 'bucket' ? bucket : key,
      context: c.context,
    });
    expect(decision).toBe(c.expected);
  });

  it("binds A's Firehose role to its WAF prefix through the S3 encryption context (checked on the text)", () => {
    expect(stripped.removed).toEqual([
      { Sid: 'CentralKeyThroughS3', StringLike: { 'kms:EncryptionContext:aws:s3:arn': [`${BUCKET_ARN}/AWSLogs/${A}/WAF/*`, BUCKET_ARN] } },
    ]);
  });

  it("derives every key from the member stack's own settings (no prefix that could point elsewhere)", () => {
    expect(a.trail.s3_key_prefix).toBeUndefined();
    expect(a.flowLog.log_destination).toBe(BUCKET_ARN);
    expect(a.guardduty.map((g) => g.destination_arn)).toEqual([BUCKET_ARN, BUCKET_ARN]);
    expect(a.streams.map((s) => s.extended_s3_configuration.prefix).sort()).toEqual([`AWSLogs/${A}/WAF/ap-northeast-1/`, `AWSLogs/${A}/WAF/global/`]);
    expect(a.findingsStreams.map((s) => [s.extended_s3_configuration.bucket_arn, s.extended_s3_configuration.prefix])).toEqual(
      ['ap-northeast-1', 'us-east-1'].map((r) => [BUCKET_ARN, `AWSLogs/${A}/!{partitionKeyFromQuery:service}/!{partitionKeyFromQuery:detailtype}/${r}/!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/`]),
    );
    expect(a.firewallLogging.map((f) => f.logging_configuration.log_destination_config.map((d: any) => [d.log_type, d.log_destination]))).toEqual([
      [
        ['ALERT', { bucketName: BUCKET }],
        ['FLOW', { bucketName: BUCKET }],
      ],
    ]);
    expect(a.queryLogConfigs.map((c) => c.destination_arn)).toEqual([BUCKET_ARN]);
    expect(b.flowLog.log_destination).toBe(BUCKET_ARN);
    expect(b.rolePolicy).toBeUndefined(); // workload-dev has no WAF, so no Firehose role
    expect(b.queryLogConfigs).toEqual([]); // nor Resolver query logs (off by default)
    expect(b.findingsRolePolicy).toBeUndefined(); // nor findings export
  });

  it("binds A's findings Firehose role to its findings prefixes through the S3 encryption context (checked on the text)", () => {
    const own = ['aws.securityhub', 'aws.inspector2', 'aws.config', 'FindingsExport/error'].map((f) => `${BUCKET_ARN}/AWSLogs/${A}/${f}/*`);
    expect(findingsStripped.removed).toEqual([{ Sid: 'CentralKeyThroughS3', StringLike: { 'kms:EncryptionContext:aws:s3:arn': [...own, BUCKET_ARN] } }]);
  });
});

describe('isolation before security.centralKeyArn is set (alias ARN in member stacks)', () => {
  const app = synthesize(withKeyArn(exampleOrganization(), undefined));
  const key = withoutEncryptionContext(centralPolicies(app.stacks.central!).key).policy;
  const a = memberView(app.stacks['member-workload-prod']!);
  const caller: Caller = { roleArn: `arn:aws:iam::${A}:role/aes-siem-waf-firehose`, orgId: ORG_ID, identityPolicies: [withoutEncryptionContext(a.rolePolicy!).policy] };

  it.each([
    ['the key that carries the central alias', ['alias/aes-siem-key'], 'Allowed'],
    ['a key of the security account without the alias', ['alias/something-else'], 'ImplicitlyDenied'],
  ] as const)("A's Firehose role may use %s", async (_what, aliases, expected) => {
    const decision = await decide({
      caller,
      action: 'kms:GenerateDataKey',
      resource: KEY_ARN,
      resourceAccount: SECURITY,
      resourcePolicy: key,
      context: { 'kms:ViaService': S3_IN_BUCKET_REGION, 'kms:ResourceAliases': [...aliases] },
    });
    expect(decision).toBe(expected);
  });
});
