/**
 * es-loader stopper: stops ingestion while OpenSearch is out of storage (or another "stop ingestion"
 * alarm fires) by setting the loader's reserved concurrency to 0, and resumes it when every such alarm
 * is back to OK.
 *
 * Why reserved concurrency 0: Lambda then refuses every invocation; S3/SQS events wait in the queue
 * (SQS keeps retrying until the message's retention) instead of failing against a read-only cluster
 * (OpenSearch blocks writes when free storage runs out: "cluster.routing.allocation.disk.watermark",
 * https://docs.aws.amazon.com/opensearch-service/latest/developerguide/handling-errors.html#handling-errors-watermark).
 *
 * State lives in an SSM parameter (JSON, see `StopperState`), not in the function: it must survive
 * across invocations and it records which alarms hold ingestion stopped, so that
 *  - a repeated ALARM never overwrites the remembered concurrency with 0,
 *  - OK of one alarm does not resume while another stop alarm is still in ALARM.
 * The function runs with reserved concurrency 1, so state updates never race.
 */
import { DeleteFunctionConcurrencyCommand, GetFunctionConcurrencyCommand, LambdaClient, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { z } from 'zod';

export class StopperError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StopperError';
  }
}

/** The part of an EventBridge "CloudWatch Alarm State Change" event the stopper reads. */
export const alarmEventSchema = z.object({
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  account: z.string(),
  region: z.string(),
  time: z.string().optional(),
  detail: z.object({
    alarmName: z.string().min(1),
    state: z.object({ value: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']), reason: z.string().optional(), timestamp: z.string().optional() }),
  }),
});
export type AlarmEvent = z.infer<typeof alarmEventSchema>;

/** What the SSM parameter holds. `previousConcurrency: null` means the loader had no reserved concurrency. */
export const stopperStateSchema = z.union([
  z.object({ stopped: z.literal(false) }),
  z.object({
    stopped: z.literal(true),
    previousConcurrency: z.number().int().min(1).nullable(),
    alarms: z.array(z.string()),
    since: z.string(),
  }),
]);
export type StopperState = z.infer<typeof stopperStateSchema>;

export const stopperEnvSchema = z.object({
  LOADER_FUNCTION_NAME: z.string().min(1),
  STATE_PARAMETER_NAME: z.string().min(1),
  ALERT_TOPIC_ARN: z.string().startsWith('arn:'),
  /** Restored when nothing better is known (the configured reserved concurrency of the loader). */
  DEFAULT_CONCURRENCY: z.coerce.number().int().min(1).default(10),
});
export type StopperSettings = z.infer<typeof stopperEnvSchema>;

export interface StopperClients {
  readonly lambda: LambdaClient;
  readonly ssm: SSMClient;
  readonly sns: SNSClient;
}

export type StopperAction = 'stopped' | 'kept-stopped' | 'resumed' | 'kept-running' | 'resumed-by-hand' | 'ignored';

export interface StopperResult {
  readonly action: StopperAction;
  readonly concurrency: number | null;
  readonly state: StopperState;
  readonly message?: string;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): StopperSettings {
  const parsed = stopperEnvSchema.safeParse(env);
  if (!parsed.success) throw new StopperError(`Invalid Lambda environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

async function readState(ssm: SSMClient, name: string): Promise<StopperState> {
  let value: string | undefined;
  try {
    value = (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
  } catch (err) {
    if (err instanceof ParameterNotFound || (err as Error).name === 'ParameterNotFound') return { stopped: false };
    throw new StopperError(`Cannot read the stopper state from SSM parameter ${name}: ${(err as Error).message}`, { cause: err });
  }
  if (!value) return { stopped: false };
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch (err) {
    throw new StopperError(`SSM parameter ${name} does not hold JSON (value ${JSON.stringify(value.slice(0, 200))}); set it to {"stopped":false} once ingestion is resumed`, { cause: err });
  }
  const parsed = stopperStateSchema.safeParse(json);
  if (!parsed.success) throw new StopperError(`SSM parameter ${name} holds an unexpected state ${value.slice(0, 200)}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

async function writeState(ssm: SSMClient, name: string, state: StopperState): Promise<void> {
  await ssm.send(new PutParameterCommand({ Name: name, Value: JSON.stringify(state), Type: 'String', Overwrite: true }));
}

async function currentConcurrency(lambda: LambdaClient, fn: string): Promise<number | null> {
  const out = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: fn }));
  return out.ReservedConcurrentExecutions ?? null;
}

export function resumeCommand(region: string, fn: string, concurrency: number | null): string {
  return concurrency === null
    ? `aws lambda delete-function-concurrency --region ${region} --function-name ${fn}`
    : `aws lambda put-function-concurrency --region ${region} --function-name ${fn} --reserved-concurrent-executions ${concurrency}`;
}

/** Text of the alert e-mail: who, where, which alarm, what was done, how to undo it by hand. */
export function alertMessage(p: {
  event: AlarmEvent;
  fn: string;
  action: StopperAction;
  what: string;
  resumeWith: number | null;
  stillAlarming: readonly string[];
}): { subject: string; body: string } {
  const { event, fn } = p;
  const verb = p.action === 'stopped' || p.action === 'kept-stopped' ? 'stopped' : 'resumed';
  const subject = `[SIEM] Log ingestion ${verb}: ${event.detail.alarmName} is ${event.detail.state.value}`.slice(0, 99);
  const lines = [
    `Account: ${event.account}`,
    `Region: ${event.region}`,
    `Alarm: ${event.detail.alarmName}`,
    `State: ${event.detail.state.value}${event.detail.state.timestamp ? ` (since ${event.detail.state.timestamp})` : ''}`,
    ...(event.detail.state.reason ? [`Reason: ${event.detail.state.reason}`] : []),
    `Loader function: ${fn}`,
    `Action: ${p.what}`,
  ];
  if (p.stillAlarming.length > 0) lines.push(`Alarms still holding ingestion stopped: ${p.stillAlarming.join(', ')}`);
  if (verb === 'stopped') {
    lines.push(
      '',
      'Log files keep arriving in S3 and wait in the queue; nothing is lost while the queue retains them.',
      'Ingestion resumes automatically when every stop alarm returns to OK (free storage or delete old indices first).',
      'To resume ingestion by hand:',
      `  ${resumeCommand(event.region, fn, p.resumeWith)}`,
    );
  } else {
    lines.push('', 'To stop ingestion again by hand:', `  aws lambda put-function-concurrency --region ${event.region} --function-name ${fn} --reserved-concurrent-executions 0`);
  }
  return { subject, body: lines.join('\n') };
}

/** Handles one alarm state change. Pure apart from the three clients; returns what it did. */
export async function handleAlarm(event: AlarmEvent, settings: StopperSettings, clients: StopperClients): Promise<StopperResult> {
  const fn = settings.LOADER_FUNCTION_NAME;
  const alarm = event.detail.alarmName;
  const stateValue = event.detail.state.value;
  const state = await readState(clients.ssm, settings.STATE_PARAMETER_NAME);
  if (stateValue === 'INSUFFICIENT_DATA') return { action: 'ignored', concurrency: null, state };

  let action: StopperAction;
  let what: string;
  let next: StopperState = state;
  let resumeWith: number | null = settings.DEFAULT_CONCURRENCY;
  const current = await currentConcurrency(clients.lambda, fn);

  if (stateValue === 'ALARM') {
    if (!state.stopped) {
      // Remember what to restore. A loader already at 0 (stopped by hand) never makes 0 the
      // remembered value: the configured default is restored instead.
      const previous = current === 0 ? settings.DEFAULT_CONCURRENCY : current;
      next = { stopped: true, previousConcurrency: previous, alarms: [alarm], since: event.time ?? new Date().toISOString() };
      // State first: if the next call fails, a retry still knows the value to restore.
      await writeState(clients.ssm, settings.STATE_PARAMETER_NAME, next);
      await clients.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn, ReservedConcurrentExecutions: 0 }));
      action = 'stopped';
      what = `set the reserved concurrency of ${fn} to 0 (was ${current === null ? 'unreserved' : current}); ingestion is stopped`;
      resumeWith = previous;
    } else {
      const alarms = state.alarms.includes(alarm) ? state.alarms : [...state.alarms, alarm];
      next = { ...state, alarms };
      if (alarms !== state.alarms) await writeState(clients.ssm, settings.STATE_PARAMETER_NAME, next);
      if (current !== 0) await clients.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn, ReservedConcurrentExecutions: 0 }));
      action = 'kept-stopped';
      what =
        current !== 0
          ? `ingestion was meant to be stopped but the reserved concurrency was ${current ?? 'unreserved'}; set it to 0 again (remembered value ${state.previousConcurrency ?? 'unreserved'} kept)`
          : `nothing: ingestion was already stopped (remembered concurrency ${state.previousConcurrency ?? 'unreserved'} kept)`;
      resumeWith = state.previousConcurrency;
    }
    const msg = alertMessage({ event, fn, action, what, resumeWith, stillAlarming: next.stopped ? next.alarms.filter((a) => a !== alarm) : [] });
    await clients.sns.send(new PublishCommand({ TopicArn: settings.ALERT_TOPIC_ARN, Subject: msg.subject, Message: msg.body }));
    return { action, concurrency: 0, state: next, message: msg.body };
  }

  // OK
  if (!state.stopped) {
    // Nothing of ours to undo (a duplicate OK, or an OK without an earlier ALARM): stay quiet.
    return { action: 'kept-running', concurrency: current, state };
  }
  const remaining = state.alarms.filter((a) => a !== alarm);
  let concurrency: number | null = 0;
  if (remaining.length > 0) {
    next = { ...state, alarms: remaining };
    await writeState(clients.ssm, settings.STATE_PARAMETER_NAME, next);
    action = 'kept-stopped';
    what = `nothing: ingestion stays stopped while other stop alarms are in ALARM (remembered concurrency ${state.previousConcurrency ?? 'unreserved'} kept)`;
    resumeWith = state.previousConcurrency;
  } else if (current !== 0) {
    // Someone resumed by hand in the meantime: respect their value.
    next = { stopped: false };
    await writeState(clients.ssm, settings.STATE_PARAMETER_NAME, next);
    action = 'resumed-by-hand';
    concurrency = current;
    what = `nothing: the reserved concurrency of ${fn} is already ${current ?? 'unreserved'} (resumed by hand); stopper state cleared`;
  } else {
    if (state.previousConcurrency === null) await clients.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: fn }));
    else await clients.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn, ReservedConcurrentExecutions: state.previousConcurrency }));
    next = { stopped: false };
    await writeState(clients.ssm, settings.STATE_PARAMETER_NAME, next);
    action = 'resumed';
    concurrency = state.previousConcurrency;
    what = `restored the reserved concurrency of ${fn} to ${state.previousConcurrency ?? 'unreserved'}; ingestion resumed (queued files are processed now)`;
  }
  const msg = alertMessage({ event, fn, action, what, resumeWith, stillAlarming: remaining });
  await clients.sns.send(new PublishCommand({ TopicArn: settings.ALERT_TOPIC_ARN, Subject: msg.subject, Message: msg.body }));
  return { action, concurrency, state: next, message: msg.body };
}
