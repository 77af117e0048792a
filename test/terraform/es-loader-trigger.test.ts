/**
 * The central stack with `loader.trigger: s3` (S3 invokes the es-loader directly, failed async events
 * go to the DLQ) passes `terraform validate` and an offline plan, like the default `sqs` trigger does
 * in example-organization.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { parseOrganization } from '../../accounts/load';
import { offlineValidateAndPlan } from '../../tools/terraform/offline';
import { exampleOrganization, synthesize } from '../helpers/synth';

describe('central stack, loader.trigger s3: terraform validate + offline plan', () => {
  it('validates and plans the direct S3 trigger resources', async () => {
    const { members, ...file } = exampleOrganization();
    const org = parseOrganization({ file: 'organization.yaml', data: { ...file, loader: { ...file.loader, trigger: 's3' } } }, members.map((m) => ({ file: `members/${m.name}.yaml`, data: m })));
    const stack = synthesize(org).stacks.central!;
    const result = await offlineValidateAndPlan(stack.dir);
    expect(result.validate.stdout).toContain('The configuration is valid');
    const created = (result.planJson.resource_changes ?? []).filter((c) => c.change.actions.join() === 'create');
    const expected = Object.values(stack.json.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
    expect(created).toHaveLength(expected);
    const loaderTriggers = created.filter((c) => /^aws_(lambda_function_event_invoke_config|s3_bucket_notification)$/.test(c.type)).map((c) => c.type).sort();
    // One notification per bucket the loader reads: the central log bucket and the SSE-S3 bucket for
    // load-balancer access logs (the example turns elbAccessLogs on for a member).
    expect(loaderTriggers).toEqual(['aws_lambda_function_event_invoke_config', 'aws_s3_bucket_notification', 'aws_s3_bucket_notification']);
    const buckets = stack.json.resource.aws_s3_bucket as Record<string, { bucket: string }>;
    const notified = Object.values(stack.json.resource.aws_s3_bucket_notification as Record<string, { bucket: string }>)
      .map((n) => buckets[/^\$\{aws_s3_bucket\.([^.]+)\.id\}$/.exec(n.bucket)![1]!]!.bucket)
      .sort();
    expect(notified).toEqual(['aes-siem-222222222222-log', 'aes-siem-222222222222-log-elb']);
    expect(created.some((c) => c.type === 'aws_sqs_queue' && c.change.after?.name === 'aes-siem-s3-notification')).toBe(false);
  });
});
