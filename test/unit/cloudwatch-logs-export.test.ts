/**
 * Member feature cloudwatchLogsExport (modules/member/features/cloudwatch-logs-export): the loader
 * recognizes the type of every exported log group from the key the Firehose stream writes, the JQ
 * partitioning picks that key from the subscription message, the member file is validated with one
 * line per problem, and the member stack creates exactly the streams, filters and roles.
 */
import { Testing } from 'cdktf';
import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../lambdas/es-loader/pipeline';
import {
  CWL_LOG_TYPE_NAMES,
  CWL_LOG_TYPES,
  cwlFirehoseRolePolicy,
  cwlPartitionQuery,
  cwlSubscriptionTrustPolicy,
  cwlStreamPrefixes,
  cwlTypePrefix,
  loaderSection,
  MAX_QUERY_LENGTH,
  type CwlLogTypeName,
} from '../../modules/member/features/cloudwatch-logs-export';
import { parseOrganization } from '../../accounts/load';
import { CentralStack } from '../../stacks/central-stack';
import { decide, type Caller, type Decision } from '../helpers/iam';
import { exampleOrganization } from '../helpers/synth';
import { allOff, BUCKET, KEY_ARN, organization, resources, synthMember } from './member-helpers';

const A = '444444444444';
const pipeline = Pipeline.create({ ignoreBundledUserIni: true });
const viaCwlSections = pipeline.logTypes.filter((t) => t.viaCwl);
/** Undo Terraform's `$${` escape: the value Terraform passes to AWS. */
const tfString = (s: unknown) => String(s).replace(/\$\$\{/g, '${');

/** The key of an object the stream of `region` writes for a type (Firehose appends `<stream>-<version>-<time>-<uuid>.gz` to the prefix). */
const objectKey = (type: CwlLogTypeName, region: string) => `${cwlTypePrefix(A, type, region)}2026/12/01/aes-siem-cwl-export-1-2026-12-01-10-15-00-0a1b2c3d-1111-4222-8333-444455556666.gz`;

describe('Member feature cloudwatchLogsExport: the loader recognizes every type from the key', () => {
  it('offers exactly the loader sections that read CloudWatch Logs (via_cwl in aws.ini)', () => {
    expect([...CWL_LOG_TYPE_NAMES].map(loaderSection).sort()).toEqual(viaCwlSections.map((t) => t.name).sort());
  });

  it.each(CWL_LOG_TYPE_NAMES.flatMap((t) => [[t, 'ap-northeast-1'], [t, 'us-east-1']] as const))('%s in %s: the full object key resolves to its section', (type, region) => {
    expect(pipeline.classify(objectKey(type, region))).toEqual({ logType: expect.objectContaining({ name: loaderSection(type), viaCwl: true }) });
  });

  it("takes each section's loggroup filter over, so that an exported group is never skipped by the loader", () => {
    for (const t of viaCwlSections) expect((CWL_LOG_TYPES[t.name.replaceAll('_', '-') as CwlLogTypeName] as { logGroupContains?: string }).logGroupContains, t.name).toBe(t.loggroup);
  });

  it("Firehose's error objects are not loaded as any type", () => {
    const { errorPrefix } = cwlStreamPrefixes(A, 'ap-northeast-1');
    for (const kind of ['processing-failed', 'decompression-failed']) {
      const key = `${errorPrefix.replace('!{firehose:error-output-type}', kind).replace('!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/', '2026/12/01/')}aes-siem-cwl-export-1-2026-12-01-10-15-00-0a1b2c3d.gz`;
      expect(pipeline.resolveLogType(key), key).toBeUndefined();
    }
  });
});

describe('Member feature cloudwatchLogsExport: the loader reads what the stream writes', () => {
  it('loads an object of decompressed subscription messages back to back, gzipped once (the Decompression processor, GZIP output)', async () => {
    const message = (id: string, line: string) => ({ messageType: 'DATA_MESSAGE', owner: A, logGroup: '/prod/web/linux/secure', logStream: 'i-0abc', subscriptionFilters: ['aes-siem-siem'], logEvents: [{ id, timestamp: 1764584100000, message: line }] });
    const control = { messageType: 'CONTROL_MESSAGE', owner: 'CloudwatchLogs', logGroup: '', logStream: '', subscriptionFilters: [], logEvents: [{ id: '', timestamp: 1764584100000, message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.' }] };
    const body = gzipSync(
      [message('1', 'Dec  1 10:15:00 ip-10-0-0-1 sshd[123]: Failed password for root from 198.51.100.7 port 4242 ssh2'), control, message('2', 'Dec  1 10:15:01 ip-10-0-0-1 sudo: alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls')]
        .map((m) => JSON.stringify(m))
        .join(''),
    );
    const items: any[] = [];
    for await (const item of pipeline.process({ bucket: BUCKET, key: objectKey('linux-secure', 'ap-northeast-1') } as any, Readable.from([body]))) items.push(item);
    expect(items.filter((i) => i.kind === 'document').map((d) => [d.index, d.source['@log_group'], d.source.proc])).toEqual([
      ['log-linux-secure-2026-12', '/prod/web/linux/secure', 'sshd'],
      ['log-linux-secure-2026-12', '/prod/web/linux/secure', 'sudo'],
    ]);
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'linux_secure', totalRecords: 2, emitted: 2, failed: 0 });
  });
});

describe('Member feature cloudwatchLogsExport: the partitioning query (run with jq 1.6+)', () => {
  const query = cwlPartitionQuery([
    { name: '/prod/web/linux/secure', logType: 'linux-secure' },
    { name: '/prod/web/apache/access', logType: 'apache-access' },
  ]);
  const jq = (message: object) => JSON.parse(execFileSync('jq', ['-c', query], { input: JSON.stringify(message) }).toString());
  const data = (logGroup: string) => ({ messageType: 'DATA_MESSAGE', owner: A, logGroup, logStream: 'i-0abc', subscriptionFilters: ['aes-siem-siem'], logEvents: [{ id: '1', timestamp: 1764584100000, message: 'x' }] });

  it('gives the two key segments of the message\'s log group', () => {
    expect(jq(data('/prod/web/linux/secure'))).toEqual({ family: 'Linux', kind: 'secure' });
    expect(jq(data('/prod/web/apache/access'))).toEqual({ family: 'Apache', kind: 'access' });
  });

  it('gives no partition key for another log group or a control message (Firehose sends those to the error prefix)', () => {
    expect(jq(data('/other'))).toEqual({ family: null, kind: null });
    expect(jq({ messageType: 'CONTROL_MESSAGE', owner: 'CloudwatchLogs', logGroup: '', logStream: '', subscriptionFilters: [], logEvents: [] })).toEqual({ family: null, kind: null });
  });
});

describe('Member feature cloudwatchLogsExport: the member file', () => {
  const member = (section: Record<string, unknown>, regions = ['ap-northeast-1']) => ({ ...allOff('prod', A, regions), cloudwatchLogsExport: { enabled: true, ...section } });
  const group = (over: Record<string, unknown> = {}) => ({ name: '/prod/web/linux/secure', region: 'ap-northeast-1', logType: 'linux-secure', ...over });

  it.each([
    [{ logGroups: [group({ logType: 'linux-secur' })] }, 'members/prod.yaml: cloudwatchLogsExport.logGroups[0].logType: "linux-secur" is not a log type the loader reads from CloudWatch Logs; did you mean "linux-secure"? (one of ' + CWL_LOG_TYPE_NAMES.join(', ') + ')'],
    [{ logGroups: [group({ logType: 'apache_access' })] }, 'cloudwatchLogsExport.logGroups[0].logType: "apache_access" is not a log type the loader reads from CloudWatch Logs; did you mean "apache-access"?'],
    [{ logGroups: [group({ logType: 'cloudtrail' })] }, `cloudwatchLogsExport.logGroups[0].logType: "cloudtrail" is not a log type the loader reads from CloudWatch Logs (one of ${CWL_LOG_TYPE_NAMES.join(', ')})`],
    [{ logGroups: [group({ region: 'eu-west-1' })] }, "members/prod.yaml: cloudwatchLogsExport.logGroups[0].region: eu-west-1 is not one of the member's regions (ap-northeast-1)"],
    [{ logGroups: [group(), group({ logType: 'linux-os-syslog' })] }, 'members/prod.yaml: cloudwatchLogsExport.logGroups[1]: lists log group /prod/web/linux/secure of ap-northeast-1 a second time (a group has one type)'],
    [{ logGroups: [group({ name: 'my group' })] }, 'members/prod.yaml: cloudwatchLogsExport.logGroups[0].name: must be a CloudWatch Logs group name (1-512 letters, digits and _ - / . #), got "my group"'],
    [{ logGroups: [group({ filter: 'x' })] }, 'members/prod.yaml: cloudwatchLogsExport.logGroups[0]: unknown field "filter" (check the spelling)'],
    [{ logGroups: [group()], bufferingIntervalSeconds: 30 }, 'members/prod.yaml: cloudwatchLogsExport.bufferingIntervalSeconds: must be at least 60 seconds (Firehose dynamic partitioning)'],
  ])('refuses %j with one line naming the file, field and value', (section, message) => {
    expect(() => organization([member(section)])).toThrow(message);
  });

  it("refuses more groups in a region than Firehose's query limit takes, naming the region", () => {
    const groups = Array.from({ length: 120 }, (_, i) => group({ name: `/prod/web/host-${String(i).padStart(3, '0')}/var/log/secure` }));
    expect(cwlPartitionQuery(groups as any).length).toBeGreaterThan(MAX_QUERY_LENGTH);
    expect(() => organization([member({ logGroups: groups })])).toThrow(
      new RegExp(`members/prod.yaml: cloudwatchLogsExport.logGroups: the log groups of ap-northeast-1 make a Firehose partitioning query of \\d+ characters, above Firehose's limit of 5120; export fewer groups of that region`),
    );
  });

  it.each([
    ['off by default', {}],
    // What `npm run onboard -- --cloudwatch-logs-export` writes, before the log groups are filled in.
    ['on with no log group yet', { cloudwatchLogsExport: { enabled: true } }],
  ])('creates nothing when %s', (_, section) => {
    const { json } = synthMember(organization([{ ...allOff('prod', A, ['ap-northeast-1']), vpcFlowLogs: { vpcs: [{ id: 'vpc-0a1b2c3d4e5f60001', region: 'ap-northeast-1' }] }, ...section }]));
    expect(resources(json, 'aws_cloudwatch_log_subscription_filter')).toEqual({});
    expect(resources(json, 'aws_kinesis_firehose_delivery_stream')).toEqual({});
    expect(resources(json, 'aws_iam_role')).toEqual({});
  });
});

describe('Stack: member (CloudWatch Logs export)', () => {
  const org = () =>
    organization(
      [
        {
          ...allOff('prod', A, ['ap-northeast-1', 'us-east-1', 'eu-west-1']),
          cloudwatchLogsExport: {
            enabled: true,
            logGroups: [
              { name: '/prod/web/linux/secure', region: 'ap-northeast-1', logType: 'linux-secure', filterPattern: '?sshd ?sudo' },
              { name: '/prod/web/apache/access', region: 'ap-northeast-1', logType: 'apache-access' },
              { name: '/prod/vpn/clientvpn', region: 'us-east-1', logType: 'clientvpn' },
            ],
          },
        },
      ],
      { centralKeyArn: KEY_ARN },
    );

  it('creates one Firehose stream per region that has groups, decompressing, partitioning by the group\'s type and writing with the central key', () => {
    const { json, warnings } = synthMember(org());
    expect(warnings).toEqual([]);
    const streams = Object.values(resources(json, 'aws_kinesis_firehose_delivery_stream')) as any[];
    expect(streams.map((s) => [s.provider, s.name])).toEqual([
      ['aws.ap_northeast_1', 'aes-siem-cwl-export'],
      ['aws.us_east_1', 'aes-siem-cwl-export'],
    ]);
    const tokyo = streams[0].extended_s3_configuration;
    expect(tfString(tokyo.prefix)).toBe(`AWSLogs/${A}/CloudWatchLogs/!{partitionKeyFromQuery:family}/!{partitionKeyFromQuery:kind}/ap-northeast-1/!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/`);
    expect(tfString(tokyo.error_output_prefix)).toBe(`AWSLogs/${A}/CloudWatchLogs/error/!{firehose:error-output-type}/ap-northeast-1/!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/`);
    expect(tokyo).toMatchObject({ bucket_arn: `arn:aws:s3:::${BUCKET}`, kms_key_arn: KEY_ARN, compression_format: 'GZIP', buffering_size: 64, buffering_interval: 300, dynamic_partitioning_configuration: { enabled: true, retry_duration: 300 } });
    expect(tokyo.processing_configuration).toEqual({
      enabled: true,
      processors: [
        { type: 'Decompression', parameters: [{ parameter_name: 'CompressionFormat', parameter_value: 'GZIP' }] },
        {
          type: 'MetadataExtraction',
          parameters: [
            { parameter_name: 'MetadataExtractionQuery', parameter_value: '{"/prod/web/linux/secure":["Linux","secure"],"/prod/web/apache/access":["Apache","access"]}[.logGroup] as $t | {family: $t[0], kind: $t[1]}' },
            { parameter_name: 'JsonParsingEngine', parameter_value: 'JQ-1.6' },
          ],
        },
      ],
    });
    expect(streams[1].extended_s3_configuration.processing_configuration.processors[1].parameters[0].parameter_value).toBe('{"/prod/vpn/clientvpn":["ClientVPN","connection"]}[.logGroup] as $t | {family: $t[0], kind: $t[1]}');
    expect(streams[0].server_side_encryption).toEqual({ enabled: true, key_type: 'AWS_OWNED_CMK' });
  });

  it('subscribes each group to the stream of its region through the subscription role, with its filter pattern', () => {
    const { json } = synthMember(org());
    const streamIds = Object.keys(resources(json, 'aws_kinesis_firehose_delivery_stream'));
    const roleId = (Object.entries(resources(json, 'aws_iam_role')) as [string, any][]).find(([, r]) => r.name === 'aes-siem-cwl-subscription')![0];
    const filters = (Object.values(resources(json, 'aws_cloudwatch_log_subscription_filter')) as any[]).map((f) => [f.provider, f.name, f.log_group_name, f.filter_pattern, f.destination_arn, f.role_arn]);
    expect(filters.sort()).toEqual(
      [
        ['aws.ap_northeast_1', 'aes-siem-siem', '/prod/web/linux/secure', '?sshd ?sudo', `\${aws_kinesis_firehose_delivery_stream.${streamIds[0]}.arn}`, `\${aws_iam_role.${roleId}.arn}`],
        ['aws.ap_northeast_1', 'aes-siem-siem', '/prod/web/apache/access', '', `\${aws_kinesis_firehose_delivery_stream.${streamIds[0]}.arn}`, `\${aws_iam_role.${roleId}.arn}`],
        ['aws.us_east_1', 'aes-siem-siem', '/prod/vpn/clientvpn', '', `\${aws_kinesis_firehose_delivery_stream.${streamIds[1]}.arn}`, `\${aws_iam_role.${roleId}.arn}`],
      ].sort(),
    );
  });

  it('gives the two roles exactly their least privilege', () => {
    const { json } = synthMember(org());
    const roles = Object.values(resources(json, 'aws_iam_role')) as any[];
    expect(roles.map((r) => [r.name, JSON.parse(r.assume_role_policy).Statement]).sort((x, y) => x[0].localeCompare(y[0]))).toEqual([
      ['aes-siem-cwl-firehose', [{ Sid: 'FirehoseOfThisAccount', Effect: 'Allow', Principal: { Service: 'firehose.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': A } } }]],
      [
        'aes-siem-cwl-subscription',
        [
          {
            Sid: 'CloudWatchLogsOfThisAccount',
            Effect: 'Allow',
            Principal: { Service: 'logs.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': A }, StringLike: { 'aws:SourceArn': [`arn:aws:logs:ap-northeast-1:${A}:*`, `arn:aws:logs:us-east-1:${A}:*`] } },
          },
        ],
      ],
    ]);
    const policies = Object.fromEntries((Object.values(resources(json, 'aws_iam_role_policy')) as any[]).map((p) => [p.name, JSON.parse(p.policy).Statement]));
    const own = `arn:aws:s3:::${BUCKET}/AWSLogs/${A}/CloudWatchLogs/*`;
    expect(policies['write-own-cloudwatch-logs-prefix']).toEqual([
      { Sid: 'WriteOwnCloudWatchLogsPrefix', Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:PutObject'], Resource: own },
      { Sid: 'BucketLevelCalls', Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], Resource: `arn:aws:s3:::${BUCKET}` },
      {
        Sid: 'CentralKeyThroughS3',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: KEY_ARN,
        Condition: { StringEquals: { 'kms:ViaService': 's3.ap-northeast-1.amazonaws.com' }, StringLike: { 'kms:EncryptionContext:aws:s3:arn': [own, `arn:aws:s3:::${BUCKET}`] } },
      },
    ]);
    expect(policies['put-into-export-streams']).toEqual([
      {
        Sid: 'PutIntoExportStreams',
        Effect: 'Allow',
        Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
        Resource: [`arn:aws:firehose:ap-northeast-1:${A}:deliverystream/aes-siem-cwl-export`, `arn:aws:firehose:us-east-1:${A}:deliverystream/aes-siem-cwl-export`],
      },
    ]);
  });
});

