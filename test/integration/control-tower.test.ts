/**
 * Control Tower ingestion end to end against the local servers: objects in a Control Tower–style bucket
 * of the S3-API server (an organization-trail CloudTrail file and a Config history file), announced
 * through a local SQS queue standing for `aes-siem-ct` (one EventBridge event, one S3 notification),
 * loaded by the es-loader built by its real cold start (`initRuntime`) from a Lambda environment with
 * the CT_* variables that modules/control-tower-ingestion.ts sets.
 *
 * STS has no local server: it is mocked with aws-sdk-client-mock and returns credentials that differ
 * from the loader's own (a session token and secret; the access key id must be s3rver's only one).
 * s3rver does not verify SigV4 signatures, so a middleware records the credentials each S3 request was
 * actually signed with (access key id, session token, and the secret through the signing key), and
 * the test asserts that every read of a Control Tower object used the assumed role's credentials.
 */
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { Client } from '@opensearch-project/opensearch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handleEvent, type LoaderRuntime, type SqsBatchResponse } from '../../lambdas/es-loader/handler';
import { initRuntime } from '../../lambdas/es-loader/runtime/init';
import { awsEnv, openSearchClient, s3ClientConfig, serversInfo, sqsClientConfig } from '../servers/clients';
import { RecordingLog, RecordingMetrics } from './es-loader-helpers';

const ORG = 'o-a1b2c3d4e5';
const MEMBER = '444444444444';
const LOG_ARCHIVE = '333333333333';
const RUN = randomUUID().slice(0, 8);
// Control Tower's bucket names, made unique per run so that reruns against the same servers never mix.
const CT_BUCKET = `aws-controltower-logs-${LOG_ARCHIVE}-${RUN}`;
const CT_ACCESS_BUCKET = `aws-controltower-s3-access-logs-${LOG_ARCHIVE}-${RUN}`;
const ROLE_ARN = `arn:aws:iam::${LOG_ARCHIVE}:role/ct-role-for-siem`;
const EXTERNAL_ID = 'siem-integration-external-id';
// s3rver knows a single access key id (S3RVER) and rejects any other, so the role's credentials share
// it and differ in what identifies an assumed-role session: the secret and the session token.
const ASSUMED = { AccessKeyId: 'S3RVER', SecretAccessKey: `ct-reader-secret-${RUN}`, SessionToken: `ct-reader-session-${RUN}` };

const EVENT_ID = `ct-int-${RUN}`;
const SG_ID = `sg-0${RUN}abcdef01`;
const TRAIL_KEY = `${ORG}/AWSLogs/${ORG}/${MEMBER}/CloudTrail/ap-northeast-1/2026/11/22/${MEMBER}_CloudTrail_ap-northeast-1_20261122T0655Z_${RUN}.json.gz`;
const CONFIG_KEY = `${ORG}/AWSLogs/${MEMBER}/Config/ap-northeast-1/2026/11/22/ConfigHistory/${MEMBER}_Config_ap-northeast-1_ConfigHistory_AWS::EC2::SecurityGroup_20261122T065600Z_20261122T070000Z_${RUN}.json.gz`;
const UNKNOWN_KEY = `${ORG}/AWSLogs/${MEMBER}/SomethingElse/ap-northeast-1/notes-${RUN}.txt`;

/** An organization-trail record as CloudTrail writes it ("CloudTrail record contents", CloudTrail User Guide). */
const trailFile = {
  Records: [
    {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        principalId: 'AROAEXAMPLEID:alice',
        arn: `arn:aws:sts::${MEMBER}:assumed-role/Admin/alice`,
        accountId: MEMBER,
        accessKeyId: 'ASIAMEMBEREXAMPLE',
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEID', arn: `arn:aws:iam::${MEMBER}:role/Admin`, accountId: MEMBER, userName: 'Admin' },
          attributes: { creationDate: '2026-11-22T06:50:00Z', mfaAuthenticated: 'false' },
        },
      },
      eventTime: '2026-11-22T06:55:01Z',
      eventSource: 's3.amazonaws.com',
      eventName: 'CreateBucket',
      awsRegion: 'ap-northeast-1',
      sourceIPAddress: '203.0.113.10',
      userAgent: 'aws-cli/2.15.0',
      requestParameters: { bucketName: 'demo-bucket', Host: 'demo-bucket.s3.ap-northeast-1.amazonaws.com' },
      responseElements: null,
      requestID: 'C3D13FE58DE4C810',
      eventID: EVENT_ID,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: MEMBER,
      eventCategory: 'Management',
    },
  ],
};

