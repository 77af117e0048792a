import { describe, expect, it } from 'vitest';
import { loadOrganization } from '../../accounts/load';
import { memberSchema } from '../../accounts/schema';
import { FINDING_SOURCES, findingsStreamPrefixes, FLOW_LOG_FORMAT, MEMBER_FEATURES, wafFirehoseRolePolicy } from '../../modules/member';
import { Pipeline } from '../../lambdas/es-loader/pipeline';
import { CENTRAL_KEY_ARN_WARNING, emptyMemberWarning, memberStackRegions } from '../../stacks/member-stack';
import { allOff, BUCKET, KEY_ARN, only, organization, resources, SECURITY, synthMember } from './member-helpers';

const A = '444444444444';
const ALIAS_ARN = `arn:aws:kms:ap-northeast-1:${SECURITY}:alias/aes-siem-key`;
const REGIONAL_ACL = `arn:aws:wafv2:ap-northeast-1:${A}:regional/webacl/api/0a1b2c3d-0000-4000-8000-000000000001`;
const VPC_TOKYO = { id: 'vpc-0a1b2c3d4e5f60001', region: 'ap-northeast-1' };
const GLOBAL_ACL = `arn:aws:wafv2:us-east-1:${A}:global/webacl/cdn/0a1b2c3d-0000-4000-8000-000000000002`;

