/**
 * The OpenSearch client of the loader and the CLI, made by the functions' one factory
 * (lambdas/shared/opensearch.ts).
 *
 * In AWS, requests are signed with SigV4 (service `es`) using the Lambda role's credentials from the
 * default provider chain; locally, basic auth or none. The client's own retries are off: the bulk
 * sink retries with backoff and jitter itself (sink/retry.ts) and must see every failure to count it.
 */
import type { Client, ClientOptions } from '@opensearch-project/opensearch';
import { openSearchClient, type OpenSearchConnection } from '../../shared/opensearch';

export type { OpenSearchConnection } from '../../shared/opensearch';

/** `search-x.es.amazonaws.com` -> `https://search-x.es.amazonaws.com`. */
export function nodeUrl(endpoint: string): string {
  return /^https?:\/\//.test(endpoint) ? endpoint.replace(/\/+$/, '') : `https://${endpoint.replace(/\/+$/, '')}`;
}

export function createOpenSearchClient(c: OpenSearchConnection, extra: Partial<ClientOptions> = {}): Client {
  return openSearchClient({ ...c, node: nodeUrl(c.node) }, { maxRetries: 0, requestTimeout: 120_000, ...extra });
}