/**
 * The two roles simulated (@cloud-copilot/iam-simulate): who may assume the subscription role, and
 * what the Firehose role's own policy allows (the central bucket policy's side is in policy-simulation.test.ts).
 */
describe('Member feature cloudwatchLogsExport: policy simulation of the roles', () => {
  const B = '555555555555';
  const trust = cwlSubscriptionTrustPolicy(A, ['ap-northeast-1', 'us-east-1']);
  const subscriptionRole = `arn:aws:iam::${A}:role/aes-siem-cwl-subscription`;
  const logs = (account: string, sourceArn?: string): Caller => ({ service: 'logs.amazonaws.com', sourceAccount: account, sourceArn });
  const groupArn = (region: string, account = A) => `arn:aws:logs:${region}:${account}:log-group:/prod/web/linux/secure:*`;

  it.each<[string, Caller, Decision]>([
    ["CloudWatch Logs of A, for A's log group in a region with groups", logs(A, groupArn('ap-northeast-1')), 'Allowed'],
    ['CloudWatch Logs of A in the other region with groups', logs(A, groupArn('us-east-1')), 'Allowed'],
    ['CloudWatch Logs of A in a region without groups', logs(A, groupArn('eu-west-1')), 'ImplicitlyDenied'],
    ['CloudWatch Logs acting for member B (confused deputy)', logs(B, groupArn('ap-northeast-1', B)), 'ImplicitlyDenied'],
    ["CloudWatch Logs claiming A's account for B's log group", logs(A, groupArn('ap-northeast-1', B)), 'ImplicitlyDenied'],
    ['CloudWatch Logs without aws:SourceArn', logs(A), 'ImplicitlyDenied'],
    ['Firehose of A', { service: 'firehose.amazonaws.com', sourceAccount: A }, 'ImplicitlyDenied'],
    ['a role of A', { roleArn: `arn:aws:iam::${A}:role/admin` }, 'ImplicitlyDenied'],
  ])('subscription role trust: %s → %s', async (_, caller, expected) => {
    expect(await decide({ caller, action: 'sts:AssumeRole', resource: subscriptionRole, resourceAccount: A, resourcePolicy: trust as any })).toBe(expected);
  });

  const firehoseRole: Caller = {
    roleArn: `arn:aws:iam::${A}:role/aes-siem-cwl-firehose`,
    identityPolicies: [cwlFirehoseRolePolicy({ accountId: A, bucketName: BUCKET, bucketRegion: 'ap-northeast-1', keyArn: KEY_ARN }) as any],
  };
  it.each<[string, string, Decision]>([
    ["A's own Linux secure prefix", `AWSLogs/${A}/CloudWatchLogs/Linux/secure/ap-northeast-1/2026/12/01/x.gz`, 'Allowed'],
    ["A's own error folder", `AWSLogs/${A}/CloudWatchLogs/error/processing-failed/ap-northeast-1/2026/12/01/x.gz`, 'Allowed'],
    ["B's CloudWatchLogs prefix", `AWSLogs/${B}/CloudWatchLogs/Linux/secure/ap-northeast-1/2026/12/01/x.gz`, 'ImplicitlyDenied'],
    ["A's CloudTrail prefix", `AWSLogs/${A}/CloudTrail/ap-northeast-1/2026/12/01/x.json.gz`, 'ImplicitlyDenied'],
    ['a key outside AWSLogs/', `CloudWatchLogs/${A}/x.gz`, 'ImplicitlyDenied'],
  ])("the Firehose role's own policy: PutObject into %s → %s", async (_, key, expected) => {
    // Same account as the bucket here, so the identity policy alone decides: it is the member side of the cross-account grant.
    expect(await decide({ caller: firehoseRole, action: 's3:PutObject', resource: `arn:aws:s3:::${BUCKET}/${key}`, resourceAccount: A })).toBe(expected);
  });
});

