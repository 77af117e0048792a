/**
 * IAM policy documents as plain data, serialized deterministically so that `terraform plan` shows the
 * real policy text (no `aws_iam_policy_document` data source, nothing "known after apply" but ARNs of
 * resources created in the same apply).
 */
export type ConditionValue = string | boolean | number | readonly (string | boolean | number)[];
export type Condition = Readonly<Record<string, Readonly<Record<string, ConditionValue>>>>;
export type Principal = '*' | Readonly<{ AWS?: string | readonly string[]; Service?: string | readonly string[]; Federated?: string | readonly string[] }>;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Principal;
  readonly NotPrincipal?: Principal;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Condition;
}

export interface PolicyDocumentData {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

export function policyData(statements: readonly PolicyStatement[]): PolicyDocumentData {
  const sids = statements.map((s) => s.Sid).filter((s): s is string => s !== undefined);
  const dup = sids.find((s, i) => sids.indexOf(s) !== i);
  if (dup) throw new Error(`policy has two statements with Sid ${dup}`);
  return { Version: '2012-10-17', Statement: statements };
}

/** The JSON text of a policy; `Version` 2012-10-17 is required for policy variables such as `${aws:SourceAccount}`. */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify(policyData(statements));
}

/**
 * Denies every request to `resource` that does not use TLS (`aws:SecureTransport` false), the baseline
 * of every bucket, queue and topic policy of the project.
 */
export function denyInsecureTransport(action: string, resource: string | readonly string[]): PolicyStatement {
  return { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: action, Resource: resource, Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
}

/**
 * Policy variables such as `${aws:SourceAccount}` must reach AWS literally, but Terraform reads `${` in
 * its JSON syntax as an interpolation; `$${` is Terraform's escape. cdktf tokens (`${TfToken[...]}`) are
 * left alone.
 */
export function escapePolicyVariables(text: string): string {
  return text.replace(/\$\{(aws|s3|kms|sts|ec2|iam):/g, '$$${$1:');
}

/** A policy document ready for a Terraform argument. */
export function terraformPolicy(statements: readonly PolicyStatement[]): string {
  return escapePolicyVariables(policyDocument(statements));
}

/** Size in bytes of a policy as AWS counts it (JSON without insignificant white space). */
export function policySize(policy: string | PolicyDocumentData): number {
  const text = typeof policy === 'string' ? policy : JSON.stringify(policy);
  return Buffer.byteLength(text, 'utf8');
}
