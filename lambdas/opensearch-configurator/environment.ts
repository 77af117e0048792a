/**
 * The environment of `<prefix>-opensearch-configurator`: only the OpenSearch connection, signed as the
 * fine-grained access control master role, which it assumes (the only principal allowed to change
 * security settings). Kept apart from index.ts, which connects at import.
 */
import type { LambdaEnvironment } from '../shared/env';
import { openSearchEnvironment, openSearchEnvSchema } from '../shared/opensearch';

export const configuratorEnvSchema = openSearchEnvSchema;

export function configuratorEnvironment(p: { readonly opensearchEndpoint: string; readonly adminRoleArn: string }): LambdaEnvironment<typeof configuratorEnvSchema> {
  return openSearchEnvironment({ endpoint: p.opensearchEndpoint, roleArn: p.adminRoleArn });
}
