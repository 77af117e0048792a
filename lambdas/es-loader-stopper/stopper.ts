/**
 * es-loader stopper: stops ingestion while OpenSearch is out of storage (or another "stop ingestion"
 * alarm fires) by setting the loader's reserved concurrency to 0, and resumes it when every such alarm
 * is back to OK.
 *
 * Why reserved concurrency 0: Lambda then refuses every invocation instead of failing against a read-only cluster
 * (OpenSearch blocks writes when free storage runs out: "cluster.routing.allocation.disk.watermark",
 * https://docs.aws.amazon.com/opensearch-service/latest/developerguide/handling-errors.html#handling-errors-watermark).
 * Why the SQS event source mappings are disabled too: a throttled SQS poller returns the messages to the
 * queue, and each return counts as a receive, so after maxReceiveCount they would move to the DLQ. A
 * disabled mapping does not poll: the messages simply wait in their queues until ingestion resumes.
 *
 * State lives in an SSM parameter (JSON, see `StopperState`), not in the function: it must survive
 * across invocations and it records which alarms hold ingestion stopped, so that
 *  - a repeated ALARM never overwrites the remembered concurrency with 0,
 *  - OK of one alarm does not resume while another stop alarm is still in ALARM.
 * The function runs with reserved concurrency 1, so state updates never race.
 */
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
import { z } from 'zod';
import { parseEnvironment, type LambdaEnvironment } from '../shared/env';

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
    /** UUIDs of the loader's SQS event source mappings the stopper disabled (and enables again). */
    pausedMappings: z.array(z.string()).default([]),
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
  return parseEnvironment(stopperEnvSchema, env, { title: 'Invalid Lambda environment', error: (m) => new StopperError(m) });
}

/** The environment of `<prefix>-es-loader-stopper`, as its construct sets it. */
export function stopperEnvironment(p: {
  readonly loaderFunctionName: string;
  readonly stateParameterName: string;
  readonly alertTopicArn: string;
  readonly defaultConcurrency: number;
}): LambdaEnvironment<typeof stopperEnvSchema> {
  return {
    LOADER_FUNCTION_NAME: p.loaderFunctionName,
    STATE_PARAMETER_NAME: p.stateParameterName,
    ALERT_TOPIC_ARN: p.alertTopicArn,
    DEFAULT_CONCURRENCY: String(p.defaultConcurrency),
  };
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

/** UUIDs of the loader's event source mappings that are polling now (SQS queues). */
async function activeMappings(lambda: LambdaClient, fn: string): Promise<string[]> {
  const uuids: string[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: fn, Marker: marker }));
    for (const m of page.EventSourceMappings ?? []) {
      if (m.UUID && (m.State === 'Enabled' || m.State === 'Enabling' || m.State === 'Updating' || m.State === 'Creating')) uuids.push(m.UUID);
    }
    marker = page.NextMarker;
  } while (marker);
  return uuids;
}

async function setMappings(lambda: LambdaClient, uuids: readonly string[], enabled: boolean): Promise<void> {
  for (const uuid of uuids) {
    try {
      await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: enabled }));
    } catch (err) {
      // A mapping deleted meanwhile (e.g. by a deploy) has nothing left to pause or resume.
      if ((err as Error).name !== 'ResourceNotFoundException') throw err;
    }
  }
}

export function mappingCommands(region: string, uuids: readonly string[], enabled: boolean): string[] {
  return uuids.map((uuid) => `aws lambda update-event-source-mapping --region ${region} --uuid ${uuid} --${enabled ? '' : 'no-'}enabled`);
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
  pausedMappings?: readonly string[];
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
      ...mappingCommands(event.region, p.pausedMappings ?? [], true).map((c) => `  ${c}`),
    );
  } else {
    lines.push('', 'To stop ingestion again by hand:', `  aws lambda put-function-concurrency --region ${event.region} --function-name ${fn} --reserved-concurrent-executions 0`);
  }
  return { subject, body: lines.join('\n') };
}

/** What the stopper knows when it decides. */
export interface StopperInputs {
  /** The alarm that changed and its new state. */
  readonly alarm: string;
  readonly alarmState: AlarmEvent['detail']['state']['value'];
  /** Time of the change (stored as `since` when ingestion stops). */
  readonly time: string;
  /** The stored state (SSM parameter). */
  readonly state: StopperState;
  /** The loader's reserved concurrency now; null: unreserved. Not read for INSUFFICIENT_DATA. */
  readonly current: number | null;
  /** UUIDs of the loader's SQS mappings that are polling now. Read only for ALARM. */
  readonly activeMappings: readonly string[];
  readonly loaderFunctionName: string;
  /** Restored when nothing better is known. */
  readonly defaultConcurrency: number;
}

