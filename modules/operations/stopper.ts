/**
 * `<prefix>-es-loader-stopper`: target of the stop-ingestion EventBridge rule (state changes of the
 * storage alarm and of `stopIngestionAlarms`). Sets the loader's reserved concurrency to 0 and pauses
 * its SQS mappings on ALARM, restores both on OK; its state lives in an SSM parameter it owns.
 */
import * as path from 'node:path';
import type { Construct } from 'constructs';
import { stopperEnvironment } from '../../lambdas/es-loader-stopper/stopper';
import type { PolicyStatement } from '../policies/document';
import { SiemFunction } from '../siem-function';
import { commonFunctionProps, LAMBDAS_DIR, type OperationsFunctionProps } from './common';

/** Name of the SSM parameter that holds the stopper's state. */
export function stopperStateParameter(prefix: string): string {
  return `/${prefix}/es-loader-stopper/state`;
}

export interface StopperStatementsProps {
  readonly accountId: string;
  readonly region: string;
  readonly keyArn: string;
  readonly loaderFunctionArn: string;
  readonly alertTopicArn: string;
  readonly stateParameterArn: string;
}

export function stopperStatements(a: StopperStatementsProps): PolicyStatement[] {
  return [
    { Sid: 'ThrottleLoader', Effect: 'Allow', Action: ['lambda:GetFunctionConcurrency', 'lambda:PutFunctionConcurrency', 'lambda:DeleteFunctionConcurrency'], Resource: a.loaderFunctionArn },
    // Listing takes no resource; pausing is limited to mappings that invoke the loader (lambda:FunctionArn).
    { Sid: 'ListLoaderMappings', Effect: 'Allow', Action: 'lambda:ListEventSourceMappings', Resource: '*' },
    {
      Sid: 'PauseLoaderMappings',
      Effect: 'Allow',
      Action: 'lambda:UpdateEventSourceMapping',
      Resource: `arn:aws:lambda:${a.region}:${a.accountId}:event-source-mapping:*`,
      Condition: { ArnLike: { 'lambda:FunctionArn': [a.loaderFunctionArn, `${a.loaderFunctionArn}:*`] } },
    },
    { Sid: 'RememberConcurrency', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:PutParameter'], Resource: a.stateParameterArn },
    { Sid: 'PublishAlerts', Effect: 'Allow', Action: 'sns:Publish', Resource: a.alertTopicArn },
    // The alert topic is encrypted with the central key: publishers need the key through SNS.
    { Sid: 'EncryptAlerts', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: a.keyArn, Condition: { StringEquals: { 'kms:ViaService': `sns.${a.region}.amazonaws.com` } } },
  ];
}

export interface LoaderStopperFunctionProps extends OperationsFunctionProps {
  readonly loaderFunctionName: string;
  readonly loaderFunctionArn: string;
  /** The SSM parameter holding the state (created by whoever owns its initial value). */
  readonly stateParameterName: string;
  /** Reserved concurrency restored when nothing better is known (the loader's configured value). */
  readonly defaultConcurrency: number;
}

export class LoaderStopperFunction extends SiemFunction {
  constructor(scope: Construct, id: string, props: LoaderStopperFunctionProps) {
    super(scope, id, {
      ...commonFunctionProps(props),
      entry: path.join(LAMBDAS_DIR, 'es-loader-stopper', 'index.ts'),
      description: 'SIEM: stops the es-loader (reserved concurrency 0) while a stop-ingestion alarm is in ALARM, restores it on OK',
      memoryMb: 256,
      timeoutSeconds: 30,
      // One at a time: state updates in SSM never race.
      reservedConcurrency: 1,
      environment: stopperEnvironment({
        loaderFunctionName: props.loaderFunctionName,
        stateParameterName: props.stateParameterName,
        alertTopicArn: props.alertTopicArn,
        defaultConcurrency: props.defaultConcurrency,
      }),
      statements: stopperStatements({
        accountId: props.accountId,
        region: props.region,
        keyArn: props.keyArn,
        loaderFunctionArn: props.loaderFunctionArn,
        alertTopicArn: props.alertTopicArn,
        stateParameterArn: `arn:aws:ssm:${props.region}:${props.accountId}:parameter${props.stateParameterName}`,
      }),
    });
  }
}