/** Undo Terraform's `$${` escape: the value Terraform passes to AWS. */
const tfString = (s: unknown) => String(s).replace(/\$\$\{/g, '${');

describe('Stack: member (providers)', () => {
  it('has one aliased provider per region, pinned to the member account and assuming the deploy role', () => {
    const org = organization([{ ...allOff('prod', A, ['ap-northeast-1', 'eu-west-1']) }], { centralKeyArn: KEY_ARN });
    const { json } = synthMember(org);
    expect(json.provider.aws).toEqual([
      {
        alias: 'ap_northeast_1',
        region: 'ap-northeast-1',
        allowed_account_ids: [A],
        assume_role: [{ role_arn: `arn:aws:iam::${A}:role/OrganizationAccountAccessRole`, session_name: 'siem-deploy' }],
      },
      {
        alias: 'eu_west_1',
        region: 'eu-west-1',
        allowed_account_ids: [A],
        assume_role: [{ role_arn: `arn:aws:iam::${A}:role/OrganizationAccountAccessRole`, session_name: 'siem-deploy' }],
      },
    ]);
  });

  it('uses the member deploy role over the organization default, and the organization default over the built-in one', () => {
    const own = synthMember(organization([{ ...allOff('prod', A, ['ap-northeast-1']), deployRole: 'AWSControlTowerExecution' }])).json;
    expect(own.provider.aws[0]!.assume_role).toEqual([{ role_arn: `arn:aws:iam::${A}:role/AWSControlTowerExecution`, session_name: 'siem-deploy' }]);
    const orgWide = synthMember(organization([allOff('prod', A, ['ap-northeast-1'])], { memberDeployRole: 'SiemDeploy' })).json;
    expect(orgWide.provider.aws[0]!.assume_role).toEqual([{ role_arn: `arn:aws:iam::${A}:role/SiemDeploy`, session_name: 'siem-deploy' }]);
  });

  it('adds us-east-1 only when a CloudFront (global) web ACL is logged', () => {
    const org = organization([
      { ...allOff('cdn', A, ['ap-northeast-1']), waf: { webAcls: [GLOBAL_ACL] } },
      { ...allOff('api', '555555555555', ['ap-northeast-1']), waf: { webAcls: [`arn:aws:wafv2:ap-northeast-1:555555555555:regional/webacl/api/x1`] } },
      { ...allOff('off', '666666666666', ['ap-northeast-1']), waf: { enabled: false, webAcls: [`arn:aws:wafv2:us-east-1:666666666666:global/webacl/cdn/x2`] } },
    ]);
    expect(org.members.map(memberStackRegions)).toEqual([['ap-northeast-1', 'us-east-1'], ['ap-northeast-1'], ['ap-northeast-1']]);
    expect(synthMember(org, org.members[0]).json.provider.aws.map((p) => p.alias)).toEqual(['ap_northeast_1', 'us_east_1']);
  });
});

describe('Stack: member (CloudTrail)', () => {
  it('creates one multi-region trail with log file validation, the central key and the central bucket', () => {
    const org = organization([{ ...allOff('prod', A, ['eu-west-1', 'ap-northeast-1']), cloudtrail: { enabled: true } }], { centralKeyArn: KEY_ARN });
    const { json } = synthMember(org);
    expect(only(json, 'aws_cloudtrail')).toEqual({
      provider: 'aws.eu_west_1',
      name: 'aes-siem-trail',
      s3_bucket_name: BUCKET,
      kms_key_id: KEY_ARN,
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      enable_logging: true,
      advanced_event_selector: [{ name: 'Management events', field_selector: [{ field: 'eventCategory', equals: ['Management'] }] }],
    });
    // No key prefix: CloudTrail then writes AWSLogs/<acct>/CloudTrail/<region>/...
    expect(only(json, 'aws_cloudtrail')).not.toHaveProperty('s3_key_prefix');
  });

  it('adds S3 object and Lambda data events only when configured', () => {
    const org = organization([{ ...allOff('prod', A, ['ap-northeast-1']), cloudtrail: { dataEvents: { s3: true, lambda: true } } }], { centralKeyArn: KEY_ARN });
    expect(only(synthMember(org).json, 'aws_cloudtrail').advanced_event_selector).toEqual([
      { name: 'Management events', field_selector: [{ field: 'eventCategory', equals: ['Management'] }] },
      {
        name: 'S3 object data events',
        field_selector: [
          { field: 'eventCategory', equals: ['Data'] },
          { field: 'resources.type', equals: ['AWS::S3::Object'] },
        ],
      },
      {
        name: 'Lambda invoke data events',
        field_selector: [
          { field: 'eventCategory', equals: ['Data'] },
          { field: 'resources.type', equals: ['AWS::Lambda::Function'] },
        ],
      },
    ]);
  });

  it('creates no trail when the member is covered by an organization trail (cloudtrail.enabled: false)', () => {
    const { json } = synthMember(organization([{ name: 'sandbox', accountId: A, regions: ['us-west-2'], cloudtrail: { enabled: false } }]));
    expect(resources(json, 'aws_cloudtrail')).toEqual({});
    expect(Object.keys(resources(json, 'aws_guardduty_detector'))).toHaveLength(1); // the rest is still there
  });
});

describe('Stack: member (VPC Flow Logs)', () => {
  it('uses exactly the documented version 5 custom format', () => {
    expect(FLOW_LOG_FORMAT).toBe(
      '${account-id} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${tcp-flags} ${flow-direction} ${traffic-path} ${pkt-srcaddr} ${pkt-dstaddr} ${region} ${az-id}',
    );
  });

  it('creates one flow log per VPC in its region, to the central bucket ARN without a folder', () => {
    const org = organization([
      {
        ...allOff('prod', A, ['ap-northeast-1', 'us-west-2']),
        vpcFlowLogs: {
          vpcs: [
            { id: 'vpc-0a1b2c3d4e5f60001', region: 'ap-northeast-1' },
            { id: 'vpc-0a1b2c3d4e5f60002', region: 'us-west-2' },
          ],
        },
      },
    ]);
    const logs = Object.values(resources(synthMember(org).json, 'aws_flow_log'));
    expect(logs).toHaveLength(2);
    expect(logs.map((l) => [l.vpc_id, l.provider])).toEqual([
      ['vpc-0a1b2c3d4e5f60001', 'aws.ap_northeast_1'],
      ['vpc-0a1b2c3d4e5f60002', 'aws.us_west_2'],
    ]);
    for (const l of logs) {
      expect(l).toMatchObject({
        log_destination: `arn:aws:s3:::${BUCKET}`,
        log_destination_type: 's3',
        traffic_type: 'ALL',
        max_aggregation_interval: 600,
        destination_options: { file_format: 'plain-text', hive_compatible_partitions: false, per_hour_partition: false },
      });
      // Escaped for Terraform, so that AWS receives the format itself.
      expect(l.log_format).toBe(FLOW_LOG_FORMAT.split('${').join('$${'));
      expect(tfString(l.log_format)).toBe(FLOW_LOG_FORMAT);
      expect(l).not.toHaveProperty('iam_role_arn'); // S3 delivery uses delivery.logs.amazonaws.com, no role
    }
  });

  it('applies traffic type, aggregation interval and per-hour partitions from config', () => {
    const org = organization([
      {
        ...allOff('dev', A, ['ap-northeast-1']),
        vpcFlowLogs: { vpcs: [{ id: 'vpc-0a1b2c3d4e5f60002', region: 'ap-northeast-1' }], trafficType: 'REJECT', maxAggregationInterval: 60, perHourPartition: true },
      },
    ]);
    expect(only(synthMember(org).json, 'aws_flow_log')).toMatchObject({
      traffic_type: 'REJECT',
      max_aggregation_interval: 60,
      destination_options: { file_format: 'plain-text', hive_compatible_partitions: false, per_hour_partition: true },
    });
  });

  it('creates none when switched off', () => {
    const org = organization([{ ...allOff('dev', A, ['ap-northeast-1']), vpcFlowLogs: { enabled: false, vpcs: [{ id: 'vpc-0a1b2c3d4e5f60002', region: 'ap-northeast-1' }] } }]);
    expect(resources(synthMember(org).json, 'aws_flow_log')).toEqual({});
  });
});

describe('Stack: member (WAF through Firehose)', () => {
  const wafOrg = (waf: Record<string, unknown>) =>
    organization([{ ...allOff('prod', A, ['ap-northeast-1']), waf: { webAcls: [REGIONAL_ACL, GLOBAL_ACL], ...waf } }], { centralKeyArn: KEY_ARN });

  it('creates a stream per region and one for CloudFront in us-east-1, with the WAF prefixes, GZIP and the central key', () => {
    const streams = Object.values(resources(synthMember(wafOrg({})).json, 'aws_kinesis_firehose_delivery_stream'));
    const bySegment = (seg: string) => streams.find((s) => (s.extended_s3_configuration as { prefix: string }).prefix.includes(`/WAF/${seg}/`))!;
    expect(streams).toHaveLength(2);
    const regional = bySegment('ap-northeast-1');
    const global = bySegment('global');
    expect(regional).toMatchObject({ name: 'aws-waf-logs-aes-siem-ap-northeast-1', provider: 'aws.ap_northeast_1', destination: 'extended_s3' });
    expect(global).toMatchObject({ name: 'aws-waf-logs-aes-siem-global', provider: 'aws.us_east_1', destination: 'extended_s3' });
    for (const [s, seg] of [[regional, 'ap-northeast-1'], [global, 'global']] as const) {
      expect(s.server_side_encryption).toEqual({ enabled: true, key_type: 'AWS_OWNED_CMK' });
      expect(s.extended_s3_configuration).toEqual({
        role_arn: expect.stringMatching(/^\$\{aws_iam_role\.waf_role_[0-9A-F]+\.arn\}$/),
        bucket_arn: `arn:aws:s3:::${BUCKET}`,
        prefix: `AWSLogs/${A}/WAF/${seg}/`,
        error_output_prefix: `AWSLogs/${A}/WAF/${seg}/error/!{firehose:error-output-type}/`,
        compression_format: 'GZIP',
        buffering_size: 5,
        buffering_interval: 300,
        kms_key_arn: KEY_ARN,
      });
      expect(String(s.name)).toMatch(/^aws-waf-logs-/);
    }
  });

  it('takes buffering hints from config', () => {
    const s = Object.values(resources(synthMember(wafOrg({ bufferingSizeMb: 64, bufferingIntervalSeconds: 60 })).json, 'aws_kinesis_firehose_delivery_stream'))[0]!;
    expect(s.extended_s3_configuration).toMatchObject({ buffering_size: 64, buffering_interval: 60 });
  });

  it('creates one role for all streams whose policy is exactly its own WAF prefix and the key through S3', () => {
    const { json } = synthMember(wafOrg({}));
    const role = only(json, 'aws_iam_role');
    expect(role).toMatchObject({ name: 'aes-siem-waf-firehose', provider: 'aws.ap_northeast_1' });
    expect(JSON.parse(String(role.assume_role_policy))).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'FirehoseOfThisAccount', Effect: 'Allow', Principal: { Service: 'firehose.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': A } } },
      ],
    });
    const policy = only(json, 'aws_iam_role_policy');
    expect(JSON.parse(String(policy.policy))).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'WriteOwnWafPrefix', Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:PutObject'], Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${A}/WAF/*` },
        { Sid: 'BucketLevelCalls', Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], Resource: `arn:aws:s3:::${BUCKET}` },
        {
          Sid: 'CentralKeyThroughS3',
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: KEY_ARN,
          Condition: {
            // The bucket's Region, also for the us-east-1 stream: S3 calls KMS where the bucket is.
            StringEquals: { 'kms:ViaService': 's3.ap-northeast-1.amazonaws.com' },
            StringLike: { 'kms:EncryptionContext:aws:s3:arn': [`arn:aws:s3:::${BUCKET}/AWSLogs/${A}/WAF/*`, `arn:aws:s3:::${BUCKET}`] },
          },
        },
      ],
    });
    // Both streams wait for the policy, so Firehose's destination check sees the permissions.
    for (const s of Object.values(resources(json, 'aws_kinesis_firehose_delivery_stream'))) {
      expect(s.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\.waf_policy_/)]);
    }
  });

  it('grants the key by its alias while security.centralKeyArn is not set', () => {
    const doc = wafFirehoseRolePolicy({ memberAccountId: A, bucketName: BUCKET, keyArn: `arn:aws:kms:ap-northeast-1:${SECURITY}:alias/aes-siem-key`, bucketRegion: 'eu-west-1' });
    expect(doc.Statement[2]).toMatchObject({
      Resource: `arn:aws:kms:ap-northeast-1:${SECURITY}:key/*`,
      Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' }, 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/aes-siem-key' } },
    });
  });

  it('logs every listed web ACL to the stream of its region, with redacted fields', () => {
    const { json } = synthMember(wafOrg({ redactedFields: [{ singleHeader: 'authorization' }, 'queryString', 'uriPath', 'method'] }));
    const configs = Object.entries(resources(json, 'aws_wafv2_web_acl_logging_configuration'));
    const streamIds = Object.fromEntries(
      Object.entries(resources(json, 'aws_kinesis_firehose_delivery_stream')).map(([id, s]) => [String(s.name), `\${aws_kinesis_firehose_delivery_stream.${id}.arn}`]),
    );
    expect(configs.map(([, c]) => [c.resource_arn, c.provider, c.log_destination_configs])).toEqual([
      [REGIONAL_ACL, 'aws.ap_northeast_1', [streamIds['aws-waf-logs-aes-siem-ap-northeast-1']]],
      [GLOBAL_ACL, 'aws.us_east_1', [streamIds['aws-waf-logs-aes-siem-global']]],
    ]);
    for (const [, c] of configs) {
      expect(c.redacted_fields).toEqual([{ single_header: { name: 'authorization' } }, { query_string: {} }, { uri_path: {} }, { method: {} }]);
      expect(c).not.toHaveProperty('logging_filter');
    }
  });

  it('keeps only the configured actions when keepOnlyActions is set', () => {
    const c = Object.values(resources(synthMember(wafOrg({ keepOnlyActions: ['BLOCK', 'COUNT'] })).json, 'aws_wafv2_web_acl_logging_configuration'))[0]!;
    expect(c.logging_filter).toEqual({
      default_behavior: 'DROP',
      filter: [{ behavior: 'KEEP', requirement: 'MEETS_ANY', condition: [{ action_condition: { action: 'BLOCK' } }, { action_condition: { action: 'COUNT' } }] }],
    });
    expect(c).not.toHaveProperty('redacted_fields');
  });

  it('creates nothing for WAF when switched off or when no web ACL is listed', () => {
    for (const waf of [{ enabled: false, webAcls: [REGIONAL_ACL] }, {}]) {
      const { json } = synthMember(organization([{ ...allOff('prod', A, ['ap-northeast-1']), waf }]));
      for (const t of ['aws_kinesis_firehose_delivery_stream', 'aws_iam_role', 'aws_iam_role_policy', 'aws_wafv2_web_acl_logging_configuration']) expect(resources(json, t)).toEqual({});
    }
  });
});

