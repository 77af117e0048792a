/**
 * `central`: the security (SIEM) account. KMS key, the log/snapshot/geo buckets, the OpenSearch domain,
 * the split queue and its DLQ, the alert topic, alarms, and the functions added by modules/.
 */
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import type { Organization } from '../accounts/schema';
import { arn, names, type Names } from '../modules/naming';
import { domainLogGroupName, SiemDomain } from '../modules/opensearch-domain';
import { DashboardsLogin } from '../modules/dashboards-login';
import { AlertPublishing } from '../modules/alert-publishing';
import { activeMembersByFeature, baselineBucketPolicyStatements, keyPolicyStatements, logBucketPolicyStatements } from '../modules/policies/central';
import { ElbLogBucket } from '../modules/elb-log-bucket';
import { CloudWatchLogsExport, domainLogsExportNames, elbAccessLogs, elbLogBucketName } from '../modules/member/features';
import { denyInsecureTransport, policySize, terraformPolicy } from '../modules/policies/document';
import { accountProvider } from '../modules/provider';
import { addDomainAlarms } from '../modules/alarms';
import { EsLoader } from '../modules/es-loader';
import { OrganizationContextObject } from '../modules/organization-context';
import { Operations } from '../modules/operations';
import { ControlTowerIngestion } from '../modules/control-tower-ingestion';
import { SecurityLakeIngestion } from '../modules/security-lake-ingestion';
import { securityLakeSettings } from '../modules/security-lake-settings';
import { controlTowerSettings } from '../modules/log-archive';
import { SecureBucket } from '../modules/secure-bucket';
import { configureBackend } from './backend';

export interface CentralStackProps {
  readonly org: Organization;
}

export { FREE_STORAGE_THRESHOLD_MB, FREE_STORAGE_WINDOW_MINUTES } from '../modules/alarms';
/** KMS's limit on the size of a key policy. */
export const KEY_POLICY_MAX_BYTES = 32 * 1024;

export class CentralStack extends TerraformStack {
  readonly org: Organization;
  readonly names: Names;
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly region: string;
  readonly key: KmsKey;
  readonly keyArn: string;
  readonly logBucket: SecureBucket;
  readonly snapshotBucket: SecureBucket;
  readonly geoBucket: SecureBucket;
  /** SSE-S3 bucket for load-balancer access logs; only when a member turns on `elbAccessLogs`. */
  readonly elbLogBucket?: ElbLogBucket;
  readonly domain: SiemDomain;
  readonly domainArn: string;
  readonly login: DashboardsLogin;
  readonly alertPublishing: AlertPublishing;
  readonly domainEndpoint: string;
  readonly splitQueue: SqsQueue;
  readonly dlq: SqsQueue;
  readonly alertTopic: SnsTopic;
  readonly alertTopicArn: string;
  readonly storageAlarm: CloudwatchMetricAlarm;
  /** EventBridge rule matching state changes of the alarms that stop ingestion; the stopper is its target. */
  readonly stopIngestionRule: CloudwatchEventRule;
  /** Network of the functions that call OpenSearch: the domain's subnets when it lives in a VPC. */
  readonly functionVpc?: { readonly subnetIds: readonly string[]; readonly securityGroupIds: readonly string[] };
  /** IAM role ARNs that may decrypt logs with the key (the key policy names them). */
  readonly logReaderRoleArns: string[];

