/**
 * The one OpenSearch client factory of the functions: the loader and its CLI (through
 * es-loader/sink/client.ts) and the operations Lambdas (configurator, index metrics exporter).
 *
 * In AWS the functions sign requests with SigV4 (service `es`) using the Lambda role's credentials:
 * the domain's fine-grained access control maps that role to an OpenSearch role. Locally (tests, the
 * CLI) basic auth or no auth is used against a plain OpenSearch node.
 *
 * Environment (validated once, at cold start):
 *   OPENSEARCH_ENDPOINT  https://host[:port] or host (https assumed)
 *   OPENSEARCH_AUTH      sigv4 (default) | basic | none
 *   OPENSEARCH_USERNAME / OPENSEARCH_PASSWORD  only for basic (never used in AWS)
 *   OPENSEARCH_ROLE_ARN  sigv4 only: a role to assume first (the configurator assumes the fine-grained
 *                        access control master role, because only it may change security settings)
 *   AWS_REGION           region of the domain, for SigV4 (set by Lambda)
 */
import { Client, type ClientOptions } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { z } from 'zod';
import { parseEnvironment, type LambdaEnvironment } from './env';

export class OpenSearchSettingsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OpenSearchSettingsError';
  }
}

export const openSearchEnvSchema = z.object({
  OPENSEARCH_ENDPOINT: z.string({ error: 'OPENSEARCH_ENDPOINT is required (the domain endpoint, e.g. https://search-x.ap-northeast-1.es.amazonaws.com)' }).min(1),
  OPENSEARCH_AUTH: z.enum(['sigv4', 'basic', 'none'], { error: 'OPENSEARCH_AUTH must be sigv4, basic or none' }).default('sigv4'),
  OPENSEARCH_USERNAME: z.string().optional(),
  OPENSEARCH_PASSWORD: z.string().optional(),
  OPENSEARCH_ROLE_ARN: z.string().startsWith('arn:', { error: 'OPENSEARCH_ROLE_ARN must be an IAM role ARN' }).optional(),
  AWS_REGION: z.string().optional(),
});

export interface OpenSearchSettings {
  readonly node: string;
  readonly auth: 'sigv4' | 'basic' | 'none';
  readonly username?: string;
  readonly password?: string;
  readonly region?: string;
  readonly roleArn?: string;
}

/** Reads the connection settings from an environment; throws naming the variable that is wrong. */
export function openSearchSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): OpenSearchSettings {
  const e = parseEnvironment(openSearchEnvSchema, env, { title: 'Invalid Lambda environment', error: (m) => new OpenSearchSettingsError(m) });
  const node = /^https?:\/\//.test(e.OPENSEARCH_ENDPOINT) ? e.OPENSEARCH_ENDPOINT : `https://${e.OPENSEARCH_ENDPOINT}`;
  if (e.OPENSEARCH_AUTH === 'basic' && (!e.OPENSEARCH_USERNAME || !e.OPENSEARCH_PASSWORD)) {
    throw new OpenSearchSettingsError('OPENSEARCH_AUTH=basic needs OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD');
  }
  if (e.OPENSEARCH_AUTH === 'sigv4' && !e.AWS_REGION) {
    throw new OpenSearchSettingsError('OPENSEARCH_AUTH=sigv4 needs AWS_REGION (the region of the domain)');
  }
  return { node: node.replace(/\/+$/, ''), auth: e.OPENSEARCH_AUTH, username: e.OPENSEARCH_USERNAME, password: e.OPENSEARCH_PASSWORD, region: e.AWS_REGION, roleArn: e.OPENSEARCH_ROLE_ARN };
}

/**
 * The connection variables of a function in AWS: the domain endpoint, SigV4, and the role to assume
 * first when there is one (AWS_REGION is set by Lambda).
 */
export function openSearchEnvironment(p: { readonly endpoint: string; readonly roleArn?: string }): LambdaEnvironment<typeof openSearchEnvSchema> {
  return { OPENSEARCH_ENDPOINT: p.endpoint, OPENSEARCH_AUTH: 'sigv4', ...(p.roleArn ? { OPENSEARCH_ROLE_ARN: p.roleArn } : {}) };
}

/** How to reach and authenticate to a domain (or a local node). */
export type OpenSearchConnection =
  | {
      readonly node: string;
      readonly auth: 'sigv4';
      readonly region: string;
      /** `es` (a domain, default) or `aoss` (a serverless collection). */
      readonly service?: 'es' | 'aoss';
      /** A role to assume first; default: the caller's own credentials (the Lambda role). */
      readonly roleArn?: string;
    }
  | { readonly node: string; readonly auth: 'basic'; readonly username: string; readonly password: string; readonly insecure?: boolean }
  | { readonly node: string; readonly auth: 'none'; readonly insecure?: boolean };

/** A client for `c`; `options` (timeouts, retries) are the caller's. `insecure`: accept a self-signed certificate (local servers only). */
export function openSearchClient(c: OpenSearchConnection, options: Partial<ClientOptions> = {}): Client {
  const base: ClientOptions = { node: c.node, ...options };
  switch (c.auth) {
    case 'sigv4': {
      const credentials = c.roleArn
        ? fromTemporaryCredentials({ params: { RoleArn: c.roleArn, RoleSessionName: 'siem-operations', DurationSeconds: 900 }, clientConfig: { region: c.region } })
        : fromNodeProviderChain();
      return new Client({ ...base, ...AwsSigv4Signer({ region: c.region, service: c.service ?? 'es', getCredentials: () => credentials() }) });
    }
    case 'basic':
      return new Client({ ...base, auth: { username: c.username, password: c.password }, ...(c.insecure ? { ssl: { rejectUnauthorized: false } } : {}) });
    case 'none':
      return new Client({ ...base, ...(c.insecure ? { ssl: { rejectUnauthorized: false } } : {}) });
  }
}

/** The operations functions' client: 30 s per request, three retries. */
export function createOpenSearchClient(settings: OpenSearchSettings): Client {
  const options = { requestTimeout: 30_000, maxRetries: 3 };
  switch (settings.auth) {
    case 'sigv4':
      return openSearchClient({ node: settings.node, auth: 'sigv4', region: settings.region!, roleArn: settings.roleArn }, options);
    case 'basic':
      return openSearchClient({ node: settings.node, auth: 'basic', username: settings.username!, password: settings.password!, insecure: settings.node.startsWith('https://localhost') }, options);
    case 'none':
      return openSearchClient({ node: settings.node, auth: 'none' }, options);
  }
}

/** OpenSearch's own explanation of a failed request (`error.reason`, root causes), for error messages. */
export function openSearchReason(err: unknown): string {
  const e = err as { meta?: { statusCode?: number; body?: unknown }; message?: string };
  const body = e?.meta?.body as { error?: unknown; message?: string } | string | undefined;
  const status = e?.meta?.statusCode;
  let reason: string | undefined;
  if (typeof body === 'string') reason = body;
  else if (body && typeof body === 'object') {
    const error = body.error;
    if (typeof error === 'string') reason = error;
    else if (error && typeof error === 'object') {
      const o = error as { type?: string; reason?: string; root_cause?: { type?: string; reason?: string }[] };
      const root = o.root_cause?.[0];
      reason = [o.type, o.reason].filter(Boolean).join(': ');
      if (root && root.reason && root.reason !== o.reason) reason += ` (root cause ${root.type}: ${root.reason})`;
    } else if (body.message) reason = body.message;
    else reason = JSON.stringify(body);
  }
  reason ??= e?.message ?? String(err);
  return status ? `HTTP ${status}: ${reason}` : reason;
}