describe('Stack: member (GuardDuty)', () => {
  it('creates a detector and a publishing destination per region, to the central bucket with the central key', () => {
    const org = organization([{ ...allOff('prod', A, ['ap-northeast-1', 'us-east-1']), guardduty: { publishingFrequency: 'ONE_HOUR' } }], { centralKeyArn: KEY_ARN });
    const { json } = synthMember(org);
    const detectors = Object.entries(resources(json, 'aws_guardduty_detector'));
    expect(detectors.map(([, d]) => d)).toEqual([
      { provider: 'aws.ap_northeast_1', enable: true, finding_publishing_frequency: 'ONE_HOUR' },
      { provider: 'aws.us_east_1', enable: true, finding_publishing_frequency: 'ONE_HOUR' },
    ]);
    expect(Object.values(resources(json, 'aws_guardduty_publishing_destination'))).toEqual(
      detectors.map(([id, d]) => ({
        provider: d.provider,
        detector_id: `\${aws_guardduty_detector.${id}.id}`,
        destination_type: 'S3',
        destination_arn: `arn:aws:s3:::${BUCKET}`,
        kms_key_arn: KEY_ARN,
      })),
    );
  });

  it('uses an existing detector where one is configured', () => {
    const existing = '0123456789abcdef0123456789abcdef';
    const org = organization([{ ...allOff('prod', A, ['ap-northeast-1', 'us-east-1']), guardduty: { detectorIds: { 'us-east-1': existing } } }], { centralKeyArn: KEY_ARN });
    const { json } = synthMember(org);
    expect(Object.values(resources(json, 'aws_guardduty_detector')).map((d) => d.provider)).toEqual(['aws.ap_northeast_1']);
    const dest = Object.values(resources(json, 'aws_guardduty_publishing_destination')).find((d) => d.provider === 'aws.us_east_1')!;
    expect(dest.detector_id).toBe(existing);
  });

  it('creates nothing for GuardDuty when switched off', () => {
    const { json } = synthMember(organization([{ ...allOff('prod', A, ['ap-northeast-1']), guardduty: { enabled: false, detectorIds: { 'ap-northeast-1': '0123456789abcdef0123456789abcdef' } } }]));
    expect(resources(json, 'aws_guardduty_detector')).toEqual({});
    expect(resources(json, 'aws_guardduty_publishing_destination')).toEqual({});
  });
});

