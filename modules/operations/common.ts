/**
 * What every operations function of the central stack shares: where it runs, the key of its log
 * group, the topic its errors alarm notifies, and a log retention of 90 days.
 */
import * as path from 'node:path';
import type { SiemFunctionProps } from '../siem-function';

/** Log retention of the operations functions (days). */
export const OPERATIONS_LOG_RETENTION_DAYS = 90;

/** Folder of the Lambda sources. */
export const LAMBDAS_DIR = path.resolve(__dirname, '..', '..', 'lambdas');

/** Props every operations function takes. */
export interface OperationsFunctionProps {
  /** The function's name, e.g. `aes-siem-geoip-downloader`. */
  readonly functionName: string;
  /** Account and Region of the function (ARNs in its policies). */
  readonly accountId: string;
  readonly region: string;
  /** The central key: the function's log group and the data it writes. */
  readonly keyArn: string;
  /** Topic the function's errors alarm notifies. */
  readonly alertTopicArn: string;
}

/** The SiemFunction props every operations function has in common. */
export function commonFunctionProps(p: OperationsFunctionProps): Pick<SiemFunctionProps, 'functionName' | 'logRetentionDays' | 'logKmsKeyArn' | 'alarmTopicArn' | 'accountId' | 'region'> {
  return { functionName: p.functionName, logRetentionDays: OPERATIONS_LOG_RETENTION_DAYS, logKmsKeyArn: p.keyArn, alarmTopicArn: p.alertTopicArn, accountId: p.accountId, region: p.region };
}

/** Key condition for KMS use through S3 in the function's Region. */
export const viaS3 = (region: string) => ({ StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } });
