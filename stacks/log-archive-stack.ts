/**
 * `log-archive`: the Control Tower Log Archive account. The SIEM reads the Control Tower log buckets
 * where they are: object-created events reach the queue `<prefix>-ct` (through EventBridge by default,
 * or S3 notifications), the central es-loader consumes that queue across accounts and reads the objects
 * as `ct-role-for-siem`. Nothing is copied. See docs/control-tower.md.
 */
import { Annotations, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Organization } from '../accounts/schema';
import {
  ControlTowerNotifications,
  ControlTowerQueue,
  ControlTowerReaderRole,
  controlTowerKeyPolicyStatement,
  requireControlTowerSettings,
  type ControlTowerSettings,
} from '../modules/log-archive';
import { accountProvider } from '../modules/provider';
import { configureBackend } from './backend';

export interface LogArchiveStackProps {
  readonly org: Organization;
}

export const LOG_ARCHIVE_STACK_ID = 'log-archive';

export function notificationReplacementWarning(s: ControlTowerSettings): string {
  return (
    `log-archive: the first apply writes the whole S3 notification configuration of ${s.buckets.join(', ')} ` +
    `(notificationMode ${s.notificationMode}); destinations configured there by anyone else are removed. Check each bucket with ` +
    '`aws s3api get-bucket-notification-configuration --bucket <name>` before deploying, or set logArchive.manageBucketNotifications: false ' +
    'and switch EventBridge on by hand (docs/control-tower.md).'
  );
}

export class LogArchiveStack extends TerraformStack {
  readonly settings: ControlTowerSettings;
  readonly provider: AwsProvider;
  readonly queue: ControlTowerQueue;
  readonly readerRole: ControlTowerReaderRole;
  readonly notifications: ControlTowerNotifications;

  constructor(scope: Construct, id: string, props: LogArchiveStackProps) {
    super(scope, id);
    const s = requireControlTowerSettings(props.org, `the ${id} stack`);
    this.settings = s;

    this.provider = accountProvider(this, 'aws', {
      accountId: s.accountId,
      region: s.region,
      deployRole: s.deployRole,
      tags: { Project: 'siem-on-opensearch', Stack: id },
    });
    configureBackend(this, props.org);

    this.queue = new ControlTowerQueue(this, 'ct-queue', { settings: s });
    this.readerRole = new ControlTowerReaderRole(this, 'ct-reader', { settings: s });
    this.notifications = new ControlTowerNotifications(this, 'ct-notifications', {
      settings: s,
      queueArn: this.queue.queue.arn,
      dlqArn: this.queue.dlq.arn,
      queuePolicy: this.queue.queuePolicy,
    });
    if (s.manageBucketNotifications) Annotations.of(this).addWarning(notificationReplacementWarning(s));

    new TerraformOutput(this, 'queue_arn', { value: this.queue.queue.arn, description: 'Queue the central es-loader consumes' });
    new TerraformOutput(this, 'dlq_url', { value: this.queue.dlq.url, description: 'Messages the loader could not process, with their reason' });
    new TerraformOutput(this, 'reader_role_arn', { value: this.readerRole.role.arn, description: 'Role the central es-loader assumes to read the Control Tower buckets' });
    const keyStatement = controlTowerKeyPolicyStatement(s);
    if (keyStatement) {
      new TerraformOutput(this, 'control_tower_key_policy_statement', {
        value: JSON.stringify(keyStatement, null, 2),
        description: `Add this statement to the policy of ${s.kmsKeyArn} in the management account (npm run -s ct-key-statement prints it too)`,
      });
    }
  }
}
