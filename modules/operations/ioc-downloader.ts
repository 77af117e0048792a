/**
 * `<prefix>-ioc-downloader`: every `intervalHours` (default 6), the threat-intelligence database
 * `IOC/ioc.siemdb` (with `IOC/ioc.siemdb.sha256`) in the geo bucket, built from the Tor exit list, the
 * abuse.ch Feodo Tracker blocklist, AlienVault OTX (with an API key) and the user's lists under
 * `IOC/TXT/` and `IOC/STIX2/` (docs/threat-intel.md). The OTX key is read from an SSM parameter or a
 * Secrets Manager secret, named (never given) in its environment. Deployed only when enabled in config.
 */
import * as path from 'node:path';
import type { Construct } from 'constructs';
import { iocEnvironment, type OtxKeySource } from '../../lambdas/ioc-downloader/downloader';
import { IOC_PREFIX } from '../../lambdas/shared/ioc/keys';
import { arn } from '../naming';
import type { PolicyStatement } from '../policies/document';
import { SiemFunction } from '../siem-function';
import { commonFunctionProps, LAMBDAS_DIR, viaS3, type OperationsFunctionProps } from './common';

export type { OtxKeySource } from '../../lambdas/ioc-downloader/downloader';

/** Schedule every `intervalHours` (a whole number >= 1, checked by the config schema), as an EventBridge rate expression (`rate(1 hour)`: EventBridge wants the singular for 1). */
export function iocSchedule(intervalHours: number): string {
  return intervalHours === 1 ? 'rate(1 hour)' : `rate(${intervalHours} hours)`;
}

export interface IocStatementsProps {
  readonly accountId: string;
  readonly region: string;
  readonly keyArn: string;
  readonly geoBucket: string;
  readonly otxKey?: OtxKeySource;
}

export function iocStatements(a: IocStatementsProps): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    // Lists IOC/TXT/ and IOC/STIX2/; HeadObject of a missing snapshot or database answers 404 (not 403) only with ListBucket.
    { Sid: 'ListGeoBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: arn.bucket(a.geoBucket) },
    // Reads the user's lists and its snapshots, writes the snapshots and the database: everything under IOC/ and nothing else.
    { Sid: 'ReadWriteIoc', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: arn.objects(a.geoBucket, `${IOC_PREFIX}*`) },
    { Sid: 'EncryptIoc', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: a.keyArn, Condition: viaS3(a.region) },
  ];
  const key = a.otxKey;
  if (key && 'parameter' in key) {
    const name = key.parameter.replace(/^\//, '');
    // A SecureString encrypted with the AWS managed key aws/ssm needs no KMS statement (its key policy allows use through SSM).
    statements.push({ Sid: 'ReadOtxKey', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: `arn:aws:ssm:${a.region}:${a.accountId}:parameter/${name}` });
  }
  if (key && 'secret' in key) {
    // Secrets Manager appends a hyphen and six random characters to the secret's ARN.
    statements.push({ Sid: 'ReadOtxKey', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:${a.region}:${a.accountId}:secret:${key.secret}-??????` });
  }
  return statements;
}

/** What the function reads and how much (config `threatIntel`, accounts/schema.ts). */
export interface IocDownloaderSettings {
  /** Where the AlienVault OTX API key is kept. Default: none (OTX is off). */
  readonly otxKey?: OtxKeySource;
  /** Read the Tor exit list / the Feodo Tracker blocklist. Default true. */
  readonly tor?: boolean;
  readonly feodo?: boolean;
  /** Feed URLs. Default: the downloader's (DEFAULT_TOR_URL, DEFAULT_FEODO_URL, DEFAULT_OTX_URL). */
  readonly urls?: { readonly tor?: string; readonly feodo?: string; readonly otx?: string };
  /** Default: 100 MB per source, 5,000 OTX pulses, 5,000 files under each custom folder. */
  readonly limits?: { readonly maxSourceMb?: number; readonly maxOtxPulses?: number; readonly maxCustomFiles?: number };
}

export interface IocDownloaderFunctionProps extends OperationsFunctionProps, IocDownloaderSettings {
  readonly geoBucket: string;
}

/** Outside any VPC: it downloads the feeds from the internet. */
export class IocDownloaderFunction extends SiemFunction {
  constructor(scope: Construct, id: string, props: IocDownloaderFunctionProps) {
    super(scope, id, {
      ...commonFunctionProps(props),
      entry: path.join(LAMBDAS_DIR, 'ioc-downloader', 'index.ts'),
      description: 'SIEM: builds the IoC database (Tor, Feodo Tracker, OTX, your lists) into the geo bucket when it changed',
      memoryMb: 1024,
      timeoutSeconds: 900,
      environment: iocEnvironment({ geoBucket: props.geoBucket, tor: props.tor, feodo: props.feodo, otxKey: props.otxKey, urls: props.urls, limits: props.limits }),
      statements: iocStatements({ accountId: props.accountId, region: props.region, keyArn: props.keyArn, geoBucket: props.geoBucket, otxKey: props.otxKey }),
    });
  }
}
