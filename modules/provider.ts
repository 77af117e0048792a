/**
 * The AWS provider of a stack. `allowed_account_ids` pins it to the target account, so credentials for
 * another account can never apply; the offline plan in the tests removes that guard (and assume_role)
 * together with the credentials.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { arn } from './naming';

export interface AccountProviderProps {
  readonly accountId: string;
  readonly region: string;
  /** Role to assume in the target account; omit to use the caller's credentials as they are. */
  readonly deployRole?: string;
  /** Provider alias, for stacks that deploy into several regions. */
  readonly alias?: string;
  /** Tags added to every resource the provider creates. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Provider constraint: @cdktf/provider-aws 20.1.x is generated from AWS provider 5.100. */
export const AWS_PROVIDER_CONSTRAINT = '~> 5.100';

export function accountProvider(scope: Construct, id: string, props: AccountProviderProps): AwsProvider {
  // cdktf pins the exact version the bindings were generated from; a compatible-release constraint
  // lets users take provider patch releases without regenerating anything.
  const stack = TerraformStack.of(scope);
  stack.addOverride('terraform.required_providers.aws.source', 'hashicorp/aws');
  stack.addOverride('terraform.required_providers.aws.version', AWS_PROVIDER_CONSTRAINT);
  return new AwsProvider(scope, id, {
    region: props.region,
    alias: props.alias,
    allowedAccountIds: [props.accountId],
    assumeRole: props.deployRole ? [{ roleArn: arn.role(props.accountId, props.deployRole), sessionName: 'siem-deploy' }] : undefined,
    defaultTags: props.tags ? [{ tags: { ...props.tags } }] : undefined,
  });
}
