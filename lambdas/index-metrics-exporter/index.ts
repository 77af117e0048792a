/** Lambda entry of `<prefix>-index-metrics-exporter` (EventBridge schedule, hourly). */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { createOpenSearchClient, openSearchSettingsFromEnv } from '../shared/opensearch';
import { exportMetrics, settingsFromEnv, type ExportResult } from './exporter';

const logger = new Logger({ serviceName: 'index-metrics-exporter' });
const settings = settingsFromEnv();
const client = createOpenSearchClient(openSearchSettingsFromEnv());
const s3 = new S3Client({});
const lambda = new LambdaClient({});

export async function handler(): Promise<ExportResult> {
  const result = await exportMetrics(client, s3, settings, new Date(), lambda);
  logger.info('metrics exported', { ...result });
  return result;
}
