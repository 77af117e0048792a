/**
 * The organization's configuration, as zod schemas. The schemas are the source of truth: types are
 * inferred from them, defaults are declared here once, and every message names what is allowed.
 *
 * Files: `accounts/organization.yaml` (everything but members) and `accounts/members/<name>.yaml`
 * (one member account each). See `accounts/load.ts` for how they are read and combined.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import * as path from 'node:path';
import { z } from 'zod';
import { MONITOR_NAMES } from '../lambdas/opensearch-configurator/monitors';
import { Pipeline } from '../lambdas/es-loader/pipeline';
import { MEMBER_FEATURES } from '../modules/member/features';
import { accountId, positiveInt, region } from './fields';
import { checkOrganizationRules } from './rules';

export { accountId, region } from './fields';

/** Names used inside resource names: lower-case letters, digits and hyphens. */
const resourceName = (what: string, max: number) =>
  z
    .string()
    .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, {
      error: (iss) => `${what} must be lower-case letters, digits and hyphens, start with a letter and not end with a hyphen; got ${JSON.stringify(iss.input)}`,
    })
    .max(max, { error: `${what} must be at most ${max} characters` });

const roleName = z.string().regex(/^[\w+=,.@-]{1,64}$/, { error: 'must be an IAM role name (1-64 characters of letters, digits and +=,.@_-)' });

/** CloudWatch Logs accepts only these retention periods (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
const logRetentionDays = z
  .number()
  .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
    error: `must be one of CloudWatch Logs' retention periods: ${LOG_RETENTION_DAYS.join(', ')}`,
  });

/** An IPv4 or IPv6 CIDR block (zod's validators check each octet and the prefix length). */
const cidr = z.union([z.cidrv4(), z.cidrv6()], { error: (iss) => `must be a CIDR block such as "203.0.113.0/24" or "2001:db8::/32", got ${JSON.stringify(iss.input)}` });

// ---------------------------------------------------------------------------------------------
// Member accounts
// ---------------------------------------------------------------------------------------------

/**
 * The member features' sections (`cloudtrail:`, `vpcFlowLogs:`, ...), from the one list of features:
 * each feature's schema lives in its folder, modules/member/features/<feature>/schema.ts.
 */
type FeatureSections = { [F in (typeof MEMBER_FEATURES)[number] as F['key']]: z.ZodDefault<F['schema']> };
const featureSections = Object.fromEntries(
  MEMBER_FEATURES.map((f) => {
    const schema: z.ZodObject = f.schema;
    return [f.key, schema.default(schema.parse({}))];
  }),
) as unknown as FeatureSections;

export const memberSchema = z.strictObject({
  name: resourceName('member name', 40),
  accountId,
  regions: z.array(region).min(1, { error: 'must list at least one region' }),
  /** Role the member stack's provider assumes; default from `defaults.memberDeployRole`. */
  deployRole: roleName.optional(),
  /**
   * The account's organizational unit path, e.g. `Root/Workloads/Prod`: the loader writes it into
   * `cloud.account.organizational_unit` of the account's documents (lambdas/es-loader/enrich/organization.ts).
   */
  organizationalUnit: z
    .string()
    .max(1024)
    .regex(/^[^/\s][^/]*(?:\/[^/\s][^/]*)*$/, { error: 'must be an OU path such as "Root/Workloads/Prod" (names separated by /)' })
    .optional(),
  /** Tags of the account, written into `cloud.account.tags` of its documents. Default none. */
  tags: z
    .record(
      z.string(),
      z.string().regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u, { error: 'must be an AWS tag value: up to 256 letters, digits, spaces and _ . : / = + - @' }),
    )
    .superRefine((tags, ctx) => {
      for (const key of Object.keys(tags))
        if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'must be an AWS tag key: 1-128 letters, digits, spaces and _ . : / = + - @' });
    })
    .default({}),
  ...featureSections,
});

// ---------------------------------------------------------------------------------------------
// Organization-wide settings
// ---------------------------------------------------------------------------------------------

/** A group of IAM Identity Center (or another IdP): its id as the SAML assertion carries it. */
const groupId = z.string().regex(/^[\w+=,.@:/ -]{1,256}$/, { error: 'must be a group id as the identity provider sends it in the SAML assertion (IAM Identity Center: the group\'s GroupId)' });

