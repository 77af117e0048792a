/**
 * The IoC database for `threat.matched.*` (issue 16), read from the geo bucket once per container,
 * where the ioc-downloader writes it (`IOC/ioc.siemdb`). As with GeoIP (geo.ts), a database that is
 * missing means no IoC enrichment and a damaged or unreadable one is logged once (one line naming the
 * object) and also means no enrichment: the loader never fails or drops logs for threat intelligence.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { IocDatabase, IocDatabaseError } from '../../shared/ioc/database';
import { readSmallObject } from '../storage/read';
import type { Log } from './observability';

export async function loadIocDatabase(s3: S3Client, bucket: string | undefined, key: string | undefined, log: Log): Promise<IocDatabase | undefined> {
  if (!bucket || !key) return undefined;
  const where = `s3://${bucket}/${key}`;
  let bytes: Buffer | undefined;
  try {
    bytes = await readSmallObject(s3, bucket, key);
  } catch (err) {
    log.warn(`cannot read ${where}: IoC enrichment is off in this container`, { error: (err as Error).message });
    return undefined;
  }
  if (!bytes) {
    log.info(`${where} does not exist: no IoC enrichment (the ioc-downloader is disabled or has not run yet)`);
    return undefined;
  }
  try {
    const t0 = performance.now();
    const db = IocDatabase.fromBuffer(bytes, where);
    log.info(`loaded ${where}`, { iocDatabase: key, bytes: bytes.length, builtAt: db.header.builtAt, totals: db.header.totals, loadMs: Math.round(performance.now() - t0) });
    return db;
  } catch (err) {
    if (!(err instanceof IocDatabaseError)) throw err;
    log.warn(err.message);
    return undefined;
  }
}
