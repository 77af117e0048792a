/** Lambda entry of `<prefix>-es-loader-stopper`, triggered by EventBridge alarm state changes. */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Logger } from '@aws-lambda-powertools/logger';
import { alarmEventSchema, handleAlarm, settingsFromEnv, StopperError, type StopperResult } from './stopper';

const logger = new Logger({ serviceName: 'es-loader-stopper' });
const settings = settingsFromEnv();
const clients = { lambda: new LambdaClient({}), ssm: new SSMClient({}), sns: new SNSClient({}) };

export async function handler(event: unknown): Promise<StopperResult> {
  const parsed = alarmEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new StopperError(`Not a CloudWatch Alarm State Change event: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const result = await handleAlarm(parsed.data, settings, clients);
  logger.info('alarm handled', { alarm: parsed.data.detail.alarmName, state: parsed.data.detail.state.value, action: result.action, concurrency: result.concurrency });
  return result;
}