/** Dashboards login (docs/login.md). SAML and Cognito exclude each other (accounts/rules.ts). */
export const loginSchema = z.strictObject({
  /** SAML through IAM Identity Center (the documented default for organizations). */
  saml: z
    .strictObject({
      /** The identity provider's SAML metadata XML (IAM Identity Center: "IAM Identity Center SAML metadata file"). */
      metadataXml: z.string().includes('EntityDescriptor', { error: 'must be the identity provider\'s SAML metadata XML (an <EntityDescriptor> document)' }),
      /** The identity provider's entity id (IAM Identity Center: "IAM Identity Center SAML issuer URL"); equal to the metadata's entityID. */
      entityId: z.string().min(8),
      /** Groups mapped to `all_access` (everything, including security settings through the admin role). */
      adminGroups: z.array(groupId).min(1, { error: 'must list at least one group, or nobody could administer OpenSearch from Dashboards' }),
      /** Groups mapped to the read-only `siem_analyst`. */
      analystGroups: z.array(groupId).default([]),
      /** Attribute of the assertion that holds the groups (IAM Identity Center attribute mapping `Role` -> `${user:groups}`). */
      rolesKey: z.string().min(1).default('Role'),
      /** Attribute holding the user name; default: the assertion's NameID. */
      subjectKey: z.string().min(1).optional(),
      sessionTimeoutMinutes: z.number().int().min(1).max(1440).default(60),
    })
    .optional(),
  /** Amazon Cognito: a user pool created by the stack (the alternative to SAML). */
  cognito: z
    .strictObject({
      /** Prefix of the hosted UI domain `<prefix>.auth.<region>.amazoncognito.com`; Cognito reserves aws, amazon and cognito. */
      domainPrefix: z
        .string()
        .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, { error: 'must be 1-63 lower-case letters, digits and hyphens, not starting or ending with a hyphen' })
        .refine((p) => !/aws|amazon|cognito/.test(p), { error: 'must not contain "aws", "amazon" or "cognito" (reserved by Cognito)' }),
    })
    .optional(),
  /** A break-glass user of the internal user database; its password is generated into Secrets Manager at deploy, never in Terraform. */
  internalUser: z
    .strictObject({
      username: z.string().regex(/^[a-zA-Z][\w.-]{2,63}$/, { error: 'must be 3-64 letters, digits and ._- starting with a letter' }).default('siem-breakglass'),
    })
    .optional(),
});

export const alertingSchema = z.strictObject({
  /** Forward the domain's own events (software updates, Auto-Tune, node failures, red status) to the alert topic. */
  domainEvents: z.boolean().default(true),
  /** Example monitors to install (lambdas/opensearch-configurator/monitors.ts); OpenSearch Service has the Alerting and Notifications plugins. */
  monitors: z.array(z.enum(MONITOR_NAMES, { error: `must be one of ${MONITOR_NAMES.join(', ')}` })).default([]),
});

