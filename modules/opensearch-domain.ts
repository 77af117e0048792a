/**
 * The OpenSearch Service domain of the SIEM: encrypted at rest with the central key and between nodes,
 * HTTPS only with a TLS 1.2 policy, fine-grained access control whose master user is an IAM role (no
 * password ever in state), logs published to encrypted CloudWatch log groups, and the role OpenSearch
 * assumes to write manual snapshots. Dashboards login (props.login): SAML options, Cognito options and
 * the internal user database (modules/dashboards-login.ts builds what Cognito and the break-glass user
 * need; the configurator maps the backend roles).
 */
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogResourcePolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-resource-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { OpensearchDomain } from '@cdktf/provider-aws/lib/opensearch-domain';
import { OpensearchDomainSamlOptions } from '@cdktf/provider-aws/lib/opensearch-domain-saml-options';
import type { ITerraformDependable } from 'cdktf';
import { arn } from './naming';
import { InvalidPropsError } from './validations';
import { terraformPolicy, type PolicyStatement } from './policies/document';

/** Sizing, network and logs of the domain (the organization's `opensearch` section fits it as it is). */
export interface SiemDomainSettings {
  /** E.g. `OpenSearch_2.19`. */
  readonly engineVersion: string;
  /** Data node type, e.g. `r6g.large.search`. */
  readonly instanceType: string;
  /** Data nodes; a multiple of the zone count with zone awareness. */
  readonly instanceCount: number;
  /** Default: no dedicated master nodes. */
  readonly dedicatedMaster?: { readonly instanceType: string; readonly count: number };
  /** Default: one Availability Zone. */
  readonly zoneAwareness?: { readonly availabilityZoneCount: number };
  /** gp3 volume of each data node. */
  readonly ebs: { readonly volumeSizeGb: number; readonly iops: number; readonly throughputMiBps: number };
  /** Public endpoint (with an optional IP allow-list) or VPC (one subnet per zone). */
  readonly network: { readonly mode: 'public'; readonly allowedCidrs: readonly string[] } | { readonly mode: 'vpc'; readonly subnetIds: readonly string[]; readonly securityGroupIds: readonly string[] };
  /** Days the domain's CloudWatch log groups keep their events. */
  readonly logRetentionDays: number;
  /** Default: no UltraWarm nodes (they need dedicated masters). */
  readonly ultraWarm?: { readonly instanceType: string; readonly count: number };
  /** Set when the index lifecycle moves indices to cold storage: enables it (needs `ultraWarm`). Default: off. */
  readonly coldAfterDays?: number;
}

/** How people log in to Dashboards; the organization's `opensearch.login` gives it. Default: IAM only. */
export interface SiemDomainLogin {
  /** SAML identity provider (IAM Identity Center). */
  readonly saml?: {
    readonly metadataXml: string;
    readonly entityId: string;
    /** Assertion attribute holding the groups (backend roles). */
    readonly rolesKey: string;
    /** Assertion attribute holding the user name. Default: NameID. */
    readonly subjectKey?: string;
    readonly sessionTimeoutMinutes: number;
  };
  /** Cognito pools and the role OpenSearch configures them with (modules/dashboards-login.ts). */
  readonly cognito?: { readonly userPoolId: string; readonly identityPoolId: string; readonly roleArn: string };
  /** Enables the internal user database (for the break-glass user). Default false. */
  readonly internalUserDatabase?: boolean;
  /** Resources the domain waits for (the Cognito role's policy). */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export interface SiemDomainProps {
  readonly domainName: string;
  readonly accountId: string;
  readonly region: string;
  readonly settings: SiemDomainSettings;
  /** Encrypts the data at rest and the domain's log groups. */
  readonly kmsKeyArn: string;
  /** Bucket of the manual snapshots; the snapshot role may write only there. */
  readonly snapshotBucket: string;
  readonly snapshotRoleName: string;
  /** IAM role made the fine-grained access control master user. */
  readonly adminRoleName: string;
  /** Dashboards login. Default: only signed IAM requests (no SAML, Cognito or internal users). */
  readonly login?: SiemDomainLogin;
}

/** OpenSearch log types published to CloudWatch Logs, with the log group suffix. */
export const DOMAIN_LOG_TYPES = {
  ES_APPLICATION_LOGS: 'application-logs',
  INDEX_SLOW_LOGS: 'index-slow-logs',
  SEARCH_SLOW_LOGS: 'search-slow-logs',
  AUDIT_LOGS: 'audit-logs',
} as const;

/** Name of the CloudWatch Logs group a domain publishes a log type to (a literal: the SIEM's self-logging subscribes it by name). */
export function domainLogGroupName(domainName: string, type: keyof typeof DOMAIN_LOG_TYPES): string {
  return `/aws/OpenSearchService/domains/${domainName}/${DOMAIN_LOG_TYPES[type]}`;
}

/** The TLS policy: TLS 1.2 minimum with perfect forward secrecy ciphers only. */
export const TLS_POLICY = 'Policy-Min-TLS-1-2-PFS-2023-10';

export class SiemDomain extends Construct {
  readonly domain: OpensearchDomain;
  readonly domainArn: string;
  readonly snapshotRole: IamRole;
  readonly snapshotRoleArn: string;
  readonly adminRole: IamRole;
  readonly adminRoleName: string;
  readonly adminRoleArn: string;
  readonly logGroups: Record<keyof typeof DOMAIN_LOG_TYPES, CloudwatchLogGroup>;
  readonly samlOptions?: OpensearchDomainSamlOptions;

