/**
 * The central side of the Control Tower integration: the es-loader consumes `<prefix>-ct` in the Log
 * Archive account (cross-account event source mapping, partial batch responses), may write failure
 * messages to `<prefix>-ct-dlq` and assume `ct-role-for-siem`, and learns the buckets, role, external id
 * and DLQ from its environment (lambdas/es-loader/storage/control-tower.ts reads them).
 *
 * The queue uses SSE-SQS (see modules/log-archive/control-tower-queue.ts), so the loader needs no
 * kms:Decrypt for it; the Control Tower key, if any, is used by `ct-role-for-siem`, not by the loader.
 */
import { Construct } from 'constructs';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import type { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { controlTowerEnvironment } from '../lambdas/es-loader/runtime/config';
import { PAUSABLE_MAPPING, type EsLoader } from './es-loader';
import { loaderControlTowerStatements, type ControlTowerSettings } from './log-archive';
import { InvalidPropsError } from './validations';

/** Environment variables of the loader for the Control Tower buckets (the loader's builder, lambdas/es-loader/runtime/config.ts). */
export function controlTowerLoaderEnvironment(s: ControlTowerSettings): Record<string, string> {
  return controlTowerEnvironment({ buckets: s.buckets, readerRoleArn: s.readerRoleArn, externalId: s.externalId, region: s.region, dlqUrl: s.dlqUrl });
}

/** The Control Tower queue is in another Region than the loader (accounts/rules.ts reports it first). */
export class ControlTowerRegionError extends InvalidPropsError {}

export interface ControlTowerIngestionProps {
  /** The Control Tower side, as derived from the organization (modules/log-archive/settings.ts). */
  readonly settings: ControlTowerSettings;
  /** The loader that consumes `<prefix>-ct`; it gets the mapping, the permissions and the environment. */
  readonly loader: EsLoader;
}

export class ControlTowerIngestion extends Construct {
  readonly settings: ControlTowerSettings;
  readonly mapping: LambdaEventSourceMapping;
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: ControlTowerIngestionProps) {
    super(scope, id);
    const { settings: s, loader } = props;
    // Lambda polls SQS queues only in its own Region (cross-account works, cross-Region does not:
    // AWS Lambda Developer Guide, "Using Lambda with Amazon SQS" and its cross-account tutorial).
    if (s.region !== loader.region) {
      throw new ControlTowerRegionError(this, 'settings.region', `${s.region} is not the Region of the loader (${loader.region}); Lambda consumes SQS queues only in its own Region`);
    }
    this.settings = s;

    this.policy = loader.addStatements('control-tower', loaderControlTowerStatements(s));
    loader.addEnvironment(controlTowerLoaderEnvironment(s));

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
