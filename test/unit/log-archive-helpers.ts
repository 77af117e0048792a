/**
 * Test helpers for the Control Tower integration: an organization with a Log Archive account (built
 * through the same parser the app uses) and the `log-archive` stack synthesized on its own.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Testing } from 'cdktf';
import { parseOrganization } from '../../accounts/load';
import type { Organization } from '../../accounts/schema';
import { LogArchiveStack } from '../../stacks/log-archive-stack';

export const SECURITY = '222222222222';
export const LOG_ARCHIVE = '333333333333';
export const MANAGEMENT = '111111111111';
export const REGION = 'ap-northeast-1';
export const EXTERNAL_ID = 'siem-test-external-id';
export const CT_KEY_ARN = `arn:aws:kms:${REGION}:${MANAGEMENT}:key/0a1b2c3d-aaaa-4bbb-8ccc-444455556666`;
export const CT_LOGS = `aws-controltower-logs-${LOG_ARCHIVE}-${REGION}`;
export const CT_ACCESS_LOGS = `aws-controltower-s3-access-logs-${LOG_ARCHIVE}-${REGION}`;
export const LOADER_ROLE_ARN = `arn:aws:iam::${SECURITY}:role/aes-siem-es-loader-role`;
export const READER_ROLE_ARN = `arn:aws:iam::${LOG_ARCHIVE}:role/ct-role-for-siem`;
export const QUEUE_ARN = `arn:aws:sqs:${REGION}:${LOG_ARCHIVE}:aes-siem-ct`;
export const DLQ_ARN = `arn:aws:sqs:${REGION}:${LOG_ARCHIVE}:aes-siem-ct-dlq`;
export const RULE_ARN = `arn:aws:events:${REGION}:${LOG_ARCHIVE}:rule/aes-siem-ct-object-created`;

/** An organization whose `logArchive` is the defaults plus `logArchive` overrides (raw YAML values). */
export function ctOrganization(logArchive: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Organization {
  return parseOrganization(
    {
      file: 'organization.yaml',
      data: {
        prefix: 'aes-siem',
        organization: { id: 'o-a1b2c3d4e5', managementAccountId: MANAGEMENT },
        security: { accountId: SECURITY, region: REGION },
        logArchive: { accountId: LOG_ARCHIVE, region: REGION, externalId: EXTERNAL_ID, ...logArchive },
        ...extra,
      },
    },
    [],
  );
}

export interface TfJson {
  provider: { aws: Record<string, any>[] };
  resource: Record<string, Record<string, Record<string, any>>>;
  output?: Record<string, { value: unknown; description?: string }>;
  terraform?: Record<string, any>;
}

export function synthLogArchive(org: Organization): { json: TfJson; stack: LogArchiveStack; warnings: string[] } {
  const app = Testing.app();
  const stack = new LogArchiveStack(app, 'log-archive', { org });
  const json = JSON.parse(Testing.synth(stack)) as TfJson;
  const warnings = stack.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
  return { json, stack, warnings };
}

/** Synthesizes only the `log-archive` stack into a fresh folder, as `cdktf synth` lays it out; returns the stack folder. */
export function synthLogArchiveToDir(org: Organization): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-log-archive-'));
  const app = new App({ outdir, skipValidation: false });
  new LogArchiveStack(app, 'log-archive', { org });
  app.synth();
  return path.join(outdir, 'stacks', 'log-archive');
}

export function resources(json: TfJson, type: string): Record<string, Record<string, any>> {
  return json.resource?.[type] ?? {};
}

export function only(json: TfJson, type: string, predicate: (r: Record<string, any>) => boolean = () => true): Record<string, any> {
  const all = Object.values(resources(json, type)).filter(predicate);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0]!;
}

/** A policy as AWS receives it (Terraform's `$${` escape undone). */
export function policyOf(text: string): { Version: string; Statement: any[] } {
  return JSON.parse(text.replace(/\$\$\{/g, '${'));
}