export const openSearchSchema = z.strictObject({
  domainName: resourceName('domain name', 28).optional(),
  engineVersion: z.string().regex(/^OpenSearch_\d+\.\d+$/, { error: 'must look like "OpenSearch_2.19"' }).default('OpenSearch_2.19'),
  instanceType: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+\.search$/, { error: 'must be an OpenSearch instance type such as "r6g.large.search"' }).default('r6g.large.search'),
  instanceCount: positiveInt(80).default(1),
  dedicatedMaster: z
    .strictObject({
      instanceType: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+\.search$/),
      count: z.union([z.literal(3), z.literal(5)], { error: 'must be 3 or 5' }),
    })
    .optional(),
  /** Spread data nodes over 2 or 3 Availability Zones. */
  zoneAwareness: z.strictObject({ availabilityZoneCount: z.union([z.literal(2), z.literal(3)], { error: 'must be 2 or 3' }) }).optional(),
  ebs: z
    .strictObject({
      volumeSizeGb: positiveInt(16384).default(100),
      iops: z.number().int().min(3000).max(16000).default(3000),
      throughputMiBps: z.number().int().min(125).max(1000).default(125),
    })
    .default({ volumeSizeGb: 100, iops: 3000, throughputMiBps: 125 }),
  network: z
    .discriminatedUnion('mode', [
      z.strictObject({
        mode: z.literal('public'),
        /** Source addresses allowed to reach the HTTPS endpoint (in addition to signed IAM access). */
        allowedCidrs: z.array(cidr).default([]),
      }),
      z.strictObject({
        mode: z.literal('vpc'),
        subnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { error: 'must be a subnet id' })).min(1),
        securityGroupIds: z.array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, { error: 'must be a security group id' })).min(1),
      }),
    ])
    .default({ mode: 'public', allowedCidrs: [] }),
  /** Days to keep OpenSearch slow/error/audit logs in CloudWatch Logs. */
  logRetentionDays: logRetentionDays.default(365),
  /**
   * The SIEM watches itself: the domain's audit and application logs (CloudWatch Logs groups
   * `.../audit-logs`, `.../application-logs`) are subscribed to a Firehose stream of the security account
   * that writes them into the log bucket, where the loader's opensearch_audit type loads the audit logs into
   * log-aws-opensearch and opensearch_application the application (error) logs into
   * log-aws-opensearch_application. Default true. Audit logging must also be turned on in the security
   * plugin (docs/onboarding.md "The SIEM's own OpenSearch logs").
   */
  auditLogsToSiem: z.boolean().default(true),
  /** ISM: delete log indices this many days after creation. */
  indexRetentionDays: positiveInt().default(365),
  /** ISM: optional UltraWarm / cold transitions (days after creation); they need `ultraWarm`. */
  warmAfterDays: positiveInt().optional(),
  coldAfterDays: positiveInt().optional(),
  /** UltraWarm nodes (OpenSearch Service requires dedicated master nodes for them). */
  ultraWarm: z
    .strictObject({
      instanceType: z.enum(['ultrawarm1.medium.search', 'ultrawarm1.large.search']),
      count: z.number().int().min(2, { error: 'UltraWarm needs at least 2 nodes' }).max(150),
    })
    .optional(),
  /** IAM role ARNs mapped to the read-only `siem_analyst` role in OpenSearch. */
  analystRoleArns: z.array(z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/, { error: 'must be an IAM role ARN' })).default([]),
  /** How people log in to OpenSearch Dashboards (docs/login.md). Default: nobody but IAM principals. */
  login: loginSchema.default({}),
  /** OpenSearch alerting: the SNS channel and the example monitors (docs/alerting.md). */
  alerting: alertingSchema.default(alertingSchema.parse({})),
});

export const logBucketSchema = z.strictObject({
  /** Days after which objects move to S3 Standard-IA. */
  transitionToInfrequentAccessDays: z.number().int().min(30, { error: 'S3 requires at least 30 days before STANDARD_IA' }).default(90),
  /** Days after which objects move to Glacier Flexible Retrieval; omit to keep them in Standard-IA. */
  transitionToGlacierDays: positiveInt().optional(),
  /** Days after which objects expire; omit to keep logs forever. */
  expirationDays: positiveInt().optional(),
  /** Tamper-evident retention with S3 Object Lock (set only on new buckets). */
  objectLock: z
    .strictObject({
      mode: z.enum(['GOVERNANCE', 'COMPLIANCE']),
      days: positiveInt(36500),
    })
    .optional(),
});

/** An IPv4/IPv6 address or CIDR range (`10.0.0.0/8`, `2001:db8::/32`). */
function isCidr(v: string): boolean {
  const m = /^([^/\s]+)(?:\/(\d{1,3}))?$/.exec(v);
  const family = m ? isIP(m[1]!) : 0;
  return family !== 0 && (m![2] === undefined || Number(m![2]) <= (family === 4 ? 32 : 128));
}

const S3_URL = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/\S+$/;

/** `loader.userIni`: an S3 URL, or a file of this repository that the loader accepts (checked here, before any deploy). */
function checkUserIni(v: string, ctx: z.RefinementCtx): void {
  if (v.startsWith('s3://')) {
    if (!S3_URL.test(v)) ctx.addIssue({ code: 'custom', message: `must be s3://<bucket>/<key>; got ${JSON.stringify(v)}` });
    return;
  }
  const file = path.resolve(__dirname, '..', v);
  if (path.isAbsolute(v) || path.relative(path.resolve(__dirname, '..'), file).startsWith('..') || !existsSync(file)) {
    ctx.addIssue({ code: 'custom', message: `must be s3://<bucket>/<key> or the path of a file in this repository, from its root (e.g. accounts/user.ini); got ${JSON.stringify(v)}` });
    return;
  }
  try {
    Pipeline.create({ userIni: readFileSync(file, 'utf8'), userIniName: v });
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `is not a valid user.ini: ${(err as Error).message}` });
  }
}

