/**
 * Generated log files for the es-loader benchmarks: deterministic CloudTrail and VPC Flow Logs files of
 * any size (bench/es-loader-parse.ts, bench/es-loader-e2e.ts) and the object keys they are loaded under.
 */
import { createWriteStream } from 'node:fs';
import { createGzip } from 'node:zlib';
import { once } from 'node:events';

export type BenchType = 'cloudtrail' | 'vpcflowlogs';

export const KEYS: Record<BenchType, string> = {
  cloudtrail: 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/21/111122223333_CloudTrail_us-east-1_20261121T1000Z_bench.json.gz',
  vpcflowlogs: 'AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/21/111122223333_vpcflowlogs_us-east-1_fl-bench_20261121T1000Z_bench.log.gz',
};

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

/** Writes a gzip file of `records` records (a CloudTrail Records document or a VPC Flow Logs file); returns uncompressed bytes. */
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
    await put(`${VPC_HEADER}\n`);
    const batch: string[] = [];
    for (let i = 0; i < records; i++) {
      batch.push(vpcLine(i, r));
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