describe('Stack: member (Route 53 Resolver query logs)', () => {
  const VPC1 = { id: 'vpc-0a1b2c3d4e5f60001', region: 'ap-northeast-1' };
  const VPC2 = { id: 'vpc-0a1b2c3d4e5f60002', region: 'ap-northeast-1' };
  const VPC3 = { id: 'vpc-0a1b2c3d4e5f60003', region: 'us-west-2' };

  it('creates one query logging configuration per region, to the central bucket ARN, and one association per VPC', () => {
    const org = organization([{ ...allOff('prod', A, ['ap-northeast-1', 'us-west-2']), resolverQueryLogs: { enabled: true, vpcs: [VPC1, VPC2, VPC3] } }]);
    const { json } = synthMember(org);
    const configs = resources(json, 'aws_route53_resolver_query_log_config');
    expect(Object.values(configs)).toEqual([
      { provider: 'aws.ap_northeast_1', name: 'aes-siem-resolver-query-logs', destination_arn: `arn:aws:s3:::${BUCKET}` },
      { provider: 'aws.us_west_2', name: 'aes-siem-resolver-query-logs', destination_arn: `arn:aws:s3:::${BUCKET}` },
    ]);
    const [tokyo, oregon] = Object.keys(configs);
    expect(Object.values(resources(json, 'aws_route53_resolver_query_log_config_association'))).toEqual([
      { provider: 'aws.ap_northeast_1', resolver_query_log_config_id: `\${aws_route53_resolver_query_log_config.${tokyo}.id}`, resource_id: VPC1.id },
      { provider: 'aws.ap_northeast_1', resolver_query_log_config_id: `\${aws_route53_resolver_query_log_config.${tokyo}.id}`, resource_id: VPC2.id },
      { provider: 'aws.us_west_2', resolver_query_log_config_id: `\${aws_route53_resolver_query_log_config.${oregon}.id}`, resource_id: VPC3.id },
    ]);
  });

  it('is off by default: listed VPCs log nothing until enabled is true', () => {
    const { json } = synthMember(organization([{ name: 'prod', accountId: A, regions: ['ap-northeast-1'], resolverQueryLogs: { vpcs: [VPC1] } }]));
    expect(resources(json, 'aws_route53_resolver_query_log_config')).toEqual({});
    expect(resources(json, 'aws_route53_resolver_query_log_config_association')).toEqual({});
  });
});

