/**
 * Every name the project gives to an AWS resource, derived from the organization's configuration.
 * Other stacks and policies refer to resources across accounts by these names, so they are computed
 * here once (never looked up at plan time) and are the same in every stack.
 */
import type { Organization } from '../accounts/schema';

export interface Names {
  readonly prefix: string;
  readonly logBucket: string;
  readonly snapshotBucket: string;
  readonly geoBucket: string;
  readonly keyAlias: string;
  readonly domain: string;
  readonly splitQueue: string;
  readonly dlq: string;
  readonly alertTopic: string;
  readonly loaderFunction: string;
  readonly stopperFunction: string;
  readonly geoipFunction: string;
  /** Deployed only when threatIntel.enabled. */
  readonly iocFunction: string;
  readonly metricsExporterFunction: string;
  readonly configuratorFunction: string;
  /** Role of the es-loader Lambda in the security account. */
  readonly loaderRole: string;
  /** Role OpenSearch assumes to write manual snapshots to the snapshot bucket. */
  readonly snapshotRole: string;
  /** IAM role that is the OpenSearch fine-grained access control master user. */
  readonly opensearchAdminRole: string;
  readonly storageAlarm: string;
  // Names of the member stacks' resources belong to their features (modules/member/features/<feature>/).
  /** Log archive stack: the queue fed by the Control Tower buckets, and its DLQ. */
  readonly controlTowerQueue: string;
  readonly controlTowerDlq: string;
  /** Log archive stack: the role the central loader assumes to read Control Tower buckets. */
  readonly controlTowerRole: string;
}

export function names(org: Pick<Organization, 'prefix' | 'security' | 'opensearch'>): Names {
  const p = org.prefix;
  const acct = org.security.accountId;
  return {
    prefix: p,
    logBucket: `${p}-${acct}-log`,
    snapshotBucket: `${p}-${acct}-snapshot`,
    geoBucket: `${p}-${acct}-geo`,
    keyAlias: `alias/${p}-key`,
    domain: org.opensearch.domainName ?? p,
    splitQueue: `${p}-sqs-splitted-logs`,
    dlq: `${p}-dlq`,
    alertTopic: `${p}-alert`,
    loaderFunction: `${p}-es-loader`,
    stopperFunction: `${p}-es-loader-stopper`,
    geoipFunction: `${p}-geoip-downloader`,
    iocFunction: `${p}-ioc-downloader`,
    metricsExporterFunction: `${p}-index-metrics-exporter`,
    configuratorFunction: `${p}-opensearch-configurator`,
    loaderRole: `${p}-es-loader-role`,
    snapshotRole: `${p}-snapshot-role`,
    opensearchAdminRole: `${p}-opensearch-admin`,
    storageAlarm: `${p}-TotalFreeStorageSpaceRemainsLowAlarm`,
    controlTowerQueue: `${p}-ct`,
    controlTowerDlq: `${p}-ct-dlq`,
    controlTowerRole: 'ct-role-for-siem',
  };
}

/** ARN helpers (commercial partition; the project targets `aws`). */
export const arn = {
  role: (accountId: string, name: string) => `arn:aws:iam::${accountId}:role/${name}`,
  bucket: (name: string) => `arn:aws:s3:::${name}`,
  objects: (bucket: string, keyPattern = '*') => `arn:aws:s3:::${bucket}/${keyPattern}`,
  queue: (region: string, accountId: string, name: string) => `arn:aws:sqs:${region}:${accountId}:${name}`,
  topic: (region: string, accountId: string, name: string) => `arn:aws:sns:${region}:${accountId}:${name}`,
  lambda: (region: string, accountId: string, name: string) => `arn:aws:lambda:${region}:${accountId}:function:${name}`,
  domain: (region: string, accountId: string, name: string) => `arn:aws:es:${region}:${accountId}:domain/${name}`,
  trail: (region: string, accountId: string, name: string) => `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`,
  keyAliasArn: (region: string, accountId: string, alias: string) => `arn:aws:kms:${region}:${accountId}:${alias}`,
};
