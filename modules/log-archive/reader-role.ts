/**
 * `ct-role-for-siem`: the role the central es-loader assumes (with the external id) to read objects of
 * the Control Tower buckets and, when configured, decrypt them with the Control Tower key.
 */
import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { terraformPolicy } from '../policies/document';
import { readerRoleStatements, readerRoleTrustStatements } from './policies';
import type { ControlTowerSettings } from './settings';

/** One hour: the loader refreshes credentials shortly before they expire (storage/control-tower.ts). */
export const READER_ROLE_MAX_SESSION_SECONDS = 3600;

export interface ControlTowerReaderRoleProps {
  readonly settings: ControlTowerSettings;
}

export class ControlTowerReaderRole extends Construct {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: ControlTowerReaderRoleProps) {
    super(scope, id);
    const s = props.settings;
    this.role = new IamRole(this, 'role', {
      name: s.readerRoleName,
      description: `Assumed by ${s.loaderRoleArn} (external id required) to read the Control Tower log buckets`,
      assumeRolePolicy: terraformPolicy(readerRoleTrustStatements(s)),
      maxSessionDuration: READER_ROLE_MAX_SESSION_SECONDS,
    });
    this.policy = new IamRolePolicy(this, 'policy', {
      name: `${s.prefix}-read-control-tower-logs`,
      role: this.role.name,
      policy: terraformPolicy(readerRoleStatements(s)),
    });
  }
}
