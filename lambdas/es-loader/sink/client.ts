/**
 * The OpenSearch client of the loader and the CLI.
 *
 * In AWS, requests are signed with SigV4 (service `es`) using the Lambda role's credentials from the
 * default provider chain; locally, basic auth or none. The client's own retries are off: the bulk
 * sink retries with backoff and jitter itself (sink/retry.ts) and must see every failure to count it.
 */
import { Client, type ClientOptions } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';

export type OpenSearchConnection =
  | { readonly node: string; readonly auth: 'sigv4'; readonly region: string; readonly service?: 'es' | 'aoss' }
  | { readonly node: string; readonly auth: 'basic'; readonly username: string; readonly password: string; readonly insecure?: boolean }
  | { readonly node: string; readonly auth: 'none'; readonly insecure?: boolean };

/** `search-x.es.amazonaws.com` -> `https://search-x.es.amazonaws.com`. */
export function nodeUrl(endpoint: string): string {
  return /^https?:\/\//.test(endpoint) ? endpoint.replace(/\/+$/, '') : `https://${endpoint.replace(/\/+$/, '')}`;
}

export function createOpenSearchClient(c: OpenSearchConnection, extra: Partial<ClientOptions> = {}): Client {
  const base: ClientOptions = { node: nodeUrl(c.node), maxRetries: 0, requestTimeout: 120_000, ...extra };
  switch (c.auth) {
    case 'sigv4': {
      const provider = fromNodeProviderChain();
      return new Client({ ...base, ...AwsSigv4Signer({ region: c.region, service: c.service ?? 'es', getCredentials: () => provider() }) });
    }
    case 'basic':
      return new Client({ ...base, auth: { username: c.username, password: c.password }, ...(c.insecure ? { ssl: { rejectUnauthorized: false } } : {}) });
    case 'none':
      return new Client({ ...base, ...(c.insecure ? { ssl: { rejectUnauthorized: false } } : {}) });
  }
}
