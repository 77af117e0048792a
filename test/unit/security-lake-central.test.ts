/**
 * The Amazon Security Lake subscriber in the synthesized `central` stack: the loader's event source
 * mapping on the subscriber queue in the Security Lake account, its extra permissions and environment.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../accounts/load';
import { loaderEnvSchema } from '../../lambdas/es-loader/runtime/config';
import { organizationEnvSchema } from '../../lambdas/es-loader/runtime/organization';
import { securityLakeEnv, slEnvSchema } from '../../lambdas/es-loader/storage/security-lake';
import type { TfJson } from './log-archive-helpers';
import { ctOrganization, QUEUE_ARN as CT_QUEUE_ARN } from './log-archive-helpers';
import { REGION, SL_EXTERNAL_ID, SL_QUEUE_ARN, slOrganization, SUBSCRIBER_ROLE_ARN, synthCentral } from './security-lake-helpers';

const loaderFunction = (json: TfJson) => Object.values(json.resource.aws_lambda_function ?? {}).find((f) => f.function_name === 'aes-siem-es-loader')!;
const mappingsOn = (json: TfJson, arn: string) => Object.values(json.resource.aws_lambda_event_source_mapping ?? {}).filter((m) => m.event_source_arn === arn);
const slPolicy = (json: TfJson) => Object.values(json.resource.aws_iam_role_policy ?? {}).find((p) => p.name === 'aes-siem-es-loader-security-lake');

describe('Module: SecurityLakeIngestion (central stack)', () => {
  const json = synthCentral(slOrganization());

  it('maps the loader onto the subscriber queue in the Security Lake account with partial batch responses', () => {
    const mappings = mappingsOn(json, SL_QUEUE_ARN);
    expect(mappings).toHaveLength(1);
    const m = mappings[0]!;
    expect(m.function_name).toMatch(/^\$\{aws_lambda_function\..*es-loader.*\.arn\}$/);
    expect(m.function_response_types).toEqual(['ReportBatchItemFailures']);
    expect(m.batch_size).toBe(10);
    // One of three SQS mappings (notification queue, split queue, Security Lake): an equal share of 10.
    expect(m.scaling_config).toEqual({ maximum_concurrency: 3 });
    // The stopper's pause survives a deploy.
    expect(m.lifecycle).toEqual({ ignore_changes: ['enabled'] });
  });

  it('gives the loader role exactly: consume the subscriber queue, assume the subscriber role with the external id', () => {
    const policy = slPolicy(json);
    expect(policy).toBeDefined();
    expect(JSON.parse(policy!.policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ConsumeSecurityLakeQueue', Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: SL_QUEUE_ARN },
        {
          Sid: 'AssumeSecurityLakeSubscriberRole',
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Resource: SUBSCRIBER_ROLE_ARN,
          Condition: { StringEquals: { 'sts:ExternalId': SL_EXTERNAL_ID } },
        },
      ],
    });
    // The mapping waits for the permissions it polls with.
    expect(mappingsOn(json, SL_QUEUE_ARN)[0]!.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\./)]);
  });

  it('tells the loader the bucket patterns, role, external id, Region, and the queue and receive count at which it copies a failing message to its DLQ', () => {
    const vars = loaderFunction(json).environment.variables as Record<string, string>;
    expect(vars).toMatchObject({
      SL_BUCKETS: `aws-security-data-lake-${REGION}-*`,
      SL_ROLE_ARN: SUBSCRIBER_ROLE_ARN,
      SL_EXTERNAL_ID: SL_EXTERNAL_ID,
      SL_REGION: REGION,
      SL_QUEUE_ARN: SL_QUEUE_ARN,
      SL_MAX_RECEIVE_COUNT: '3',
    });
    expect(vars.DLQ_URL).toBe(`https://sqs.${REGION}.amazonaws.com/222222222222/aes-siem-dlq`);
  });

  it('contract: the loader accepts the environment its construct gives it, and sets no variable its schemas do not know', () => {
    const env = { ...(loaderFunction(json).environment.variables as Record<string, string>), AWS_REGION: REGION };
    const known = [loaderEnvSchema.shape, slEnvSchema.shape, organizationEnvSchema.shape];
    expect(Object.keys(env).filter((k) => k !== 'AWS_REGION' && !known.some((s) => k in s))).toEqual([]);
    expect(securityLakeEnv(env)).toEqual({ bucketPatterns: [`aws-security-data-lake-${REGION}-*`], roleArn: SUBSCRIBER_ROLE_ARN, externalId: SL_EXTERNAL_ID, region: REGION, queueArn: SL_QUEUE_ARN, maxReceiveCount: 3 });
  });

  it('configured buckets replace the default pattern', () => {
    const vars = loaderFunction(synthCentral(slOrganization({ buckets: ['aws-security-data-lake-ap-northeast-1-abc', 'aws-security-data-lake-ap-northeast-1-def'] }))).environment.variables;
    expect(vars.SL_BUCKETS).toBe('aws-security-data-lake-ap-northeast-1-abc,aws-security-data-lake-ap-northeast-1-def');
  });

  it('adds nothing for Security Lake when securityLake is not configured', () => {
    const { securityLake: _drop, ...rest } = slOrganization();
    void _drop;
    const plain = synthCentral({ ...rest, members: [] });
    expect(Object.values(plain.resource.aws_lambda_event_source_mapping ?? {}).filter((m) => String(m.event_source_arn).includes('AmazonSecurityLake'))).toEqual([]);
    expect(Object.keys(loaderFunction(plain).environment.variables).filter((k) => k.startsWith('SL_'))).toEqual([]);
    expect(slPolicy(plain)).toBeUndefined();
  });

  it('with Control Tower too: four SQS mappings share the reserved concurrency, both integrations get their own policy and variables', () => {
    const ct = ctOrganization();
    const both = synthCentral(slOrganization({}, { logArchive: { accountId: ct.logArchive!.accountId, region: REGION, externalId: ct.logArchive!.externalId } }));
    expect(mappingsOn(both, SL_QUEUE_ARN)[0]!.scaling_config).toEqual({ maximum_concurrency: 2 });
    expect(mappingsOn(both, CT_QUEUE_ARN)[0]!.scaling_config).toEqual({ maximum_concurrency: 2 });
    const vars = loaderFunction(both).environment.variables as Record<string, string>;
    expect(Object.keys(vars).filter((k) => /^(SL|CT)_/.test(k)).sort()).toEqual(['CT_BUCKETS', 'CT_DLQ_URL', 'CT_EXTERNAL_ID', 'CT_REGION', 'CT_ROLE_ARN', 'SL_BUCKETS', 'SL_EXTERNAL_ID', 'SL_MAX_RECEIVE_COUNT', 'SL_QUEUE_ARN', 'SL_REGION', 'SL_ROLE_ARN']);
  });

  it('refuses a subscriber Region other than the SIEM Region (a configuration rule, before any construct)', () => {
    expect(() => synthCentral(slOrganization({ region: 'us-east-1', queue: `arn:aws:sqs:us-east-1:444444444444:AmazonSecurityLake-x-Main-Queue` }))).toThrow(ConfigError);
    expect(() => synthCentral(slOrganization({ region: 'us-east-1', queue: `arn:aws:sqs:us-east-1:444444444444:AmazonSecurityLake-x-Main-Queue` }))).toThrow(
      'organization.yaml: securityLake.region: is us-east-1 but security.region is ap-northeast-1',
    );
  });
});
