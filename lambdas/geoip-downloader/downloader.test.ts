import { createGzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { extractMmdb, GeoIpDownloadError, parseChecksumFile, settingsFromEnv } from './downloader';

async function archive(entries: Record<string, string>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(entries)) pack.entry({ name }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack.pipe(createGzip())) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('Function: geoip-downloader (parsing)', () => {
  it('reads the SHA-256 from MaxMind\'s checksum file', () => {
    const hex = 'A'.repeat(64);
    expect(parseChecksumFile(`${hex}  GeoLite2-City_20261117.tar.gz\n`, 'GeoLite2-City')).toBe('a'.repeat(64));
    expect(() => parseChecksumFile('<html>Access denied</html>', 'GeoLite2-City')).toThrow(
      'GeoLite2-City: the checksum file does not start with a SHA-256 (got "<html>Access denied</html>")',
    );
  });

  it('extracts <edition>.mmdb from its dated folder and ignores the other files', async () => {
    const a = await archive({ 'GeoLite2-ASN_20261117/COPYRIGHT.txt': 'c', 'GeoLite2-ASN_20261117/GeoLite2-ASN.mmdb': 'database bytes', 'GeoLite2-ASN_20261117/LICENSE.txt': 'l' });
    expect((await extractMmdb(a, 'GeoLite2-ASN')).toString()).toBe('database bytes');
  });

  it('names the edition when the archive has no database or is not a tar.gz', async () => {
    await expect(extractMmdb(await archive({ 'x/GeoLite2-City.mmdb': 'db' }), 'GeoLite2-ASN')).rejects.toThrow('GeoLite2-ASN: the archive holds no GeoLite2-ASN.mmdb');
    const truncated = (await archive({ 'x/GeoLite2-City.mmdb': 'db'.repeat(1000) })).subarray(0, 40);
    await expect(extractMmdb(truncated, 'GeoLite2-City')).rejects.toThrow(GeoIpDownloadError);
    await expect(extractMmdb(Buffer.from('not gzip'), 'GeoLite2-City')).rejects.toThrow(/^GeoLite2-City: the archive is not a readable tar.gz: /);
  });

  it('validates its environment, defaulting to MaxMind\'s download URL and AWS\'s ip-ranges.json', () => {
    expect(settingsFromEnv({ GEO_BUCKET: 'aes-siem-222222222222-geo' })).toEqual({
      GEO_BUCKET: 'aes-siem-222222222222-geo',
      GEOIP_DOWNLOAD_URL: 'https://download.maxmind.com/app/geoip_download',
      AWS_IP_RANGES_URL: 'https://ip-ranges.amazonaws.com/ip-ranges.json',
    });
    expect(() => settingsFromEnv({ GEO_BUCKET: 'aes-siem-222222222222-geo', AWS_IP_RANGES_URL: 'ip-ranges.json' })).toThrow('Invalid Lambda environment: AWS_IP_RANGES_URL: AWS_IP_RANGES_URL must be an http(s) URL');
    expect(() => settingsFromEnv({})).toThrow(/GEO_BUCKET/);
    expect(() => settingsFromEnv({ GEO_BUCKET: 'aes-siem-222222222222-geo', GEOIP_DOWNLOAD_URL: 'not a url' })).toThrow('Invalid Lambda environment: GEOIP_DOWNLOAD_URL: GEOIP_DOWNLOAD_URL must be an http(s) URL');
  });
});
