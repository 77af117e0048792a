/**
 * The organization context (enrich/organization.ts: account names, OU paths, tags, trusted proxies),
 * read once per container from the geo bucket, where the central stack writes it from accounts/
 * (modules/organization-context.ts). As with GeoIP and the IoC database, a missing object means no
 * context and an unreadable or invalid one is logged once (one line naming the object): the loader never
 * fails or drops logs for enrichment.
 *
 *   ORGANIZATION_CONTEXT_KEY     key of the context in GEOIP_BUCKET; unset or empty: no context
 *   ORGANIZATION_CONTEXT_SHA256  SHA-256 of the content the stack wrote: a change replaces the function's
 *                                configuration, so new containers read the new context
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { LambdaEnvironment } from '../../shared/env';
import type { TrustedProxies } from '../enrich/client-ip';
import { OrganizationContext } from '../enrich/organization';
import { readSmallObject } from '../storage/read';
import type { Log } from './observability';

export const organizationEnvSchema = z.object({
  ORGANIZATION_CONTEXT_KEY: z.string().optional(),
  ORGANIZATION_CONTEXT_SHA256: z.string().optional(),
});

/** The variables the construct sets (modules/organization-context.ts). */
export function organizationContextEnvironment(key: string, content: string): LambdaEnvironment<typeof organizationEnvSchema> {
  return { ORGANIZATION_CONTEXT_KEY: key, ORGANIZATION_CONTEXT_SHA256: createHash('sha256').update(content).digest('hex') };
}

/** Pipeline options from the context: `organization` when it names accounts, `trustedProxies` when it lists any. */
export interface OrganizationOptions {
  organization?: OrganizationContext;
  trustedProxies?: TrustedProxies;
}

export function organizationOptions(ctx: OrganizationContext | undefined): OrganizationOptions {
  if (!ctx) return {};
  return { ...(ctx.accountCount ? { organization: ctx } : {}), ...(ctx.trustedProxies.size ? { trustedProxies: ctx.trustedProxies } : {}) };
}

export async function loadOrganizationContext(s3: S3Client, bucket: string | undefined, env: NodeJS.ProcessEnv, log: Log): Promise<OrganizationOptions> {
  const key = env.ORGANIZATION_CONTEXT_KEY;
  if (!bucket || !key) return {};
  const where = `s3://${bucket}/${key}`;
  let bytes: Buffer | undefined;
  try {
    bytes = await readSmallObject(s3, bucket, key);
  } catch (err) {
    log.warn(`cannot read ${where}: no organization context in this container`, { error: (err as Error).message });
    return {};
  }
  if (!bytes) {
    log.warn(`${where} does not exist: no organization context (deploy the central stack)`);
    return {};
  }
  const expected = env.ORGANIZATION_CONTEXT_SHA256;
  if (expected && createHash('sha256').update(bytes).digest('hex') !== expected)
    log.warn(`${where} is not the version this function was deployed with (SHA-256 differs): using it anyway`);
  try {
    const ctx = OrganizationContext.parse(bytes.toString('utf8'), where);
    log.info(`loaded ${where}`, { accounts: ctx.accountCount, trustedProxies: ctx.trustedProxies.size });
    return organizationOptions(ctx);
  } catch (err) {
    log.warn((err as Error).message);
    return {};
  }
}