describe('Stack: central (the SIEM watches itself: the domain\'s audit and application logs)', () => {
  const SECURITY = '222222222222';
  const central = (opensearch: Record<string, unknown> = {}) => {
    const { members, ...file } = exampleOrganization();
    const org = parseOrganization({ file: 'organization.yaml', data: { ...file, opensearch: { ...file.opensearch, ...opensearch } } }, members.map((m) => ({ file: `members/${m.name}.yaml`, data: m })));
    return JSON.parse(Testing.synth(new CentralStack(Testing.app(), 'central', { org }))) as { resource: Record<string, Record<string, any>> };
  };
  const AUDIT_GROUP = '/aws/OpenSearchService/domains/aes-siem/audit-logs';
  const APP_GROUP = '/aws/OpenSearchService/domains/aes-siem/application-logs';

  it('subscribes the audit and application log groups to a Firehose stream of the security account that writes where opensearch_audit and opensearch_application load them', () => {
    const json = central();
    const streams = Object.values(json.resource.aws_kinesis_firehose_delivery_stream ?? {});
    expect(streams.map((st) => st.name)).toEqual(['aes-siem-domain-logs']);
    const s3 = streams[0].extended_s3_configuration;
    expect(tfString(s3.prefix)).toBe(`AWSLogs/${SECURITY}/CloudWatchLogs/!{partitionKeyFromQuery:family}/!{partitionKeyFromQuery:kind}/ap-northeast-1/!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/`);
    expect(s3).toMatchObject({ bucket_arn: `arn:aws:s3:::aes-siem-${SECURITY}-log`, kms_key_arn: '${aws_kms_key.key.arn}', compression_format: 'GZIP' });
    expect(s3.processing_configuration.processors[1].parameters[0].parameter_value).toBe(`{"${AUDIT_GROUP}":["OpenSearch","audit"],"${APP_GROUP}":["OpenSearch","application"]}[.logGroup] as $t | {family: $t[0], kind: $t[1]}`);
    // The object key the stream writes is loaded as opensearch_audit.
    const key = `AWSLogs/${SECURITY}/CloudWatchLogs/OpenSearch/audit/ap-northeast-1/2026/12/01/aes-siem-domain-logs-1-2026-12-01-10-15-00-0a1b2c3d-1111-4222-8333-444455556666.gz`;
    expect(pipeline.resolveLogType(key)?.name).toBe('opensearch_audit');
    expect(pipeline.resolveLogType(key.replace('/OpenSearch/audit/', '/OpenSearch/application/'))?.name).toBe('opensearch_application');

    const filters = Object.values(json.resource.aws_cloudwatch_log_subscription_filter ?? {});
    expect(filters.map((f) => [f.name, f.log_group_name, f.filter_pattern]).sort()).toEqual([
      ['aes-siem-siem', APP_GROUP, ''],
      ['aes-siem-siem', AUDIT_GROUP, ''],
    ]);
    const filterOf = (group: string) => filters.find((f) => f.log_group_name === group)!;
    const auditGroupId = Object.entries(json.resource.aws_cloudwatch_log_group).find(([, g]) => g.name === AUDIT_GROUP)![0];
    const appGroupId = Object.entries(json.resource.aws_cloudwatch_log_group).find(([, g]) => g.name === APP_GROUP)![0];
    expect(filterOf(AUDIT_GROUP).depends_on).toContain(`aws_cloudwatch_log_group.${auditGroupId}`);
    expect(filterOf(APP_GROUP).depends_on).toContain(`aws_cloudwatch_log_group.${appGroupId}`);
    // The domain publishes its audit logs there (fine-grained access control is on, as audit logs require).
    const domain = Object.values(json.resource.aws_opensearch_domain)[0];
    expect(domain.advanced_security_options.enabled).toBe(true);
    expect(domain.log_publishing_options).toContainEqual({ log_type: 'AUDIT_LOGS', cloudwatch_log_group_arn: `\${aws_cloudwatch_log_group.${auditGroupId}.arn}`, enabled: true });
    expect(domain.log_publishing_options).toContainEqual({ log_type: 'ES_APPLICATION_LOGS', cloudwatch_log_group_arn: `\${aws_cloudwatch_log_group.${appGroupId}.arn}`, enabled: true });

    const roles = Object.values(json.resource.aws_iam_role).filter((r) => r.name.startsWith('aes-siem-domain-logs-'));
    expect(roles.map((r) => [r.name, JSON.parse(r.assume_role_policy).Statement[0].Condition])).toEqual([
      ['aes-siem-domain-logs-firehose', { StringEquals: { 'sts:ExternalId': SECURITY } }],
      ['aes-siem-domain-logs-subscription', { StringEquals: { 'aws:SourceAccount': SECURITY }, StringLike: { 'aws:SourceArn': [`arn:aws:logs:ap-northeast-1:${SECURITY}:*`] } }],
    ]);
    const write = Object.values(json.resource.aws_iam_role_policy).find((p) => p.name === 'write-own-cloudwatch-logs-prefix' && String(p.role).includes('domain-logs-export'))!;
    expect(JSON.parse(write.policy).Statement[0].Resource).toBe(`arn:aws:s3:::aes-siem-${SECURITY}-log/AWSLogs/${SECURITY}/CloudWatchLogs/*`);
  });

  it('creates none of it with opensearch.auditLogsToSiem: false (the domain still publishes to CloudWatch Logs)', () => {
    const json = central({ auditLogsToSiem: false });
    expect(json.resource.aws_kinesis_firehose_delivery_stream ?? {}).toEqual({});
    expect(json.resource.aws_cloudwatch_log_subscription_filter ?? {}).toEqual({});
    expect(Object.values(json.resource.aws_iam_role).map((r) => r.name)).not.toContain('aes-siem-domain-logs-firehose');
    expect(Object.values(json.resource.aws_opensearch_domain)[0].log_publishing_options.map((o: any) => o.log_type)).toContain('AUDIT_LOGS');
  });
});