/** A configuration history file ("Configuration item", AWS Config Developer Guide). */
const configFile = {
  fileVersion: '1.0',
  configurationItems: [
    {
      configurationItemVersion: '1.3',
      configurationItemCaptureTime: '2026-11-22T06:56:00.000Z',
      configurationStateId: 1763794560000,
      awsAccountId: MEMBER,
      configurationItemStatus: 'ResourceDiscovered',
      resourceType: 'AWS::EC2::SecurityGroup',
      resourceId: SG_ID,
      resourceName: 'web',
      ARN: `arn:aws:ec2:ap-northeast-1:${MEMBER}:security-group/${SG_ID}`,
      awsRegion: 'ap-northeast-1',
      availabilityZone: 'Not Applicable',
      configurationStateMd5Hash: '',
      resourceCreationTime: null,
      tags: {},
      relatedEvents: [],
      relationships: [],
      configuration: { groupName: 'web', groupId: SG_ID },
      supplementaryConfiguration: {},
    },
  ],
};

/** An EventBridge "Object Created" event, as the log-archive stack's rule forwards it. */
const eventBridgeMessage = (bucket: string, key: string) =>
  JSON.stringify({
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: LOG_ARCHIVE,
    time: new Date().toISOString(),
    region: 'ap-northeast-1',
    resources: [`arn:aws:s3:::${bucket}`],
    detail: { version: '0', bucket: { name: bucket }, object: { key, size: 100, etag: 'b1946ac92492d2347c6235b4d2611184' }, 'request-id': 'N4N7GDK58NMKJ12R', requester: 'cloudtrail.amazonaws.com', reason: 'PutObject' },
  });

