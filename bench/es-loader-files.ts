/**
 * Generated log files for the es-loader benchmarks: deterministic CloudTrail, VPC Flow Logs, ALB access
 * log and CloudFront standard log files of any size (bench/es-loader-parse.ts, bench/es-loader-e2e.ts)
 * and the object keys they are loaded under.
 */
import { createWriteStream } from 'node:fs';
import { createGzip } from 'node:zlib';
import { once } from 'node:events';

export type BenchType = 'cloudtrail' | 'vpcflowlogs' | 'alb' | 'cloudfront_standard';
export const BENCH_TYPES: readonly BenchType[] = ['cloudtrail', 'vpcflowlogs', 'alb', 'cloudfront_standard'];

export const KEYS: Record<BenchType, string> = {
  cloudtrail: 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/21/111122223333_CloudTrail_us-east-1_20261121T1000Z_bench.json.gz',
  vpcflowlogs: 'AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/21/111122223333_vpcflowlogs_us-east-1_fl-bench_20261121T1000Z_bench.log.gz',
  alb: 'AWSLogs/111122223333/elasticloadbalancing/us-east-1/2026/11/21/111122223333_elasticloadbalancing_us-east-1_app.bench-alb.50dc6c495c0c9188_20261121T1000Z_10.0.0.10_benchabc.log.gz',
  cloudfront_standard: 'cloudfront-logs/E2BENCHEXAMPLE.2026-11-21-10.a1b2c3d4.gz',
};

/** Header lines before the records (their count is what the ceiling skips). */
export const HEADER_LINES: Record<BenchType, number> = { cloudtrail: 0, vpcflowlogs: 1, alb: 0, cloudfront_standard: 2 };

const VPC_HEADER =
  'account-id vpc-id subnet-id instance-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status tcp-flags flow-direction traffic-path pkt-srcaddr pkt-dstaddr region az-id';