describe('Stack: member (the feature list)', () => {
  it('has a section of the member file per feature, in the order of the list, each with its defaults', () => {
    expect(MEMBER_FEATURES.map((f) => f.key)).toEqual(['cloudtrail', 'vpcFlowLogs', 'guardduty', 'waf', 'resolverQueryLogs', 'networkFirewall', 'findingsExport', 'elbAccessLogs', 'cloudwatchLogsExport']);
    const sections = Object.keys(memberSchema.shape).filter((k) => !['name', 'accountId', 'regions', 'deployRole', 'organizationalUnit', 'tags'].includes(k));
    expect(sections).toEqual(MEMBER_FEATURES.map((f) => f.key));
    const member = memberSchema.parse({ name: 'prod', accountId: A, regions: ['ap-northeast-1'] });
    for (const f of MEMBER_FEATURES) expect(member[f.key]).toEqual(f.schema.parse({}));
  });

  it('warns that the stack is empty when every feature is off', () => {
    const { json, warnings } = synthMember(organization([allOff('idle', A, ['ap-northeast-1'])]));
    expect(json.resource ?? {}).toEqual({});
    expect(warnings).toEqual([
      'member idle: the stack member-idle is empty: every feature (cloudtrail, vpcFlowLogs, guardduty, waf, resolverQueryLogs, networkFirewall, findingsExport, elbAccessLogs, cloudwatchLogsExport) is off or has nothing to log; turn one on in members/idle.yaml, or remove the file if the account needs no stack',
    ]);
    expect(warnings[0]).toBe(emptyMemberWarning({ name: 'idle' }));
  });

  it('warns the same when the features that are on have nothing to log (flow logs without VPCs, WAF without web ACLs)', () => {
    const { warnings } = synthMember(organization([{ ...allOff('idle', A, ['ap-northeast-1']), vpcFlowLogs: { enabled: true }, waf: { enabled: true } }]));
    expect(warnings).toEqual([emptyMemberWarning({ name: 'idle' })]);
  });

  it('does not warn a member with one active feature', () => {
    const { warnings } = synthMember(organization([{ ...allOff('prod', A, ['ap-northeast-1']), resolverQueryLogs: { enabled: true, vpcs: [VPC_TOKYO] } }]));
    expect(warnings).toEqual([]);
  });
});

describe('Stack: member (central key ARN)', () => {
  it('uses the alias ARN and warns until security.centralKeyArn is set', () => {
    const { json, warnings } = synthMember(organization([{ name: 'prod', accountId: A, regions: ['ap-northeast-1'], waf: { webAcls: [REGIONAL_ACL] } }]));
    expect(warnings).toEqual([CENTRAL_KEY_ARN_WARNING]);
    expect(CENTRAL_KEY_ARN_WARNING).toMatch(/security\.centralKeyArn/);
    expect(only(json, 'aws_cloudtrail').kms_key_id).toBe(ALIAS_ARN);
    expect(only(json, 'aws_guardduty_publishing_destination').kms_key_arn).toBe(ALIAS_ARN);
    expect((only(json, 'aws_kinesis_firehose_delivery_stream').extended_s3_configuration as { kms_key_arn: string }).kms_key_arn).toBe(ALIAS_ARN);
  });

  it('uses the configured key ARN everywhere and does not warn', () => {
    const { json, warnings } = synthMember(organization([{ name: 'prod', accountId: A, regions: ['ap-northeast-1'], waf: { webAcls: [REGIONAL_ACL] } }], { centralKeyArn: KEY_ARN }));
    expect(warnings).toEqual([]);
    expect(only(json, 'aws_cloudtrail').kms_key_id).toBe(KEY_ARN);
    expect(only(json, 'aws_guardduty_publishing_destination').kms_key_arn).toBe(KEY_ARN);
    expect(JSON.stringify(json)).not.toContain(':alias/');
  });

  it('does not warn a member that uses no key (only flow logs, which use the bucket default)', () => {
    const { warnings } = synthMember(organization([{ ...allOff('prod', A, ['ap-northeast-1']), vpcFlowLogs: { vpcs: [{ id: 'vpc-0a1b2c3d4e5f60002', region: 'ap-northeast-1' }] } }]));
    expect(warnings).toEqual([]);
  });
});

