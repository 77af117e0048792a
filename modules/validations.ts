/**
 * Whole-stack rules checked at synth (cdktf runs `node.addValidation` validators before writing;
 * `Testing.synth(stack, true)` runs them in tests):
 * - no data sources: a plan must never need AWS to learn something accounts/ already says;
 * - only the hashicorp/aws provider (the only one available offline);
 * - every queue, topic and bucket is encrypted (KMS, or SSE-SQS for cross-account queues);
 * - every named resource carries the configured prefix, so two deployments never collide.
 */
import { TerraformDataSource, TerraformProvider, TerraformResource, TerraformStack } from 'cdktf';
import type { IConstruct, IValidation } from 'constructs';

/**
 * A construct refused its props: the message starts with the construct's path and the prop, e.g.
 * `central/opensearch: settings.instanceCount: ...`. Configuration mistakes are reported earlier, by
 * the organization's validation (accounts/rules.ts); this is what is left for a construct used on its own.
 */
export class InvalidPropsError extends Error {
  constructor(scope: IConstruct, prop: string, message: string) {
    super(`${scope.node.path}: ${prop}: ${message}`);
    this.name = new.target.name;
  }
}

/** Names fixed by AWS or by the issue text rather than by the prefix. */
const FIXED_NAMES = new Set(['ct-role-for-siem', 'OrganizationAccountAccessRole', 'AWSControlTowerExecution']);

/** The attribute that holds a resource's name, per resource type (only types the project creates). */
const NAME_ATTRIBUTE: Readonly<Record<string, string>> = {
  aws_s3_bucket: 'bucket',
  aws_sqs_queue: 'name',
  aws_sns_topic: 'name',
  aws_lambda_function: 'function_name',
  aws_iam_role: 'name',
  aws_cloudwatch_metric_alarm: 'alarm_name',
  aws_cloudwatch_event_rule: 'name',
  aws_cloudwatch_log_group: 'name',
  aws_kms_alias: 'name',
  aws_opensearch_domain: 'domain_name',
  aws_cloudtrail: 'name',
  aws_kinesis_firehose_delivery_stream: 'name',
  aws_cloudwatch_dashboard: 'dashboard_name',
};

function attributes(resource: TerraformResource): Record<string, unknown> {
  const json = resource.toTerraform() as { resource?: Record<string, Record<string, Record<string, unknown>>> };
  const byName = json.resource?.[resource.terraformResourceType] ?? {};
  return Object.values(byName)[0] ?? {};
}

export function checkStack(stack: TerraformStack, prefix: string): string[] {
  const errors: string[] = [];
  const where = (c: IConstruct) => `${c.node.path}`;
  for (const c of stack.node.findAll()) {
    if (c instanceof TerraformDataSource) {
      errors.push(`${where(c)}: data source ${c.terraformResourceType} would query AWS at plan time; take the value from accounts/ instead`);
    }
    if (c instanceof TerraformProvider && c.terraformResourceType !== 'aws') {
      errors.push(`${where(c)}: provider ${c.terraformResourceType} is not available offline; only hashicorp/aws may be used`);
    }
    if (!(c instanceof TerraformResource)) continue;
    const type = c.terraformResourceType;
    const attrs = attributes(c);
    if (type === 'aws_sqs_queue' && !attrs.kms_master_key_id && attrs.sqs_managed_sse_enabled !== true) {
      errors.push(`${where(c)}: queue ${String(attrs.name)} is not encrypted; set kmsMasterKeyId (or sqsManagedSseEnabled for cross-account producers)`);
    }
    if (type === 'aws_sns_topic' && !attrs.kms_master_key_id) {
      errors.push(`${where(c)}: topic ${String(attrs.name)} is not encrypted; set kmsMasterKeyId`);
    }
    if (type === 'aws_s3_bucket') {
      const bucket = String(attrs.bucket);
      const encrypted = stack.node
        .findAll()
        .some((o) => o instanceof TerraformResource && o.terraformResourceType === 'aws_s3_bucket_server_side_encryption_configuration' && o.node.scope === c.node.scope);
      if (!encrypted) errors.push(`${where(c)}: bucket ${bucket} has no default encryption; build buckets with SecureBucket`);
    }
    const nameAttribute = NAME_ATTRIBUTE[type];
    const name = nameAttribute ? attrs[nameAttribute] : undefined;
    if (typeof name === 'string' && !name.includes('${') && !FIXED_NAMES.has(name) && !name.includes(prefix)) {
      errors.push(`${where(c)}: ${type} name ${JSON.stringify(name)} does not contain the prefix ${JSON.stringify(prefix)}`);
    }
  }
  return errors;
}

/** Adds the project's rules to a stack; they run when the app synthesizes. */
export function addProjectValidations(stack: TerraformStack, prefix: string): void {
  const validation: IValidation = { validate: () => checkStack(stack, prefix) };
  stack.node.addValidation(validation);
}
