/**
 * The `log-archive` stack passes `terraform init` (from the local provider mirror), `validate` and an
 * offline `plan` in both notification modes, and the plan creates exactly the expected resources.
 */
import { describe, expect, it } from 'vitest';
import { offlineValidateAndPlan } from '../../tools/terraform/offline';
import { ctOrganization, CT_ACCESS_LOGS, CT_KEY_ARN, CT_LOGS, synthLogArchiveToDir } from '../unit/log-archive-helpers';

function created(plan: Awaited<ReturnType<typeof offlineValidateAndPlan>>['planJson']): Record<string, Record<string, unknown>[]> {
  const byType: Record<string, Record<string, unknown>[]> = {};
  for (const rc of plan.resource_changes ?? []) {
    expect(rc.change.actions).toEqual(['create']);
    (byType[rc.type] ??= []).push(rc.change.after ?? {});
  }
  return byType;
}

describe('Terraform: log-archive stack offline', () => {
  it('eventbridge mode (with a Control Tower key): init, validate and plan succeed; the plan creates queue, DLQ, rule, target, EventBridge switches and the reader role', async () => {
    const dir = synthLogArchiveToDir(ctOrganization({ notificationMode: 'eventbridge', controlTowerKmsKeyArn: CT_KEY_ARN }));
    const result = await offlineValidateAndPlan(dir);
    expect(result.validate.stdout).toMatch(/The configuration is valid/);
    const byType = created(result.planJson);
    expect(Object.fromEntries(Object.entries(byType).map(([t, r]) => [t, r.length]))).toEqual({
      aws_sqs_queue: 2,
      aws_sqs_queue_policy: 2,
      aws_cloudwatch_event_rule: 1,
      aws_cloudwatch_event_target: 1,
      aws_s3_bucket_notification: 2,
      aws_iam_role: 1,
      aws_iam_role_policy: 1,
    });
    expect(byType.aws_s3_bucket_notification!.map((n) => [n.bucket, n.eventbridge]).sort()).toEqual([
      [CT_LOGS, true],
      [CT_ACCESS_LOGS, true],
    ]);
    expect(byType.aws_sqs_queue!.map((q) => q.name).sort()).toEqual(['aes-siem-ct', 'aes-siem-ct-dlq']);
    expect(byType.aws_iam_role![0]!.name).toBe('ct-role-for-siem');
  });

  it('direct mode: init, validate and plan succeed; the buckets get queue notifications and there is no rule', async () => {
    const dir = synthLogArchiveToDir(ctOrganization({ notificationMode: 'direct' }));
    const result = await offlineValidateAndPlan(dir);
    expect(result.validate.stdout).toMatch(/The configuration is valid/);
    const byType = created(result.planJson);
    expect(byType.aws_cloudwatch_event_rule).toBeUndefined();
    expect(byType.aws_s3_bucket_notification).toHaveLength(2);
    for (const n of byType.aws_s3_bucket_notification!) {
      expect(n.eventbridge).toBe(false);
      expect((n.queue as { events: string[] }[]).map((q) => q.events)).toEqual([['s3:ObjectCreated:*']]);
    }
  });
});
