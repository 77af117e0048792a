import { describe, expect, it } from 'vitest';
import { customOrigin, download, iocEnvironment, settingsFromEnv } from './downloader';
import { SourceError } from './sources';

describe('Function: ioc-downloader (environment)', () => {
  it('defaults the feed URLs to the reference\'s and turns Tor and Feodo on', () => {
    expect(settingsFromEnv({ GEO_BUCKET: 'aes-siem-222222222222-geo' })).toEqual({
      GEO_BUCKET: 'aes-siem-222222222222-geo',
      IOC_TOR_ENABLED: true,
      IOC_FEODO_ENABLED: true,
      IOC_TOR_URL: 'https://check.torproject.org/exit-addresses',
      IOC_FEODO_URL: 'https://feodotracker.abuse.ch/downloads/ipblocklist.json',
      IOC_OTX_URL: 'https://otx.alienvault.com/',
      IOC_MAX_SOURCE_MB: 100,
      IOC_MAX_OTX_PULSES: 5000,
      IOC_MAX_CUSTOM_FILES: 5000,
    });
  });

  it('names every wrong variable at once', () => {
    expect(() => settingsFromEnv({ GEO_BUCKET: 'b', IOC_TOR_ENABLED: 'yes', IOC_FEODO_URL: 'ftp:x' })).toThrow(
      'Invalid Lambda environment: GEO_BUCKET: GEO_BUCKET (the geo bucket name) is required (got "b"); IOC_TOR_ENABLED: IOC_TOR_ENABLED must be "true" or "false" (got "yes"); IOC_FEODO_URL: IOC_FEODO_URL must be an http(s) URL (got "ftp:x")',
    );
  });

  it('builds the environment a construct passes, which the schema accepts', () => {
    const env = iocEnvironment({ geoBucket: 'aes-siem-222222222222-geo', tor: false, otxKey: { secret: 'siem/otx' }, urls: { feodo: 'https://mirror.example.com/ipblocklist.json' } });
    expect(env).toEqual({ GEO_BUCKET: 'aes-siem-222222222222-geo', IOC_TOR_ENABLED: 'false', IOC_FEODO_URL: 'https://mirror.example.com/ipblocklist.json', IOC_OTX_KEY_SECRET: 'siem/otx' });
    expect(settingsFromEnv(env)).toMatchObject({ IOC_TOR_ENABLED: false, IOC_FEODO_ENABLED: true, IOC_OTX_KEY_SECRET: 'siem/otx' });
  });

  it('writes the limits only when they differ from the defaults', () => {
    const env = iocEnvironment({ geoBucket: 'aes-siem-222222222222-geo', limits: { maxSourceMb: 50, maxOtxPulses: 5000, maxCustomFiles: 200 } });
    expect(env).toEqual({ GEO_BUCKET: 'aes-siem-222222222222-geo', IOC_MAX_SOURCE_MB: '50', IOC_MAX_CUSTOM_FILES: '200' });
    expect(settingsFromEnv(env)).toMatchObject({ IOC_MAX_SOURCE_MB: 50, IOC_MAX_OTX_PULSES: 5000, IOC_MAX_CUSTOM_FILES: 200 });
  });

  it('takes the provider of a custom list from its folder, as the reference does', () => {
    expect(customOrigin('IOC/TXT/acme/blocklist.txt')).toEqual({ provider: 'acme', name: 'blocklist.txt' });
    expect(customOrigin('IOC/TXT/blocklist.txt')).toEqual({ provider: 'custom', name: 'blocklist.txt' });
    expect(customOrigin('IOC/STIX2/acme/2026/bundle.json')).toEqual({ provider: 'acme', name: 'bundle.json' });
  });

  it('refuses a download whose Content-Length is over the limit without reading it, and names HTTP errors', async () => {
    const big = async () => new Response('1.2.3.4\n', { status: 200, headers: { 'content-length': '2000000' } });
    await expect(download('https://feeds.example/tor', 'tor', { s3: undefined as never, fetch: big as typeof fetch }, 1_000_000)).rejects.toThrow(
      new SourceError('tor: https://feeds.example/tor is 2000000 bytes, more than the limit of 1000000 (IOC_MAX_SOURCE_MB)'),
    );
    const forbidden = async () => new Response('no', { status: 403 });
    await expect(download('https://otx.example/api', 'otx', { s3: undefined as never, fetch: forbidden as typeof fetch }, 1000)).rejects.toThrow(
      'otx: https://otx.example/api answered HTTP 403 (the API key is invalid: update the parameter/secret)',
    );
    const ok = async () => new Response('185.112.146.73\n', { status: 200 });
    expect(await download('https://feeds.example/tor', 'tor', { s3: undefined as never, fetch: ok as typeof fetch }, 1000)).toBe('185.112.146.73\n');
  });
});
