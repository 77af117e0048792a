/**
 * A Lambda function of the SIEM: TypeScript handler bundled with esbuild, packaged with TerraformAsset,
 * with its own least-privilege role, an encrypted log group with retention, and an optional errors alarm.
 * Every function of the central stack is built with this construct, so these properties hold for all.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { buildSync, version as esbuildVersion, type BuildOptions } from 'esbuild';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { metricAlarm } from './alarms';
import { terraformPolicy, type PolicyStatement } from './policies/document';
import { InvalidPropsError } from './validations';

export type { PolicyStatement } from './policies/document';

export interface SiemFunctionProps {
  /** Function name, e.g. `aes-siem-es-loader`. */
  readonly functionName: string;
  /** Absolute path of the handler module; it must export `handler`. */
  readonly entry: string;
  readonly description: string;
  /** Default 256. */
  readonly memoryMb?: number;
  /** Default 60. */
  readonly timeoutSeconds?: number;
  /** Default: none (the function uses the account's unreserved concurrency). */
  readonly reservedConcurrency?: number;
  readonly environment?: Readonly<Record<string, string>>;
  /** The role's whole permission set besides writing its own logs. */
  readonly statements: readonly PolicyStatement[];
  readonly logRetentionDays: number;
  /** KMS key that encrypts the log group. */
  readonly logKmsKeyArn?: string;
  /** When set, an alarm on any error within 5 minutes notifies this topic. */
  readonly alarmTopicArn?: string;
  /** Files copied next to the bundle (`from` absolute, `to` relative to the bundle folder). */
  readonly extraFiles?: readonly { readonly from: string; readonly to: string }[];
  /** Default `<functionName>-role`. */
  readonly roleName?: string;
  /**
   * Subnets and security groups when the function must reach a VPC-only OpenSearch domain. The subnets
   * need a route to S3, SQS and the other AWS APIs the function calls (VPC endpoints or NAT).
   */
  readonly vpc?: { readonly subnetIds: readonly string[]; readonly securityGroupIds: readonly string[] };
  /** Account and region of the function, for the ARNs in its log policy. */
  readonly accountId: string;
  readonly region: string;
}

/** Where bundles are written before TerraformAsset copies them into cdktf.out (a cache, git-ignored). */
const BUILD_ROOT = path.resolve(__dirname, '..', '.build', 'lambdas');
const PROJECT_ROOT = path.resolve(__dirname, '..');

/**
 * A digest of everything a bundle is made from: the Lambda sources (and the shared modules they may
 * import), the lock file and esbuild's version. Computed once per process.
 */
let sourcesDigest: string | undefined;
function digestSources(): string {
  if (sourcesDigest) return sourcesDigest;
  const hash = createHash('sha256');
  hash.update(esbuildVersion);
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (/\.(ts|js|cjs|mjs|json|ini)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
        hash.update(path.relative(PROJECT_ROOT, full));
        hash.update(fs.readFileSync(full));
      }
    }
  };
  for (const dir of ['lambdas', 'accounts']) if (fs.existsSync(path.join(PROJECT_ROOT, dir))) walk(path.join(PROJECT_ROOT, dir));
  const lock = path.join(PROJECT_ROOT, 'package-lock.json');
  if (fs.existsSync(lock)) hash.update(fs.readFileSync(lock));
  sourcesDigest = hash.digest('hex');
  return sourcesDigest;
}

/** The esbuild options of every Lambda bundle (the benchmarks build the loader the same way). */
export function lambdaBuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    sourcemap: 'inline',
    sourcesContent: false,
    legalComments: 'none',
    // The Node.js 22 runtime ships AWS SDK v3, but bundling pins the version we test with.
    external: [],
    loader: { '.ini': 'text' },
    logLevel: 'error',
  };
}

/**
 * Bundles `entry` into `.build/lambdas/<name>-<digest>/index.js` (plus `extraFiles`) and returns that
 * folder. A bundle whose inputs are unchanged is reused across processes (test workers, repeated
 * synths), which keeps a synth of a large organization fast.
 */
