import {
  DeleteFunctionConcurrencyCommand,
  GetFunctionConcurrencyCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  PutFunctionConcurrencyCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { alarmEventSchema, handleAlarm, StopperError, type AlarmEvent, type StopperSettings } from './stopper';

const settings: StopperSettings = {
  LOADER_FUNCTION_NAME: 'aes-siem-es-loader',
  STATE_PARAMETER_NAME: '/aes-siem/es-loader-stopper/state',
  ALERT_TOPIC_ARN: 'arn:aws:sns:ap-northeast-1:222222222222:aes-siem-alert',
  DEFAULT_CONCURRENCY: 10,
};

const lambdaMock = mockClient(LambdaClient);
const ssmMock = mockClient(SSMClient);
const snsMock = mockClient(SNSClient);
const clients = { lambda: new LambdaClient({}), ssm: new SSMClient({}), sns: new SNSClient({}) };

/** A small in-memory world: the loader's reserved concurrency and the SSM parameter store. */
let concurrency: number | undefined;
let parameters: Map<string, string>;
/** The loader's SQS event source mappings by UUID, with their state. */
let mappings: Map<string, 'Enabled' | 'Disabled'>;

function event(alarmName: string, value: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA'): AlarmEvent {
  // The shape EventBridge delivers (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html).
  return alarmEventSchema.parse({
    version: '0',
    id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: '222222222222',
    time: '2026-11-22T01:02:03Z',
    region: 'ap-northeast-1',
    resources: [`arn:aws:cloudwatch:ap-northeast-1:222222222222:alarm:${alarmName}`],
    detail: {
      alarmName,
      state: { value, reason: 'Threshold Crossed: 3 datapoints were less than or equal to the threshold (200.0).', timestamp: '2026-11-22T01:02:03.000+0000' },
      previousState: { value: value === 'OK' ? 'ALARM' : 'OK' },
    },
  });
}

beforeEach(() => {
  lambdaMock.reset();
  ssmMock.reset();
  snsMock.reset();
  concurrency = 10;
  parameters = new Map();
  mappings = new Map();
  lambdaMock.on(ListEventSourceMappingsCommand).callsFake(() => ({ EventSourceMappings: [...mappings].map(([UUID, State]) => ({ UUID, State })) }));
  lambdaMock.on(UpdateEventSourceMappingCommand).callsFake((input) => {
    mappings.set(input.UUID, input.Enabled ? 'Enabled' : 'Disabled');
    return { UUID: input.UUID };
  });
  lambdaMock.on(GetFunctionConcurrencyCommand).callsFake(() => ({ ReservedConcurrentExecutions: concurrency }));
  lambdaMock.on(PutFunctionConcurrencyCommand).callsFake((input) => {
    concurrency = input.ReservedConcurrentExecutions;
    return { ReservedConcurrentExecutions: concurrency };
  });
  lambdaMock.on(DeleteFunctionConcurrencyCommand).callsFake(() => {
    concurrency = undefined;
    return {};
  });
  ssmMock.on(GetParameterCommand).callsFake((input) => {
    const v = parameters.get(input.Name);
    if (v === undefined) throw new ParameterNotFound({ message: 'not found', $metadata: {} });
    return { Parameter: { Name: input.Name, Value: v } };
  });
  ssmMock.on(PutParameterCommand).callsFake((input) => {
    parameters.set(input.Name, input.Value);
    return { Version: 1 };
  });
  snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

const STORAGE = 'aes-siem-TotalFreeStorageSpaceRemainsLowAlarm';

describe('Function: es-loader-stopper', () => {
  it('pauses the SQS event source mappings while stopped, so queued messages wait instead of burning receives', async () => {
    mappings = new Map([
      ['notifications-uuid', 'Enabled'],
      ['split-uuid', 'Enabled'],
    ]);
    const stopped = await handleAlarm(event(STORAGE, 'ALARM'), settings, clients);
    expect([...mappings.values()]).toEqual(['Disabled', 'Disabled']);
    expect(stopped.message).toContain('disabled its 2 SQS event source mappings');
    expect(stopped.message).toContain('aws lambda update-event-source-mapping --region ap-northeast-1 --uuid split-uuid --enabled');

    // A deploy while stopped turns a mapping back on; a repeated ALARM pauses it again and remembers both.
    mappings.set('split-uuid', 'Enabled');
    await handleAlarm(event(STORAGE, 'ALARM'), settings, clients);
    expect(mappings.get('split-uuid')).toBe('Disabled');

    const resumed = await handleAlarm(event(STORAGE, 'OK'), settings, clients);
    expect(resumed.action).toBe('resumed');
    expect([...mappings.values()]).toEqual(['Enabled', 'Enabled']);
    expect(concurrency).toBe(10);
  });

  it('enables the paused mappings also when the concurrency was restored by hand', async () => {
    mappings = new Map([['notifications-uuid', 'Enabled']]);
    await handleAlarm(event(STORAGE, 'ALARM'), settings, clients);
    concurrency = 4; // an operator ran put-function-concurrency
    const result = await handleAlarm(event(STORAGE, 'OK'), settings, clients);
    expect(result.action).toBe('resumed-by-hand');
    expect(mappings.get('notifications-uuid')).toBe('Enabled');
    expect(concurrency).toBe(4);
  });

  it('ALARM sets the reserved concurrency to 0 and OK restores the remembered value', async () => {
    concurrency = 7;
    const stopped = await handleAlarm(event(STORAGE, 'ALARM'), settings, clients);
    expect(stopped.action).toBe('stopped');
    expect(concurrency).toBe(0);
    expect(lambdaMock.commandCalls(PutFunctionConcurrencyCommand).map((c) => c.args[0].input)).toEqual([
      { FunctionName: 'aes-siem-es-loader', ReservedConcurrentExecutions: 0 },
    ]);
    expect(JSON.parse(parameters.get(settings.STATE_PARAMETER_NAME)!)).toEqual({
      stopped: true,
      previousConcurrency: 7,
      pausedMappings: [],
      alarms: [STORAGE],
      since: '2026-11-22T01:02:03Z',
    });

    const resumed = await handleAlarm(event(STORAGE, 'OK'), settings, clients);
    expect(resumed.action).toBe('resumed');
    expect(concurrency).toBe(7);
    expect(JSON.parse(parameters.get(settings.STATE_PARAMETER_NAME)!)).toEqual({ stopped: false });
  });

  it('a repeated ALARM never overwrites the remembered value with 0', async () => {
    await handleAlarm(event(STORAGE, 'ALARM'), settings, clients);
    const again = await handleAlarm(event(STORAGE, 'ALARM'), settings, clients);
    expect(again.action).toBe('kept-stopped');
    expect(JSON.parse(parameters.get(settings.STATE_PARAMETER_NAME)!)).toMatchObject({ previousConcurrency: 10, alarms: [STORAGE] });
    // Only the first ALARM changed the function.
    expect(lambdaMock.commandCalls(PutFunctionConcurrencyCommand)).toHaveLength(1);
    await handleAlarm(event(STORAGE, 'OK'), settings, clients);
    expect(concurrency).toBe(10);
  });

  it('a duplicate OK after resuming changes nothing and sends nothing', async () => {
    await handleAlarm(event(STORAGE, 'ALARM'), settings, clients);
    await handleAlarm(event(STORAGE, 'OK'), settings, clients);
    snsMock.resetHistory();
    lambdaMock.resetHistory();
    const dup = await handleAlarm(event(STORAGE, 'OK'), settings, clients);
    expect(dup.action).toBe('kept-running');
    expect(concurrency).toBe(10);
    expect(lambdaMock.commandCalls(PutFunctionConcurrencyCommand)).toHaveLength(0);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('stays stopped until every stop alarm is OK', async () => {
    concurrency = 4;
    await handleAlarm(event(STORAGE, 'ALARM'), settings, clients);
    await handleAlarm(event('custom-cluster-red', 'ALARM'), settings, clients);
    const first = await handleAlarm(event(STORAGE, 'OK'), settings, clients);
    expect(first.action).toBe('kept-stopped');
    expect(concurrency).toBe(0);
    expect(first.message).toContain('Alarms still holding ingestion stopped: custom-cluster-red');
    const last = await handleAlarm(event('custom-cluster-red', 'OK'), settings, clients);
    expect(last.action).toBe('resumed');
    expect(concurrency).toBe(4);
  });

  it('a loader already at 0 when the alarm fires is resumed with the configured default, not 0', async () => {
    concurrency = 0;
    await handleAlarm(event(STORAGE, 'ALARM'), settings, clients);
    expect(JSON.parse(parameters.get(settings.STATE_PARAMETER_NAME)!)).toMatchObject({ previousConcurrency: 10 });
    await handleAlarm(event(STORAGE, 'OK'), settings, clients);
    expect(concurrency).toBe(10);
  });

  it('an unreserved loader gets its reservation removed again on OK', async () => {
    concurrency = undefined;
    const stopped = await handleAlarm(event(STORAGE, 'ALARM'), settings, clients);
    expect(stopped.message).toContain('aws lambda delete-function-concurrency --region ap-northeast-1 --function-name aes-siem-es-loader');
    await handleAlarm(event(STORAGE, 'OK'), settings, clients);
    expect(lambdaMock.commandCalls(DeleteFunctionConcurrencyCommand)).toHaveLength(1);
    expect(concurrency).toBeUndefined();
  });

  it('respects a concurrency set by hand while stopped', async () => {
    await handleAlarm(event(STORAGE, 'ALARM'), settings, clients);
    concurrency = 3; // an operator resumed with 3
    const ok = await handleAlarm(event(STORAGE, 'OK'), settings, clients);
    expect(ok.action).toBe('resumed-by-hand');
    expect(concurrency).toBe(3);
  });

  it('ignores INSUFFICIENT_DATA', async () => {
    const r = await handleAlarm(event(STORAGE, 'INSUFFICIENT_DATA'), settings, clients);
    expect(r.action).toBe('ignored');
    expect(lambdaMock.commandCalls(PutFunctionConcurrencyCommand)).toHaveLength(0);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('publishes account, region, alarm, the action and the exact command to resume', async () => {
    concurrency = 10;
    await handleAlarm(event(STORAGE, 'ALARM'), settings, clients);
    await handleAlarm(event(STORAGE, 'OK'), settings, clients);
    const published = snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(published).toHaveLength(2);
    expect(published[0]!.TopicArn).toBe(settings.ALERT_TOPIC_ARN);
    expect(published[0]!.Subject).toBe('[SIEM] Log ingestion stopped: aes-siem-TotalFreeStorageSpaceRemainsLowAlarm is ALARM');
    expect(published[0]!.Message).toBe(
      [
        'Account: 222222222222',
        'Region: ap-northeast-1',
        'Alarm: aes-siem-TotalFreeStorageSpaceRemainsLowAlarm',
        'State: ALARM (since 2026-11-22T01:02:03.000+0000)',
        'Reason: Threshold Crossed: 3 datapoints were less than or equal to the threshold (200.0).',
        'Loader function: aes-siem-es-loader',
        'Action: set the reserved concurrency of aes-siem-es-loader to 0 (was 10); ingestion is stopped',
        '',
        'Log files keep arriving in S3 and wait in the queue; nothing is lost while the queue retains them.',
        'Ingestion resumes automatically when every stop alarm returns to OK (free storage or delete old indices first).',
        'To resume ingestion by hand:',
        '  aws lambda put-function-concurrency --region ap-northeast-1 --function-name aes-siem-es-loader --reserved-concurrent-executions 10',
      ].join('\n'),
    );
    expect(published[1]!.Subject).toBe('[SIEM] Log ingestion resumed: aes-siem-TotalFreeStorageSpaceRemainsLowAlarm is OK');
    expect(published[1]!.Message).toContain('Action: restored the reserved concurrency of aes-siem-es-loader to 10; ingestion resumed');
    expect(published[1]!.Message).toContain('aws lambda put-function-concurrency --region ap-northeast-1 --function-name aes-siem-es-loader --reserved-concurrent-executions 0');
  });

  it('fails with the parameter name when the stored state is not JSON', async () => {
    parameters.set(settings.STATE_PARAMETER_NAME, 'ten');
    await expect(handleAlarm(event(STORAGE, 'ALARM'), settings, clients)).rejects.toThrow(StopperError);
    await expect(handleAlarm(event(STORAGE, 'ALARM'), settings, clients)).rejects.toThrow(/SSM parameter \/aes-siem\/es-loader-stopper\/state does not hold JSON/);
    expect(concurrency).toBe(10);
  });

  it('rejects events that are not alarm state changes', () => {
    expect(alarmEventSchema.safeParse({ 'detail-type': 'Object Created', detail: {} }).success).toBe(false);
  });

  it('the Lambda handler reads its environment and handles the raw EventBridge event', async () => {
    Object.assign(process.env, {
      LOADER_FUNCTION_NAME: settings.LOADER_FUNCTION_NAME,
      STATE_PARAMETER_NAME: settings.STATE_PARAMETER_NAME,
      ALERT_TOPIC_ARN: settings.ALERT_TOPIC_ARN,
      DEFAULT_CONCURRENCY: '10',
      AWS_REGION: 'ap-northeast-1',
    });
    const { handler } = await import('./index');
    concurrency = 6;
    const raw = JSON.parse(JSON.stringify(event(STORAGE, 'ALARM')));
    expect((await handler(raw)).action).toBe('stopped');
    expect(concurrency).toBe(0);
    await expect(handler({ 'detail-type': 'Scheduled Event', detail: {} })).rejects.toThrow(/^Not a CloudWatch Alarm State Change event: /);
  });
});