export const loaderSchema = z.strictObject({
  /** `sqs`: S3 -> SQS -> Lambda (buffered, retried); `s3`: S3 invokes the loader directly. */
  trigger: z.enum(['sqs', 's3']).default('sqs'),
  reservedConcurrency: z.number().int().min(0).max(1000).default(10),
  memoryMb: z.number().int().min(128).max(10240).default(2048),
  timeoutSeconds: z.number().int().min(1).max(900).default(600),
  /** Receives before a message of the split queue moves to the DLQ. */
  maxReceiveCount: positiveInt(1000).default(3),
  /** Files with more records are split into ranges of this many (the reference's default). */
  splitSize: positiveInt().default(100000),
  /**
   * Your user.ini (docs/log-types.md "user.ini": the reference's grammar): `s3://<bucket>/<key>`, read by
   * the loader at cold start (its role may read exactly that object), or the path of a file in this
   * repository (from its root, e.g. accounts/user.ini), checked at synth and bundled with the loader.
   * A user.ini that turns out unreadable or invalid at cold start is left out with one error line.
   * Default none: aws.ini and lambdas/es-loader/user.ini only.
   */
  userIni: z.string().superRefine(checkUserIni).optional(),
  logRetentionDays: logRetentionDays.default(90),
  /**
   * Organization context on every document with a cloud.account.id: `cloud.account.name` (member name),
   * `.organizational_unit` and `.tags` from accounts/ (docs/log-types.md). Default true; false: none.
   */
  organizationContext: z.boolean().default(true),
  /**
   * Proxies and load balancers of your own (addresses or CIDR ranges) that the loader skips when it takes
   * the client IP from X-Forwarded-For (`clientip_xff` in aws.ini). Default none.
   */
  trustedProxies: z
    .array(z.string().refine(isCidr, { error: (iss) => `must be an IPv4/IPv6 address or CIDR range such as 192.0.2.0/24 or 2001:db8::/32, got ${JSON.stringify(iss.input)}` }))
    .default([]),
});

