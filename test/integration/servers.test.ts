// Smoke test of the local servers (test/servers/): each answers the calls the project's code makes.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { describe, expect, inject, it } from 'vitest';
import { openSearchClient, s3Client, serversInfo, sqsClient } from '../servers/clients';

const info = serversInfo();

describe('Local test servers', () => {
  it('hands the same connection details to inject() and to the environment', () => {
    expect(inject('siemServers')).toEqual(JSON.parse(JSON.stringify(info)));
    expect(info.opensearch.version).toMatch(/^2\.\d+\.\d+$/);
  });

  it('OpenSearch stores and returns a document with a flat_object field', async () => {
    const client = openSearchClient();
    const index = `smoke-${randomUUID()}`;
    await client.indices.create({
      index,
      body: { mappings: { properties: { '@timestamp': { type: 'date' }, requestParameters: { type: 'flat_object' } } } },
    });
    const document = {
      '@timestamp': '2024-05-01T12:00:00Z',
      requestParameters: { bucketName: 'logs', filter: { prefix: 'AWSLogs/', tags: ['a', 'b'] } },
    };
    await client.index({ index, id: 'doc-1', body: document, refresh: true });

    const got = await client.get({ index, id: 'doc-1' });
    expect(got.body._source).toEqual(document);
    // flat_object makes nested leaves searchable by their dotted path without mapping each key.
    const found = await client.search({
      index,
      body: { query: { term: { 'requestParameters.filter.prefix': 'AWSLogs/' } } },
    });
    expect(found.body.hits.hits.map((hit) => hit._id)).toEqual(['doc-1']);
    const mapping = await client.indices.getMapping({ index });
    expect(mapping.body[index]?.mappings.properties?.requestParameters).toEqual({ type: 'flat_object' });
    await client.indices.delete({ index });
  });

  it('OpenSearch has the standard modules: painless, analysis-common, ingest-common, reindex, mapper-extras', async () => {
    const client = openSearchClient();
    const index = `smoke-${randomUUID()}`;
    await client.indices.create({
      index,
      body: {
        settings: { analysis: { normalizer: { lowercase: { type: 'custom', filter: ['lowercase'] } } } },
        mappings: {
          properties: {
            user: { type: 'keyword', normalizer: 'lowercase' },
            score: { type: 'scaled_float', scaling_factor: 100 },
          },
        },
      },
    });
    const pipeline = `smoke-${randomUUID()}`;
    await client.ingest.putPipeline({
      id: pipeline,
      body: { processors: [{ uppercase: { field: 'user', target_field: 'user_upper' } }] },
    });
    await client.index({ index, id: '1', pipeline, refresh: true, body: { user: 'Alice', score: 1.5 } });
    const updated = await client.updateByQuery({
      index,
      refresh: true,
      body: { query: { term: { user: 'ALICE' } }, script: { lang: 'painless', source: 'ctx._source.score += 1' } },
    });
    expect(updated.body).toMatchObject({ updated: 1 });
    const got = await client.get({ index, id: '1' });
    expect(got.body._source).toEqual({ user: 'Alice', user_upper: 'ALICE', score: 2.5 });
    await client.ingest.deletePipeline({ id: pipeline });
    await client.indices.delete({ index });
  });

  it('S3 puts, heads, lists and streams back objects, including a streamed upload', async () => {
    const s3 = s3Client();
    const Bucket = `smoke-${randomUUID()}`;
    await s3.send(new CreateBucketCommand({ Bucket }));
    const body = '{"eventName":"PutObject"}\n';
    await s3.send(new PutObjectCommand({ Bucket, Key: 'AWSLogs/a.json', Body: body }));
    const streamed = Buffer.from('line-1\nline-2\n');
    await s3.send(
      new PutObjectCommand({ Bucket, Key: 'AWSLogs/b.log', Body: Readable.from([streamed]), ContentLength: streamed.length }),
    );

    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'AWSLogs/a.json' }));
    expect(await got.Body?.transformToString()).toBe(body);
    const gotStreamed = await s3.send(new GetObjectCommand({ Bucket, Key: 'AWSLogs/b.log' }));
    expect(Buffer.from((await gotStreamed.Body?.transformToByteArray()) ?? [])).toEqual(streamed);
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'AWSLogs/a.json' }));
    expect(head.ContentLength).toBe(Buffer.byteLength(body));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'AWSLogs/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['AWSLogs/a.json', 'AWSLogs/b.log']);
  });

  it('SQS sends, receives and deletes a message on a queue the test creates', async () => {
    const sqs = sqsClient();
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `smoke-${randomUUID()}` }));
    expect(QueueUrl).toMatch(new RegExp(`^${info.sqs.endpoint}/${info.sqs.accountId}/smoke-`));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"Records":[]}' }));

    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5, MaxNumberOfMessages: 10 }));
    expect(received.Messages?.map((m) => m.Body)).toEqual(['{"Records":[]}']);
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: received.Messages?.[0]?.ReceiptHandle }));
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect(attributes.Attributes).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it.skipIf(!info.opensearch.ism)('OpenSearch ISM accepts a rollover/delete policy', async () => {
    const client = openSearchClient();
    const policyId = `smoke-${randomUUID()}`;
    const policy = {
      policy: {
        description: 'smoke',
        default_state: 'hot',
        states: [
          { name: 'hot', actions: [], transitions: [{ state_name: 'delete', conditions: { min_index_age: '30d' } }] },
          { name: 'delete', actions: [{ delete: {} }], transitions: [] },
        ],
      },
    };
    await client.transport.request({ method: 'PUT', path: `/_plugins/_ism/policies/${policyId}`, body: policy });
    const got = await client.transport.request({ method: 'GET', path: `/_plugins/_ism/policies/${policyId}` });
    expect((got.body as { policy: { default_state: string } }).policy.default_state).toBe('hot');
  });

  it.skipIf(!info.opensearch.security)('OpenSearch security accepts a role and a role mapping', async () => {
    const client = openSearchClient();
    const role = `smoke_${randomUUID().replace(/-/g, '')}`;
    await client.transport.request({
      method: 'PUT',
      path: `/_plugins/_security/api/roles/${role}`,
      body: { index_permissions: [{ index_patterns: ['log-*'], allowed_actions: ['crud', 'create_index'] }] },
    });
    await client.transport.request({
      method: 'PUT',
      path: `/_plugins/_security/api/rolesmapping/${role}`,
      body: { backend_roles: ['arn:aws:iam::123456789012:role/aes-siem-es-loader'] },
    });
    const got = await client.transport.request({ method: 'GET', path: `/_plugins/_security/api/rolesmapping/${role}` });
    expect(got.body).toEqual({
      [role]: expect.objectContaining({ backend_roles: ['arn:aws:iam::123456789012:role/aes-siem-es-loader'] }),
    });
  });
});
