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
import type { PolicyStatement } from '../policies/document';
import { SiemFunction, type SiemFunctionProps } from '../siem-function';
import { LOADER_DATA_FILES } from '../es-loader';
import { commonFunctionProps, LAMBDAS_DIR, type OperationsFunctionProps } from './common';

/** Name of the manual snapshot repository the configurator registers. */
export const SNAPSHOT_REPOSITORY = 'siem-snapshot';

export function configuratorStatements(a: { readonly adminRoleArn: string }): PolicyStatement[] {
  return [{ Sid: 'ActAsOpenSearchAdmin', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: a.adminRoleArn }];
}

/** What the fine-grained access control master role needs in IAM for the configurator's requests. */
export function adminRoleStatements(a: { readonly domainArn: string; readonly snapshotRoleArn: string }): PolicyStatement[] {
  return [
    { Sid: 'OpenSearchHttp', Effect: 'Allow', Action: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPut', 'es:ESHttpPost', 'es:ESHttpDelete', 'es:ESHttpPatch'], Resource: `${a.domainArn}/*` },
    // Registering the manual snapshot repository passes the snapshot role to OpenSearch
    // (OpenSearch Service developer guide, "Registering a manual snapshot repository").
    { Sid: 'PassSnapshotRole', Effect: 'Allow', Action: 'iam:PassRole', Resource: a.snapshotRoleArn },
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
      analystBackendRoles: [...(p.analystRoleArns ?? [])],
      adminBackendRoles: [p.adminRoleArn],
    },
  });
}

export interface OpenSearchConfiguratorFunctionProps extends OperationsFunctionProps {
  /** The domain endpoint (may be a token). */
  readonly domainEndpoint: string;
  /** The fine-grained access control master role, which the function assumes. */
  readonly adminRoleArn: string;
  /** The domain's subnets when it lives in a VPC. Default: no VPC. */
  readonly vpc?: SiemFunctionProps['vpc'];
}

export class OpenSearchConfiguratorFunction extends SiemFunction {
  constructor(scope: Construct, id: string, props: OpenSearchConfiguratorFunctionProps) {
    super(scope, id, {
      ...commonFunctionProps(props),
      vpc: props.vpc,
      entry: path.join(LAMBDAS_DIR, 'opensearch-configurator', 'index.ts'),
      description: 'SIEM: index templates, ISM policies, snapshot repository and FGAC roles of OpenSearch (run by terraform apply)',
      memoryMb: 512,
      timeoutSeconds: 300,
      environment: configuratorEnvironment({ opensearchEndpoint: props.domainEndpoint, adminRoleArn: props.adminRoleArn }),
      statements: configuratorStatements({ adminRoleArn: props.adminRoleArn }),
      // The templates come from the loader's ini files, read at run time next to the bundle.
      extraFiles: LOADER_DATA_FILES.map((f) => ({ from: path.join(LAMBDAS_DIR, 'es-loader', f), to: f })),
    });
  }
}