export const logArchiveSchema = z.strictObject({
  accountId,
  region,
  deployRole: roleName.optional(),
  /** Control Tower buckets to read; default the two Control Tower creates in the home region. */
  controlTowerBuckets: z.array(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name' })).optional(),
  /** KMS key Control Tower encrypts its logs with, when one is configured. */
  controlTowerKmsKeyArn: z.string().regex(/^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, { error: 'must be a KMS key ARN' }).optional(),
  /** External id the central loader presents when it assumes `ct-role-for-siem`. */
  externalId: z.string().regex(/^[\w+=,.@:/-]{2,1224}$/, { error: 'must be 2-1224 characters of letters, digits and +=,.@:/-' }),
  /** `eventbridge`: bucket EventBridge switch + rule to the queue (other consumers can add rules later); `direct`: S3 sends to the queue. Both write the bucket's whole notification configuration (docs/control-tower.md). */
  notificationMode: z.enum(['eventbridge', 'direct']).default('eventbridge'),
  /** false: the stack never writes the buckets' notification configuration; switch EventBridge on by hand (docs/control-tower.md). */
  manageBucketNotifications: z.boolean().default(true),
});

/**
 * An SQS queue given as its ARN (`arn:aws:sqs:<region>:<account>:<name>`, the console's "Subscription
 * endpoint") or its URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`); kept as the ARN.
 */
const sqsQueueArnOrUrl = z
  .string({ error: 'must be the subscriber queue ARN (arn:aws:sqs:<region>:<account>:<name>) or URL' })
  .transform((v, ctx) => {
    const fromUrl = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com\/(\d{12})\/([\w-]{1,80})$/.exec(v);
    if (fromUrl) return `arn:aws:sqs:${fromUrl[1]}:${fromUrl[2]}:${fromUrl[3]}`;
    if (/^arn:aws[\w-]*:sqs:[a-z0-9-]+:\d{12}:[\w-]{1,80}$/.test(v)) return v;
    ctx.addIssue({ code: 'custom', message: `must be the subscriber queue ARN (arn:aws:sqs:<region>:<account>:<name>) or URL (https://sqs.<region>.amazonaws.com/<account>/<name>); got ${JSON.stringify(v)}` });
    return z.NEVER;
  });

/**
 * Amazon Security Lake subscriber with data access (docs/security-lake.md): Security Lake notifies the
 * subscriber queue of new objects, and the central loader reads them with the subscriber role. The
 * subscriber, its role and its queue are created by Security Lake, not by this project.
 */
export const securityLakeSchema = z.strictObject({
  /** The account where Security Lake runs and the subscriber was created (the delegated administrator in an organization). */
  accountId,
  /** The Region of the subscriber (its queue and buckets); the loader consumes queues of its own Region only. */
  region,
  /** "AWS role ID" of the subscriber: the role Security Lake created for the SIEM account (arn:aws:iam::<account>:role/AmazonSecurityLake-...). */
  subscriberRoleArn: z.string({ error: 'is required: the subscriber role ARN Security Lake shows ("AWS role ID")' }).regex(/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, { error: (iss) => `must be an IAM role ARN such as arn:aws:iam::<account>:role/AmazonSecurityLake-<id>; got ${JSON.stringify(iss.input)}` }),
  /** External id given to Security Lake when the subscriber was created; the loader presents it when it assumes the role. */
  externalId: z.string({ error: 'is required: the external id entered when the subscriber was created' }).regex(/^[\w+=,.@:/-]{2,1224}$/, { error: 'must be 2-1224 characters of letters, digits and +=,.@:/-' }),
  /** The subscriber's SQS queue ("Subscription endpoint", AmazonSecurityLake-<id>-Main-Queue): ARN or URL. */
  queue: sqsQueueArnOrUrl,
  /**
   * Lake buckets the loader reads with the subscriber role: names, or patterns where `*` stands for any
   * characters. Default: `aws-security-data-lake-<region>-*`, the names Security Lake gives its buckets.
   */
  buckets: z
    .array(z.string().regex(/^[a-z0-9*][a-z0-9.*-]{1,61}[a-z0-9*]$/, { error: (iss) => `must be an S3 bucket name, or a pattern of one with * for any characters; got ${JSON.stringify(iss.input)}` }))
    .min(1, { error: 'names no bucket; leave it out for the default aws-security-data-lake-<region>-*' })
    .optional(),
});

export const stateBackendSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('local') }),
  z.strictObject({
    type: z.literal('s3'),
    bucket: z.string().min(3),
    region,
    /** State objects are `<keyPrefix>/<stack id>.tfstate`. */
    keyPrefix: z.string().default('siem'),
    encrypt: z.boolean().default(true),
    /** Native S3 state locking (Terraform >= 1.10). */
    useLockfile: z.boolean().default(true),
    /** Role to assume for state access, if different from the deploy credentials. */
    roleArn: z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/).optional(),
  }),
]);

