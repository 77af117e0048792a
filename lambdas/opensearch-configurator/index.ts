/**
 * Lambda entry of `<prefix>-opensearch-configurator`, invoked by Terraform (`aws_lambda_invocation`)
 * whenever the desired state changes. Input: `{ "desiredStateHash": "...", "settings": {...} }` (see
 * modules/operations.ts). Throws a ConfiguratorError naming the failed step and OpenSearch's reason,
 * which fails the deploy.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { createOpenSearchClient, openSearchSettingsFromEnv } from '../shared/opensearch';
import { secretsManagerPasswords } from './break-glass';
import { applySteps, ConfiguratorError, type StepResult } from './configurator';
import { s3BackupStore } from './dashboards/backup';
import { installDashboards, type DashboardsResult } from './dashboards/install';
import { configuratorSettingsSchema, dashboardsObjects, desiredStateHash, desiredSteps } from './desired-state';
import { loaderTemplates } from './loader-templates';

const logger = new Logger({ serviceName: 'opensearch-configurator' });
const client = createOpenSearchClient(openSearchSettingsFromEnv());
// Secrets Manager only for the break-glass user's password (created on first use, see break-glass.ts).
const passwords = secretsManagerPasswords(new SecretsManagerClient({}));

const inputSchema = z.object({ desiredStateHash: z.string().optional(), settings: configuratorSettingsSchema });

export interface ConfiguratorResult {
  readonly desiredStateHash: string;
  readonly requestedHash?: string;
  readonly counts: Record<StepResult['action'], number>;
  readonly results: StepResult[];
  /** The Dashboards import (when settings.dashboards is set). */
  readonly dashboards?: DashboardsResult;
}

export async function handler(event: unknown): Promise<ConfiguratorResult> {
  const input = inputSchema.safeParse(event);
  if (!input.success) throw new ConfiguratorError(`Invalid invocation input: ${input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const templates = loaderTemplates();
  const steps = desiredSteps(input.data.settings, templates);
  const results = await applySteps(client, steps, (r) => logger.info('step', { ...r }), { passwords });
  const counts = { created: 0, updated: 0, unchanged: 0 };
  for (const r of results) counts[r.action] += 1;
  let dashboards: DashboardsResult | undefined;
  const d = input.data.settings.dashboards;
  if (d) {
    // After the OpenSearch steps: a Dashboards failure leaves templates, roles and alerting in place.
    dashboards = await installDashboards(client, dashboardsObjects(templates), s3BackupStore(new S3Client({}), d.backupBucket, d.backupPrefix), { basePath: d.basePath, tenant: d.tenant });
    logger.info('dashboards', { ...dashboards });
  }
  const result = { desiredStateHash: desiredStateHash(input.data.settings, templates), requestedHash: input.data.desiredStateHash, counts, results, dashboards };
  logger.info('configured', { desiredStateHash: result.desiredStateHash, ...counts });
  return result;
}
