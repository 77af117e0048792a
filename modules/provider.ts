/**
 * The AWS provider of a stack. `allowed_account_ids` pins it to the target account, so credentials for
 * another account can never apply; the offline plan in the tests removes that guard (and assume_role)
 * together with the credentials.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
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

export function accountProvider(scope: Construct, id: string, props: AccountProviderProps): AwsProvider {
  return new AwsProvider(scope, id, {
    region: props.region,
    alias: props.alias,
    allowedAccountIds: [props.accountId],
    assumeRole: props.deployRole ? [{ roleArn: arn.role(props.accountId, props.deployRole), sessionName: 'siem-deploy' }] : undefined,
    defaultTags: props.tags ? [{ tags: { ...props.tags } }] : undefined,
  });
}
