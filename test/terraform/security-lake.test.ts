/**
 * The `central` stack with an Amazon Security Lake subscriber passes `terraform init` (from the local
 * provider mirror), `validate` and an offline `plan`; the plan creates the mapping on the subscriber
 * queue and the loader's Security Lake policy with their literal values (the loader's environment is
 * known only after apply, as it names the domain endpoint; test/unit/security-lake-central.test.ts checks it).
 */
import { describe, expect, it } from 'vitest';
import { offlineValidateAndPlan } from '../../tools/terraform/offline';
import { slOrganization, SL_QUEUE_ARN, SUBSCRIBER_ROLE_ARN, synthCentralToDir } from '../unit/security-lake-helpers';

describe('Terraform: central stack with securityLake, offline', () => {
  it('init, validate and plan succeed; the plan creates the subscriber queue mapping and the loader policy, with known values', async () => {
    const result = await offlineValidateAndPlan(synthCentralToDir(slOrganization()));
    expect(result.validate.stdout).toMatch(/The configuration is valid/);
    const changes = result.planJson.resource_changes ?? [];
    for (const rc of changes) expect(rc.change.actions).toEqual(['create']);
    const mapping = changes.filter((rc) => rc.type === 'aws_lambda_event_source_mapping' && rc.change.after?.event_source_arn === SL_QUEUE_ARN);
    expect(mapping).toHaveLength(1);
    expect(mapping[0]!.change.after).toMatchObject({ function_response_types: ['ReportBatchItemFailures'], batch_size: 10, scaling_config: [{ maximum_concurrency: 3 }] });
    const policy = changes.find((rc) => rc.type === 'aws_iam_role_policy' && rc.change.after?.name === 'aes-siem-es-loader-security-lake');
    expect(policy).toBeDefined();
    // The plan shows the real policy text (nothing known only after apply).
    expect(JSON.parse(String(policy!.change.after!.policy)).Statement.map((s: { Resource: string }) => s.Resource)).toEqual([SL_QUEUE_ARN, SUBSCRIBER_ROLE_ARN]);
  });
});
