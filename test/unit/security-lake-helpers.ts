/**
 * Test helpers for the Amazon Security Lake subscriber: an organization with `securityLake` (built
 * through the same parser the app uses), its values, and the central stack synthesized from it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Testing } from 'cdktf';
import { parseOrganization } from '../../accounts/load';
import type { Organization } from '../../accounts/schema';
import { CentralStack } from '../../stacks/central-stack';
import type { TfJson } from './log-archive-helpers';

export const SECURITY = '222222222222';
export const SECURITY_LAKE = '444444444444';
export const REGION = 'ap-northeast-1';
export const SUBSCRIBER_ID = '5f2a7c1e-9b3d-4e6f-8a0b-1c2d3e4f5a6b';
export const SUBSCRIBER_ROLE_ARN = `arn:aws:iam::${SECURITY_LAKE}:role/AmazonSecurityLake-${SUBSCRIBER_ID}`;
export const SL_EXTERNAL_ID = 'siem-sl-external-id';
export const SL_QUEUE_NAME = `AmazonSecurityLake-${SUBSCRIBER_ID}-Main-Queue`;
export const SL_QUEUE_ARN = `arn:aws:sqs:${REGION}:${SECURITY_LAKE}:${SL_QUEUE_NAME}`;
export const LAKE_BUCKET = `aws-security-data-lake-${REGION}-k3j4h5g6f7d8s9a0z1x2c3v4b`;
export const LOADER_ROLE_ARN = `arn:aws:iam::${SECURITY}:role/aes-siem-es-loader-role`;

/** An organization whose `securityLake` is these values plus overrides (raw YAML values), with `extra` sections. */
export function slOrganization(securityLake: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Organization {
  return parseOrganization(
    {
      file: 'organization.yaml',
      data: {
        prefix: 'aes-siem',
        organization: { id: 'o-a1b2c3d4e5', managementAccountId: '111111111111' },
        security: { accountId: SECURITY, region: REGION },
        securityLake: { accountId: SECURITY_LAKE, region: REGION, subscriberRoleArn: SUBSCRIBER_ROLE_ARN, externalId: SL_EXTERNAL_ID, queue: SL_QUEUE_ARN, ...securityLake },
        ...extra,
      },
    },
    [],
  );
}

export function synthCentral(org: Organization): TfJson {
  const app = Testing.app();
  const stack = new CentralStack(app, 'central', { org });
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

/** Synthesizes only the `central` stack into a fresh folder, as `cdktf synth` lays it out; returns the stack folder. */
export function synthCentralToDir(org: Organization): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-central-sl-'));
  const app = new App({ outdir, skipValidation: false });
  new CentralStack(app, 'central', { org });
  app.synth();
  return path.join(outdir, 'stacks', 'central');
}
