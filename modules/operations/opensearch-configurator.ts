/**
 * `<prefix>-opensearch-configurator`: invoked by Terraform (`aws_lambda_invocation`) whenever the
 * desired OpenSearch state changes (its hash is in the input): templates, ISM, snapshot repository,
 * FGAC roles and mappings. It signs as the fine-grained access control master role (the only
 * principal allowed to change security settings), which it assumes.
 */
import * as path from 'node:path';
import type { Construct } from 'constructs';
import { configuratorSettingsSchema, type ConfiguratorSettings } from '../../lambdas/opensearch-configurator/desired-state';
import { configuratorEnvironment } from '../../lambdas/opensearch-configurator/environment';
import type { MonitorName } from '../../lambdas/opensearch-configurator/monitors';
import type { PolicyStatement } from '../policies/document';
import { SiemFunction, type SiemFunctionProps } from '../siem-function';
import { LOADER_DATA_FILES } from '../es-loader';
import { DASHBOARDS_BACKUP_PREFIX } from '../../lambdas/opensearch-configurator/dashboards/backup';
import { arn } from '../naming';
import { commonFunctionProps, LAMBDAS_DIR, viaS3, type OperationsFunctionProps } from './common';

/** Name of the manual snapshot repository the configurator registers. */
export const SNAPSHOT_REPOSITORY = 'siem-snapshot';

/** Channel id of the alert topic in the Notifications plugin (monitors name it as their destination). */
export const ALERT_CHANNEL_ID = 'siem-alert-topic';

/** The Secrets Manager ARN pattern of a secret name (Secrets Manager appends a random 6-character suffix). */
const secretArnPattern = (region: string, accountId: string, name: string) => `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-??????`;

