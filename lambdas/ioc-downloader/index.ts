/**
 * Lambda entry of `<prefix>-ioc-downloader` (EventBridge schedule; modules/operations/ioc-downloader.ts,
 * deployed when `threatIntel.enabled`). A run that had to fall back to a previous list, or could not
 * read a source, fails after uploading what it could, so the function's Errors alarm shows it.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Logger } from '@aws-lambda-powertools/logger';
import { failedSources, IocDownloadError, run, settingsFromEnv, type RunResult } from './downloader';

const logger = new Logger({ serviceName: 'ioc-downloader' });
const settings = settingsFromEnv();
const clients = { s3: new S3Client({}), ssm: new SSMClient({}), secrets: new SecretsManagerClient({}) };

export async function handler(): Promise<RunResult> {
  const result = await run(settings, clients, { info: (m, e) => logger.info(m, e ?? {}), warn: (m, e) => logger.warn(m, e ?? {}) });
  const failed = failedSources(result);
  if (failed.length > 0) throw new IocDownloadError(`IoC update incomplete (database ${result.status}): ${failed.map((s) => s.error).join('; ')}`);
  return result;
}
