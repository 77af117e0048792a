import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { edgeRangesJson } from '../../shared/aws-ip-ranges';
import { fixture } from '../log-types/testing';
import { loadAwsEdgeRanges } from './aws-edge-ranges';
import { initRuntime } from './init';
import type { Log } from './observability';

const KEY = 'TrustedProxy/aws-edge-ranges.json';
const RANGES = edgeRangesJson({ version: 1, services: ['CLOUDFRONT', 'CLOUDFRONT_ORIGIN_FACING', 'GLOBALACCELERATOR'], ipv4: ['130.176.0.0/17', '3.172.0.0/18'], ipv6: ['2600:9000::/28'] });

function s3(objects: Record<string, string | Error>): S3Client {
  return {
    send: async (cmd: { input: { Bucket: string; Key: string } }) => {
      const v = objects[`${cmd.input.Bucket}/${cmd.input.Key}`];
      if (v instanceof Error) throw v;
      if (v === undefined) throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
      return { Body: { transformToByteArray: async () => new Uint8Array(Buffer.from(v)) } };
    },
  } as unknown as S3Client;
}
function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('valid JSON');
}
function logger() {
  const lines: string[] = [];
  const log: Log = { info: (m: string) => void lines.push(`info ${m}`), warn: (m: string) => void lines.push(`warn ${m}`), error: (m: string) => void lines.push(`error ${m}`) };
  return { log, lines };
}

describe('Runtime: AWS edge ranges (clientip_xff) from the geo bucket', () => {
  it('reads the object the geoip-downloader writes', async () => {
    const { log, lines } = logger();
    expect(await loadAwsEdgeRanges(s3({ [`geo/${KEY}`]: RANGES }), 'geo', KEY, log)).toEqual(['130.176.0.0/17', '3.172.0.0/18', '2600:9000::/28']);
    expect(lines).toEqual([`info loaded s3://geo/${KEY}`]);
  });

  it('goes on without AWS ranges, with one line naming the object, when it is missing, unreadable or damaged', async () => {
    const cases: Array<[Record<string, string | Error>, string]> = [
      [{}, `info s3://geo/${KEY} does not exist: AWS CloudFront/Global Accelerator ranges are not trusted as proxies (the geoip-downloader has not run yet)`],
      [{ [`geo/${KEY}`]: new Error('AccessDenied') }, `warn cannot read s3://geo/${KEY}: AWS CloudFront/Global Accelerator ranges are not trusted as proxies in this container`],
      [{ [`geo/${KEY}`]: RANGES.slice(0, 40) }, `warn s3://geo/${KEY}: not JSON (${jsonError(RANGES.slice(0, 40))}): AWS CloudFront/Global Accelerator ranges are not trusted as proxies in this container`],
      [{ [`geo/${KEY}`]: '{"version":1,"ipv4":["130.176.0.0/99"],"ipv6":[]}' }, `warn s3://geo/${KEY}: ipv4[0]: "130.176.0.0/99" is not an IPv4 CIDR range: AWS CloudFront/Global Accelerator ranges are not trusted as proxies in this container`],
    ];
    for (const [objects, line] of cases) {
      const { log, lines } = logger();
      expect(await loadAwsEdgeRanges(s3(objects), 'geo', KEY, log)).toEqual([]);
      expect(lines).toEqual([line]);
    }
    const { log, lines } = logger();
    expect(await loadAwsEdgeRanges(s3({}), undefined, KEY, log)).toEqual([]);
    expect(await loadAwsEdgeRanges(s3({}), 'geo', undefined, log)).toEqual([]);
    expect(lines).toEqual([]);
  });
});

describe('Function: initRuntime trusts the AWS edge ranges for clientip_xff', () => {
  const env = {
    OPENSEARCH_ENDPOINT: 'http://127.0.0.1:9',
    OPENSEARCH_AUTH: 'none',
    AWS_REGION: 'us-east-1',
    SPLIT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/222222222222/aes-siem-sqs-splitted-logs',
    DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/222222222222/aes-siem-dlq',
    GEOIP_BUCKET: 'geo',
  };
  const CF_KEY = 'AWSLogs/123456789012/CloudFront/cloudfront-logs/E2EXAMPLE12345.2026-11-21-10.a1b2c3d4.gz';
  // A request that reached this distribution through another CloudFront distribution: the peer (c-ip) is a
  // CloudFront address, X-Forwarded-For holds the client, then an origin-facing CloudFront address.
  const [version, fields, line] = fixture('cloudfront_standard', 'fixture.log').toString('utf8').split('\n');
  const cols = line!.split('\t');
  cols[4] = '130.176.10.20';
  cols[19] = '81.2.69.160,%203.172.5.6';
  const body = `${version}\n${fields}\n${cols.join('\t')}\n`;

  async function sourceOf(objects: Record<string, string>, extraEnv: Record<string, string> = {}) {
    const { log, lines } = logger();
    const rt = await initRuntime({ ...env, ...extraEnv }, __dirname, { s3: s3(objects), sqs: new SQSClient({ region: 'us-east-1' }), log });
    const out: unknown[] = [];
    for await (const it of rt.pipeline.process({ bucket: 'log', key: CF_KEY }, Readable.from([gzipSync(body)]))) if (it.kind === 'document') out.push(it.source.source);
    return { source: out, lines };
  }

  it('takes the client from X-Forwarded-For when the peer and the proxies after it are CloudFront addresses', async () => {
    const { source, lines } = await sourceOf({ [`geo/${KEY}`]: RANGES });
    expect(source).toEqual([expect.objectContaining({ ip: '81.2.69.160', address: '130.176.10.20' })]);
    expect(lines).toContain(`info loaded s3://geo/${KEY}`);
  });

  it('leaves the peer as the client without the object, or with AWS_EDGE_RANGES_KEY empty', async () => {
    expect((await sourceOf({})).source).toEqual([expect.objectContaining({ ip: '130.176.10.20', address: '130.176.10.20' })]);
    expect((await sourceOf({ [`geo/${KEY}`]: RANGES }, { AWS_EDGE_RANGES_KEY: '' })).source).toEqual([expect.objectContaining({ ip: '130.176.10.20' })]);
  });
});
