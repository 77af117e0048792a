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
import type { CentralStack } from '../stacks/central-stack';
import { PAUSABLE_MAPPING, type EsLoader } from './es-loader';
import { loaderControlTowerStatements, requireControlTowerSettings, type ControlTowerSettings } from './log-archive';

/** Environment variables of the loader for the Control Tower buckets (names read by storage/control-tower.ts). */
export function controlTowerLoaderEnvironment(s: ControlTowerSettings): Record<string, string> {
  return {
    CT_BUCKETS: s.buckets.join(','),
    CT_ROLE_ARN: s.readerRoleArn,
    CT_EXTERNAL_ID: s.externalId,
    CT_REGION: s.region,
    CT_DLQ_URL: s.dlqUrl,
  };
}

export class ControlTowerRegionError extends Error {
  override readonly name = 'ControlTowerRegionError';
}

export interface ControlTowerIngestionProps {
  readonly central: CentralStack;
  readonly loader: EsLoader;
}

export class ControlTowerIngestion extends Construct {
  readonly settings: ControlTowerSettings;
  readonly mapping: LambdaEventSourceMapping;
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: ControlTowerIngestionProps) {
    super(scope, id);
    const { central, loader } = props;
    const s = requireControlTowerSettings(central.org, 'ControlTowerIngestion');
    // Lambda polls SQS queues only in its own Region (cross-account works, cross-Region does not:
    // AWS Lambda Developer Guide, "Using Lambda with Amazon SQS" and its cross-account tutorial).
    if (s.region !== central.region) {
      throw new ControlTowerRegionError(
        `accounts/organization.yaml: logArchive.region is ${s.region} but security.region is ${central.region}; ` +
          'the es-loader can only consume the Control Tower queue in its own Region. Deploy the SIEM in the Control Tower home Region, or set logArchive.region to it.',
      );
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
