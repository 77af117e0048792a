/**
 * The AWS CloudFront/Global Accelerator ranges trusted as proxies for clientip_xff (issue 16), read from
 * the geo bucket once per container, where the geoip-downloader keeps them
 * (`TrustedProxy/aws-edge-ranges.json`, lambdas/shared/aws-ip-ranges.ts). As with GeoIP and the IoC
 * database, a missing object means no AWS ranges (the organization's own trusted proxies still apply)
 * and a damaged or unreadable one is logged once, naming the object: never a failed load.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { AwsIpRangesError, parseEdgeRanges } from '../../shared/aws-ip-ranges';
import { readSmallObject } from '../storage/read';
import type { Log } from './observability';

/** The ranges (IPv4 then IPv6); empty when there are none to use. */
export async function loadAwsEdgeRanges(s3: S3Client, bucket: string | undefined, key: string | undefined, log: Log): Promise<string[]> {
  if (!bucket || !key) return [];
  const where = `s3://${bucket}/${key}`;
  let bytes: Buffer | undefined;
  try {
    bytes = await readSmallObject(s3, bucket, key);
  } catch (err) {
    log.warn(`cannot read ${where}: AWS CloudFront/Global Accelerator ranges are not trusted as proxies in this container`, { error: (err as Error).message });
    return [];
  }
  if (!bytes) {
    log.info(`${where} does not exist: AWS CloudFront/Global Accelerator ranges are not trusted as proxies (the geoip-downloader has not run yet)`);
    return [];
  }
  try {
    const r = parseEdgeRanges(bytes.toString('utf8'));
    log.info(`loaded ${where}`, { ipv4: r.ipv4.length, ipv6: r.ipv6.length });
    return [...r.ipv4, ...r.ipv6];
  } catch (err) {
    if (!(err instanceof AwsIpRangesError)) throw err;
    log.warn(`${where}: ${err.message}: AWS CloudFront/Global Accelerator ranges are not trusted as proxies in this container`);
    return [];
  }
}
