/** Lambda entry of `<prefix>-geoip-downloader` (EventBridge schedule, every 12 hours). */
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Logger } from '@aws-lambda-powertools/logger';
import { run, settingsFromEnv, type RunResult } from './downloader';

const logger = new Logger({ serviceName: 'geoip-downloader' });
const settings = settingsFromEnv();
const clients = { s3: new S3Client({}), ssm: new SSMClient({}), secrets: new SecretsManagerClient({}) };

export async function handler(): Promise<RunResult> {
  return run(settings, clients, { info: (m, e) => logger.info(m, e ?? {}), warn: (m, e) => logger.warn(m, e ?? {}) });
}
