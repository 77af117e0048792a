import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { parseOrganization } from '../../accounts/load';
import type { Organization } from '../../accounts/schema';
import { CentralStack } from '../../stacks/central-stack';
import { decide, type Policy } from '../../test/helpers/iam';
import { exampleOrganization, parsePolicy } from '../../test/helpers/synth';
import { configuratorSettingsSchema } from '../../lambdas/opensearch-configurator/desired-state';

type Resources = Record<string, Record<string, Record<string, any>>>;

const base = exampleOrganization();
function withGeoip(geoip: Record<string, unknown>): Organization {
  const { members, ...file } = base;
  return parseOrganization({ file: 'organization.yaml', data: { ...file, geoip } }, members.map((m) => ({ file: `members/${m.name}.yaml`, data: m })));
}
function withThreatIntel(threatIntel: Record<string, unknown>): Organization {
  const { members, ...file } = base;
  return parseOrganization({ file: 'organization.yaml', data: { ...file, threatIntel } }, members.map((m) => ({ file: `members/${m.name}.yaml`, data: m })));
}
const cache = new Map<Organization, Resources>();
function synth(org: Organization = base): Resources {
  let r = cache.get(org);
  if (!r) {
    r = (JSON.parse(Testing.synth(new CentralStack(Testing.app(), 'central', { org }))) as { resource: Resources }).resource;
    cache.set(org, r);
  }
  return r;
}
const all = (r: Resources, type: string): Record<string, any>[] => Object.entries(r[type] ?? {}).map(([name, v]) => ({ ...v, __name: name }));
function one(r: Resources, type: string, pred: (x: Record<string, any>) => boolean): Record<string, any> {
  const m = all(r, type).filter(pred);
  if (m.length !== 1) throw new Error(`expected one ${type}, found ${m.length}`);
  return m[0]!;
}
const fn = (r: Resources, name: string) => one(r, 'aws_lambda_function', (f) => f.function_name === name);
const policyOf = (r: Resources, fnName: string): Policy => parsePolicy(one(r, 'aws_iam_role_policy', (p) => p.name === `${fnName}-policy`).policy);
const KEY = '${aws_kms_key.key.arn}';
const ACCT = '222222222222';
const REGION = 'ap-northeast-1';
const DOMAIN = `arn:aws:es:${REGION}:${ACCT}:domain/aes-siem`;
const LOG_GROUP = (f: string) => ({ Sid: 'WriteOwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `arn:aws:logs:${REGION}:${ACCT}:log-group:/aws/lambda/${f}:*` });

describe('Module: Operations', () => {
  it.each([
    ['aes-siem-es-loader-stopper', 256, 30, 1],
    ['aes-siem-geoip-downloader', 1024, 300, undefined],
    ['aes-siem-index-metrics-exporter', 256, 120, undefined],
    ['aes-siem-opensearch-configurator', 512, 300, undefined],
  ])('%s: Node.js 22 on arm64, memory %i MB, timeout %i s, log group with 90 days retention and the central key', (name, memory, timeout, reserved) => {
    const r = synth();
    const f = fn(r, name);
    expect(f).toMatchObject({ runtime: 'nodejs22.x', architectures: ['arm64'], handler: 'index.handler', memory_size: memory, timeout });
    expect(f.reserved_concurrent_executions).toBe(reserved);
    expect(one(r, 'aws_cloudwatch_log_group', (g) => g.name === `/aws/lambda/${name}`)).toMatchObject({ retention_in_days: 90, kms_key_id: KEY });
    expect(one(r, 'aws_cloudwatch_metric_alarm', (a) => a.alarm_name === `${name}-errors`).alarm_actions).toEqual([`arn:aws:sns:${REGION}:${ACCT}:aes-siem-alert`]);
  });

  it('stopper: triggered by the stop-ingestion rule, state parameter owned by the function, exact permissions', () => {
    const r = synth();
    const f = fn(r, 'aes-siem-es-loader-stopper');
    expect(f.environment.variables).toEqual({
      LOADER_FUNCTION_NAME: 'aes-siem-es-loader',
      STATE_PARAMETER_NAME: '/aes-siem/es-loader-stopper/state',
      ALERT_TOPIC_ARN: `arn:aws:sns:${REGION}:${ACCT}:aes-siem-alert`,
      DEFAULT_CONCURRENCY: '10',
    });
    const rule = one(r, 'aws_cloudwatch_event_rule', (x) => x.name === 'aes-siem-stop-ingestion-alarms');
    expect(JSON.parse(rule.event_pattern).resources).toEqual([`arn:aws:cloudwatch:${REGION}:${ACCT}:alarm:aes-siem-TotalFreeStorageSpaceRemainsLowAlarm`]);
    const target = one(r, 'aws_cloudwatch_event_target', (t) => t.target_id === '${aws_lambda_function.ops_stopper_function_1E3B1B23.function_name}' || String(t.arn).includes('ops_stopper'));
    expect(target.rule).toMatch(/aws_cloudwatch_event_rule\.stop-ingestion-rule.*\.name/);
    expect(one(r, 'aws_lambda_permission', (p) => String(p.function_name).includes('ops_stopper') && p.principal === 'events.amazonaws.com').source_arn).toMatch(/stop-ingestion-rule.*\.arn/);
    expect(one(r, 'aws_ssm_parameter', (p) => p.name === '/aes-siem/es-loader-stopper/state')).toMatchObject({ type: 'String', value: '{"stopped":false}', lifecycle: { ignore_changes: ['value'] } });
    expect(policyOf(r, 'aes-siem-es-loader-stopper').Statement).toEqual([
      LOG_GROUP('aes-siem-es-loader-stopper'),
      { Sid: 'ThrottleLoader', Effect: 'Allow', Action: ['lambda:GetFunctionConcurrency', 'lambda:PutFunctionConcurrency', 'lambda:DeleteFunctionConcurrency'], Resource: `arn:aws:lambda:${REGION}:${ACCT}:function:aes-siem-es-loader` },
      { Sid: 'ListLoaderMappings', Effect: 'Allow', Action: 'lambda:ListEventSourceMappings', Resource: '*' },
      {
        Sid: 'PauseLoaderMappings',
        Effect: 'Allow',
        Action: 'lambda:UpdateEventSourceMapping',
        Resource: `arn:aws:lambda:${REGION}:${ACCT}:event-source-mapping:*`,
        Condition: { ArnLike: { 'lambda:FunctionArn': [`arn:aws:lambda:${REGION}:${ACCT}:function:aes-siem-es-loader`, `arn:aws:lambda:${REGION}:${ACCT}:function:aes-siem-es-loader:*`] } },
      },
      { Sid: 'RememberConcurrency', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:PutParameter'], Resource: `arn:aws:ssm:${REGION}:${ACCT}:parameter/aes-siem/es-loader-stopper/state` },
      { Sid: 'PublishAlerts', Effect: 'Allow', Action: 'sns:Publish', Resource: `arn:aws:sns:${REGION}:${ACCT}:aes-siem-alert` },
      { Sid: 'EncryptAlerts', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: KEY, Condition: { StringEquals: { 'kms:ViaService': `sns.${REGION}.amazonaws.com` } } },
    ]);
  });

  it('stopper may throttle the loader and nothing else', async () => {
    const identityPolicies = [policyOf(synth(), 'aes-siem-es-loader-stopper')];
    const caller = { roleArn: `arn:aws:iam::${ACCT}:role/aes-siem-es-loader-stopper-role`, identityPolicies };
    const ask = (action: string, resource: string) => decide({ caller, action, resource, resourceAccount: ACCT });
    expect(await ask('lambda:PutFunctionConcurrency', `arn:aws:lambda:${REGION}:${ACCT}:function:aes-siem-es-loader`)).toBe('Allowed');
    expect(await ask('lambda:PutFunctionConcurrency', `arn:aws:lambda:${REGION}:${ACCT}:function:aes-siem-geoip-downloader`)).toBe('ImplicitlyDenied');
    expect(await ask('lambda:UpdateFunctionCode', `arn:aws:lambda:${REGION}:${ACCT}:function:aes-siem-es-loader`)).toBe('ImplicitlyDenied');
    expect(await ask('ssm:PutParameter', `arn:aws:ssm:${REGION}:${ACCT}:parameter/aes-siem/other`)).toBe('ImplicitlyDenied');
    const mapping = `arn:aws:lambda:${REGION}:${ACCT}:event-source-mapping:0a1b2c3d-0000-4000-8000-000000000001`;
    const pause = (functionArn: string) => decide({ caller, action: 'lambda:UpdateEventSourceMapping', resource: mapping, resourceAccount: ACCT, context: { 'lambda:FunctionArn': functionArn } });
    expect(await pause(`arn:aws:lambda:${REGION}:${ACCT}:function:aes-siem-es-loader`)).toBe('Allowed');
    expect(await pause(`arn:aws:lambda:${REGION}:${ACCT}:function:aes-siem-geoip-downloader`)).toBe('ImplicitlyDenied');
    expect(await pause(`arn:aws:lambda:${REGION}:${ACCT}:function:aes-siem-es-loader-stopper`)).toBe('ImplicitlyDenied');
  });

  it('GeoIP downloader: every 12 hours, writes only the two database keys and the AWS edge ranges object; no key configured in the example', () => {
    const r = synth();
    expect(one(r, 'aws_cloudwatch_event_rule', (x) => x.name === 'aes-siem-geoip-downloader-schedule').schedule_expression).toBe('rate(12 hours)');
    expect(fn(r, 'aes-siem-geoip-downloader').environment.variables).toEqual({ GEO_BUCKET: 'aes-siem-222222222222-geo' });
    expect(policyOf(r, 'aes-siem-geoip-downloader').Statement).toEqual([
      LOG_GROUP('aes-siem-geoip-downloader'),
      { Sid: 'ListGeoBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::aes-siem-222222222222-geo' },
      { Sid: 'WriteGeoDatabases', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: ['arn:aws:s3:::aes-siem-222222222222-geo/GeoLite2-City.mmdb', 'arn:aws:s3:::aes-siem-222222222222-geo/GeoLite2-ASN.mmdb'] },
      { Sid: 'WriteAwsEdgeRanges', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::aes-siem-222222222222-geo/TrustedProxy/aws-edge-ranges.json' },
      { Sid: 'EncryptGeoDatabases', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: KEY, Condition: { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } } },
    ]);
  });

  it('GeoIP downloader: the license key is named, never given, in the environment; the role reads only that parameter or secret', () => {
    const withParam = synth(withGeoip({ licenseKeyParameter: '/siem/maxmind-license' }));
    expect(fn(withParam, 'aes-siem-geoip-downloader').environment.variables).toEqual({ GEO_BUCKET: 'aes-siem-222222222222-geo', GEOIP_LICENSE_PARAMETER: '/siem/maxmind-license' });
    expect(policyOf(withParam, 'aes-siem-geoip-downloader').Statement.at(-1)).toEqual({ Sid: 'ReadLicenseKey', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: `arn:aws:ssm:${REGION}:${ACCT}:parameter/siem/maxmind-license` });
    const withSecret = synth(withGeoip({ licenseKeySecret: 'siem/maxmind' }));
    expect(policyOf(withSecret, 'aes-siem-geoip-downloader').Statement.at(-1)).toEqual({ Sid: 'ReadLicenseKey', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:${REGION}:${ACCT}:secret:siem/maxmind-??????` });
    expect(() => synth(withGeoip({ licenseKeyParameter: '/a', licenseKeySecret: 'b' }))).toThrow('organization.yaml: geoip.licenseKeySecret: geoip.licenseKeyParameter is set too; keep one of the two (the parameter would win)');
  });

  it('IoC downloader: off by default (no function, no schedule, no role)', () => {
    const r = synth(withThreatIntel({}));
    expect(all(r, 'aws_lambda_function').filter((f) => String(f.function_name).includes('ioc'))).toEqual([]);
    expect(all(r, 'aws_cloudwatch_event_rule').filter((x) => String(x.name).includes('ioc'))).toEqual([]);
    expect(all(r, 'aws_iam_role').filter((x) => String(x.name).includes('ioc'))).toEqual([]);
  });

  it('IoC downloader when enabled (as in the example): every 6 hours by default, Node.js 22, reads and writes only IOC/* of the geo bucket; no OTX key, so no key statement', () => {
    const r = synth(withThreatIntel({ enabled: true }));
    expect(base.threatIntel).toMatchObject({ enabled: true, intervalHours: 6 });
    const f = fn(r, 'aes-siem-ioc-downloader');
    expect(f).toMatchObject({ runtime: 'nodejs22.x', architectures: ['arm64'], handler: 'index.handler', memory_size: 1024, timeout: 900 });
    expect(f.vpc_config).toBeUndefined();
    expect(f.environment.variables).toEqual({ GEO_BUCKET: 'aes-siem-222222222222-geo' });
    const rule = one(r, 'aws_cloudwatch_event_rule', (x) => x.name === 'aes-siem-ioc-downloader-schedule');
    expect(rule).toMatchObject({ schedule_expression: 'rate(6 hours)', description: 'Runs aes-siem-ioc-downloader every 6 hours' });
    expect(one(r, 'aws_cloudwatch_event_target', (t) => String(t.arn).includes('ops_ioc_function')).rule).toMatch(/aws_cloudwatch_event_rule\.ops_ioc-schedule.*\.name/);
    expect(one(r, 'aws_lambda_permission', (p) => String(p.function_name).includes('ops_ioc_function') && p.principal === 'events.amazonaws.com').source_arn).toMatch(/ops_ioc-schedule.*\.arn/);
    expect(one(r, 'aws_cloudwatch_log_group', (g) => g.name === '/aws/lambda/aes-siem-ioc-downloader')).toMatchObject({ retention_in_days: 90, kms_key_id: KEY });
    expect(one(r, 'aws_cloudwatch_metric_alarm', (a) => a.alarm_name === 'aes-siem-ioc-downloader-errors').alarm_actions).toEqual([`arn:aws:sns:${REGION}:${ACCT}:aes-siem-alert`]);
    expect(policyOf(r, 'aes-siem-ioc-downloader').Statement).toEqual([
      LOG_GROUP('aes-siem-ioc-downloader'),
      { Sid: 'ListGeoBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::aes-siem-222222222222-geo' },
      { Sid: 'ReadWriteIoc', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::aes-siem-222222222222-geo/IOC/*' },
      { Sid: 'EncryptIoc', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: KEY, Condition: { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } } },
    ]);
  });

  it('IoC downloader may write the database and not the GeoIP databases', async () => {
    const identityPolicies = [policyOf(synth(withThreatIntel({ enabled: true })), 'aes-siem-ioc-downloader')];
    const caller = { roleArn: `arn:aws:iam::${ACCT}:role/aes-siem-ioc-downloader-role`, identityPolicies };
    const ask = (action: string, resource: string) => decide({ caller, action, resource, resourceAccount: ACCT });
    expect(await ask('s3:PutObject', 'arn:aws:s3:::aes-siem-222222222222-geo/IOC/ioc.siemdb')).toBe('Allowed');
    expect(await ask('s3:GetObject', 'arn:aws:s3:::aes-siem-222222222222-geo/IOC/TXT/acme/blocklist.txt')).toBe('Allowed');
    expect(await ask('s3:PutObject', 'arn:aws:s3:::aes-siem-222222222222-geo/GeoLite2-City.mmdb')).toBe('ImplicitlyDenied');
    expect(await ask('s3:GetObject', 'arn:aws:s3:::aes-siem-222222222222-log/AWSLogs/x')).toBe('ImplicitlyDenied');
  });

  it('IoC downloader: interval, feeds, URLs and limits from config; the OTX key is named, never given; the role reads only that parameter or secret', () => {
    const withParam = synth(
      withThreatIntel({ enabled: true, intervalHours: 1, otxKeyParameter: '/siem/otx-key', tor: false, feodoUrl: 'https://mirror.example.com/ipblocklist.json', maxSourceMb: 50, maxCustomFiles: 100 }),
    );
    expect(one(withParam, 'aws_cloudwatch_event_rule', (x) => x.name === 'aes-siem-ioc-downloader-schedule')).toMatchObject({ schedule_expression: 'rate(1 hour)', description: 'Runs aes-siem-ioc-downloader every hour' });
    expect(fn(withParam, 'aes-siem-ioc-downloader').environment.variables).toEqual({
      GEO_BUCKET: 'aes-siem-222222222222-geo',
      IOC_TOR_ENABLED: 'false',
      IOC_FEODO_URL: 'https://mirror.example.com/ipblocklist.json',
      IOC_OTX_KEY_PARAMETER: '/siem/otx-key',
      IOC_MAX_SOURCE_MB: '50',
      IOC_MAX_CUSTOM_FILES: '100',
    });
    expect(policyOf(withParam, 'aes-siem-ioc-downloader').Statement.at(-1)).toEqual({ Sid: 'ReadOtxKey', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: `arn:aws:ssm:${REGION}:${ACCT}:parameter/siem/otx-key` });
    const withSecret = synth(withThreatIntel({ enabled: true, intervalHours: 24, otxKeySecret: 'siem/otx' }));
    expect(one(withSecret, 'aws_cloudwatch_event_rule', (x) => x.name === 'aes-siem-ioc-downloader-schedule').schedule_expression).toBe('rate(24 hours)');
    expect(fn(withSecret, 'aes-siem-ioc-downloader').environment.variables).toEqual({ GEO_BUCKET: 'aes-siem-222222222222-geo', IOC_OTX_KEY_SECRET: 'siem/otx' });
    expect(policyOf(withSecret, 'aes-siem-ioc-downloader').Statement.at(-1)).toEqual({ Sid: 'ReadOtxKey', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:${REGION}:${ACCT}:secret:siem/otx-??????` });
    expect(() => synth(withThreatIntel({ enabled: true, otxKeyParameter: '/a', otxKeySecret: 'b' }))).toThrow('organization.yaml: threatIntel.otxKeySecret: threatIntel.otxKeyParameter is set too; keep one of the two (the parameter would win)');
    expect(() => synth(withThreatIntel({ enabled: true, intervalHours: 0, torUrl: 'ftp://mirror.example.com/tor' }))).toThrow(/threatIntel\.intervalHours: .*\n.*threatIntel\.torUrl: must be an http\(s\) URL/);
  });

  it('index metrics exporter: hourly, reads statistics, writes only under AWSLogs/<acct>/OpenSearch/metrics/, invokes the loader, which may read the exports', async () => {
    const r = synth();
    expect(one(r, 'aws_cloudwatch_event_rule', (x) => x.name === 'aes-siem-index-metrics-exporter-schedule').schedule_expression).toBe('rate(1 hour)');
    expect(fn(r, 'aes-siem-index-metrics-exporter').environment.variables).toEqual({
      OPENSEARCH_ENDPOINT: expect.stringMatching(/^\$\{aws_opensearch_domain\..*\.endpoint\}$/),
      OPENSEARCH_AUTH: 'sigv4',
      SNAPSHOT_BUCKET: 'aes-siem-222222222222-snapshot',
      ACCOUNT_ID: ACCT,
      DOMAIN_NAME: 'aes-siem',
      LOADER_FUNCTION_NAME: 'aes-siem-es-loader',
    });
    const policy = policyOf(r, 'aes-siem-index-metrics-exporter');
    expect(policy.Statement).toEqual([
      LOG_GROUP('aes-siem-index-metrics-exporter'),
      { Sid: 'ReadClusterStatistics', Effect: 'Allow', Action: 'es:ESHttpGet', Resource: [`${DOMAIN}/_cat/indices`, `${DOMAIN}/_cat/shards`, `${DOMAIN}/_nodes/stats/*`] },
      { Sid: 'WriteMetrics', Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::aes-siem-222222222222-snapshot/AWSLogs/${ACCT}/OpenSearch/metrics/*` },
      { Sid: 'EncryptMetrics', Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: KEY, Condition: { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } } },
      { Sid: 'NotifyLoader', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: `arn:aws:lambda:${REGION}:${ACCT}:function:aes-siem-es-loader` },
    ]);
    const caller = { roleArn: `arn:aws:iam::${ACCT}:role/aes-siem-index-metrics-exporter-role`, identityPolicies: [policy] };
    const ask = (action: string, resource: string) => decide({ caller, action, resource, resourceAccount: ACCT });
    expect(await ask('s3:PutObject', `arn:aws:s3:::aes-siem-222222222222-snapshot/AWSLogs/${ACCT}/OpenSearch/metrics/2026/11/22/06/aes-siem_20261122T060000Z.jsonl.gz`)).toBe('Allowed');
    expect(await ask('s3:PutObject', 'arn:aws:s3:::aes-siem-222222222222-snapshot/snapshots/index-0')).toBe('ImplicitlyDenied');
    expect(await ask('es:ESHttpGet', `${DOMAIN}/log-aws-cloudtrail-2026-11/_search`)).toBe('ImplicitlyDenied');
    expect(await ask('es:ESHttpPut', `${DOMAIN}/_cat/indices`)).toBe('ImplicitlyDenied');
    expect(await ask('lambda:InvokeFunction', `arn:aws:lambda:${REGION}:${ACCT}:function:aes-siem-es-loader`)).toBe('Allowed');
    expect(await ask('lambda:InvokeFunction', `arn:aws:lambda:${REGION}:${ACCT}:function:aes-siem-es-loader-stopper`)).toBe('ImplicitlyDenied');

    // No notification on the snapshot bucket: the exporter tells the loader itself.
    expect(all(r, 'aws_s3_bucket_notification').filter((n) => String(n.bucket).includes('snapshot'))).toHaveLength(0);
    expect(parsePolicy(one(r, 'aws_iam_role_policy', (p) => p.name === 'aes-siem-es-loader-read-metrics-exports').policy).Statement).toEqual([
      { Sid: 'ReadMetricsExports', Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::aes-siem-222222222222-snapshot/AWSLogs/${ACCT}/OpenSearch/metrics/*` },
    ]);
  });

  it('configurator: assumes only the OpenSearch master role; the invocation input carries the desired state and its hash', () => {
    const r = synth();
    expect(fn(r, 'aes-siem-opensearch-configurator').environment.variables).toEqual({
      OPENSEARCH_ENDPOINT: expect.stringMatching(/^\$\{aws_opensearch_domain\..*\.endpoint\}$/),
      OPENSEARCH_AUTH: 'sigv4',
      OPENSEARCH_ROLE_ARN: `arn:aws:iam::${ACCT}:role/aes-siem-opensearch-admin`,
    });
    expect(policyOf(r, 'aes-siem-opensearch-configurator').Statement).toEqual([
      LOG_GROUP('aes-siem-opensearch-configurator'),
      { Sid: 'ActAsOpenSearchAdmin', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${ACCT}:role/aes-siem-opensearch-admin` },
      // Backs up the Dashboards objects it overwrites into the snapshot bucket, under dashboards-backup/ only (docs/dashboards.md).
      { Sid: 'BackUpDashboards', Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::aes-siem-222222222222-snapshot/dashboards-backup/*' },
      { Sid: 'EncryptDashboardsBackup', Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: '${aws_kms_key.key.arn}', Condition: { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } } },
      // The example organization has a break-glass user: its password secret (docs/login.md).
      { Sid: 'BreakGlassPassword', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'], Resource: `arn:aws:secretsmanager:${REGION}:${ACCT}:secret:aes-siem/opensearch/break-glass-??????` },
      { Sid: 'BreakGlassPasswordKey', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '${aws_kms_key.key.arn}', Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` } } },
    ]);
    expect(parsePolicy(one(r, 'aws_iam_role_policy', (p) => p.name === 'aes-siem-opensearch-admin-configure').policy).Statement).toEqual([
      { Sid: 'OpenSearchHttp', Effect: 'Allow', Action: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPut', 'es:ESHttpPost', 'es:ESHttpDelete', 'es:ESHttpPatch'], Resource: `${DOMAIN}/*` },
      { Sid: 'PassSnapshotRole', Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${ACCT}:role/aes-siem-snapshot-role` },
      { Sid: 'PassAlertingRole', Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${ACCT}:role/aes-siem-sns-role` },
    ]);
    const inv = one(r, 'aws_lambda_invocation', () => true);
    expect(inv.function_name).toMatch(/aws_lambda_function\.ops_configurator.*\.function_name/);
    const input = JSON.parse(inv.input);
    expect(input.desiredStateHash).toMatch(/^[0-9a-f]{64}$/);
    expect(configuratorSettingsSchema.parse(input.settings)).toEqual({
      indexRetentionDays: 365,
      snapshot: { repository: 'siem-snapshot', bucket: 'aes-siem-222222222222-snapshot', region: REGION, roleArn: `arn:aws:iam::${ACCT}:role/aes-siem-snapshot-role`, basePath: 'snapshots' },
      security: {
        loaderRoleArns: [`arn:aws:iam::${ACCT}:role/aes-siem-es-loader-role`],
        monitorRoleArns: [`arn:aws:iam::${ACCT}:role/aes-siem-index-metrics-exporter-role`],
        // The example's SAML groups (accounts/organization.yaml) and break-glass user.
        analystBackendRoles: ['9067c1d2e3-6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c'],
        adminBackendRoles: [`arn:aws:iam::${ACCT}:role/aes-siem-opensearch-admin`],
        allAccess: { backendRoles: [`arn:aws:iam::${ACCT}:role/aes-siem-opensearch-admin`, '9067c1d2e3-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d'], users: ['siem-breakglass'] },
        internalUser: { username: 'siem-breakglass', secretId: 'aes-siem/opensearch/break-glass' },
      },
      alerting: {
        channel: { id: 'siem-alert-topic', name: 'aes-siem-alert', topicArn: `arn:aws:sns:${REGION}:${ACCT}:aes-siem-alert`, roleArn: `arn:aws:iam::${ACCT}:role/aes-siem-sns-role` },
        monitors: ['console-login-new-country', 'root-account-use', 'guardduty-high-finding', 'waf-block-spike'],
      },
      dashboards: { basePath: '/_dashboards', tenant: 'global', backupBucket: 'aes-siem-222222222222-snapshot', backupPrefix: 'dashboards-backup/' },
      skip: [],
    });
    // The bundle ships the loader's ini files: the templates are built from them.
    const { members, ...file } = base;
    const longer = parseOrganization({ file: 'organization.yaml', data: { ...file, opensearch: { ...file.opensearch, indexRetentionDays: 400 } } }, members.map((m) => ({ file: `members/${m.name}.yaml`, data: m })));
    const other = JSON.parse(one(synth(longer), 'aws_lambda_invocation', () => true).input);
    expect(other.desiredStateHash).not.toBe(input.desiredStateHash);
    expect(other.settings.indexRetentionDays).toBe(400);
  });

  it('rejects ISM tiers that cannot work, naming the fields', () => {
    const { members, ...file } = base;
    const org = (opensearch: Record<string, unknown>) =>
      parseOrganization(
        // UltraWarm (which needs dedicated masters) is configured, so the domain accepts the tiers and these checks decide.
        { file: 'organization.yaml', data: { ...file, opensearch: { ...file.opensearch, dedicatedMaster: { instanceType: 'm6g.large.search', count: 3 }, ultraWarm: { instanceType: 'ultrawarm1.medium.search', count: 2 }, ...opensearch } } },
        members.map((m) => ({ file: `members/${m.name}.yaml`, data: m })),
      );
    expect(() => synth(org({ coldAfterDays: 90 }))).toThrow('organization.yaml: opensearch.coldAfterDays: needs opensearch.warmAfterDays: OpenSearch Service moves indices to cold storage only from UltraWarm');
    expect(() => synth(org({ warmAfterDays: 400, indexRetentionDays: 365 }))).toThrow('organization.yaml: opensearch.warmAfterDays: 400 must be less than opensearch.indexRetentionDays (365)');
    const tiers = JSON.parse(one(synth(org({ warmAfterDays: 30, coldAfterDays: 90 })), 'aws_lambda_invocation', () => true).input).settings;
    expect(tiers).toMatchObject({ indexRetentionDays: 365, warmAfterDays: 30, coldAfterDays: 90 });
  });

  it('dashboard aes-siem-SIEM: loader, records, queues and OpenSearch health', () => {
    const d = one(synth(), 'aws_cloudwatch_dashboard', () => true);
    expect(d.dashboard_name).toBe('aes-siem-SIEM');
    const body = JSON.parse(d.dashboard_body) as { widgets: { type: string; properties: Record<string, any> }[] };
    const byTitle = Object.fromEntries(body.widgets.filter((w) => w.type === 'metric').map((w) => [w.properties.title, w.properties]));
    expect(Object.keys(byTitle)).toEqual([
      'es-loader invocations, errors, throttles',
      'es-loader duration (ms)',
      'es-loader concurrent executions',
      'Records read / indexed / failed / skipped',
      'Ingestion lag, S3 event to indexed (ms)',
      'Queue depth (messages visible)',
      'Age of oldest message (s)',
      'OpenSearch free storage (MB)',
      'OpenSearch cluster status',
      'OpenSearch JVM memory pressure (%)',
      'OpenSearch indexing rate (ops/min)',
      'OpenSearch indexing latency (ms)',
    ]);
    for (const p of Object.values(byTitle) as Record<string, any>[]) expect(p.region).toBe(REGION);
    expect(byTitle['es-loader invocations, errors, throttles']!.metrics).toEqual([
      ['AWS/Lambda', 'Invocations', 'FunctionName', 'aes-siem-es-loader', { stat: 'Sum', label: 'Invocations' }],
      ['AWS/Lambda', 'Errors', 'FunctionName', 'aes-siem-es-loader', { stat: 'Sum', label: 'Errors' }],
      ['AWS/Lambda', 'Throttles', 'FunctionName', 'aes-siem-es-loader', { stat: 'Sum', label: 'Throttles' }],
    ]);
    expect(byTitle['Records read / indexed / failed / skipped']!.metrics.map((m: { expression: string }) => m.expression)).toEqual([
      `SUM(SEARCH('{SIEM/es-loader} MetricName="RecordsRead"', 'Sum', 300))`,
      `SUM(SEARCH('{SIEM/es-loader} MetricName="RecordsIndexed"', 'Sum', 300))`,
      `SUM(SEARCH('{SIEM/es-loader} MetricName="RecordsFailed"', 'Sum', 300))`,
      `SUM(SEARCH('{SIEM/es-loader} MetricName="RecordsSkipped"', 'Sum', 300))`,
    ]);
    // The example organization uses the sqs trigger: split queue, S3 notification queue, DLQ.
    expect(byTitle['Queue depth (messages visible)']!.metrics.map((m: unknown[]) => m[3])).toEqual(['aes-siem-sqs-splitted-logs', 'aes-siem-s3-notification', 'aes-siem-dlq']);
    expect(byTitle['Age of oldest message (s)']!.metrics.map((m: unknown[]) => m.slice(0, 4))).toEqual([
      ['AWS/SQS', 'ApproximateAgeOfOldestMessage', 'QueueName', 'aes-siem-sqs-splitted-logs'],
      ['AWS/SQS', 'ApproximateAgeOfOldestMessage', 'QueueName', 'aes-siem-s3-notification'],
      ['AWS/SQS', 'ApproximateAgeOfOldestMessage', 'QueueName', 'aes-siem-dlq'],
    ]);
    const es = (title: string) => byTitle[title]!.metrics.map((m: unknown[]) => m.slice(0, 6));
    const dims = ['DomainName', 'aes-siem', 'ClientId', ACCT];
    expect(es('OpenSearch free storage (MB)')).toEqual([['AWS/ES', 'FreeStorageSpace', ...dims]]);
    expect(es('OpenSearch cluster status')).toEqual([['AWS/ES', 'ClusterStatus.red', ...dims], ['AWS/ES', 'ClusterStatus.yellow', ...dims]]);
    expect(es('OpenSearch JVM memory pressure (%)')).toEqual([['AWS/ES', 'JVMMemoryPressure', ...dims]]);
    expect(es('OpenSearch indexing rate (ops/min)')).toEqual([['AWS/ES', 'IndexingRate', ...dims]]);
    expect(es('OpenSearch indexing latency (ms)')).toEqual([['AWS/ES', 'IndexingLatency', ...dims]]);
    expect(body.widgets.find((w) => w.type === 'alarm')?.properties.alarms).toEqual([`arn:aws:cloudwatch:${REGION}:${ACCT}:alarm:aes-siem-TotalFreeStorageSpaceRemainsLowAlarm`]);
  });
});
