/**
 * The central side of the Control Tower integration in the synthesized `central` stack: the loader's
 * event source mapping on the cross-account queue, its extra permissions and environment.
 */
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../accounts/load';
import type { Organization } from '../../accounts/schema';
import { CentralStack } from '../../stacks/central-stack';
import { ctOrganization, CT_ACCESS_LOGS, CT_LOGS, DLQ_ARN, EXTERNAL_ID, QUEUE_ARN, READER_ROLE_ARN, REGION, type TfJson } from './log-archive-helpers';

function synthCentral(org: Organization): TfJson {
  const app = Testing.app();
  const stack = new CentralStack(app, 'central', { org });
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

const loaderFunction = (json: TfJson) => Object.values(json.resource.aws_lambda_function ?? {}).find((f) => f.function_name === 'aes-siem-es-loader')!;
const ctMappings = (json: TfJson) => Object.values(json.resource.aws_lambda_event_source_mapping ?? {}).filter((m) => m.event_source_arn === QUEUE_ARN);

describe('Module: ControlTowerIngestion (central stack)', () => {
  const json = synthCentral(ctOrganization());

  it('maps the loader onto aes-siem-ct in the Log Archive account with partial batch responses', () => {
    const mappings = ctMappings(json);
    expect(mappings).toHaveLength(1);
    const m = mappings[0]!;
    expect(m.function_name).toMatch(/^\$\{aws_lambda_function\..*es-loader.*\.arn\}$/);
    expect(m.function_response_types).toEqual(['ReportBatchItemFailures']);
    expect(m.batch_size).toBe(10);
    // One of three SQS mappings of the loader: an equal share of its reserved concurrency of 10.
    expect(m.scaling_config).toEqual({ maximum_concurrency: 3 });
  });

  it('gives the loader role exactly: consume aes-siem-ct, write to aes-siem-ct-dlq, assume ct-role-for-siem', () => {
    const policy = Object.values(json.resource.aws_iam_role_policy ?? {}).find((p) => p.name === 'aes-siem-es-loader-control-tower')!;
    expect(policy).toBeDefined();
    expect(JSON.parse(policy.policy).Statement).toEqual([
      { Sid: 'ConsumeControlTowerQueue', Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: QUEUE_ARN },
      { Sid: 'WriteControlTowerFailures', Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes'], Resource: DLQ_ARN },
      { Sid: 'AssumeControlTowerReader', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: READER_ROLE_ARN },
    ]);
    // The mapping waits for the permissions it polls with.
    expect(ctMappings(json)[0]!.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\./)]);
  });

  it('tells the loader the buckets, role, external id, Region and DLQ, next to its own settings', () => {
    const vars = loaderFunction(json).environment.variables as Record<string, string>;
    expect(vars).toMatchObject({
      CT_BUCKETS: `${CT_LOGS},${CT_ACCESS_LOGS}`,
      CT_ROLE_ARN: READER_ROLE_ARN,
      CT_EXTERNAL_ID: EXTERNAL_ID,
      CT_REGION: REGION,
      CT_DLQ_URL: `https://sqs.${REGION}.amazonaws.com/333333333333/aes-siem-ct-dlq`,
    });
    expect(vars.DLQ_URL).toBe(`https://sqs.${REGION}.amazonaws.com/222222222222/aes-siem-dlq`);
  });

  it('adds nothing for Control Tower when logArchive is not configured', () => {
    const { logArchive: _drop, ...rest } = ctOrganization();
    void _drop;
    const plain = synthCentral({ ...rest, members: [] });
    expect(ctMappings(plain)).toEqual([]);
    expect(Object.keys(loaderFunction(plain).environment.variables).filter((k) => k.startsWith('CT_'))).toEqual([]);
    expect(Object.values(plain.resource.aws_iam_role_policy ?? {}).map((p) => p.name)).not.toContain('aes-siem-es-loader-control-tower');
  });

  it('refuses a Log Archive Region other than the SIEM Region (Lambda polls only queues of its own Region; a configuration rule)', () => {
    expect(() => synthCentral(ctOrganization({ region: 'us-east-1' }))).toThrow(ConfigError);
    expect(() => synthCentral(ctOrganization({ region: 'us-east-1' }))).toThrow('organization.yaml: logArchive.region: is us-east-1 but security.region is ap-northeast-1');
  });
});