  constructor(scope: Construct, id: string, props: CentralStackProps) {
    super(scope, id);
    const org = props.org;
    const n = names(org);
    this.org = org;
    this.names = n;
    this.accountId = org.security.accountId;
    this.region = org.security.region;
    const { accountId, region } = this;

    this.provider = accountProvider(this, 'aws', {
      accountId,
      region,
      deployRole: org.security.deployRole,
      tags: { Project: 'siem-on-opensearch', Stack: id },
    });
    configureBackend(this, org);

    // ---- KMS key ---------------------------------------------------------------------------------
    this.logReaderRoleArns = [arn.role(accountId, n.loaderRole), ...org.security.logReaderRoleArns];
    const keyPolicy = terraformPolicy(keyPolicyStatements({ org, logReaderRoleArns: this.logReaderRoleArns }));
    if (policySize(keyPolicy) > KEY_POLICY_MAX_BYTES) {
      throw new Error(`the KMS key policy is ${policySize(keyPolicy)} bytes, above KMS's limit of ${KEY_POLICY_MAX_BYTES}; it grows with the number of member accounts (see modules/policies/central.ts)`);
    }
    this.key = new KmsKey(this, 'key', {
      description: `${n.prefix}: encrypts SIEM logs, queues, topic and domain`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: keyPolicy,
    });
    new KmsAlias(this, 'key-alias', { name: n.keyAlias, targetKeyId: this.key.keyId });
    this.keyArn = this.key.arn;

    // ---- Buckets ---------------------------------------------------------------------------------
    this.logBucket = new SecureBucket(this, 'log-bucket', {
      bucketName: n.logBucket,
      kmsKeyArn: this.keyArn,
      policyStatements: logBucketPolicyStatements({ org, keyArn: org.security.centralKeyArn ?? this.keyArn }),
      lifecycle: {
        transitionToInfrequentAccessDays: org.logBucket.transitionToInfrequentAccessDays,
        transitionToGlacierDays: org.logBucket.transitionToGlacierDays,
        expirationDays: org.logBucket.expirationDays,
      },
      objectLock: org.logBucket.objectLock,
    });
    this.snapshotBucket = new SecureBucket(this, 'snapshot-bucket', {
      bucketName: n.snapshotBucket,
      kmsKeyArn: this.keyArn,
      policyStatements: baselineBucketPolicyStatements(org, n.snapshotBucket),
    });
    this.geoBucket = new SecureBucket(this, 'geo-bucket', {
      bucketName: n.geoBucket,
      kmsKeyArn: this.keyArn,
      policyStatements: baselineBucketPolicyStatements(org, n.geoBucket),
    });

    // ALB and CLB access logs accept only SSE-S3 buckets (modules/elb-log-bucket.ts).
    const elbMemberIds = activeMembersByFeature(org)[elbAccessLogs.key]!;
    if (elbMemberIds.length > 0) {
      this.elbLogBucket = new ElbLogBucket(this, 'elb-log-bucket', {
        bucket: elbLogBucketName(n.logBucket),
        memberAccountIds: elbMemberIds,
        regions: [...new Set(org.members.filter((m) => elbMemberIds.includes(m.accountId)).flatMap((m) => m.regions))].sort(),
        organizationId: org.organization?.id,
        lifecycle: {
          transitionToInfrequentAccessDays: org.logBucket.transitionToInfrequentAccessDays,
          transitionToGlacierDays: org.logBucket.transitionToGlacierDays,
          expirationDays: org.logBucket.expirationDays,
        },
      });
    }

    // ---- OpenSearch ------------------------------------------------------------------------------
    const loginSettings = org.opensearch.login;
    this.login = new DashboardsLogin(this, 'dashboards-login', {
      prefix: n.prefix,
      accountId,
      region,
      domainArn: arn.domain(region, accountId, n.domain),
      kmsKeyArn: this.keyArn,
      settings: loginSettings,
    });
    this.domain = new SiemDomain(this, 'opensearch', {
      domainName: n.domain,
      accountId,
      region,
      settings: org.opensearch,
      kmsKeyArn: this.keyArn,
      snapshotBucket: n.snapshotBucket,
      snapshotRoleName: n.snapshotRole,
      adminRoleName: n.opensearchAdminRole,
      login: {
        saml: loginSettings.saml,
        cognito: this.login.cognitoOptions,
        internalUserDatabase: loginSettings.internalUser !== undefined,
        dependsOn: this.login.domainDependencies,
      },
    });
    this.domainArn = this.domain.domainArn;
    this.domainEndpoint = this.domain.domain.endpoint;
    if (org.opensearch.auditLogsToSiem) {
      // The SIEM watches itself: the domain's audit and application (error) logs go through CloudWatch Logs
      // and a Firehose stream of this account into the log bucket, under the keys the loader's
      // opensearch_audit and opensearch_application types read (modules/member/features/cloudwatch-logs-export).
      // The slow logs stay in CloudWatch Logs (docs/onboarding.md "The SIEM's own OpenSearch logs").
      new CloudWatchLogsExport(this, 'domain-logs-export', {
        names: domainLogsExportNames(n.prefix),
        homeProvider: this.provider,
        providerFor: () => this.provider,
        accountId,
        groups: [
          { name: domainLogGroupName(n.domain, 'AUDIT_LOGS'), region, logType: 'opensearch-audit', dependsOn: [this.domain.logGroups.AUDIT_LOGS] },
          { name: domainLogGroupName(n.domain, 'ES_APPLICATION_LOGS'), region, logType: 'opensearch-application', dependsOn: [this.domain.logGroups.ES_APPLICATION_LOGS] },
        ],
        bucketName: n.logBucket,
        bucketArn: arn.bucket(n.logBucket),
        bucketRegion: region,
        keyArn: this.keyArn,
      });
    }
    const network = org.opensearch.network;
    this.functionVpc = network.mode === 'vpc' ? { subnetIds: network.subnetIds, securityGroupIds: network.securityGroupIds } : undefined;

    // ---- Queues ----------------------------------------------------------------------------------
    this.dlq = new SqsQueue(this, 'dlq', {
      name: n.dlq,
      kmsMasterKeyId: this.keyArn,
      kmsDataKeyReusePeriodSeconds: 300,
      messageRetentionSeconds: 14 * 24 * 3600,
    });
    this.splitQueue = new SqsQueue(this, 'split-queue', {
      name: n.splitQueue,
      kmsMasterKeyId: this.keyArn,
      kmsDataKeyReusePeriodSeconds: 300,
      messageRetentionSeconds: 14 * 24 * 3600,
      // Lambda's guidance for SQS event sources: visibility timeout at least six times the function timeout.
      visibilityTimeoutSeconds: Math.min(43200, org.loader.timeoutSeconds * 6),
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: this.dlq.arn, maxReceiveCount: org.loader.maxReceiveCount }),
    });
    for (const [qid, queue] of [['split-queue', this.splitQueue], ['dlq', this.dlq]] as const) {
      new SqsQueuePolicy(this, `${qid}-policy`, {
        queueUrl: queue.url,
        policy: terraformPolicy([denyInsecureTransport('sqs:*', queue.arn)]),
      });
    }

    // ---- Alert topic -----------------------------------------------------------------------------
    this.alertTopic = new SnsTopic(this, 'alert-topic', { name: n.alertTopic, kmsMasterKeyId: this.keyArn });
    this.alertTopicArn = arn.topic(region, accountId, n.alertTopic);
    this.alertPublishing = new AlertPublishing(this, 'alert-publishing', {
      accountId,
      region,
      roleName: `${n.prefix}-sns-role`,
      ruleName: `${n.prefix}-opensearch-events`,
      domainName: n.domain,
      domainArn: this.domainArn,
      topicArn: this.alertTopicArn,
      kmsKeyArn: this.keyArn,
      domainEvents: org.opensearch.alerting.domainEvents,
    });
    new SnsTopicPolicy(this, 'alert-topic-policy', {
      arn: this.alertTopic.arn,
      policy: terraformPolicy([
        {
          Sid: 'AlarmsAndRulesPublish',
          Effect: 'Allow',
          Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
          Action: 'sns:Publish',
          Resource: this.alertTopicArn,
          Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
        },
        // OpenSearch alerting publishes through its role (the reference's aes-siem-sns-role).
        this.alertPublishing.topicPolicyStatement(this.alertTopicArn),
        denyInsecureTransport('sns:Publish', this.alertTopicArn),
      ]),
    });
    if (org.security.alertEmail) {
      new SnsTopicSubscription(this, 'alert-email', { topicArn: this.alertTopic.arn, protocol: 'email', endpoint: org.security.alertEmail });
    }

    // ---- Alarms ----------------------------------------------------------------------------------
    this.storageAlarm = addDomainAlarms(this, {
      prefix: n.prefix,
      domainName: n.domain,
      accountId,
      storageAlarmName: n.storageAlarm,
      topicArn: this.alertTopicArn,
      dependsOn: [this.alertTopic],
    }).storage;

    const stopAlarms = [n.storageAlarm, ...org.stopIngestionAlarms];
    this.stopIngestionRule = new CloudwatchEventRule(this, 'stop-ingestion-rule', {
      name: `${n.prefix}-stop-ingestion-alarms`,
      description: 'State changes of the alarms that stop and resume ingestion (target: the es-loader stopper)',
      eventPattern: JSON.stringify({
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        resources: stopAlarms.map((a) => `arn:aws:cloudwatch:${region}:${accountId}:alarm:${a}`),
      }),
    });

    // ---- Functions ---------------------------------------------------------------------------------
    const ct = controlTowerSettings(org);
    const sl = securityLakeSettings(org);
    const loader = new EsLoader(this, 'es-loader', {
      prefix: n.prefix,
      functionName: n.loaderFunction,
      roleName: n.loaderRole,
      accountId,
      region,
      keyArn: this.keyArn,
      domain: { arn: this.domainArn, endpoint: this.domainEndpoint },
      logBucket: { name: n.logBucket, resourceId: this.logBucket.bucket.id },
      extraLogBuckets: this.elbLogBucket ? [{ name: this.elbLogBucket.bucketName, resourceId: this.elbLogBucket.bucket.bucket.id, suffixes: ElbLogBucket.LOG_SUFFIXES }] : undefined,
      geoBucketName: n.geoBucket,
      splitQueue: { name: n.splitQueue, resourceArn: this.splitQueue.arn },
      dlqName: n.dlq,
      alertTopicArn: this.alertTopicArn,
      settings: org.loader,
      vpc: this.functionVpc,
      additionalQueueMappings: (ct ? 1 : 0) + (sl ? 1 : 0),
    });
    // Account names, OUs, tags and trusted proxies for the loader's documents (modules/organization-context.ts).
    new OrganizationContextObject(this, 'organization-context', { organization: org, bucket: { name: n.geoBucket, resourceId: this.geoBucket.bucket.id }, keyArn: this.keyArn, loader });
    const os = org.opensearch;
    const threatIntel = org.threatIntel;
    new Operations(this, 'ops', {
      prefix: n.prefix,
      functionNames: { stopper: n.stopperFunction, geoip: n.geoipFunction, metricsExporter: n.metricsExporterFunction, configurator: n.configuratorFunction },
      accountId,
      region,
      keyArn: this.keyArn,
      alertTopicArn: this.alertTopicArn,
      loader,
      stopIngestionRule: this.stopIngestionRule,
      storageAlarmName: n.storageAlarm,
      domain: this.domain,
      domainName: n.domain,
      snapshotBucket: n.snapshotBucket,
      geoBucket: n.geoBucket,
      splitQueueName: n.splitQueue,
      dlqName: n.dlq,
      indexLifecycle: { indexRetentionDays: os.indexRetentionDays, warmAfterDays: os.warmAfterDays, coldAfterDays: os.coldAfterDays },
      analystRoleArns: os.analystRoleArns,
      login: {
        adminBackendRoles: this.login.adminBackendRoles,
        adminUsers: this.login.adminUsers,
        analystBackendRoles: this.login.analystBackendRoles,
        breakGlass: this.login.breakGlass,
      },
      alerting: { channelName: n.alertTopic, topicArn: this.alertTopicArn, snsRoleArn: arn.role(accountId, `${n.prefix}-sns-role`), monitors: os.alerting.monitors },
      configuratorDependsOn: [...this.login.configuratorDependencies, this.alertPublishing.role],
      geoipLicenseKey: org.geoip.licenseKeyParameter ? { parameter: org.geoip.licenseKeyParameter } : org.geoip.licenseKeySecret ? { secret: org.geoip.licenseKeySecret } : undefined,
      iocDownloader: threatIntel.enabled
        ? {
            functionName: n.iocFunction,
            intervalHours: threatIntel.intervalHours,
            otxKey: threatIntel.otxKeyParameter ? { parameter: threatIntel.otxKeyParameter } : threatIntel.otxKeySecret ? { secret: threatIntel.otxKeySecret } : undefined,
            tor: threatIntel.tor,
            feodo: threatIntel.feodo,
            urls: { tor: threatIntel.torUrl, feodo: threatIntel.feodoUrl, otx: threatIntel.otxUrl },
            limits: { maxSourceMb: threatIntel.maxSourceMb, maxOtxPulses: threatIntel.maxOtxPulses, maxCustomFiles: threatIntel.maxCustomFiles },
          }
        : undefined,
      vpc: this.functionVpc,
    });
    if (ct) new ControlTowerIngestion(this, 'control-tower', { settings: ct, loader });
    if (sl) new SecurityLakeIngestion(this, 'security-lake', { settings: sl, loader });

    new TerraformOutput(this, 'kms_key_arn', { value: this.keyArn, description: 'Set security.centralKeyArn in accounts/organization.yaml to this value' });
    new TerraformOutput(this, 'log_bucket', { value: n.logBucket });
    if (this.elbLogBucket) new TerraformOutput(this, 'elb_log_bucket', { value: this.elbLogBucket.bucketName, description: 'SSE-S3 bucket for the members\' load-balancer access logs (docs/onboarding.md)' });
    new TerraformOutput(this, 'opensearch_endpoint', { value: this.domainEndpoint });
    new TerraformOutput(this, 'alert_topic_arn', { value: this.alertTopicArn });
    new TerraformOutput(this, 'dashboards_url', { value: `https://${this.domain.domain.dashboardEndpoint}`, description: 'OpenSearch Dashboards (docs/login.md)' });
    if (loginSettings.saml) {
      // What the identity provider's SAML application needs (OpenSearch Service developer guide, "SAML authentication for OpenSearch Dashboards").
      new TerraformOutput(this, 'saml_sp_entity_id', { value: `https://${this.domainEndpoint}`, description: 'Audience (service provider entity id) of the SAML application' });
      new TerraformOutput(this, 'saml_acs_url', { value: `https://${this.domainEndpoint}/_dashboards/_opendistro/_security/saml/acs`, description: 'Assertion consumer service URL of the SAML application' });
    }
    if (this.login.breakGlass) {
      new TerraformOutput(this, 'break_glass_secret', { value: this.login.breakGlass.secretName, description: 'Secrets Manager secret holding the break-glass user\'s password (docs/login.md)' });
    }
  }
}