describe('Stack: member (example organization)', () => {
  it('synthesizes every example member with the documented features', () => {
    const org = loadOrganization();
    const counts = Object.fromEntries(
      org.members.map((m) => {
        const { json } = synthMember(org, m);
        const n = (t: string) => Object.keys(resources(json, t)).length;
        return [
          m.name,
          {
            trail: n('aws_cloudtrail'),
            flowLogs: n('aws_flow_log'),
            streams: n('aws_kinesis_firehose_delivery_stream'),
            acls: n('aws_wafv2_web_acl_logging_configuration'),
            guardduty: n('aws_guardduty_publishing_destination'),
            dnsQueryLogs: n('aws_route53_resolver_query_log_config_association'),
            firewallLogs: n('aws_networkfirewall_logging_configuration'),
            findingRules: n('aws_cloudwatch_event_rule'),
            cwlFilters: n('aws_cloudwatch_log_subscription_filter'),
            outputs: Object.keys(json.output ?? {}).filter((o) => /^(elb_access_logs|findings)_/.test(o)).sort(),
          },
        ];
      }),
    );
    expect(counts).toEqual({
      sandbox: { trail: 0, flowLogs: 0, streams: 0, acls: 0, guardduty: 1, dnsQueryLogs: 0, firewallLogs: 0, findingRules: 0, cwlFilters: 0, outputs: [] },
      'workload-dev': { trail: 1, flowLogs: 1, streams: 0, acls: 0, guardduty: 1, dnsQueryLogs: 0, firewallLogs: 0, findingRules: 0, cwlFilters: 0, outputs: [] },
      // WAF: a regional and a CloudFront stream; findings export: a stream and three rules in each of its two regions;
      // CloudWatch Logs export: a stream in ap-northeast-1 and a filter on each of its two log groups.
      'workload-prod': {
        trail: 1,
        flowLogs: 1,
        streams: 5,
        acls: 2,
        guardduty: 2,
        dnsQueryLogs: 1,
        firewallLogs: 1,
        findingRules: 6,
        cwlFilters: 2,
        outputs: ['elb_access_logs_bucket', 'elb_access_logs_prefix', 'findings_firehose_role_arn'],
      },
    });
  });
});

describe('Stack: member (Network Firewall logs)', () => {
  const FW1 = `arn:aws:network-firewall:ap-northeast-1:${A}:firewall/egress`;
  const FW2 = `arn:aws:network-firewall:us-west-2:${A}:firewall/inspection`;

  it('logs every listed firewall in its region, ALERT and FLOW to the central bucket without a prefix', () => {
    const { json, warnings } = synthMember(organization([{ ...allOff('prod', A, ['ap-northeast-1', 'us-west-2']), networkFirewall: { enabled: true, firewalls: [FW1, FW2] } }]));
    expect(warnings).toEqual([]);
    const destinations = (logTypes: string[]) => ({ log_destination_config: logTypes.map((t) => ({ log_type: t, log_destination_type: 'S3', log_destination: { bucketName: BUCKET } })) });
    expect(Object.values(resources(json, 'aws_networkfirewall_logging_configuration'))).toEqual([
      { provider: 'aws.ap_northeast_1', firewall_arn: FW1, logging_configuration: destinations(['ALERT', 'FLOW']) },
      { provider: 'aws.us_west_2', firewall_arn: FW2, logging_configuration: destinations(['ALERT', 'FLOW']) },
    ]);
  });

  it('sends only the configured log types', () => {
    const { json } = synthMember(organization([{ ...allOff('prod', A, ['ap-northeast-1']), networkFirewall: { enabled: true, firewalls: [FW1], logTypes: ['ALERT'] } }]));
    expect((only(json, 'aws_networkfirewall_logging_configuration').logging_configuration as any).log_destination_config.map((d: any) => d.log_type)).toEqual(['ALERT']);
  });

  it('is off by default and creates nothing without firewalls', () => {
    expect(resources(synthMember(organization([{ ...allOff('prod', A, ['ap-northeast-1']), networkFirewall: { firewalls: [FW1] } }])).json, 'aws_networkfirewall_logging_configuration')).toEqual({});
    expect(resources(synthMember(organization([{ ...allOff('prod', A, ['ap-northeast-1']), resolverQueryLogs: { enabled: true, vpcs: [VPC_TOKYO] }, networkFirewall: { enabled: true } }])).json, 'aws_networkfirewall_logging_configuration')).toEqual({});
  });

  it.each([
    [{ firewalls: [`arn:aws:network-firewall:ap-northeast-1:999999999999:firewall/x`] }, 'members/prod.yaml: networkFirewall.firewalls[0]: belongs to account 999999999999, not to this member (444444444444)'],
    [{ firewalls: [`arn:aws:network-firewall:eu-west-1:${A}:firewall/x`] }, "members/prod.yaml: networkFirewall.firewalls[0]: is in eu-west-1, which is not one of the member's regions (ap-northeast-1)"],
    [{ firewalls: [FW1, FW1] }, 'members/prod.yaml: networkFirewall.firewalls: lists a firewall more than once'],
    [{ firewalls: ['arn:aws:network-firewall:ap-northeast-1:444444444444:firewall-policy/x'] }, 'members/prod.yaml: networkFirewall.firewalls[0]: must be a Network Firewall firewall ARN (arn:aws:network-firewall:<region>:<account>:firewall/<name>), got "arn:aws:network-firewall:ap-northeast-1:444444444444:firewall-policy/x"'],
    [{ firewalls: [FW1], logTypes: [] }, 'members/prod.yaml: networkFirewall.logTypes: names no log type; turn the feature off instead (enabled: false)'],
  ])('refuses %j with one line naming the file and field', (section, message) => {
    expect(() => organization([{ name: 'prod', accountId: A, regions: ['ap-northeast-1'], networkFirewall: { enabled: true, ...section } }])).toThrow(message);
  });
});