/** One effect of a decision, applied in the order given. */
export type StopperStep =
  | { readonly kind: 'write-state'; readonly state: StopperState }
  | { readonly kind: 'disable-mappings'; readonly uuids: readonly string[] }
  | { readonly kind: 'enable-mappings'; readonly uuids: readonly string[] }
  /** `null` removes the reservation (the loader was unreserved before). */
  | { readonly kind: 'set-concurrency'; readonly value: number | null };

export interface StopperDecision {
  readonly action: StopperAction;
  /** The state after the steps. */
  readonly next: StopperState;
  /** The loader's reserved concurrency after the steps (as reported in the result). */
  readonly concurrency: number | null;
  readonly steps: readonly StopperStep[];
  /** The alert to send after the steps; undefined: stay quiet. */
  readonly alert?: { readonly what: string; readonly resumeWith: number | null; readonly stillAlarming: readonly string[]; readonly pausedMappings: readonly string[] };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The stopper's whole policy, without any AWS call: from the alarm's new state, the stored state and
 * the loader's current concurrency and mappings, what to do. State is written before the loader is
 * touched when stopping (a retry still knows what to restore) and after it when resuming.
 */
export function decide(i: StopperInputs): StopperDecision {
  const { state, current, alarm } = i;
  const fn = i.loaderFunctionName;
  if (i.alarmState === 'INSUFFICIENT_DATA') return { action: 'ignored', next: state, concurrency: null, steps: [] };

  if (i.alarmState === 'ALARM') {
    if (!state.stopped) {
      // Remember what to restore. A loader already at 0 (stopped by hand) never makes 0 the
      // remembered value: the configured default is restored instead.
      const previous = current === 0 ? i.defaultConcurrency : current;
      const mappings = [...i.activeMappings];
      const next: StopperState = { stopped: true, previousConcurrency: previous, pausedMappings: mappings, alarms: [alarm], since: i.time };
      const what =
        `set the reserved concurrency of ${fn} to 0 (was ${current === null ? 'unreserved' : current})` +
        (mappings.length > 0 ? ` and disabled its ${plural(mappings.length, 'SQS event source mapping')} (messages wait in their queues)` : '') +
        '; ingestion is stopped';
      return {
        action: 'stopped',
        next,
        concurrency: 0,
        steps: [{ kind: 'write-state', state: next }, { kind: 'disable-mappings', uuids: mappings }, { kind: 'set-concurrency', value: 0 }],
        alert: { what, resumeWith: previous, stillAlarming: [], pausedMappings: mappings },
      };
    }
    const alarms = state.alarms.includes(alarm) ? state.alarms : [...state.alarms, alarm];
    // A deploy while stopped re-enables the mappings (Terraform's `enabled` defaults to true): pause them again.
    const reenabled = [...i.activeMappings];
    const pausedMappings = [...new Set([...state.pausedMappings, ...reenabled])];
    const next: StopperState = { ...state, alarms, pausedMappings };
    const changed = alarms !== state.alarms || pausedMappings.length !== state.pausedMappings.length;
    const what =
      current !== 0
        ? `ingestion was meant to be stopped but the reserved concurrency was ${current ?? 'unreserved'}; set it to 0 again (remembered value ${state.previousConcurrency ?? 'unreserved'} kept)`
        : `nothing: ingestion was already stopped (remembered concurrency ${state.previousConcurrency ?? 'unreserved'} kept)`;
    return {
      action: 'kept-stopped',
      next,
      concurrency: 0,
      steps: [
        ...(changed ? [{ kind: 'write-state' as const, state: next }] : []),
        { kind: 'disable-mappings', uuids: reenabled },
        ...(current !== 0 ? [{ kind: 'set-concurrency' as const, value: 0 }] : []),
      ],
      alert: { what, resumeWith: state.previousConcurrency, stillAlarming: alarms.filter((a) => a !== alarm), pausedMappings },
    };
  }

  // OK
  if (!state.stopped) {
    // Nothing of ours to undo (a duplicate OK, or an OK without an earlier ALARM): stay quiet.
    return { action: 'kept-running', next: state, concurrency: current, steps: [] };
  }
  const remaining = state.alarms.filter((a) => a !== alarm);
  if (remaining.length > 0) {
    const next: StopperState = { ...state, alarms: remaining };
    return {
      action: 'kept-stopped',
      next,
      concurrency: 0,
      steps: [{ kind: 'write-state', state: next }],
      alert: {
        what: `nothing: ingestion stays stopped while other stop alarms are in ALARM (remembered concurrency ${state.previousConcurrency ?? 'unreserved'} kept)`,
        resumeWith: state.previousConcurrency,
        stillAlarming: remaining,
        pausedMappings: state.pausedMappings,
      },
    };
  }
  const running: StopperState = { stopped: false };
  if (current !== 0) {
    // Someone resumed by hand in the meantime: respect their value, and let the queues flow again.
    return {
      action: 'resumed-by-hand',
      next: running,
      concurrency: current,
      steps: [{ kind: 'enable-mappings', uuids: state.pausedMappings }, { kind: 'write-state', state: running }],
      alert: { what: `nothing: the reserved concurrency of ${fn} is already ${current ?? 'unreserved'} (resumed by hand); stopper state cleared`, resumeWith: i.defaultConcurrency, stillAlarming: [], pausedMappings: [] },
    };
  }
  return {
    action: 'resumed',
    next: running,
    concurrency: state.previousConcurrency,
    steps: [{ kind: 'enable-mappings', uuids: state.pausedMappings }, { kind: 'set-concurrency', value: state.previousConcurrency }, { kind: 'write-state', state: running }],
    alert: {
      what:
        `restored the reserved concurrency of ${fn} to ${state.previousConcurrency ?? 'unreserved'}` +
        (state.pausedMappings.length > 0 ? ` and enabled its ${plural(state.pausedMappings.length, 'SQS event source mapping')} again` : '') +
        '; ingestion resumed (queued files are processed now)',
      resumeWith: i.defaultConcurrency,
      stillAlarming: [],
      pausedMappings: [],
    },
  };
}

/** Carries out a decision's steps, then sends its alert; the only part that calls AWS. */
async function applyDecision(d: StopperDecision, event: AlarmEvent, settings: StopperSettings, clients: StopperClients): Promise<StopperResult> {
  const fn = settings.LOADER_FUNCTION_NAME;
  for (const step of d.steps) {
    switch (step.kind) {
      case 'write-state':
        await writeState(clients.ssm, settings.STATE_PARAMETER_NAME, step.state);
        break;
      case 'disable-mappings':
      case 'enable-mappings':
        await setMappings(clients.lambda, step.uuids, step.kind === 'enable-mappings');
        break;
      case 'set-concurrency':
        if (step.value === null) await clients.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: fn }));
        else await clients.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn, ReservedConcurrentExecutions: step.value }));
        break;
    }
  }
  if (!d.alert) return { action: d.action, concurrency: d.concurrency, state: d.next };
  const msg = alertMessage({ event, fn, action: d.action, ...d.alert });
  await clients.sns.send(new PublishCommand({ TopicArn: settings.ALERT_TOPIC_ARN, Subject: msg.subject, Message: msg.body }));
  return { action: d.action, concurrency: d.concurrency, state: d.next, message: msg.body };
}

/** Handles one alarm state change: reads what the decision needs, decides, applies. */
export async function handleAlarm(event: AlarmEvent, settings: StopperSettings, clients: StopperClients): Promise<StopperResult> {
  const fn = settings.LOADER_FUNCTION_NAME;
  const alarmState = event.detail.state.value;
  const state = await readState(clients.ssm, settings.STATE_PARAMETER_NAME);
  const current = alarmState === 'INSUFFICIENT_DATA' ? null : await currentConcurrency(clients.lambda, fn);
  const activeMappingIds = alarmState === 'ALARM' ? await activeMappings(clients.lambda, fn) : [];
  const decision = decide({
    alarm: event.detail.alarmName,
    alarmState,
    time: event.time ?? new Date().toISOString(),
    state,
    current,
    activeMappings: activeMappingIds,
    loaderFunctionName: fn,
    defaultConcurrency: settings.DEFAULT_CONCURRENCY,
  });
  return applyDecision(decision, event, settings, clients);
}