export function configuratorStatements(a: {
  readonly adminRoleArn: string;
  readonly region?: string;
  readonly accountId?: string;
  readonly keyArn?: string;
  readonly breakGlassSecretName?: string;
  readonly dashboardsBackupBucket?: string;
}): PolicyStatement[] {
  const statements: PolicyStatement[] = [{ Sid: 'ActAsOpenSearchAdmin', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: a.adminRoleArn }];
  if (a.dashboardsBackupBucket && a.region && a.keyArn) {
    // The export of the Dashboards objects it is about to overwrite (lambdas/opensearch-configurator/dashboards/backup.ts); write only.
    statements.push(
      { Sid: 'BackUpDashboards', Effect: 'Allow', Action: 's3:PutObject', Resource: arn.objects(a.dashboardsBackupBucket, `${DASHBOARDS_BACKUP_PREFIX}*`) },
      { Sid: 'EncryptDashboardsBackup', Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: a.keyArn, Condition: viaS3(a.region) },
    );
  }
  if (a.breakGlassSecretName && a.region && a.accountId && a.keyArn) {
    // Reads the break-glass password, or generates it into the empty secret on the first run.
    statements.push(
      { Sid: 'BreakGlassPassword', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'], Resource: secretArnPattern(a.region, a.accountId, a.breakGlassSecretName) },
      { Sid: 'BreakGlassPasswordKey', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: a.keyArn, Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${a.region}.amazonaws.com` } } },
    );
  }
  return statements;
}

/** What the fine-grained access control master role needs in IAM for the configurator's requests. */
export function adminRoleStatements(a: { readonly domainArn: string; readonly snapshotRoleArn: string; readonly snsRoleArn?: string }): PolicyStatement[] {
  return [
    { Sid: 'OpenSearchHttp', Effect: 'Allow', Action: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPut', 'es:ESHttpPost', 'es:ESHttpDelete', 'es:ESHttpPatch'], Resource: `${a.domainArn}/*` },
    // Registering the manual snapshot repository passes the snapshot role to OpenSearch
    // (OpenSearch Service developer guide, "Registering a manual snapshot repository"), and so does
    // creating the SNS channel with the alerting role.
    { Sid: 'PassSnapshotRole', Effect: 'Allow', Action: 'iam:PassRole', Resource: a.snapshotRoleArn },
    ...(a.snsRoleArn ? [{ Sid: 'PassAlertingRole', Effect: 'Allow' as const, Action: 'iam:PassRole', Resource: a.snsRoleArn }] : []),
  ];
}

export interface ConfiguratorSettingsProps {
  readonly region: string;
  /** ISM: delete indices this many days after creation; optional warm and cold moves before that. */
  readonly indexRetentionDays: number;
  readonly warmAfterDays?: number;
  readonly coldAfterDays?: number;
  readonly snapshotBucket: string;
  readonly snapshotRoleArn: string;
  readonly loaderRoleArn: string;
  readonly monitorRoleArn: string;
  readonly adminRoleArn: string;
  /** IAM roles mapped to the read-only `siem_analyst` role. Default none. */
  readonly analystRoleArns?: readonly string[];
  /** Dashboards login: who is mapped to `all_access` (besides the master role) and to `siem_analyst`, and the break-glass user. Default: nobody. */
  readonly login?: ConfiguratorLogin;
  /** The SNS channel to the alert topic and the monitors to install. Default: no alerting. */
  readonly alerting?: { readonly channelName: string; readonly topicArn: string; readonly snsRoleArn: string; readonly monitors: readonly MonitorName[] };
}

export interface ConfiguratorLogin {
  /** SAML admin groups, the Cognito admin role. */
  readonly adminBackendRoles: readonly string[];
  /** The break-glass user. */
  readonly adminUsers: readonly string[];
  /** SAML analyst groups, the Cognito analyst role. */
  readonly analystBackendRoles: readonly string[];
  readonly breakGlass?: { readonly username: string; readonly secretName: string };
}

/** The desired state the configurator applies (its invocation input), validated by the function's own schema. */
export function configuratorSettings(p: ConfiguratorSettingsProps): ConfiguratorSettings {
  return configuratorSettingsSchema.parse({
    indexRetentionDays: p.indexRetentionDays,
    warmAfterDays: p.warmAfterDays,
    coldAfterDays: p.coldAfterDays,
    snapshot: { repository: SNAPSHOT_REPOSITORY, bucket: p.snapshotBucket, region: p.region, roleArn: p.snapshotRoleArn },
    security: {
      loaderRoleArns: [p.loaderRoleArn],
      monitorRoleArns: [p.monitorRoleArn],
      analystBackendRoles: [...(p.analystRoleArns ?? []), ...(p.login?.analystBackendRoles ?? [])],
      adminBackendRoles: [p.adminRoleArn],
      // The master role stays in all_access (OpenSearch Service put it there); the login's admins join it.
      allAccess: p.login ? { backendRoles: [p.adminRoleArn, ...p.login.adminBackendRoles], users: [...p.login.adminUsers] } : undefined,
      internalUser: p.login?.breakGlass ? { username: p.login.breakGlass.username, secretId: p.login.breakGlass.secretName } : undefined,
    },
    alerting: p.alerting
      ? { channel: { id: ALERT_CHANNEL_ID, name: p.alerting.channelName, topicArn: p.alerting.topicArn, roleArn: p.alerting.snsRoleArn }, monitors: [...p.alerting.monitors] }
      : undefined,
    // The saved objects of lambdas/opensearch-configurator/dashboards, backed up into the snapshot bucket before each import.
    dashboards: { backupBucket: p.snapshotBucket, backupPrefix: DASHBOARDS_BACKUP_PREFIX },
  });
}

export interface OpenSearchConfiguratorFunctionProps extends OperationsFunctionProps {
  /** The domain endpoint (may be a token). */
  readonly domainEndpoint: string;
  /** The fine-grained access control master role, which the function assumes. */
  readonly adminRoleArn: string;
  /** The domain's subnets when it lives in a VPC. Default: no VPC. */
  readonly vpc?: SiemFunctionProps['vpc'];
  /** Secret of the break-glass user's password, which the function reads or generates. Default: none. */
  readonly breakGlassSecretName?: string;
  /** Bucket of the backups of Dashboards saved objects (the snapshot bucket). Default: no S3 permission (and the import cannot back up). */
  readonly dashboardsBackupBucket?: string;
}

export class OpenSearchConfiguratorFunction extends SiemFunction {
  constructor(scope: Construct, id: string, props: OpenSearchConfiguratorFunctionProps) {
    super(scope, id, {
      ...commonFunctionProps(props),
      vpc: props.vpc,
      entry: path.join(LAMBDAS_DIR, 'opensearch-configurator', 'index.ts'),
      description: 'SIEM: index templates, ISM policies, snapshot repository, FGAC roles and logins, alerting, Dashboards saved objects of OpenSearch (run by terraform apply)',
      memoryMb: 512,
      timeoutSeconds: 300,
      environment: configuratorEnvironment({ opensearchEndpoint: props.domainEndpoint, adminRoleArn: props.adminRoleArn }),
      statements: configuratorStatements({ adminRoleArn: props.adminRoleArn, region: props.region, accountId: props.accountId, keyArn: props.keyArn, breakGlassSecretName: props.breakGlassSecretName, dashboardsBackupBucket: props.dashboardsBackupBucket }),
      // The templates come from the loader's ini files, read at run time next to the bundle.
      extraFiles: LOADER_DATA_FILES.map((f) => ({ from: path.join(LAMBDAS_DIR, 'es-loader', f), to: f })),
    });
  }
}
