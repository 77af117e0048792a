/**
 * `<prefix>-ct` and its DLQ `<prefix>-ct-dlq` in the Log Archive account.
 *
 * Encryption is SSE-SQS (SQS-managed keys), not a customer managed key: the queue's writers are S3 and
 * EventBridge and its reader is a role in another account. With a CMK, the key policy would have to
 * allow s3.amazonaws.com, events.amazonaws.com and the central loader role, and the loader role would
 * need kms:Decrypt across accounts, three more grants to keep right for a queue that holds only bucket
 * names and object keys (the logs themselves stay in the Control Tower buckets). Access is governed by
 * the queue policy, which is what the tests simulate.
 */
import { Construct } from 'constructs';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { terraformPolicy } from '../policies/document';
import { dlqPolicyStatements, queuePolicyStatements } from './policies';
import type { ControlTowerSettings } from './settings';

/** Messages are kept 14 days (SQS's maximum), in the queue and in the DLQ. */
export const CT_MESSAGE_RETENTION_SECONDS = 14 * 24 * 3600;

export interface ControlTowerQueueProps {
  readonly settings: ControlTowerSettings;
}

export class ControlTowerQueue extends Construct {
  readonly queue: SqsQueue;
  readonly dlq: SqsQueue;
  readonly queuePolicy: SqsQueuePolicy;
  readonly dlqPolicy: SqsQueuePolicy;

  constructor(scope: Construct, id: string, props: ControlTowerQueueProps) {
    super(scope, id);
    const s = props.settings;
    this.dlq = new SqsQueue(this, 'dlq', {
      name: s.dlqName,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: CT_MESSAGE_RETENTION_SECONDS,
      // Only <prefix>-ct may use it as its DLQ (SQS "Configuring a dead-letter queue redrive allow policy").
      redriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [s.queueArn] }),
    });
    this.queue = new SqsQueue(this, 'queue', {
      name: s.queueName,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: CT_MESSAGE_RETENTION_SECONDS,
      // Lambda requires a visibility timeout of at least the function timeout and recommends six times it.
      visibilityTimeoutSeconds: s.visibilityTimeoutSeconds,
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: s.dlqArn, maxReceiveCount: s.maxReceiveCount }),
      dependsOn: [this.dlq],
    });
    this.queuePolicy = new SqsQueuePolicy(this, 'queue-policy', { queueUrl: this.queue.url, policy: terraformPolicy(queuePolicyStatements(s)) });
    this.dlqPolicy = new SqsQueuePolicy(this, 'dlq-policy', { queueUrl: this.dlq.url, policy: terraformPolicy(dlqPolicyStatements(s)) });
  }
}