export const organizationFileSchema = z.strictObject({
  /** Prefix of every resource name; the reference's default is `aes-siem`. */
  prefix: resourceName('prefix', 20).default('aes-siem'),
  organization: z
    .strictObject({
      id: z.string().regex(/^o-[a-z0-9]{10,32}$/, { error: (iss) => `must be an organization id such as "o-a1b2c3d4e5", got ${JSON.stringify(iss.input)}` }),
      managementAccountId: accountId.optional(),
    })
    .optional(),
  security: z.strictObject({
    accountId,
    region,
    deployRole: roleName.optional(),
    /**
     * ARN of the central KMS key, known after the first deploy of the `central` stack (its output
     * `kms_key_arn`). Member and log-archive stacks use it where a service needs a key ARN; until it is
     * set they use the alias ARN (`alias/<prefix>-key`) and synth prints a warning.
     */
    centralKeyArn: z.string().regex(/^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, { error: 'must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)' }).optional(),
    /** E-mail address subscribed to the `<prefix>-alert` topic. */
    alertEmail: z.email({ error: 'must be an e-mail address' }).optional(),
    /** IAM role ARNs in the security account that may read (decrypt) logs, besides the SIEM's own roles. */
    logReaderRoleArns: z.array(z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/, { error: 'must be an IAM role ARN' })).default([]),
  }),
  defaults: z
    .strictObject({
      /** Role member stacks assume; Control Tower organizations use `AWSControlTowerExecution`. */
      memberDeployRole: roleName.default('OrganizationAccountAccessRole'),
    })
    .default({ memberDeployRole: 'OrganizationAccountAccessRole' }),
  logArchive: logArchiveSchema.optional(),
  /** Amazon Security Lake subscriber (docs/security-lake.md). Default: none. */
  securityLake: securityLakeSchema.optional(),
  logBucket: logBucketSchema.default(logBucketSchema.parse({})),
  opensearch: openSearchSchema.default(openSearchSchema.parse({})),
  loader: loaderSchema.default(loaderSchema.parse({})),
  /** Extra CloudWatch alarm names whose ALARM state stops ingestion (besides the storage alarm). */
  stopIngestionAlarms: z.array(z.string().min(1)).default([]),
  geoip: z
    .strictObject({
      /** SSM SecureString parameter name holding the MaxMind license key. */
      licenseKeyParameter: z.string().regex(/^\/?[\w.\/-]+$/).optional(),
      /** Secrets Manager secret name holding the MaxMind license key. */
      licenseKeySecret: z.string().min(1).optional(),
    })
    .default({}),
  /**
   * Threat intelligence (docs/threat-intel.md): `<prefix>-ioc-downloader` builds the IoC database
   * `s3://<geo bucket>/IOC/ioc.siemdb` from the Tor exit list, the abuse.ch Feodo Tracker blocklist,
   * AlienVault OTX (with an API key) and your lists under `IOC/TXT/` and `IOC/STIX2/`.
   */
  threatIntel: z
    .strictObject({
      /** Deploy the downloader and its schedule. Default false: no function, no schedule. */
      enabled: z.boolean().default(false),
      /** Hours between two runs (EventBridge `rate(<n> hours)`). Default 6. */
      intervalHours: z.number().int().min(1).max(168).default(6),
      /** SSM SecureString parameter name holding the AlienVault OTX API key. Default: none (OTX off). */
      otxKeyParameter: z.string().regex(/^\/?[\w.\/-]+$/, { error: 'must be an SSM parameter name (letters, digits, _ . - /)' }).optional(),
      /** Secrets Manager secret name holding the OTX API key (the key itself or `{"api_key": "..."}`). Default: none. */
      otxKeySecret: z.string().regex(/^[\w\/+=.@-]+$/, { error: 'must be a Secrets Manager secret name (letters, digits, / _ + = . @ -)' }).optional(),
      /** Read the Tor exit-node list. Default true. */
      tor: z.boolean().default(true),
      /** Read the abuse.ch Feodo Tracker IP blocklist. Default true. */
      feodo: z.boolean().default(true),
      /**
       * Feed URLs (a mirror or a proxy). Defaults: `https://check.torproject.org/exit-addresses`,
       * `https://feodotracker.abuse.ch/downloads/ipblocklist.json`, `https://otx.alienvault.com/`.
       */
      torUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
      feodoUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
      otxUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
      /** Largest feed, custom file or database accepted, in MB. Default 100. */
      maxSourceMb: z.number().int().min(1).max(1024).default(100),
      /** Newest subscribed OTX pulses read per run. Default 5000. */
      maxOtxPulses: z.number().int().min(1).max(100_000).default(5000),
      /** Newest files read under each of `IOC/TXT/` and `IOC/STIX2/`. Default 5000. */
      maxCustomFiles: z.number().int().min(1).max(100_000).default(5000),
    })
    .default({ enabled: false, intervalHours: 6, tor: true, feodo: true, maxSourceMb: 100, maxOtxPulses: 5000, maxCustomFiles: 5000 }),
  stateBackend: stateBackendSchema.default({ type: 'local' }),
})
  // Rules across fields (OpenSearch tiers, lifecycle, GeoIP and OTX keys, Control Tower, Security Lake): accounts/rules.ts.
  .superRefine(checkOrganizationRules);

export type OrganizationFile = z.infer<typeof organizationFileSchema>;
export type Member = z.infer<typeof memberSchema>;
export type OpenSearchSettings = z.infer<typeof openSearchSchema>;
export type LoginSettings = z.infer<typeof loginSchema>;
export type AlertingSettings = z.infer<typeof alertingSchema>;
export type LogArchive = z.infer<typeof logArchiveSchema>;
export type SecurityLake = z.infer<typeof securityLakeSchema>;
export type StateBackend = z.infer<typeof stateBackendSchema>;

/** The validated organization: the organization file plus its members, in file-name order. */
export interface Organization extends OrganizationFile {
  readonly members: readonly Member[];
}
