/**
 * What a member stack needs to know about the central (security) account: the log bucket and the
 * KMS key. Both come from `accounts/` (names are fixed, ids are configured), never from a lookup.
 */
import type { Organization } from '../../accounts/schema';
import { arn, names } from '../naming';

export interface CentralRefs {
  readonly bucketName: string;
  readonly bucketArn: string;
  /**
   * ARN of the central key. `security.centralKeyArn` when set; otherwise the alias ARN
   * `arn:aws:kms:<security region>:<security account>:alias/<prefix>-key`.
   */
  readonly keyArn: string;
  /** True when `keyArn` is the alias ARN fallback (`security.centralKeyArn` not yet set). */
  readonly keyIsAlias: boolean;
}

export function centralRefs(org: Pick<Organization, 'prefix' | 'security' | 'opensearch'>): CentralRefs {
  const n = names(org);
  const configured = org.security.centralKeyArn;
  return {
    bucketName: n.logBucket,
    bucketArn: arn.bucket(n.logBucket),
    keyArn: configured ?? arn.keyAliasArn(org.security.region, org.security.accountId, n.keyAlias),
    keyIsAlias: configured === undefined,
  };
}
