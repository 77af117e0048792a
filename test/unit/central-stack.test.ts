import { describe, expect, it } from 'vitest';
import { parseOrganization } from '../../accounts/load';
import type { Organization } from '../../accounts/schema';
import { exampleOrganization, findResource, parsePolicy, resourcesOf, synthesize, type SynthesizedStack } from '../helpers/synth';

const org = exampleOrganization();
const central = (): SynthesizedStack => synthesize(org).stacks.central!;

/** The example organization with some fields replaced, validated like a real one. */
function variant(patch: Record<string, unknown>): Organization {
  const { members, ...file } = org;
  return parseOrganization({ file: 'organization.yaml', data: { ...file, ...patch } }, members.map((m) => ({ file: `members/${m.name}.yaml`, data: m })));
}

function bucketResources(stack: SynthesizedStack, bucketName: string) {
  const [id] = Object.entries(resourcesOf(stack, 'aws_s3_bucket')).find(([, b]) => b.bucket === bucketName) ?? [];
  if (!id) throw new Error(`no bucket ${bucketName}`);
  const ref = `\${aws_s3_bucket.${id}.id}`;
  const of = (type: string) => Object.values(resourcesOf(stack, type)).filter((r) => r.bucket === ref);
  return { ref, of };
}

describe('central stack', () => {
  it('pins the provider to the security account and region', () => {
    const provider = central().json.provider.aws[0]!;
    expect(provider.allowed_account_ids).toEqual(['222222222222']);
    expect(provider.region).toBe('ap-northeast-1');
    expect(central().json.terraform?.required_providers.aws).toEqual({ source: 'hashicorp/aws', version: '~> 5.100' });
  });

  it('uses no data sources (everything is known from accounts/ at plan time)', () => {
    for (const stack of Object.values(synthesize(org).stacks)) expect(stack.json.data, stack.name).toBeUndefined();
  });

  describe('KMS key', () => {
    it('rotates and has the reference alias', () => {
      const key = Object.values(resourcesOf(central(), 'aws_kms_key'));
      expect(key).toHaveLength(1);
      expect(key[0]).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
      expect(Object.values(resourcesOf(central(), 'aws_kms_alias'))[0]).toMatchObject({ name: 'alias/aes-siem-key', target_key_id: '${aws_kms_key.key.key_id}' });
    });

    it('has one statement per use', () => {
      const policy = parsePolicy(Object.values(resourcesOf(central(), 'aws_kms_key'))[0]!.policy);
      expect(policy.Statement.map((s) => s.Sid)).toEqual([
        'AccountAdministration',
        'CloudTrailEncryptLogs',
        'CloudTrailDescribeKey',
        'VpcFlowLogsDelivery',
        'GuardDutyExport',
        'MemberWafFirehoseRoles',
        'MemberFindingsFirehoseRoles',
        'MemberCwlFirehoseRoles',
        'LogReadersDecrypt',
        'S3ToEncryptedQueues',
        'AlarmsAndEventsToEncryptedTopic',
        'CloudWatchLogsEncryption',
      ]);
    });

    it('binds CloudTrail to the trails of members and of the organization (encryption context, asserted on the text)', () => {
      const policy = parsePolicy(Object.values(resourcesOf(central(), 'aws_kms_key'))[0]!.policy);
      const ct = policy.Statement.find((s) => s.Sid === 'CloudTrailEncryptLogs');
      expect(ct).toEqual({
        Sid: 'CloudTrailEncryptLogs',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': ['444444444444', '555555555555', '666666666666', '111111111111'] },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:${aws:SourceAccount}:trail/*' },
        },
      });
    });

    it('lets the S3 Bucket Key context, not object ARNs, gate the Firehose roles', () => {
      const policy = parsePolicy(Object.values(resourcesOf(central(), 'aws_kms_key'))[0]!.policy);
      const fh = policy.Statement.find((s) => s.Sid === 'MemberWafFirehoseRoles');
      expect(fh.Condition.StringEquals['kms:ViaService']).toBe('s3.ap-northeast-1.amazonaws.com');
      expect(fh.Condition.ArnLike['aws:PrincipalArn']).toBe('arn:aws:iam::*:role/aes-siem-waf-firehose');
    });
  });

  describe('buckets', () => {
    const expected = {
      log: 'aes-siem-222222222222-log',
      snapshot: 'aes-siem-222222222222-snapshot',
      geo: 'aes-siem-222222222222-geo',
    };

    it.each(Object.entries(expected))('%s bucket has the security baseline', (_, name) => {
      const { of } = bucketResources(central(), name);
      expect(of('aws_s3_bucket_server_side_encryption_configuration')).toEqual([
        expect.objectContaining({ rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.key.arn}' }, bucket_key_enabled: true }] }),
      ]);
      expect(of('aws_s3_bucket_public_access_block')).toEqual([
        expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
      ]);
      expect(of('aws_s3_bucket_ownership_controls')).toEqual([expect.objectContaining({ rule: { object_ownership: 'BucketOwnerEnforced' } })]);
      expect(of('aws_s3_bucket_versioning')).toEqual([expect.objectContaining({ versioning_configuration: { status: 'Enabled' } })]);
      const policy = parsePolicy(of('aws_s3_bucket_policy')[0]!.policy);
      expect(policy.Statement[0]).toEqual({
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
    });

    it('log bucket lifecycle follows the configuration', () => {
      const { of } = bucketResources(central(), expected.log);
      const [lifecycle] = of('aws_s3_bucket_lifecycle_configuration');
      expect(lifecycle!.rule).toEqual([
        {
          id: 'logs-lifecycle',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          transition: [
            { days: 90, storage_class: 'STANDARD_IA' },
            { days: 365, storage_class: 'GLACIER' },
          ],
          expiration: [{ days: 2557 }],
          noncurrent_version_expiration: [{ noncurrent_days: 30 }],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
        },
      ]);
      expect(of('aws_s3_bucket_object_lock_configuration')).toEqual([]);
    });

    it('log bucket gets Object Lock when configured', () => {
      const stack = synthesize(variant({ logBucket: { ...org.logBucket, objectLock: { mode: 'COMPLIANCE', days: 400 }, expirationDays: 2557 } })).stacks.central!;
      const bucket = findResource(stack, 'aws_s3_bucket', (b) => b.bucket === expected.log);
      expect(bucket.object_lock_enabled).toBe(true);
      const { of } = bucketResources(stack, expected.log);
      expect(of('aws_s3_bucket_object_lock_configuration')).toEqual([expect.objectContaining({ rule: { default_retention: { mode: 'COMPLIANCE', days: 400 } } })]);
    });

    it('refuses a lifecycle that would expire objects still under Object Lock (a configuration rule, accounts/rules.ts)', () => {
      expect(() => synthesize(variant({ logBucket: { ...org.logBucket, objectLock: { mode: 'GOVERNANCE', days: 3000 }, expirationDays: 2557 } }))).toThrow(
        'organization.yaml: logBucket.expirationDays: 2557 is shorter than the Object Lock retention (3000 days); objects could not expire',
      );
    });

    it('log bucket policy isolates members by prefix and denies foreign keys and principals', () => {
      const { of } = bucketResources(central(), expected.log);
      const policy = parsePolicy(of('aws_s3_bucket_policy')[0]!.policy);
      expect(policy.Statement.map((s) => s.Sid)).toEqual(['DenyInsecureTransport', 'DenyOutsideOrganization', 'DenyOtherKmsKeys', 'MemberLogDelivery', 'MemberWafFirehoseRoles', 'MemberFindingsFirehoseRoles', 'MemberCwlFirehoseRoles', 'OrganizationTrailDelivery']);
      // The CloudWatch Logs export grants only the member that exports (workload-prod), in its own folder.
      expect(policy.Statement.find((st) => st.Sid === 'MemberCwlFirehoseRoles')).toEqual({
        Sid: 'MemberCwlFirehoseRoles',
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::444444444444:root'] },
        Action: ['s3:AbortMultipartUpload', 's3:PutObject', 's3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        Resource: ['arn:aws:s3:::aes-siem-222222222222-log', 'arn:aws:s3:::aes-siem-222222222222-log/AWSLogs/${aws:PrincipalAccount}/CloudWatchLogs/*'],
        Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/aes-siem-cwl-firehose' } },
      });
      const delivery = policy.Statement.find((s) => s.Sid === 'MemberLogDelivery');
      expect(delivery.Resource).toEqual([
        'arn:aws:s3:::aes-siem-222222222222-log',
        'arn:aws:s3:::aes-siem-222222222222-log/AWSLogs/${aws:SourceAccount}/*',
        'arn:aws:s3:::aes-siem-222222222222-log/o-a1b2c3d4e5/AWSLogs/${aws:SourceAccount}/*',
      ]);
      expect(delivery.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': ['444444444444', '555555555555', '666666666666'] } });
      // No Allow to "*": S3 Block Public Access (block_public_policy) would reject a public policy.
      expect(policy.Statement.filter((st) => st.Effect === 'Allow' && (st.Principal === '*' || st.Principal?.AWS === '*'))).toEqual([]);
      expect(policy.Statement.find((st) => st.Sid === 'MemberWafFirehoseRoles').Principal).toEqual({
        AWS: ['arn:aws:iam::444444444444:root', 'arn:aws:iam::555555555555:root', 'arn:aws:iam::666666666666:root'],
      });
      // Terraform must receive the policy variable escaped, or it would try to interpolate it.
      expect(of('aws_s3_bucket_policy')[0]!.policy).toContain('AWSLogs/$${aws:SourceAccount}/*');
    });
  });

  describe('OpenSearch domain', () => {
    const domain = () => Object.values(resourcesOf(central(), 'aws_opensearch_domain'))[0]!;

    it('is encrypted, HTTPS-only with TLS 1.2 and uses IAM-based fine-grained access control', () => {
      const d = domain();
      expect(d.domain_name).toBe('aes-siem');
      expect(d.engine_version).toBe('OpenSearch_2.19');
      expect(d.encrypt_at_rest).toEqual({ enabled: true, kms_key_id: '${aws_kms_key.key.arn}' });
      expect(d.node_to_node_encryption).toEqual({ enabled: true });
      expect(d.domain_endpoint_options).toEqual({ enforce_https: true, tls_security_policy: 'Policy-Min-TLS-1-2-PFS-2023-10' });
      expect(d.advanced_security_options).toEqual({
        enabled: true,
        anonymous_auth_enabled: false,
        // The example organization has a break-glass user (test/unit/dashboards-login.test.ts).
        internal_user_database_enabled: true,
        master_user_options: { master_user_arn: 'arn:aws:iam::222222222222:role/aes-siem-opensearch-admin' },
      });
      expect(JSON.stringify(d)).not.toMatch(/master_user_password/);
    });

    it('sizes the cluster from the configuration', () => {
      expect(domain().cluster_config).toEqual({
        instance_type: 'r6g.large.search',
        instance_count: 2,
        dedicated_master_enabled: false,
        zone_awareness_enabled: true,
        zone_awareness_config: { availability_zone_count: 2 },
      });
      expect(domain().ebs_options).toEqual({ ebs_enabled: true, volume_type: 'gp3', volume_size: 100, iops: 3000, throughput: 125 });
    });

    it('publishes slow, error and audit logs to encrypted log groups with retention', () => {
      const types = domain().log_publishing_options.map((o: any) => o.log_type).sort();
      expect(types).toEqual(['AUDIT_LOGS', 'ES_APPLICATION_LOGS', 'INDEX_SLOW_LOGS', 'SEARCH_SLOW_LOGS']);
      const groups = Object.values(resourcesOf(central(), 'aws_cloudwatch_log_group')).filter((g) => g.name.startsWith('/aws/OpenSearchService/'));
      expect(groups.map((g) => g.name).sort()).toEqual([
        '/aws/OpenSearchService/domains/aes-siem/application-logs',
        '/aws/OpenSearchService/domains/aes-siem/audit-logs',
        '/aws/OpenSearchService/domains/aes-siem/index-slow-logs',
        '/aws/OpenSearchService/domains/aes-siem/search-slow-logs',
      ]);
      for (const g of groups) expect(g).toMatchObject({ retention_in_days: 365, kms_key_id: '${aws_kms_key.key.arn}' });
    });

    it('public endpoint: signed requests from the security account plus the IP allow-list', () => {
      const policy = parsePolicy(domain().access_policies);
      expect(policy.Statement).toEqual([
        { Sid: 'SecurityAccountSignedRequests', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'es:ESHttp*', Resource: 'arn:aws:es:ap-northeast-1:222222222222:domain/aes-siem/*' },
        {
          Sid: 'AllowedNetworks',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'es:ESHttp*',
          Resource: 'arn:aws:es:ap-northeast-1:222222222222:domain/aes-siem/*',
          Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } },
        },
      ]);
      expect(domain().vpc_options).toBeUndefined();
    });

    it('VPC deployment: subnets and security groups from the configuration, no IP statement', () => {
      const stack = synthesize(
        variant({ opensearch: { ...org.opensearch, network: { mode: 'vpc', subnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'], securityGroupIds: ['sg-0a1b2c3d4e5f60001'] } }, threatIntel: { enabled: true } }),
      ).stacks.central!;
      const d = Object.values(resourcesOf(stack, 'aws_opensearch_domain'))[0]!;
      expect(d.vpc_options).toEqual({ subnet_ids: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'], security_group_ids: ['sg-0a1b2c3d4e5f60001'] });
      // No IP statement; the example's SAML login adds the in-VPC statement (test/unit/dashboards-login.test.ts).
      expect(parsePolicy(d.access_policies).Statement.map((s) => s.Sid)).toEqual(['SecurityAccountSignedRequests', 'DashboardsLoginInVpc']);
    });

    it('VPC deployment: the functions that call OpenSearch run in its subnets and may manage their interfaces', () => {
      const stack = synthesize(
        variant({ opensearch: { ...org.opensearch, network: { mode: 'vpc', subnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'], securityGroupIds: ['sg-0a1b2c3d4e5f60001'] } }, threatIntel: { enabled: true } }),
      ).stacks.central!;
      const vpcConfig = { subnet_ids: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'], security_group_ids: ['sg-0a1b2c3d4e5f60001'] };
      for (const name of ['aes-siem-es-loader', 'aes-siem-index-metrics-exporter', 'aes-siem-opensearch-configurator']) {
        const fn = findResource(stack, 'aws_lambda_function', (f) => f.function_name === name);
        expect(fn.vpc_config, name).toEqual(vpcConfig);
        const policy = parsePolicy(findResource(stack, 'aws_iam_role_policy', (p) => p.name === `${name}-policy`).policy);
        expect(policy.Statement.find((st) => st.Sid === 'ManageVpcNetworkInterfaces')?.Action, name).toContain('ec2:CreateNetworkInterface');
      }
      // The GeoIP and IoC downloaders reach MaxMind and the feeds on the internet and stay out of the VPC.
      expect(findResource(stack, 'aws_lambda_function', (f) => f.function_name === 'aes-siem-geoip-downloader').vpc_config).toBeUndefined();
      expect(findResource(stack, 'aws_lambda_function', (f) => f.function_name === 'aes-siem-ioc-downloader').vpc_config).toBeUndefined();
    });

    it('UltraWarm and cold storage are enabled when the index lifecycle moves indices there', () => {
      const stack = synthesize(
        variant({
          opensearch: { ...org.opensearch, dedicatedMaster: { instanceType: 'm6g.large.search', count: 3 }, ultraWarm: { instanceType: 'ultrawarm1.medium.search', count: 2 }, warmAfterDays: 30, coldAfterDays: 90 },
        }),
      ).stacks.central!;
      expect(Object.values(resourcesOf(stack, 'aws_opensearch_domain'))[0]!.cluster_config).toMatchObject({
        dedicated_master_enabled: true,
        warm_enabled: true,
        warm_type: 'ultrawarm1.medium.search',
        warm_count: 2,
        cold_storage_options: { enabled: true },
      });
    });

    it.each([
      [{ warmAfterDays: 30 }, 'organization.yaml: opensearch.warmAfterDays: needs opensearch.ultraWarm (instanceType, count)'],
      [{ ultraWarm: { instanceType: 'ultrawarm1.medium.search', count: 2 } }, 'organization.yaml: opensearch.ultraWarm: needs opensearch.dedicatedMaster'],
    ])('refuses a tiering configuration AWS would reject (a configuration rule): %o', (patch, message) => {
      expect(() => synthesize(variant({ opensearch: { ...org.opensearch, ...patch } }))).toThrow(message);
    });

    it('maps the configured analyst roles to the read-only role through the configurator', () => {
      const analyst = 'arn:aws:iam::222222222222:role/SecurityAnalyst';
      const stack = synthesize(variant({ opensearch: { ...org.opensearch, analystRoleArns: [analyst] } })).stacks.central!;
      const invocation = Object.values(resourcesOf(stack, 'aws_lambda_invocation'))[0]!;
      expect(invocation.input).toContain(analyst);
    });

    it('refuses a node count that zones cannot share evenly (a configuration rule)', () => {
      expect(() => synthesize(variant({ opensearch: { ...org.opensearch, instanceCount: 3 } }))).toThrow('organization.yaml: opensearch.instanceCount: 3 must be a multiple of opensearch.zoneAwareness.availabilityZoneCount (2)');
    });

    it('snapshot role is assumable by OpenSearch only and limited to the snapshot bucket', () => {
      const role = findResource(central(), 'aws_iam_role', (r) => r.name === 'aes-siem-snapshot-role');
      expect(parsePolicy(role.assume_role_policy).Statement).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 'es.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' }, ArnLike: { 'aws:SourceArn': 'arn:aws:es:ap-northeast-1:222222222222:domain/aes-siem' } },
        },
      ]);
      const policy = parsePolicy(findResource(central(), 'aws_iam_role_policy', (p) => p.name === 'snapshot-bucket').policy);
      expect(policy.Statement.flatMap((s) => [s.Resource].flat())).toEqual([
        'arn:aws:s3:::aes-siem-222222222222-snapshot',
        'arn:aws:s3:::aes-siem-222222222222-snapshot/*',
        '${aws_kms_key.key.arn}',
      ]);
    });
  });

  describe('queues and topic', () => {
    it('split queue redrives to the DLQ; both encrypted with the key and TLS-only', () => {
      const split = findResource(central(), 'aws_sqs_queue', (q) => q.name === 'aes-siem-sqs-splitted-logs');
      const dlq = findResource(central(), 'aws_sqs_queue', (q) => q.name === 'aes-siem-dlq');
      expect(JSON.parse(split.redrive_policy)).toEqual({ deadLetterTargetArn: '${aws_sqs_queue.dlq.arn}', maxReceiveCount: 3 });
      expect(split.visibility_timeout_seconds).toBe(3600);
      for (const q of [split, dlq]) expect(q.kms_master_key_id).toBe('${aws_kms_key.key.arn}');
      for (const p of Object.values(resourcesOf(central(), 'aws_sqs_queue_policy')).filter((p) => /aws_sqs_queue\.(dlq|split-queue)\./.test(p.queue_url))) {
        expect(parsePolicy(p.policy).Statement).toContainEqual(expect.objectContaining({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
      }
    });

    it('alert topic is encrypted, e-mails the configured address and accepts alarms and EventBridge', () => {
      const topic = findResource(central(), 'aws_sns_topic', (t) => t.name === 'aes-siem-alert');
      expect(topic.kms_master_key_id).toBe('${aws_kms_key.key.arn}');
      expect(Object.values(resourcesOf(central(), 'aws_sns_topic_subscription'))).toEqual([
        expect.objectContaining({ protocol: 'email', endpoint: 'secops@example.com', topic_arn: '${aws_sns_topic.alert-topic.arn}' }),
      ]);
      const policy = parsePolicy(Object.values(resourcesOf(central(), 'aws_sns_topic_policy'))[0]!.policy);
      expect(policy.Statement[0]).toMatchObject({ Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] }, Action: 'sns:Publish' });
    });

    it('has no e-mail subscription when no address is configured', () => {
      const stack = synthesize(variant({ security: { ...org.security, alertEmail: undefined } })).stacks.central!;
      expect(resourcesOf(stack, 'aws_sns_topic_subscription')).toEqual({});
    });
  });

  describe('alarms', () => {
    it('storage alarm: FreeStorageSpace <= 200 MB for 30 minutes, to the alert topic', () => {
      const alarm = findResource(central(), 'aws_cloudwatch_metric_alarm', (a) => a.alarm_name === 'aes-siem-TotalFreeStorageSpaceRemainsLowAlarm');
      expect(alarm).toMatchObject({
        namespace: 'AWS/ES',
        metric_name: 'FreeStorageSpace',
        dimensions: { DomainName: 'aes-siem', ClientId: '222222222222' },
        comparison_operator: 'LessThanOrEqualToThreshold',
        threshold: 200,
        alarm_actions: ['arn:aws:sns:ap-northeast-1:222222222222:aes-siem-alert'],
      });
      expect(alarm.period * alarm.evaluation_periods).toBe(30 * 60);
    });

    it.each([
      ['aes-siem-ClusterStatusRedAlarm', 'ClusterStatus.red', 1],
      ['aes-siem-JVMMemoryPressureHighAlarm', 'JVMMemoryPressure', 80],
      ['aes-siem-AutomatedSnapshotFailureAlarm', 'AutomatedSnapshotFailure', 1],
    ])('%s watches %s', (name, metric, threshold) => {
      expect(findResource(central(), 'aws_cloudwatch_metric_alarm', (a) => a.alarm_name === name)).toMatchObject({ metric_name: metric, threshold, comparison_operator: 'GreaterThanOrEqualToThreshold' });
    });

    it('EventBridge rule matches state changes of the alarms that stop ingestion', () => {
      const stack = synthesize(variant({ stopIngestionAlarms: ['custom-ingest-alarm'] })).stacks.central!;
      const rule = findResource(stack, 'aws_cloudwatch_event_rule', (r) => r.name === 'aes-siem-stop-ingestion-alarms');
      expect(JSON.parse(rule.event_pattern)).toEqual({
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        resources: [
          'arn:aws:cloudwatch:ap-northeast-1:222222222222:alarm:aes-siem-TotalFreeStorageSpaceRemainsLowAlarm',
          'arn:aws:cloudwatch:ap-northeast-1:222222222222:alarm:custom-ingest-alarm',
        ],
      });
    });
  });

  it('a different prefix renames everything', () => {
    const stack = synthesize(variant({ prefix: 'secops' })).stacks.central!;
    expect(Object.values(resourcesOf(stack, 'aws_s3_bucket')).map((b) => b.bucket).sort()).toEqual(['secops-222222222222-geo', 'secops-222222222222-log', 'secops-222222222222-log-elb', 'secops-222222222222-snapshot']);
    expect(Object.values(resourcesOf(stack, 'aws_kms_alias'))[0]!.name).toBe('alias/secops-key');
    expect(Object.values(resourcesOf(stack, 'aws_opensearch_domain'))[0]!.domain_name).toBe('secops');
    expect(Object.values(resourcesOf(stack, 'aws_sqs_queue')).map((q) => q.name)).toEqual(expect.arrayContaining(['secops-sqs-splitted-logs', 'secops-dlq']));
  });
});