describe('Stack: member (findings export)', () => {
  const org = (section: Record<string, unknown>, regions = ['ap-northeast-1', 'us-east-1']) =>
    organization([{ ...allOff('prod', A, regions), findingsExport: { enabled: true, ...section } }], { centralKeyArn: KEY_ARN });

  it('creates per region one Firehose stream into the central bucket, partitioned by event source and detail type, with the central key', () => {
    const { json, warnings } = synthMember(org({}));
    expect(warnings).toEqual([]);
    const streams = Object.values(resources(json, 'aws_kinesis_firehose_delivery_stream')) as any[];
    expect(streams.map((s) => [s.provider, s.name])).toEqual([
      ['aws.ap_northeast_1', 'aes-siem-findings'],
      ['aws.us_east_1', 'aes-siem-findings'],
    ]);
    const tokyo = streams[0].extended_s3_configuration;
    expect(tfString(tokyo.prefix)).toBe(`AWSLogs/${A}/!{partitionKeyFromQuery:service}/!{partitionKeyFromQuery:detailtype}/ap-northeast-1/!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/`);
    expect(tfString(tokyo.error_output_prefix)).toBe(`AWSLogs/${A}/FindingsExport/error/!{firehose:error-output-type}/ap-northeast-1/!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/`);
    expect(tokyo).toMatchObject({ bucket_arn: `arn:aws:s3:::${BUCKET}`, kms_key_arn: KEY_ARN, compression_format: 'GZIP', buffering_size: 64, buffering_interval: 300, dynamic_partitioning_configuration: { enabled: true, retry_duration: 300 } });
    expect(tokyo.processing_configuration).toEqual({
      enabled: true,
      processors: [
        {
          type: 'MetadataExtraction',
          parameters: [
            { parameter_name: 'MetadataExtractionQuery', parameter_value: '{service: .source, detailtype: (."detail-type" | gsub(" "; "_"))}' },
            { parameter_name: 'JsonParsingEngine', parameter_value: 'JQ-1.6' },
          ],
        },
        { type: 'AppendDelimiterToRecord', parameters: [{ parameter_name: 'Delimiter', parameter_value: '\\n' }] },
      ],
    });
    expect(streams[0].server_side_encryption).toEqual({ enabled: true, key_type: 'AWS_OWNED_CMK' });
  });

  it('routes the three event types to the stream of their region through the events role', () => {
    const { json } = synthMember(org({}));
    const rules = Object.entries(resources(json, 'aws_cloudwatch_event_rule')) as [string, any][];
    // Terraform JSON lists resources by id: compare as sets.
    const sorted = <T,>(xs: T[]) => [...xs].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
    expect(sorted(rules.map(([, r]) => [r.provider, r.name, JSON.parse(r.event_pattern)]))).toEqual(
      sorted(['aws.ap_northeast_1', 'aws.us_east_1'].flatMap((p) => [
        [p, 'aes-siem-securityhub-findings', { source: ['aws.securityhub'], 'detail-type': ['Security Hub Findings - Imported'] }],
        [p, 'aes-siem-inspector-findings', { source: ['aws.inspector2'], 'detail-type': ['Inspector2 Finding'] }],
        [p, 'aes-siem-config-rules-compliance', { source: ['aws.config'], 'detail-type': ['Config Rules Compliance Change'] }],
      ])),
    );
    const streamIds = Object.keys(resources(json, 'aws_kinesis_firehose_delivery_stream'));
    const targets = Object.values(resources(json, 'aws_cloudwatch_event_target')) as any[];
    expect(sorted(targets.map((t) => [t.provider, t.rule, t.arn]))).toEqual(
      sorted(rules.map(([id, r]) => [r.provider, `\${aws_cloudwatch_event_rule.${id}.name}`, `\${aws_kinesis_firehose_delivery_stream.${streamIds[r.provider === 'aws.ap_northeast_1' ? 0 : 1]}.arn}`])),
    );
    const roles = Object.entries(resources(json, 'aws_iam_role')) as [string, any][];
    const eventsRoleId = roles.find(([, r]) => r.name === 'aes-siem-findings-events')![0];
    expect(new Set(targets.map((t) => t.role_arn))).toEqual(new Set([`\${aws_iam_role.${eventsRoleId}.arn}`]));
  });

  it('gives the two roles exactly their least privilege', () => {
    const { json } = synthMember(org({ inspector: false }));
    const roles = Object.values(resources(json, 'aws_iam_role')) as any[];
    expect(roles.map((r) => [r.name, JSON.parse(r.assume_role_policy).Statement]).sort((x, y) => x[0].localeCompare(y[0]))).toEqual([
      ['aes-siem-findings-events', [{ Sid: 'EventBridgeOfThisAccount', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': A } } }]],
      ['aes-siem-findings-firehose', [{ Sid: 'FirehoseOfThisAccount', Effect: 'Allow', Principal: { Service: 'firehose.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': A } } }]],
    ]);
    const policies = Object.fromEntries((Object.values(resources(json, 'aws_iam_role_policy')) as any[]).map((p) => [p.name, JSON.parse(p.policy).Statement]));
    const own = [`arn:aws:s3:::${BUCKET}/AWSLogs/${A}/aws.securityhub/*`, `arn:aws:s3:::${BUCKET}/AWSLogs/${A}/aws.config/*`, `arn:aws:s3:::${BUCKET}/AWSLogs/${A}/FindingsExport/error/*`];
    expect(policies['write-own-findings-prefixes']).toEqual([
      { Sid: 'WriteOwnFindingsPrefixes', Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:PutObject'], Resource: own },
      { Sid: 'BucketLevelCalls', Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], Resource: `arn:aws:s3:::${BUCKET}` },
      {
        Sid: 'CentralKeyThroughS3',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: KEY_ARN,
        Condition: { StringEquals: { 'kms:ViaService': 's3.ap-northeast-1.amazonaws.com' }, StringLike: { 'kms:EncryptionContext:aws:s3:arn': [...own, `arn:aws:s3:::${BUCKET}`] } },
      },
    ]);
    expect(policies['put-into-findings-streams']).toEqual([
      {
        Sid: 'PutIntoFindingsStreams',
        Effect: 'Allow',
        Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
        Resource: [`arn:aws:firehose:ap-northeast-1:${A}:deliverystream/aes-siem-findings`, `arn:aws:firehose:us-east-1:${A}:deliverystream/aes-siem-findings`],
      },
    ]);
    // inspector: false leaves its rule out.
    expect((Object.values(resources(json, 'aws_cloudwatch_event_rule')) as any[]).map((r) => r.name)).not.toContain('aes-siem-inspector-findings');
  });

  it('takes the buffer interval from config and refuses one below dynamic partitioning\'s minimum', () => {
    const { json } = synthMember(org({ bufferingIntervalSeconds: 60 }, ['ap-northeast-1']));
    expect((only(json, 'aws_kinesis_firehose_delivery_stream').extended_s3_configuration as any).buffering_interval).toBe(60);
    expect(() => org({ bufferingIntervalSeconds: 30 })).toThrow('members/prod.yaml: findingsExport.bufferingIntervalSeconds: must be at least 60 seconds (Firehose dynamic partitioning)');
  });

  it('refuses an export of nothing, naming the fields, and is off by default', () => {
    expect(() => org({ securityHub: false, inspector: false, configRules: false })).toThrow(
      'members/prod.yaml: findingsExport.enabled: securityHub, inspector and configRules are all false; turn one on, or set enabled: false',
    );
    const { json } = synthMember(organization([{ name: 'prod', accountId: A, regions: ['ap-northeast-1'] }]));
    expect(resources(json, 'aws_cloudwatch_event_rule')).toEqual({});
  });
});

describe('Stack: member (ELB access logs)', () => {
  it('creates nothing in the member account and outputs the central ELB bucket with an empty prefix', () => {
    const { json, warnings } = synthMember(organization([{ ...allOff('prod', A, ['ap-northeast-1']), elbAccessLogs: { enabled: true } }]));
    expect(warnings).toEqual([]);
    expect(json.resource ?? {}).toEqual({});
    expect(json.output).toEqual({
      elb_access_logs_bucket: expect.objectContaining({ value: `${BUCKET}-elb` }),
      elb_access_logs_prefix: expect.objectContaining({ value: '' }),
    });
  });
});

describe('Stack: member (keys the loader recognizes)', () => {
  // What the services write under the settings of these stacks; the loader must find each one's log type.
  const pipeline = Pipeline.create({ ignoreBundledUserIni: true });
  const findings = findingsStreamPrefixes(A, 'ap-northeast-1').prefix.replace('!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/', '2026/11/22/');
  const event = (service: string, detailType: string) =>
    `${findings.replace('!{partitionKeyFromQuery:service}', service).replace('!{partitionKeyFromQuery:detailtype}', detailType.replace(/ /g, '_'))}aes-siem-findings-3-2026-11-22-00-00-00-0a1b2c3d.gz`;

  it.each([
    [event(FINDING_SOURCES.securityHub.source, FINDING_SOURCES.securityHub.detailType), 'securityhub'],
    [event(FINDING_SOURCES.inspector.source, FINDING_SOURCES.inspector.detailType), 'inspector'],
    [event(FINDING_SOURCES.configRules.source, FINDING_SOURCES.configRules.detailType), 'config_rules'],
    [`AWSLogs/${A}/network-firewall/alert/ap-northeast-1/egress/2026/11/22/00/${A}_network-firewall_alert_ap-northeast-1_egress_202611220000_0a1b2c3d.log.gz`, 'networkfirewall'],
    [`AWSLogs/${A}/network-firewall/flow/ap-northeast-1/egress/2026/11/22/00/${A}_network-firewall_flow_ap-northeast-1_egress_202611220000_0a1b2c3d.log.gz`, 'networkfirewall'],
    [`AWSLogs/${A}/elasticloadbalancing/ap-northeast-1/2026/11/22/${A}_elasticloadbalancing_ap-northeast-1_app.web.0123456789abcdef_20261122T0005Z_192.0.2.10_2ab3cd4e.log.gz`, 'alb'],
    [`AWSLogs/${A}/elasticloadbalancing/ap-northeast-1/2026/11/22/${A}_elasticloadbalancing_ap-northeast-1_net.tls.0123456789abcdef_20261122T0005Z_0a1b2c3d.log.gz`, 'nlb'],
    [`AWSLogs/${A}/elasticloadbalancing/ap-northeast-1/2026/11/22/${A}_elasticloadbalancing_ap-northeast-1_classic-web_20261122T0005Z_192.0.2.10_2ab3cd4e.log`, 'clb'],
  ])('%s → %s', (key, type) => {
    expect(pipeline.classify(key)).toEqual({ logType: expect.objectContaining({ name: type }) });
  });
});
