import { App, TerraformStack } from 'cdktf';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { describe, expect, it } from 'vitest';
import { accountProvider } from '../../modules/provider';
import { addProjectValidations, checkStack } from '../../modules/validations';
import { buildApp } from '../../stacks/app';
import { exampleOrganization } from '../helpers/synth';

function stackWith(add: (stack: TerraformStack) => void): TerraformStack {
  const app = new App({ outdir: '/tmp/siem-validations' });
  const stack = new TerraformStack(app, 'test');
  accountProvider(stack, 'aws', { accountId: '222222222222', region: 'ap-northeast-1' });
  add(stack);
  return stack;
}

describe('project validations', () => {
  it('every stack of the example organization satisfies them', () => {
    const app = buildApp(exampleOrganization(), { outdir: '/tmp/siem-validations-example' });
    for (const stack of app.node.children) if (stack instanceof TerraformStack) expect(checkStack(stack, 'aes-siem'), stack.node.id).toEqual([]);
  });

  it.each([
    ['a data source', (s: TerraformStack) => new DataAwsCallerIdentity(s, 'me'), /data source aws_caller_identity would query AWS at plan time/],
    ['an unencrypted queue', (s: TerraformStack) => new SqsQueue(s, 'q', { name: 'aes-siem-q' }), /queue aes-siem-q is not encrypted/],
    ['an unencrypted topic', (s: TerraformStack) => new SnsTopic(s, 't', { name: 'aes-siem-t' }), /topic aes-siem-t is not encrypted/],
    ['a bucket without default encryption', (s: TerraformStack) => new S3Bucket(s, 'b', { bucket: 'aes-siem-raw' }), /bucket aes-siem-raw has no default encryption/],
    ['a name without the prefix', (s: TerraformStack) => new SqsQueue(s, 'q', { name: 'other-queue', sqsManagedSseEnabled: true }), /aws_sqs_queue name "other-queue" does not contain the prefix "aes-siem"/],
  ])('reject %s at synth', (_, add, message) => {
    const stack = stackWith(add);
    expect(checkStack(stack, 'aes-siem').join('\n')).toMatch(message);
    addProjectValidations(stack, 'aes-siem');
    expect(() => (stack.node.scope as App).synth()).toThrow(message);
  });
});