/** An S3 event notification (direct mode); keys are URL-encoded with `+` for spaces. */
const s3NotificationMessage = (bucket: string, key: string) =>
  JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'ap-northeast-1',
        eventTime: new Date().toISOString(),
        eventName: 'ObjectCreated:Put',
        s3: { s3SchemaVersion: '1.0', configurationId: 'aes-siem-ct', bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` }, object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), size: 100 } },
      },
    ],
  });

interface SignedRequest {
  readonly bucket?: string;
  readonly key?: string;
  readonly accessKeyId?: string;
  readonly sessionToken?: string;
  readonly secretAccessKey?: string;
}

describe('Integration: Control Tower buckets -> aes-siem-ct -> es-loader (assumed role) -> OpenSearch', () => {
  let sqs: SQSClient;
  let s3: S3Client;
  let os: Client;
  let rt: LoaderRuntime;
  let log: RecordingLog;
  let ctQueueUrl: string;
  let ctQueueArn: string;
  let ctDlqUrl: string;
  let dlqUrl: string;
  const signed: SignedRequest[] = [];
  const savedEnv = { ...process.env };
  const sts = mockClient(STSClient);

  async function createQueue(name: string, attributes?: Record<string, string>): Promise<string> {
    return (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
  }

  async function receive(queueUrl: string): Promise<Message[]> {
    const out: Message[] = [];
    for (;;) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, AttributeNames: ['All'] }));
      if (!r.Messages || r.Messages.length === 0) return out;
      out.push(...r.Messages);
    }
  }

  /** Receives everything visible in a queue and deletes it. */
  async function drain(queueUrl: string): Promise<Message[]> {
    const out = await receive(queueUrl);
    for (const m of out) await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
    return out;
  }

  /** What Lambda's event source mapping does: receive a batch, invoke, delete what did not fail. */
  async function pollOnce(): Promise<{ response: SqsBatchResponse | undefined; messages: Message[] }> {
    const messages = await receive(ctQueueUrl);
    const event = {
      Records: messages.map((m) => ({
        messageId: m.MessageId!,
        receiptHandle: m.ReceiptHandle!,
        body: m.Body!,
        attributes: m.Attributes ?? {},
        messageAttributes: {},
        md5OfBody: m.MD5OfBody!,
        eventSource: 'aws:sqs',
        eventSourceARN: ctQueueArn,
        awsRegion: 'ap-northeast-1',
      })),
    };
    const response = messages.length > 0 ? await handleEvent(rt, event) : undefined;
    const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    for (const m of messages) {
      if (failed.has(m.MessageId!)) await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: ctQueueUrl, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }));
      else await sqs.send(new DeleteMessageCommand({ QueueUrl: ctQueueUrl, ReceiptHandle: m.ReceiptHandle! }));
    }
    return { response, messages };
  }

  beforeAll(async () => {
    const info = serversInfo();
    sqs = new SQSClient(sqsClientConfig());
    s3 = new S3Client(s3ClientConfig());
    os = openSearchClient();

    for (const b of [CT_BUCKET, CT_ACCESS_BUCKET]) await s3.send(new CreateBucketCommand({ Bucket: b }));
    ctDlqUrl = await createQueue(`aes-siem-ct-dlq-${RUN}`);
    const ctDlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: ctDlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    // As in the log-archive stack, but one receive before the DLQ so the test needs no waiting.
    ctQueueUrl = await createQueue(`aes-siem-ct-${RUN}`, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: ctDlqArn, maxReceiveCount: 1 }) });
    ctQueueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: ctQueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    dlqUrl = await createQueue(`aes-siem-dlq-ct-${RUN}`);
    const splitUrl = await createQueue(`aes-siem-split-ct-${RUN}`);

    // STS (no local server): the role's credentials, distinct from the test's own.
    sts.on(AssumeRoleCommand).resolves({ Credentials: { ...ASSUMED, Expiration: new Date(Date.now() + 3600_000) } });

    // Record the credentials each S3 request is signed with (after signing, in the deserialize step).
    const instrumented = new WeakSet<S3Client>();
    const send = S3Client.prototype.send;
    vi.spyOn(S3Client.prototype, 'send').mockImplementation(function (this: S3Client, command: never, ...rest: never[]) {
      if (!instrumented.has(this)) {
        instrumented.add(this);
        const client = this;
        this.middlewareStack.add(
          (next) => async (args) => {
            const req = args.request as { headers: Record<string, string> };
            const input = args.input as { Bucket?: string; Key?: string };
            signed.push({
              bucket: input.Bucket,
              key: input.Key,
              accessKeyId: /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1],
              sessionToken: req.headers['x-amz-security-token'],
              // The identity the client signed with (the provider returns its cached credentials).
              secretAccessKey: (await client.config.credentials()).secretAccessKey,
            });
            return next(args);
          },
          { step: 'deserialize', name: 'recordSigningCredentials', priority: 'low' },
        );
      }
      return (send as (...a: unknown[]) => never).call(this, command, ...rest);
    } as never);

    // The Lambda environment: the loader's own settings plus what ControlTowerIngestion adds.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...awsEnv(info),
      OPENSEARCH_ENDPOINT: info.opensearch.url,
      OPENSEARCH_AUTH: info.opensearch.username ? 'basic' : 'none',
      ...(info.opensearch.username ? { OPENSEARCH_USERNAME: info.opensearch.username, OPENSEARCH_PASSWORD: info.opensearch.password } : {}),
      SPLIT_QUEUE_URL: splitUrl,
      DLQ_URL: dlqUrl,
      S3_FORCE_PATH_STYLE: 'true',
      CT_BUCKETS: `${CT_BUCKET},${CT_ACCESS_BUCKET}`,
      CT_ROLE_ARN: ROLE_ARN,
      CT_EXTERNAL_ID: EXTERNAL_ID,
      CT_REGION: info.s3.region,
      CT_DLQ_URL: ctDlqUrl,
    };
    // AWS SDK clients created inside the loader read endpoints and checksum settings from process.env.
    Object.assign(process.env, awsEnv(info));
    log = new RecordingLog();
    rt = await initRuntime(env, `${__dirname}/../../lambdas/es-loader`, { log, metrics: new RecordingMetrics(), s3, sqs });

    await s3.send(new PutObjectCommand({ Bucket: CT_BUCKET, Key: TRAIL_KEY, Body: gzipSync(JSON.stringify(trailFile)) }));
    await s3.send(new PutObjectCommand({ Bucket: CT_BUCKET, Key: CONFIG_KEY, Body: gzipSync(JSON.stringify(configFile)) }));
    await s3.send(new PutObjectCommand({ Bucket: CT_BUCKET, Key: UNKNOWN_KEY, Body: 'not a log' }));
    signed.length = 0; // only the loader's requests from here on
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    sts.restore();
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
  });

  it('loads the organization-trail CloudTrail file (EventBridge event) and the Config history file (S3 notification) into OpenSearch', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: ctQueueUrl, MessageBody: eventBridgeMessage(CT_BUCKET, TRAIL_KEY) }));
    await sqs.send(new SendMessageCommand({ QueueUrl: ctQueueUrl, MessageBody: s3NotificationMessage(CT_BUCKET, CONFIG_KEY) }));
    const { response, messages } = await pollOnce();
    expect(messages).toHaveLength(2);
    expect(response).toEqual({ batchItemFailures: [] });

    await os.indices.refresh({ index: 'log-aws-cloudtrail-*,log-aws-config-*' });
    const trail = await os.get({ index: 'log-aws-cloudtrail-2026-11', id: EVENT_ID });
    expect(trail.body._source).toMatchObject({
      '@timestamp': '2026-11-22T06:55:01.000Z',
      cloud: { account: { id: MEMBER }, region: 'ap-northeast-1', provider: 'aws' },
      event: { action: 'CreateBucket', provider: 's3.amazonaws.com', outcome: 'success', category: 'iam', kind: 'event', dataset: 'cloudtrail' },
      source: { ip: '203.0.113.10', address: '203.0.113.10' },
      user: { name: 'alice', id: 'ASIAMEMBEREXAMPLE' },
      user_agent: { original: 'aws-cli/2.15.0', name: 'aws-cli', version: '2.15.0' },
      eventID: EVENT_ID,
      recipientAccountId: MEMBER,
    });
    expect(typeof (trail.body._source as { event: { ingested: unknown } }).event.ingested).toBe('string');

    const config = await os.search({ index: 'log-aws-config-2026-11', body: { query: { term: { resourceId: SG_ID } } } });
    const hits = config.body.hits.hits;
    expect(hits).toHaveLength(1);
    expect(hits[0]!._source).toMatchObject({
      '@timestamp': '2026-11-22T06:56:00.000Z',
      cloud: { account: { id: MEMBER }, region: 'ap-northeast-1', provider: 'aws' },
      event: { kind: 'state', category: 'configuration', module: 'config-history', action: 'ResourceDiscovered', type: 'info', dataset: 'config' },
      resourceType: 'AWS::EC2::SecurityGroup',
      resourceId: SG_ID,
    });
    // "Not Applicable" is not an Availability Zone: the transform drops it.
    expect((hits[0]!._source as { cloud: Record<string, unknown> }).cloud.availability_zone).toBeUndefined();
  });

  it('read both objects with the assumed ct-role-for-siem credentials (external id), never with the loader\'s own', () => {
    const reads = signed.filter((r) => r.bucket === CT_BUCKET);
    expect(reads.map((r) => r.key).sort()).toEqual([CONFIG_KEY, TRAIL_KEY].sort());
    for (const r of reads) {
      expect(r.accessKeyId).toBe(ASSUMED.AccessKeyId);
      expect(r.sessionToken).toBe(ASSUMED.SessionToken);
      expect(r.secretAccessKey).toBe(ASSUMED.SecretAccessKey);
    }
    // The loader's own client (the test's S3RVER/S3RVER pair, no session) read nothing of the Control Tower bucket.
    expect(signed.filter((r) => r.bucket === CT_BUCKET && r.sessionToken === undefined)).toEqual([]);
    const calls = sts.commandCalls(AssumeRoleCommand);
    expect(calls).toHaveLength(1); // cached across objects
    expect(calls[0]!.args[0].input).toEqual({ RoleArn: ROLE_ARN, RoleSessionName: 'siem-es-loader', ExternalId: EXTERNAL_ID, DurationSeconds: 3600 });
  });

  it('sends an object that cannot be loaded to aes-siem-ct-dlq with its reason (not to the loader DLQ), and the message is done', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: ctQueueUrl, MessageBody: eventBridgeMessage(CT_BUCKET, UNKNOWN_KEY) }));
    const { response } = await pollOnce();
    expect(response).toEqual({ batchItemFailures: [] });
    const letters = (await drain(ctDlqUrl)).map((m) => JSON.parse(m.Body!));
    expect(letters).toEqual([
      {
        type: 'es-loader-failure',
        version: 1,
        bucket: CT_BUCKET,
        key: UNKNOWN_KEY,
        failures: [{ stage: 'object', reason: expect.stringMatching(/^unknown log type: no log type's s3_key pattern matches/) }],
      },
    ]);
    expect(await drain(dlqUrl)).toEqual([]);
  });

  it('replays a failure message redriven from aes-siem-ct-dlq to aes-siem-ct, reading with the role again', async () => {
    const eventId = `ct-int-redrive-${RUN}`;
    const key = TRAIL_KEY.replace(`_${RUN}.json.gz`, `_${RUN}-late.json.gz`);
    // The notification arrives before the object can be read (here: it does not exist yet).
    await sqs.send(new SendMessageCommand({ QueueUrl: ctQueueUrl, MessageBody: eventBridgeMessage(CT_BUCKET, key) }));
    expect((await pollOnce()).response).toEqual({ batchItemFailures: [] });
    const letters = await drain(ctDlqUrl);
    expect(letters.map((m) => JSON.parse(m.Body!))).toEqual([
      { type: 'es-loader-failure', version: 1, bucket: CT_BUCKET, key, failures: [{ stage: 'object', reason: expect.stringMatching(/does not exist/) }] },
    ]);

    const late = { Records: [{ ...trailFile.Records[0]!, eventID: eventId, eventName: 'DeleteBucket' }] };
    await s3.send(new PutObjectCommand({ Bucket: CT_BUCKET, Key: key, Body: gzipSync(JSON.stringify(late)) }));
    signed.length = 0;
    // DLQ redrive: the message goes back to its source queue unchanged.
    await sqs.send(new SendMessageCommand({ QueueUrl: ctQueueUrl, MessageBody: letters[0]!.Body! }));
    expect((await pollOnce()).response).toEqual({ batchItemFailures: [] });

    await os.indices.refresh({ index: 'log-aws-cloudtrail-*' });
    const doc = await os.get({ index: 'log-aws-cloudtrail-2026-11', id: eventId });
    expect(doc.body._source).toMatchObject({ eventID: eventId, event: { action: 'DeleteBucket' }, cloud: { account: { id: MEMBER } } });
    expect(signed.filter((r) => r.bucket === CT_BUCKET).map((r) => [r.key, r.sessionToken])).toEqual([[key, ASSUMED.SessionToken]]);
    expect(await drain(ctDlqUrl)).toEqual([]);
  });

  it('reports a message it does not understand as failed; SQS then moves it to aes-siem-ct-dlq and the reason is in the log', async () => {
    const body = '{"not":"a notification"}';
    await sqs.send(new SendMessageCommand({ QueueUrl: ctQueueUrl, MessageBody: body }));
    const { response, messages } = await pollOnce();
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: messages[0]!.MessageId! }] });
    expect(log.lines.find((l) => l.level === 'error' && l.message.startsWith(`message ${messages[0]!.MessageId} is not understood`))?.message).toMatch(/not an S3 notification/);
    // Next receive: the message has used its receives and SQS's redrive policy moves it to the DLQ.
    expect(await receive(ctQueueUrl)).toEqual([]);
    const dead = await drain(ctDlqUrl);
    expect(dead.map((m) => m.Body)).toEqual([body]);
  });
});
