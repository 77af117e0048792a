/**
 * `<prefix>-geoip-downloader`: every 12 hours, MaxMind GeoLite2 City/ASN into the geo bucket
 * (`GeoLite2-City.mmdb`, `GeoLite2-ASN.mmdb`, read by the loader). The license key is read from an SSM
 * parameter or a Secrets Manager secret, named (never given) in its environment. It also keeps the AWS
 * CloudFront/Global Accelerator ranges the loader trusts as proxies (`TrustedProxy/aws-edge-ranges.json`).
 */
import * as path from 'node:path';
import type { Construct } from 'constructs';
import { geoIpEnvironment, type LicenseKeySource } from '../../lambdas/geoip-downloader/downloader';
import { AWS_EDGE_RANGES_KEY } from '../../lambdas/shared/aws-ip-ranges';
import { GEOIP_EDITIONS, geoIpObjectKey } from '../../lambdas/shared/geoip-keys';
import { arn } from '../naming';
import type { PolicyStatement } from '../policies/document';
import { SiemFunction } from '../siem-function';
import { commonFunctionProps, LAMBDAS_DIR, viaS3, type OperationsFunctionProps } from './common';

export type { LicenseKeySource } from '../../lambdas/geoip-downloader/downloader';

/** Schedule, as an EventBridge rate expression. */
export const GEOIP_SCHEDULE = 'rate(12 hours)';

export interface GeoIpStatementsProps {
  readonly accountId: string;
  readonly region: string;
  readonly keyArn: string;
  readonly geoBucket: string;
  readonly licenseKey?: LicenseKeySource;
}

export function geoipStatements(a: GeoIpStatementsProps): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    // HeadObject of a missing key answers 404 (not 403) only with ListBucket: the downloader needs to tell "not yet uploaded".
    { Sid: 'ListGeoBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: arn.bucket(a.geoBucket) },
    { Sid: 'WriteGeoDatabases', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: GEOIP_EDITIONS.map((e) => arn.objects(a.geoBucket, geoIpObjectKey(e))) },
    { Sid: 'WriteAwsEdgeRanges', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: arn.objects(a.geoBucket, AWS_EDGE_RANGES_KEY) },
    { Sid: 'EncryptGeoDatabases', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: a.keyArn, Condition: viaS3(a.region) },
  ];
  const key = a.licenseKey;
  if (key && 'parameter' in key) {
    const name = key.parameter.replace(/^\//, '');
    // A SecureString encrypted with the AWS managed key aws/ssm needs no KMS statement (its key policy allows use through SSM).
    statements.push({ Sid: 'ReadLicenseKey', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: `arn:aws:ssm:${a.region}:${a.accountId}:parameter/${name}` });
  }
  if (key && 'secret' in key) {
    // Secrets Manager appends a hyphen and six random characters to the secret's ARN.
    statements.push({ Sid: 'ReadLicenseKey', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:${a.region}:${a.accountId}:secret:${key.secret}-??????` });
  }
  return statements;
}

export interface GeoIpDownloaderFunctionProps extends OperationsFunctionProps {
  readonly geoBucket: string;
  /** Where the MaxMind license key is kept. Default: none (the function does nothing and enrichment is off). */
  readonly licenseKey?: LicenseKeySource;
}

/** Outside any VPC: it downloads from MaxMind on the internet. */
export class GeoIpDownloaderFunction extends SiemFunction {
  constructor(scope: Construct, id: string, props: GeoIpDownloaderFunctionProps) {
    super(scope, id, {
      ...commonFunctionProps(props),
      entry: path.join(LAMBDAS_DIR, 'geoip-downloader', 'index.ts'),
      description: 'SIEM: downloads MaxMind GeoLite2 City/ASN and the AWS edge ranges into the geo bucket when they changed',
      memoryMb: 1024,
      timeoutSeconds: 300,
      environment: geoIpEnvironment({ geoBucket: props.geoBucket, licenseKey: props.licenseKey }),
      statements: geoipStatements({ accountId: props.accountId, region: props.region, keyArn: props.keyArn, geoBucket: props.geoBucket, licenseKey: props.licenseKey }),
    });
  }
}
