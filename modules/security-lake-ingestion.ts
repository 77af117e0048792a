/**
 * The central side of the Amazon Security Lake subscriber (docs/security-lake.md): the es-loader
 * consumes the subscriber queue Security Lake created in its own account (a cross-account event source
 * mapping, partial batch responses), may assume the subscriber role with the external id, and learns
 * the role, external id, Region and lake buckets from its environment (lambdas/es-loader/storage/
 * security-lake.ts reads them).
 *
 * Why an event source mapping and not a poller: the subscriber queue is a standard SQS queue whose
 * policy (written by Security Lake) lets the subscriber account receive and delete messages, and Lambda
 * consumes standard queues of other accounts in its own Region (AWS Lambda Developer Guide, "Using
 * Lambda with Amazon SQS", cross-account tutorial). The reference does the same.
 *
 * Failures: records or objects the loader cannot load go, with their reason, to the loader's own DLQ
 * (`<prefix>-dlq`) like every other object, and are replayed from there with the subscriber role. A
 * message that fails as a whole (not understood, or the object cannot be read) is reported as a batch
 * item failure and comes back after the queue's visibility timeout. Security Lake owns that queue, so
 * no redrive policy of ours can be attached to it: the loader itself copies such a message into
 * `<prefix>-dlq` at its `loader.maxReceiveCount`-th receive and deletes it from the subscriber queue
 * (SL_QUEUE_ARN, SL_MAX_RECEIVE_COUNT; lambdas/es-loader/handler.ts), so nothing expires there unseen.
 */
import { Construct } from 'constructs';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import type { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { securityLakeEnvironment } from '../lambdas/es-loader/runtime/config';
import { PAUSABLE_MAPPING, type EsLoader } from './es-loader';
import { loaderSecurityLakeStatements, type SecurityLakeSettings } from './security-lake-settings';
import { InvalidPropsError } from './validations';

/** Environment variables of the loader for the Security Lake buckets (the loader's builder, lambdas/es-loader/runtime/config.ts). */
export function securityLakeLoaderEnvironment(s: SecurityLakeSettings, maxReceiveCount: number): Record<string, string> {
  return securityLakeEnvironment({ bucketPatterns: s.bucketPatterns, roleArn: s.subscriberRoleArn, externalId: s.externalId, region: s.region, queueArn: s.queueArn, maxReceiveCount });
}

/** The subscriber queue is in another Region than the loader (accounts/rules.ts reports it first). */
export class SecurityLakeRegionError extends InvalidPropsError {}

export interface SecurityLakeIngestionProps {
  /** The subscriber, as derived from the organization (modules/security-lake-settings.ts). */
  readonly settings: SecurityLakeSettings;
  /** The loader that consumes the subscriber queue; it gets the mapping, the permissions and the environment. */
  readonly loader: EsLoader;
}

export class SecurityLakeIngestion extends Construct {
  readonly settings: SecurityLakeSettings;
  readonly mapping: LambdaEventSourceMapping;
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: SecurityLakeIngestionProps) {
    super(scope, id);
    const { settings: s, loader } = props;
    if (s.region !== loader.region) {
      throw new SecurityLakeRegionError(this, 'settings.region', `${s.region} is not the Region of the loader (${loader.region}); Lambda consumes SQS queues only in its own Region`);
    }
    this.settings = s;

    this.policy = loader.addStatements('security-lake', loaderSecurityLakeStatements(s));
    loader.addEnvironment(securityLakeLoaderEnvironment(s, loader.maxReceiveCount));

    this.mapping = new LambdaEventSourceMapping(this, 'queue-mapping', {
      eventSourceArn: s.queueArn,
      functionName: loader.function.fn.arn,
      batchSize: 10,
      maximumBatchingWindowInSeconds: 5,
      functionResponseTypes: ['ReportBatchItemFailures'],
      scalingConfig: { maximumConcurrency: loader.mappingConcurrency },
      lifecycle: PAUSABLE_MAPPING,
      // The mapping's first poll needs the role's SQS permissions.
      dependsOn: [this.policy],
    });
  }
}