export function bundleHandler(name: string, entry: string, extraFiles: SiemFunctionProps['extraFiles'] = []): string {
  if (!fs.existsSync(entry)) throw new Error(`Lambda handler ${entry} for ${name} does not exist`);
  const key = createHash('sha256').update(digestSources()).update(path.relative(PROJECT_ROOT, entry)).update(JSON.stringify(extraFiles.map((f) => [path.relative(PROJECT_ROOT, f.from), f.to]))).digest('hex').slice(0, 16);
  const outdir = path.join(BUILD_ROOT, `${name}-${key}`);
  if (fs.existsSync(path.join(outdir, 'index.js'))) return outdir;

  // Build beside the final folder and rename, so that concurrent synths never see half a bundle.
  const tmp = `${outdir}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(tmp, { recursive: true });
  buildSync(lambdaBuildOptions(entry, path.join(tmp, 'index.js')));
  for (const f of extraFiles) {
    const to = path.join(tmp, f.to);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(f.from, to);
  }
  try {
    fs.renameSync(tmp, outdir);
  } catch {
    // Another process finished the same bundle first; theirs is identical.
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return outdir;
}

export class SiemFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly roleArn: string;
  readonly functionArn: string;
  readonly errorsAlarm?: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: SiemFunctionProps) {
    super(scope, id);
    const roleName = props.roleName ?? `${props.functionName}-role`;
    const logGroupName = `/aws/lambda/${props.functionName}`;
    const logGroupArn = `arn:aws:logs:${props.region}:${props.accountId}:log-group:${logGroupName}`;

    if (roleName.length > 64) throw new InvalidPropsError(this, 'roleName', `${roleName} is longer than IAM's 64 characters; shorten the prefix`);
    if (props.functionName.length > 64) throw new InvalidPropsError(this, 'functionName', `${props.functionName} is longer than Lambda's 64 characters; shorten the prefix`);

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: logGroupName,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logKmsKeyArn,
    });

    this.role = new IamRole(this, 'role', {
      name: roleName,
      description: `Execution role of ${props.functionName}`,
      assumeRolePolicy: terraformPolicy([
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } } },
      ]),
    });
    this.roleArn = `arn:aws:iam::${props.accountId}:role/${roleName}`;

    new IamRolePolicy(this, 'policy', {
      name: `${props.functionName}-policy`,
      role: this.role.name,
      policy: terraformPolicy([
        { Sid: 'WriteOwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${logGroupArn}:*` },
        ...(props.vpc
          ? [
              {
                // Lambda creates and removes the function's network interfaces with the execution role
                // (the actions of the AWSLambdaVPCAccessExecutionRole managed policy); they take no resource ARN.
                Sid: 'ManageVpcNetworkInterfaces',
                Effect: 'Allow' as const,
                Action: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
                Resource: '*',
              },
            ]
          : []),
        ...props.statements,
      ]),
    });

    const bundleDir = bundleHandler(props.functionName, props.entry, props.extraFiles);
    const asset = new TerraformAsset(this, 'code', { path: bundleDir, type: AssetType.ARCHIVE });

    this.fn = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: asset.assetHash,
      memorySize: props.memoryMb ?? 256,
      timeout: props.timeoutSeconds ?? 60,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: props.environment && Object.keys(props.environment).length > 0 ? { variables: { ...props.environment } } : undefined,
      loggingConfig: { logFormat: 'JSON', logGroup: logGroupName },
      tracingConfig: { mode: 'PassThrough' },
      vpcConfig: props.vpc ? { subnetIds: [...props.vpc.subnetIds], securityGroupIds: [...props.vpc.securityGroupIds] } : undefined,
      dependsOn: [this.logGroup],
    });
    this.functionArn = `arn:aws:lambda:${props.region}:${props.accountId}:function:${props.functionName}`;

    if (props.alarmTopicArn) {
      this.errorsAlarm = metricAlarm(this, 'errors-alarm', {
        alarmName: `${props.functionName}-errors`,
        description: `${props.functionName} reported errors; see its log group ${logGroupName}`,
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: { FunctionName: props.functionName },
        statistic: 'Sum',
        threshold: 1,
        topicArn: props.alarmTopicArn,
      });
    }
  }
}