  constructor(scope: Construct, id: string, props: SiemDomainProps) {
    super(scope, id);
    const s = props.settings;
    // What OpenSearch Service would reject at apply. The organization's configuration is checked for
    // the same rules earlier (accounts/rules.ts); these guard the construct used on its own.
    const zones = s.zoneAwareness?.availabilityZoneCount;
    if (zones !== undefined && s.instanceCount % zones !== 0) {
      throw new InvalidPropsError(this, 'settings.instanceCount', `${s.instanceCount} is not a multiple of settings.zoneAwareness.availabilityZoneCount (${zones})`);
    }
    if (s.network.mode === 'vpc' && s.network.subnetIds.length !== (zones ?? 1)) {
      throw new InvalidPropsError(this, 'settings.network.subnetIds', `lists ${s.network.subnetIds.length} subnets; give one per zone (${zones ?? 1})`);
    }
    if (s.coldAfterDays !== undefined && !s.ultraWarm) {
      throw new InvalidPropsError(this, 'settings.coldAfterDays', 'cold storage needs settings.ultraWarm');
    }
    if (s.ultraWarm && !s.dedicatedMaster) {
      throw new InvalidPropsError(this, 'settings.ultraWarm', 'UltraWarm needs settings.dedicatedMaster');
    }
    const login = props.login ?? {};
    if (login.saml && login.cognito) {
      throw new InvalidPropsError(this, 'login.cognito', 'OpenSearch Service takes SAML or Cognito for Dashboards, not both');
    }

    this.domainArn = arn.domain(props.region, props.accountId, props.domainName);

    const logGroups = {} as Record<keyof typeof DOMAIN_LOG_TYPES, CloudwatchLogGroup>;
    for (const [type, suffix] of Object.entries(DOMAIN_LOG_TYPES) as [keyof typeof DOMAIN_LOG_TYPES, string][]) {
      logGroups[type] = new CloudwatchLogGroup(this, `log-${suffix}`, {
        name: domainLogGroupName(props.domainName, type),
        retentionInDays: s.logRetentionDays,
        kmsKeyId: props.kmsKeyArn,
      });
    }
    this.logGroups = logGroups;
    const logGroupArnPattern = `arn:aws:logs:${props.region}:${props.accountId}:log-group:/aws/OpenSearchService/domains/${props.domainName}/*`;
    // OpenSearch writes its logs through a CloudWatch Logs resource policy (OpenSearch developer guide,
    // "Monitoring OpenSearch logs with Amazon CloudWatch Logs").
    const logPolicy = new CloudwatchLogResourcePolicy(this, 'log-policy', {
      policyName: `${props.domainName}-opensearch-logs`,
      policyDocument: terraformPolicy([
        {
          Sid: 'OpenSearchPublishLogs',
          Effect: 'Allow',
          Principal: { Service: 'es.amazonaws.com' },
          Action: ['logs:PutLogEvents', 'logs:CreateLogStream'],
          Resource: `${logGroupArnPattern}:*`,
          Condition: { StringEquals: { 'aws:SourceAccount': props.accountId }, ArnLike: { 'aws:SourceArn': this.domainArn } },
        },
      ]),
    });

    this.snapshotRoleArn = arn.role(props.accountId, props.snapshotRoleName);
    this.snapshotRole = new IamRole(this, 'snapshot-role', {
      name: props.snapshotRoleName,
      description: `OpenSearch ${props.domainName} writes manual snapshots to ${props.snapshotBucket}`,
      assumeRolePolicy: terraformPolicy([
        { Effect: 'Allow', Principal: { Service: 'es.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': props.accountId }, ArnLike: { 'aws:SourceArn': this.domainArn } } },
      ]),
    });
    new IamRolePolicy(this, 'snapshot-role-policy', {
      name: 'snapshot-bucket',
      role: this.snapshotRole.name,
      policy: terraformPolicy([
        { Sid: 'ListSnapshotBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: arn.bucket(props.snapshotBucket) },
        { Sid: 'ReadWriteSnapshots', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: arn.objects(props.snapshotBucket) },
        {
          Sid: 'UseKeyThroughS3',
          Effect: 'Allow',
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Resource: props.kmsKeyArn,
          Condition: { StringEquals: { 'kms:ViaService': `s3.${props.region}.amazonaws.com` } },
        },
      ]),
    });

    // The fine-grained access control master user. Administrators assume it with their own IAM
    // permissions; the configurator maps further roles (loader, analyst, admin) inside OpenSearch.
    this.adminRoleName = props.adminRoleName;
    this.adminRoleArn = arn.role(props.accountId, props.adminRoleName);
    this.adminRole = new IamRole(this, 'admin-role', {
      name: props.adminRoleName,
      description: `Fine-grained access control master user of OpenSearch ${props.domainName}`,
      maxSessionDuration: 3600,
      assumeRolePolicy: terraformPolicy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${props.accountId}:root` }, Action: 'sts:AssumeRole' }]),
    });

    const access: PolicyStatement[] = [
      {
        // Signed requests from the security account; what each principal may do is decided by
        // fine-grained access control inside OpenSearch.
        Sid: 'SecurityAccountSignedRequests',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
        Action: 'es:ESHttp*',
        Resource: `${this.domainArn}/*`,
      },
    ];
    if (s.network.mode === 'public' && s.network.allowedCidrs.length > 0) {
      access.push({
        // Dashboards users from the allowed networks (they still log in through fine-grained access control).
        Sid: 'AllowedNetworks',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'es:ESHttp*',
        Resource: `${this.domainArn}/*`,
        Condition: { IpAddress: { 'aws:SourceIp': [...s.network.allowedCidrs] } },
      });
    }

    if (s.network.mode === 'vpc' && (login.saml || login.internalUserDatabase)) {
      access.push({
        // SAML and internal-user logins are unsigned browser requests; inside the VPC the security
        // groups decide who reaches the endpoint, fine-grained access control what they may do.
        Sid: 'DashboardsLoginInVpc',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'es:ESHttp*',
        Resource: `${this.domainArn}/*`,
      });
    }

    this.domain = new OpensearchDomain(this, 'domain', {
      domainName: props.domainName,
      engineVersion: s.engineVersion,
      clusterConfig: {
        instanceType: s.instanceType,
        instanceCount: s.instanceCount,
        dedicatedMasterEnabled: s.dedicatedMaster !== undefined,
        dedicatedMasterType: s.dedicatedMaster?.instanceType,
        dedicatedMasterCount: s.dedicatedMaster?.count,
        zoneAwarenessEnabled: s.zoneAwareness !== undefined,
        zoneAwarenessConfig: s.zoneAwareness ? { availabilityZoneCount: s.zoneAwareness.availabilityZoneCount } : undefined,
        warmEnabled: s.ultraWarm ? true : undefined,
        warmType: s.ultraWarm?.instanceType,
        warmCount: s.ultraWarm?.count,
        coldStorageOptions: s.coldAfterDays !== undefined ? { enabled: true } : undefined,
      },
      ebsOptions: { ebsEnabled: true, volumeType: 'gp3', volumeSize: s.ebs.volumeSizeGb, iops: s.ebs.iops, throughput: s.ebs.throughputMiBps },
      encryptAtRest: { enabled: true, kmsKeyId: props.kmsKeyArn },
      nodeToNodeEncryption: { enabled: true },
      domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: TLS_POLICY },
      advancedSecurityOptions: {
        enabled: true,
        anonymousAuthEnabled: false,
        // The internal user database holds only the break-glass user; the master user stays the IAM role.
        internalUserDatabaseEnabled: login.internalUserDatabase === true,
        masterUserOptions: { masterUserArn: this.adminRoleArn },
      },
      cognitoOptions: login.cognito ? { enabled: true, userPoolId: login.cognito.userPoolId, identityPoolId: login.cognito.identityPoolId, roleArn: login.cognito.roleArn } : undefined,
      vpcOptions: s.network.mode === 'vpc' ? { subnetIds: [...s.network.subnetIds], securityGroupIds: [...s.network.securityGroupIds] } : undefined,
      accessPolicies: terraformPolicy(access),
      logPublishingOptions: (Object.keys(DOMAIN_LOG_TYPES) as (keyof typeof DOMAIN_LOG_TYPES)[]).map((logType) => ({
        logType,
        cloudwatchLogGroupArn: logGroups[logType].arn,
        enabled: true,
      })),
      dependsOn: [logPolicy, this.adminRole, ...(login.dependsOn ?? [])],
    });

    if (login.saml) {
      const saml = login.saml;
      this.samlOptions = new OpensearchDomainSamlOptions(this, 'saml', {
        domainName: this.domain.domainName,
        samlOptions: {
          enabled: true,
          idp: { entityId: saml.entityId, metadataContent: saml.metadataXml },
          rolesKey: saml.rolesKey,
          subjectKey: saml.subjectKey,
          sessionTimeoutMinutes: saml.sessionTimeoutMinutes,
        },
      });
    }
  }
}