/** A deterministic pseudo-random sequence, so every run measures the same file. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const EVENTS = ['GetObject', 'PutObject', 'AssumeRole', 'DescribeInstances', 'RunInstances', 'Decrypt', 'ConsoleLogin', 'CreateTags', 'ListBuckets', 'GetCallerIdentity'];
const SOURCES = ['s3', 's3', 'sts', 'ec2', 'ec2', 'kms', 'signin', 'ec2', 's3', 'sts'];

function cloudtrailEvent(i: number, r: () => number): string {
  const k = Math.floor(r() * EVENTS.length);
  const ip = `${Math.floor(r() * 223) + 1}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`;
  const requestParameters =
    k % 3 === 0 ? { bucketName: `bucket-${i % 50}`, key: `path/${i}/object.json`, Host: `bucket-${i % 50}.s3.us-east-1.amazonaws.com` }
    : k % 3 === 1 ? { instancesSet: { items: [{ instanceId: `i-${(i * 7919).toString(16).padStart(17, '0')}` }] }, filterSet: {} }
    : { roleArn: 'arn:aws:iam::111122223333:role/Admin', roleSessionName: `s${i}`, durationSeconds: 3600 };
  return JSON.stringify({
    eventVersion: '1.09',
    userIdentity: { type: 'AssumedRole', principalId: `AROAEXAMPLE:s${i % 100}`, arn: `arn:aws:sts::111122223333:assumed-role/Admin/s${i % 100}`, accountId: '111122223333', accessKeyId: `ASIA${String(i % 10000).padStart(16, '0')}`, sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: 'arn:aws:iam::111122223333:role/Admin', accountId: '111122223333', userName: 'Admin' }, attributes: { creationDate: '2026-11-21T09:00:00Z', mfaAuthenticated: 'false' } } },
    eventTime: new Date(Date.UTC(2026, 10, 21, 10) + i * 10).toISOString().replace('.000Z', 'Z'),
    eventSource: `${SOURCES[k]}.amazonaws.com`,
    eventName: EVENTS[k],
    awsRegion: 'us-east-1',
    sourceIPAddress: ip,
    userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.amzn.2023',
    requestParameters,
    responseElements: null,
    requestID: `req-${i}`,
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    readOnly: k % 2 === 0,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
  });
}

function vpcLine(i: number, r: () => number): string {
  const start = 1795255200 + Math.floor(i / 1000);
  const src = `10.0.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`;
  const dst = `${Math.floor(r() * 223) + 1}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`;
  const proto = r() < 0.8 ? 6 : 17;
  return `111122223333 vpc-0a1b2c3d4e5f6a7b8 subnet-0123456789abcdef0 i-01234567890123456 eni-0a1b2c3d4e5f6a7b8 ${src} ${dst} ${Math.floor(r() * 60000) + 1024} ${r() < 0.5 ? 443 : 53} ${proto} ${Math.floor(r() * 100) + 1} ${Math.floor(r() * 100000) + 40} ${start} ${start + 60} ${r() < 0.9 ? 'ACCEPT' : 'REJECT'} OK ${proto === 6 ? 19 : 0} ${r() < 0.5 ? 'ingress' : 'egress'} ${r() < 0.5 ? 1 : '-'} ${src} ${dst} us-east-1 use1-az4`;
}

const PATHS = ['/', '/index.html', '/api/v1/orders', '/search', '/images/logo.png', '/health', '/login', '/static/app.js'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  'curl/8.4.0',
  'python-requests/2.31.0',
  'ELB-HealthChecker/2.0',
];
const STATUS = [200, 200, 200, 200, 200, 301, 304, 404, 403, 502];
const ip4 = (r: () => number) => `${Math.floor(r() * 223) + 1}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`;

function albLine(i: number, r: () => number): string {
  const t = new Date(Date.UTC(2026, 10, 21, 10) + i * 5).toISOString().replace('Z', '123Z');
  const status = STATUS[Math.floor(r() * STATUS.length)]!;
  const path = PATHS[Math.floor(r() * PATHS.length)]!;
  const query = r() < 0.3 ? `?q=${i % 997}&page=${i % 7}` : '';
  const https = r() < 0.7;
  const target = status === 502 ? '-' : `10.0.${Math.floor(r() * 4)}.${Math.floor(r() * 256)}:80`;
  const ua = AGENTS[Math.floor(r() * AGENTS.length)]!;
  const tls = https ? 'ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2' : '- -';
  const port = https ? 443 : 80;
  return `${https ? 'https' : 'http'} ${t} app/bench-alb/50dc6c495c0c9188 ${ip4(r)}:${Math.floor(r() * 60000) + 1024} ${target} 0.000 ${(r() / 10).toFixed(3)} 0.000 ${status} ${status === 502 ? '-' : status} ${Math.floor(r() * 2000)} ${Math.floor(r() * 100000)} "GET ${https ? 'https' : 'http'}://www.example.com:${port}${path}${query} HTTP/1.1" "${ua}" ${tls} arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/bench/73e2d6bc24d8a067 "Root=1-58337262-${i.toString(16).padStart(24, '0')}" "${https ? 'www.example.com' : '-'}" "-" 0 ${t} "forward" "-" "-" "${target}" "${status === 502 ? '-' : status}" "-" "-" TID_${i.toString(16).padStart(16, '0')} "-" "-" "-"`;
}

const CF_HEADER =
  '#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end\n';

function cloudfrontLine(i: number, r: () => number): string {
  const t = new Date(Date.UTC(2026, 10, 21, 10) + i * 15).toISOString();
  const status = STATUS[Math.floor(r() * STATUS.length)]!;
  const result = status >= 400 ? 'Error' : r() < 0.7 ? 'Hit' : 'Miss';
  const ua = AGENTS[Math.floor(r() * AGENTS.length)]!.replace(/ /g, '%20');
  const query = r() < 0.3 ? `q=${i % 997}&page=${i % 7}` : '-';
  const bytes = Math.floor(r() * 100000);
  const taken = (r() / 5).toFixed(3);
  return [t.slice(0, 10), t.slice(11, 19), 'NRT57-P2', bytes, ip4(r), 'GET', 'd111111abcdef8.cloudfront.net', PATHS[Math.floor(r() * PATHS.length)], status, r() < 0.5 ? 'https://www.example.com/' : '-', ua, query, '-', result, `${i.toString(36).padStart(12, '0')}SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHm==`, 'www.example.com', 'https', Math.floor(r() * 2000), taken, '-', 'TLSv1.3', 'TLS_AES_128_GCM_SHA256', result, 'HTTP/2.0', '-', '-', Math.floor(r() * 60000) + 1024, taken, result, 'text/html', bytes, '-', '-'].join('\t');
}

/** Writes a gzip file of `records` records (a CloudTrail Records document, or a VPC Flow Logs, ALB or CloudFront log file); returns uncompressed bytes. */
export async function generate(type: BenchType, file: string, records: number): Promise<number> {
  const gz = createGzip({ level: 1 });
  const out = createWriteStream(file);
  gz.pipe(out);
  const r = rng(42);
  let bytes = 0;
  const put = async (s: string) => {
    bytes += Buffer.byteLength(s);
    if (!gz.write(s)) await once(gz, 'drain');
  };
  if (type === 'cloudtrail') {
    await put('{"Records":[');
    const batch: string[] = [];
    for (let i = 0; i < records; i++) {
      batch.push(cloudtrailEvent(i, r));
      if (batch.length === 1000 || i === records - 1) {
        await put((i >= 1000 ? ',' : '') + batch.join(','));
        batch.length = 0;
      }
    }
    await put(']}\n');
  } else {
    if (type === 'vpcflowlogs') await put(`${VPC_HEADER}\n`);
    if (type === 'cloudfront_standard') await put(CF_HEADER);
    const line = type === 'vpcflowlogs' ? vpcLine : type === 'alb' ? albLine : cloudfrontLine;
    const batch: string[] = [];
    for (let i = 0; i < records; i++) {
      batch.push(line(i, r));
      if (batch.length === 1000 || i === records - 1) {
        await put(`${batch.join('\n')}\n`);
        batch.length = 0;
      }
    }
  }
  gz.end();
  await once(out, 'finish');
  return bytes;
}
