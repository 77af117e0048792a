/**
 * How object-created events of the Control Tower buckets reach `<prefix>-ct`.
 *
 * Both modes write the bucket's notification configuration with `aws_s3_bucket_notification`, and S3's
 * PutBucketNotificationConfiguration replaces the whole configuration ("This action replaces the
 * existing notification configuration", Amazon S3 API Reference): queue, topic and Lambda destinations
 * that someone else configured on the bucket are removed, in both modes, on the first apply. The
 * difference is afterwards: with EventBridge switched on, any further consumer adds its own rule and
 * never touches the bucket again, while a direct configuration has to list every destination.
 * `manageBucketNotifications: false` leaves the bucket alone (EventBridge mode only): the operator
 * switches EventBridge on in the console, which keeps the existing destinations. docs/control-tower.md
 * explains how to check a bucket first.
 */
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import type { ITerraformDependable } from 'cdktf';
import { InvalidPropsError } from '../validations';
import { objectCreatedPattern } from './policies';
import type { ControlTowerSettings } from './settings';

/** S3 event types sent in direct mode: every way an object is created (put, post, copy, multipart). */
export const DIRECT_EVENTS = ['s3:ObjectCreated:*'];

/** `settings.notificationMode` "direct" with `settings.manageBucketNotifications` false (accounts/rules.ts reports it first). */
export class BucketNotificationModeError extends InvalidPropsError {}

export interface ControlTowerNotificationsProps {
  readonly settings: ControlTowerSettings;
  /** ARN of `<prefix>-ct` (a token of the queue in the same stack). */
  readonly queueArn: string;
  readonly dlqArn: string;
  /** The queue policy: S3 checks it can send when the notification is written, so it must exist first. */
  readonly queuePolicy: ITerraformDependable;
}

/** Terraform-safe construct id of a bucket. */
const bucketId = (bucket: string) => bucket.replace(/[^A-Za-z0-9-]/g, '-');

export class ControlTowerNotifications extends Construct {
  readonly bucketNotifications: S3BucketNotification[] = [];
  readonly rule?: CloudwatchEventRule;
  readonly target?: CloudwatchEventTarget;

  constructor(scope: Construct, id: string, props: ControlTowerNotificationsProps) {
    super(scope, id);
    const s = props.settings;
    if (s.notificationMode === 'direct' && !s.manageBucketNotifications) {
      throw new BucketNotificationModeError(
        this,
        'settings.manageBucketNotifications',
        'is false but settings.notificationMode is "direct": a direct notification exists only in the bucket configuration this construct would then not write',
      );
    }

    if (s.notificationMode === 'eventbridge') {
      this.rule = new CloudwatchEventRule(this, 'rule', {
        name: s.ruleName,
        description: `Object Created in the Control Tower log buckets -> ${s.queueName} (read by the central es-loader)`,
        eventPattern: JSON.stringify(objectCreatedPattern(s)),
        state: 'ENABLED',
      });
      this.target = new CloudwatchEventTarget(this, 'target', {
        rule: this.rule.name,
        targetId: 'control-tower-queue',
        arn: props.queueArn,
        deadLetterConfig: { arn: props.dlqArn },
        // EventBridge retries for up to 24 hours by default; keep that and send what still fails to the DLQ.
        retryPolicy: { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 },
        dependsOn: [props.queuePolicy],
      });
    }

    if (!s.manageBucketNotifications) return;
    for (const bucket of s.buckets) {
      this.bucketNotifications.push(
        new S3BucketNotification(this, `notification-${bucketId(bucket)}`, {
          bucket,
          ...(s.notificationMode === 'eventbridge'
            ? { eventbridge: true }
            : { queue: [{ id: `${s.prefix}-ct`, queueArn: props.queueArn, events: DIRECT_EVENTS }] }),
          dependsOn: [props.queuePolicy],
        }),
      );
    }
  }
}
