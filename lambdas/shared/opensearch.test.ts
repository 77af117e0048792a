import { describe, expect, it } from 'vitest';
import { openSearchReason, openSearchSettingsFromEnv, OpenSearchSettingsError } from './opensearch';

describe('shared: OpenSearch connection settings', () => {
  it('adds https:// to a bare domain endpoint and signs with SigV4 by default', () => {
    expect(openSearchSettingsFromEnv({ OPENSEARCH_ENDPOINT: 'search-aes-siem-abc.ap-northeast-1.es.amazonaws.com', AWS_REGION: 'ap-northeast-1' })).toEqual({
      node: 'https://search-aes-siem-abc.ap-northeast-1.es.amazonaws.com',
      auth: 'sigv4',
      region: 'ap-northeast-1',
      username: undefined,
      password: undefined,
      roleArn: undefined,
    });
  });

  it('names what is missing', () => {
    expect(() => openSearchSettingsFromEnv({})).toThrow(/OPENSEARCH_ENDPOINT is required/);
    expect(() => openSearchSettingsFromEnv({ OPENSEARCH_ENDPOINT: 'x', OPENSEARCH_AUTH: 'basic' })).toThrow('OPENSEARCH_AUTH=basic needs OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD');
    expect(() => openSearchSettingsFromEnv({ OPENSEARCH_ENDPOINT: 'x' })).toThrow(OpenSearchSettingsError);
    expect(() => openSearchSettingsFromEnv({ OPENSEARCH_ENDPOINT: 'x', AWS_REGION: 'r', OPENSEARCH_ROLE_ARN: 'admin' })).toThrow(/OPENSEARCH_ROLE_ARN must be an IAM role ARN/);
  });

  it('turns an OpenSearch error response into its type, reason and root cause', () => {
    const err = {
      message: 'illegal_argument_exception',
      meta: {
        statusCode: 400,
        body: { error: { type: 'illegal_argument_exception', reason: 'Failed to parse value [0] for setting [index.number_of_shards] must be >= 1', root_cause: [{ type: 'illegal_argument_exception', reason: 'Failed to parse value [0] for setting [index.number_of_shards] must be >= 1' }] } },
      },
    };
    expect(openSearchReason(err)).toBe('HTTP 400: illegal_argument_exception: Failed to parse value [0] for setting [index.number_of_shards] must be >= 1');
    expect(openSearchReason({ meta: { statusCode: 403, body: { message: 'no permissions for [cluster:admin/opendistro/ism/policy/write]' } } })).toBe('HTTP 403: no permissions for [cluster:admin/opendistro/ism/policy/write]');
    expect(openSearchReason(new Error('connect ECONNREFUSED 127.0.0.1:9200'))).toBe('connect ECONNREFUSED 127.0.0.1:9200');
  });
});
