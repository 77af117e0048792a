/**
 * The backup of the saved objects the configurator is about to overwrite: one NDJSON object per run in
 * the snapshot bucket (the bucket of OpenSearch snapshots and metrics exports), under
 * `<prefix><UTC time>-<tenant>-<content hash>.ndjson`. The file is Dashboards' own export, so it can be
 * imported back by hand (docs/dashboards.md).
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { BackupStore } from './install';

/** Default key prefix of the backups in the snapshot bucket. */
export const DASHBOARDS_BACKUP_PREFIX = 'dashboards-backup/';

export function s3BackupStore(s3: S3Client, bucket: string, prefix = DASHBOARDS_BACKUP_PREFIX, now: () => Date = () => new Date()): BackupStore {
  return async (name, ndjson) => {
    const stamp = now().toISOString().replace(/[:.]/g, '-');
    const key = `${prefix}${stamp}-${name}`;
    try {
      // Encrypted with the bucket's default KMS key (modules/secure-bucket.ts).
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: ndjson, ContentType: 'application/ndjson' }));
    } catch (err) {
      throw new Error(`s3://${bucket}/${key}: ${(err as Error).name ?? 'Error'}: ${(err as Error).message ?? String(err)}`, { cause: err });
    }
    return `s3://${bucket}/${key}`;
  };
}
