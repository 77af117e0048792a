/**
 * Where the GeoIP downloader puts the MaxMind databases in the geo bucket, and so where the es-loader
 * reads them from. One place, imported by both sides.
 */
export const GEOIP_EDITIONS = ['GeoLite2-City', 'GeoLite2-ASN'] as const;
export type GeoIpEdition = (typeof GEOIP_EDITIONS)[number];

/** Object key of an edition's database: `<edition>.mmdb` at the bucket root. */
export function geoIpObjectKey(edition: GeoIpEdition): string {
  return `${edition}.mmdb`;
}

/** Object metadata (`x-amz-meta-archive-sha256`) holding the SHA-256 of the MaxMind archive the database came from. */
export const GEOIP_ARCHIVE_SHA256_METADATA = 'archive-sha256';
