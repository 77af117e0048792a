/**
 * WAF logging through Kinesis Data Firehose into the central bucket.
 *
 * - One delivery stream per region that has regional web ACLs, and one in us-east-1 for CloudFront
 *   (global) web ACLs whose keys use the region segment `global`. WAF only logs to streams whose name
 *   starts with `aws-waf-logs-` (WAF Developer Guide, "Amazon Data Firehose" logging destination), and
 *   CloudFront ACLs only to streams in us-east-1.
 * - Prefix `AWSLogs/<acct>/WAF/<region>/` has no expression, so Firehose appends its default
 *   `YYYY/MM/dd/HH/` (Firehose Developer Guide, "Custom prefixes for Amazon S3 objects"). The error
 *   prefix uses `!{firehose:error-output-type}`; an error prefix with an expression must contain that
 *   expression, and the success prefix must not.
 * - One IAM role `<prefix>-waf-firehose` (global, created once) for all streams; see
 *   `waf-firehose-policy.ts` for its exact rights.
 */
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KinesisFirehoseDeliveryStream } from '@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream';
import {
  Wafv2WebAclLoggingConfiguration,
  type Wafv2WebAclLoggingConfigurationLoggingFilter,
  type Wafv2WebAclLoggingConfigurationRedactedFields,
} from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { wafLogPrefix } from './names';
import { wafFirehosePolicyName, wafFirehoseRolePolicy, wafFirehoseTrustPolicy } from './waf-firehose-policy';

export type WafRedactedField = { readonly singleHeader: string } | 'uriPath' | 'queryString' | 'method';
export type WafAction = 'ALLOW' | 'BLOCK' | 'COUNT' | 'CAPTCHA' | 'CHALLENGE' | 'EXCLUDED_AS_COUNT';

/** Where a web ACL logs: the stream's region and the region segment of the key prefix. */
export interface WafTarget {
  /** Region of the stream (us-east-1 for CloudFront ACLs). */
  readonly region: string;
  /** Key segment: the region, or `global` for CloudFront ACLs. */
  readonly segment: string;
}

/** `arn:aws:wafv2:<region>:<acct>:regional|global/webacl/<name>/<id>` -> its stream target. */
export function wafTargetOf(webAclArn: string): WafTarget {
  const [, , , region, , scope] = webAclArn.split(':');
  if (!region || !scope) throw new Error(`not a WAFv2 web ACL ARN: ${webAclArn}`);
  return scope.startsWith('global/') ? { region: 'us-east-1', segment: 'global' } : { region, segment: region };
}

export function wafPrefixes(accountId: string, segment: string): { prefix: string; errorPrefix: string } {
  const base = `${wafLogPrefix(accountId)}${segment}/`;
  return { prefix: base, errorPrefix: `${base}error/!{firehose:error-output-type}/` };
}

export interface MemberWafLoggingProps {
  readonly homeProvider: TerraformProvider;
  readonly providerFor: (region: string) => TerraformProvider;
  readonly accountId: string;
  readonly roleName: string;
  readonly streamName: (segment: string) => string;
  readonly bucketName: string;
  readonly bucketArn: string;
  /** Region of the central bucket (the security account's home Region). */
  readonly bucketRegion: string;
  readonly keyArn: string;
  readonly webAcls: readonly string[];
  /** Default 5 MiB. */
  readonly bufferingSizeMb?: number;
  /** Default 300 s. */
  readonly bufferingIntervalSeconds?: number;
  readonly redactedFields?: readonly WafRedactedField[];
  /** Keep only requests with these actions; default: log everything. */
  readonly keepOnlyActions?: readonly WafAction[];
}

export function redactedFieldBlocks(fields: readonly WafRedactedField[]): Wafv2WebAclLoggingConfigurationRedactedFields[] {
  return fields.map((f) => {
    if (typeof f === 'object') return { singleHeader: { name: f.singleHeader } };
    if (f === 'uriPath') return { uriPath: {} };
    if (f === 'queryString') return { queryString: {} };
    return { method: {} };
  });
}

/** WAF logging filter: keep requests whose action is one of `actions`, drop the rest. */
export function keepOnlyFilter(actions: readonly WafAction[]): Wafv2WebAclLoggingConfigurationLoggingFilter {
  return {
    defaultBehavior: 'DROP',
    filter: [{ behavior: 'KEEP', requirement: 'MEETS_ANY', condition: actions.map((action) => ({ actionCondition: { action } })) }],
  };
}

export class MemberWafLogging extends Construct {
  readonly role: IamRole;
  readonly streams = new Map<string, KinesisFirehoseDeliveryStream>();
  readonly loggingConfigurations: Wafv2WebAclLoggingConfiguration[] = [];

  constructor(scope: Construct, id: string, props: MemberWafLoggingProps) {
    super(scope, id);
    const targets = new Map<string, WafTarget>();
    for (const acl of props.webAcls) {
      const t = wafTargetOf(acl);
      targets.set(t.segment, t);
    }

    this.role = new IamRole(this, 'role', {
      provider: props.homeProvider,
      name: props.roleName,
      description: 'Kinesis Data Firehose writes this account\'s WAF logs into the central SIEM log bucket',
      assumeRolePolicy: JSON.stringify(wafFirehoseTrustPolicy(props.accountId)),
    });
    const policy = new IamRolePolicy(this, 'policy', {
      provider: props.homeProvider,
      role: this.role.name,
      name: wafFirehosePolicyName,
      policy: JSON.stringify(
        wafFirehoseRolePolicy({ memberAccountId: props.accountId, bucketName: props.bucketName, keyArn: props.keyArn, bucketRegion: props.bucketRegion }),
      ),
    });

    for (const target of targets.values()) {
      const { prefix, errorPrefix } = wafPrefixes(props.accountId, target.segment);
      const stream = new KinesisFirehoseDeliveryStream(this, `stream-${target.segment}`, {
        provider: props.providerFor(target.region),
        name: props.streamName(target.segment),
        destination: 'extended_s3',
        // Encrypts data at rest inside Firehose. WAF writes with Direct PUT, the case SSE applies to.
        // A key of another account cannot be used for stream SSE, so an AWS owned key is used here;
        // the objects in S3 are encrypted with the central key (kms_key_arn below).
        serverSideEncryption: { enabled: true, keyType: 'AWS_OWNED_CMK' },
        extendedS3Configuration: {
          roleArn: this.role.arn,
          bucketArn: props.bucketArn,
          prefix,
          errorOutputPrefix: errorPrefix,
          compressionFormat: 'GZIP',
          bufferingSize: props.bufferingSizeMb ?? 5,
          bufferingInterval: props.bufferingIntervalSeconds ?? 300,
          kmsKeyArn: props.keyArn,
        },
        // The role's policy must exist before Firehose validates the destination.
        dependsOn: [policy],
      });
      this.streams.set(target.segment, stream);
    }

    for (const acl of props.webAcls) {
      const target = wafTargetOf(acl);
      const [, , name, aclId] = acl.split(':')[5]!.split('/');
      this.loggingConfigurations.push(
        new Wafv2WebAclLoggingConfiguration(this, `logging-${target.segment}-${name}-${aclId}`, {
          provider: props.providerFor(target.region),
          resourceArn: acl,
          logDestinationConfigs: [this.streams.get(target.segment)!.arn],
          redactedFields: props.redactedFields?.length ? redactedFieldBlocks(props.redactedFields) : undefined,
          loggingFilter: props.keepOnlyActions?.length ? keepOnlyFilter(props.keepOnlyActions) : undefined,
        }),
      );
    }
  }
}
