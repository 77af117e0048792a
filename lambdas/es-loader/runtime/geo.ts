/**
 * GeoLite2 databases for GeoIP/ASN enrichment, read from the geo bucket once per container (the
 * geoip-downloader Lambda refreshes them every 12 hours; a container lives far shorter). A database
 * that is missing or unreadable means no enrichment of that kind, never a failed load: the reference
 * behaves the same way, and a SIEM without GeoIP is better than one that drops logs.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { Reader, type AsnResponse, type CityResponse } from 'maxmind';
import { geoIpObjectKey } from '../../shared/geoip-keys';
import type { GeoDatabases } from '../pipeline';
import { readSmallObject } from '../storage/read';
import type { Log } from './observability';

export async function loadGeoDatabases(s3: S3Client, bucket: string | undefined, log: Log): Promise<GeoDatabases> {
  if (!bucket) {
    log.warn('GEOIP_BUCKET is not set: documents are not enriched with GeoIP/ASN');
    return {};
  }
  const [city, asn] = await Promise.all([
    loadOne<CityResponse>(s3, bucket, geoIpObjectKey('GeoLite2-City'), log),
    loadOne<AsnResponse>(s3, bucket, geoIpObjectKey('GeoLite2-ASN'), log),
  ]);
  return { ...(city ? { city } : {}), ...(asn ? { asn } : {}) };
}

async function loadOne<T extends CityResponse | AsnResponse>(s3: S3Client, bucket: string, key: string, log: Log): Promise<Reader<T> | undefined> {
  try {
    const bytes = await readSmallObject(s3, bucket, key);
    if (!bytes) {
      log.warn(`s3://${bucket}/${key} does not exist yet: no enrichment from it (the geoip-downloader has not run, or has no license key)`);
      return undefined;
    }
    const reader = new Reader<T>(bytes);
    log.info(`loaded s3://${bucket}/${key}`, { geoDatabase: key, bytes: bytes.length, buildEpoch: reader.metadata.buildEpoch.toISOString() });
    return reader;
  } catch (err) {
    log.warn(`cannot use s3://${bucket}/${key}: no enrichment from it`, { error: (err as Error).message });
    return undefined;
  }
}
