/**
 * The analysis of resource types the fixture stack of test/terraform/plan-report.test.ts does not
 * contain (the real plans are tested there): changes are written in the shape of `terraform show -json`.
 */
import { describe, expect, it } from 'vitest';
import { analyzePlan, policyFromConfig } from '../../tools/plan-review/analyze';
import type { ResourceChange } from '../../tools/plan-review/plan-json';
import { parseArgs } from '../../tools/plan-review/cli';
import { exitCodeOf, fitReport, renderReport } from '../../tools/plan-review/report';

function rc(address: string, actions: ResourceChange['change']['actions'], before: object | null, after: object | null, extra: Partial<ResourceChange> & { after_unknown?: object; replace_paths?: string[][] } = {}): ResourceChange {
  const [type, name] = address.split('.') as [string, string];
  const { after_unknown, replace_paths, ...rest } = extra;
  return { address, mode: 'managed', type, name, change: { actions, before: before as never, after: after as never, after_unknown: (after_unknown ?? {}) as never, replace_paths }, ...rest };
}

describe('Function: analyzePlan', () => {
  it('counts a replacement once and flags destroyed stateful resources as DANGER with the reason', () => {
    const a = analyzePlan({
      resource_changes: [
        rc('aws_kms_key.key', ['delete'], { description: 'siem key' }, null, { action_reason: 'delete_because_no_resource_config' }),
        rc('aws_opensearch_domain.d', ['create', 'delete'], { domain_name: 'siem', engine_version: 'OpenSearch_2.19' }, { domain_name: 'siem', engine_version: 'OpenSearch_2.11' }, { replace_paths: [['engine_version']] }),
        rc('aws_cloudwatch_metric_alarm.a', ['delete'], { alarm_name: 'x' }, null),
        rc('aws_sqs_queue.q', ['update'], { name: 'q', visibility_timeout_seconds: 30 }, { name: 'q', visibility_timeout_seconds: 60 }),
        { ...rc('aws_s3_bucket.read', ['read'], null, {}), mode: 'data' },
      ],
    });
    expect(a.counts).toEqual({ add: 0, change: 1, replace: 1, destroy: 2 });
    expect(a.danger).toEqual([
      { address: 'aws_kms_key.key', type: 'aws_kms_key', kind: 'delete', target: 'siem key', loss: 'the key is scheduled for deletion; everything encrypted with it becomes unreadable', causes: ['it was removed from the configuration'] },
      {
        address: 'aws_opensearch_domain.d',
        type: 'aws_opensearch_domain',
        kind: 'replace',
        target: 'siem',
        loss: 'the domain and all its indices, dashboards and security configuration are deleted',
        causes: ['`engine_version`: "OpenSearch_2.19" -> "OpenSearch_2.11" forces replacement'],
      },
    ]);
  });

  it('diffs role trust policies, inline policies, managed policy attachments and Lambda permissions', () => {
    const trust = (svc: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: svc }, Action: 'sts:AssumeRole' }] });
    const a = analyzePlan({
      resource_changes: [
        rc('aws_iam_role.r', ['update'], { name: 'loader', assume_role_policy: trust('lambda.amazonaws.com'), managed_policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }, { name: 'loader', assume_role_policy: trust('ec2.amazonaws.com'), managed_policy_arns: [] }),
        rc('aws_iam_role_policy_attachment.p', ['create'], null, { role: 'loader', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
        rc('aws_lambda_permission.s3', ['create'], null, { statement_id: 'AllowS3', action: 'lambda:InvokeFunction', function_name: 'aes-siem-es-loader', principal: 's3.amazonaws.com', source_arn: 'arn:aws:s3:::b', source_account: '222222222222' }),
      ],
    });
    expect(a.policies.map((p) => [p.address, p.policyKind, p.target])).toEqual([
      ['aws_iam_role.r', 'role trust policy', 'loader'],
      ['aws_iam_role.r', 'managed policies of the role', 'loader'],
      ['aws_iam_role_policy_attachment.p', 'managed policy attachment', 'loader'],
      ['aws_lambda_permission.s3', 'Lambda resource policy (permission)', 'aes-siem-es-loader'],
    ]);
    expect(a.policies[0]!.diff.changes[0]!.fieldChanges).toEqual([{ field: 'Principal', added: ['Service: ec2.amazonaws.com'], removed: ['Service: lambda.amazonaws.com'] }]);
    expect(a.policies[1]!.attachments).toEqual({ added: [], removed: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] });
    expect(a.policies[2]!.attachments).toEqual({ added: ['arn:aws:iam::aws:policy/AdministratorAccess'], removed: [] });
    expect(a.policies[3]!.diff.changes[0]!.statement.fields).toEqual({
      Effect: ['Allow'],
      Principal: ['Service: s3.amazonaws.com'],
      Action: ['lambda:InvokeFunction'],
      Resource: ['aes-siem-es-loader'],
    });
    expect(a.policies[3]!.diff.changes[0]!.statement.conditions).toEqual([
      { operator: 'ArnLike', key: 'AWS:SourceArn', values: ['arn:aws:s3:::b'] },
      { operator: 'StringEquals', key: 'AWS:SourceAccount', values: ['222222222222'] },
    ]);
  });

  it('reads a policy that is known only after apply from the synthesized configuration, marking the unknown values', () => {
    const raw = '{"Version":"2012-10-17","Statement":[{"Sid":"UseKey","Effect":"Allow","Action":"kms:Decrypt","Resource":"${aws_kms_key.key.arn}","Condition":{"StringLike":{"s3:prefix":"AWSLogs/$${aws:PrincipalAccount}/*"}}}]}';
    expect(policyFromConfig(raw)).toContain('"Resource":"<known after apply: aws_kms_key.key.arn>"');
    const a = analyzePlan(
      { resource_changes: [rc('aws_iam_role_policy.p', ['create'], null, { name: 'use-key', role: 'loader' }, { after_unknown: { policy: true } })] },
      { resource: { aws_iam_role_policy: { p: { policy: raw } } } },
    );
    expect(a.policies).toHaveLength(1);
    expect(a.policies[0]!.target).toBe('loader/use-key');
    expect(a.policies[0]!.notes[0]).toMatch(/known only after apply/);
    expect(a.policies[0]!.diff.changes[0]!.statement.fields.Resource).toEqual(['<known after apply: aws_kms_key.key.arn>']);
    expect(a.policies[0]!.diff.changes[0]!.statement.conditions).toEqual([{ operator: 'StringLike', key: 's3:prefix', values: ['AWSLogs/${aws:PrincipalAccount}/*'] }]);
  });

  it('reports security group rules, flagging ingress from the whole internet', () => {
    const a = analyzePlan({
      resource_changes: [
        rc('aws_vpc_security_group_ingress_rule.https', ['create'], null, { ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '0.0.0.0/0' }),
        rc('aws_security_group_rule.db', ['update'], { type: 'ingress', protocol: 'tcp', from_port: 5432, to_port: 5432, cidr_blocks: ['10.0.0.0/8'] }, { type: 'ingress', protocol: 'tcp', from_port: 5432, to_port: 5432, cidr_blocks: ['10.1.0.0/16'] }),
      ],
    });
    expect(a.network).toEqual([
      { address: 'aws_vpc_security_group_ingress_rule.https', type: 'aws_vpc_security_group_ingress_rule', kind: 'create', added: ['ingress tcp port 443 from 0.0.0.0/0'], removed: [], opensToInternet: true },
      { address: 'aws_security_group_rule.db', type: 'aws_security_group_rule', kind: 'update', added: ['ingress tcp port 5432 from 10.1.0.0/16'], removed: ['ingress tcp port 5432 from 10.0.0.0/8'], opensToInternet: false },
    ]);
  });

  it('reports public exposure: a public access block turned off and an OpenSearch domain leaving its VPC', () => {
    const pab = { bucket: 'b', block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true };
    const vpcDomain = { domain_name: 'siem', vpc_options: [{ subnet_ids: ['subnet-1'], security_group_ids: ['sg-1'] }], domain_endpoint_options: [{ enforce_https: true, tls_security_policy: 'Policy-Min-TLS-1-2-2019-07' }], advanced_security_options: [{ enabled: true, anonymous_auth_enabled: false }] };
    const a = analyzePlan({
      resource_changes: [
        rc('aws_s3_bucket_public_access_block.b', ['update'], pab, { ...pab, block_public_policy: false }),
        rc('aws_s3_bucket_public_access_block.fine', ['create'], null, pab),
        rc('aws_opensearch_domain.d', ['update'], vpcDomain, { ...vpcDomain, vpc_options: [] }),
      ],
    });
    expect(a.exposure).toEqual([
      { address: 'aws_s3_bucket_public_access_block.b', type: 'aws_s3_bucket_public_access_block', kind: 'update', target: 'b', details: ['block_public_policy: true -> false'], weakens: true },
      {
        address: 'aws_opensearch_domain.d',
        type: 'aws_opensearch_domain',
        kind: 'update',
        target: 'siem',
        details: ['endpoint: VPC (subnets subnet-1; security groups sg-1) -> public (internet-reachable; access decided by the access policy and fine-grained access control)'],
        weakens: true,
      },
    ]);
    const report = renderReport([{ stack: 'central', analysis: a }], { mode: 'aws' });
    expect(report).toContain('### Public exposure\n\n- **WEAKENS** `central` · `aws_s3_bucket_public_access_block.b` (`b`) — update\n  - block_public_policy: true -> false');
    // Exposure is for review; only data loss is DANGER.
    expect(exitCodeOf([{ stack: 'central', analysis: a }])).toBe(0);
  });
});

describe('Sensitive values', () => {
  it('never prints a value Terraform marks sensitive, in a policy or in a replacement cause', () => {
    const secretPolicy = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'secret:Action', Resource: '*' }] });
    const a = analyzePlan({
      resource_changes: [
        { ...rc('aws_iam_policy.p', ['update'], { name: 'p', policy: '{"Statement":[]}' }, { name: 'p', policy: secretPolicy }), change: { actions: ['update'], before: { name: 'p', policy: '{"Statement":[]}' }, after: { name: 'p', policy: secretPolicy }, after_sensitive: { policy: true } } },
        { ...rc('aws_secretsmanager_secret.s', ['delete', 'create'], null, null), change: { actions: ['delete', 'create'], before: { name: 's', kms_key_id: 'old-secret-value' }, after: { name: 's', kms_key_id: 'new-secret-value' }, before_sensitive: { kms_key_id: true }, replace_paths: [['kms_key_id']] } },
      ],
    });
    const report = renderReport([{ stack: 'central', analysis: a }], { mode: 'aws' });
    expect(report).not.toContain('secret:Action');
    expect(report).not.toContain('secret-value');
    expect(report).toContain('_The policy is marked sensitive; it is not shown here. Review it in the plan._');
    expect(a.danger[0]!.causes).toEqual(['`kms_key_id` (sensitive) changed and forces replacement']);
  });
});

describe('Names in the report', () => {
  it('names a new policy by the bucket or role it refers to when its own reference is known only after apply', () => {
    const policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';
    const a = analyzePlan(
      {
        resource_changes: [
          rc('aws_s3_bucket.log', ['create'], null, { bucket: 'aes-siem-222222222222-log' }, { after_unknown: { id: true, arn: true } }),
          rc('aws_s3_bucket_policy.log', ['create'], null, { policy }, { after_unknown: { bucket: true } }),
          rc('aws_iam_role.loader', ['create'], null, { name: 'aes-siem-es-loader-role', assume_role_policy: policy }),
          rc('aws_iam_role_policy.loader', ['create'], null, { name: 'read-logs', policy }, { after_unknown: { role: true } }),
        ],
      },
      { resource: { aws_s3_bucket_policy: { log: { bucket: '${aws_s3_bucket.log.id}' } }, aws_iam_role_policy: { loader: { role: '${aws_iam_role.loader.id}' } } } },
    );
    expect(a.policies.map((p) => [p.address, p.target])).toEqual([
      ['aws_s3_bucket_policy.log', 'aes-siem-222222222222-log'],
      ['aws_iam_role.loader', 'aes-siem-es-loader-role'],
      ['aws_iam_role_policy.loader', 'aes-siem-es-loader-role/read-logs'],
    ]);
  });
});

describe('Report: access policy changes', () => {
  const delivery = (accounts: string[]) => ({
    Sid: 'MemberLogDelivery',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: 'arn:aws:s3:::b/AWSLogs/${aws:SourceAccount}/*',
    Condition: { StringEquals: { 'aws:SourceAccount': accounts, 's3:x-amz-acl': 'bucket-owner-full-control' } },
  });
  const before = JSON.stringify({ Version: '2012-10-17', Statement: [delivery(['444444444444', '555555555555'])] });
  const after = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      delivery(['444444444444', '555555555555', '666666666666']),
      { Sid: 'DenyOtherKeys', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*', Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': ['arn:k1', 'arn:k2'] } } },
    ],
  });
  const analysis = analyzePlan({ resource_changes: [rc('aws_s3_bucket_policy.log', ['update'], { bucket: 'b', policy: before }, { bucket: 'b', policy: after })] });
  const report = renderReport([{ stack: 'central', analysis }], { mode: 'aws' });

  it('renders the values of one condition key as alternatives ("any of") and several conditions as all required, with a legend', () => {
    expect(report).toContain(
      [
        '### Access policy changes',
        '',
        '_How to read the statements: principals, actions and resources each match any of the values listed. Conditions are AND: every condition of a statement must hold, across keys and operators. The values of one condition key are OR: "any of" them matches (with a negated operator such as `StringNotEquals`, the condition holds when the value matches none of them)._',
        '',
        '#### `central` · bucket policy of `b` — update',
        '',
        'Resource `aws_s3_bucket_policy.log`.',
        '1 statement added, 1 statement changed.',
        '',
        '- **changed** statement `MemberLogDelivery` (Allow)',
        '  - condition `StringEquals aws:SourceAccount`: values added: `666666666666`; now any of `444444444444`, `555555555555`, `666666666666`',
        '- **added** statement `DenyOtherKeys` (Deny)',
        '  - principals: `AWS: *`',
        '  - actions: `s3:PutObject`',
        '  - resources: `arn:aws:s3:::b/*`',
        '  - condition: `StringNotEquals s3:x-amz-server-side-encryption-aws-kms-key-id` any of `arn:k1`, `arn:k2`',
      ].join('\n'),
    );
    // No value of a multi-valued key is printed as a condition of its own.
    expect(report).not.toContain('aws:SourceAccount = ');
  });

  it('lists a statement with several conditions as all required, one line per key', () => {
    const created = analyzePlan({ resource_changes: [rc('aws_s3_bucket_policy.log', ['create'], null, { bucket: 'b', policy: before })] });
    expect(renderReport([{ stack: 'central', analysis: created }], { mode: 'aws' })).toContain(
      [
        '  - conditions (all must hold):',
        '    - `StringEquals aws:SourceAccount` any of `444444444444`, `555555555555`',
        '    - `StringEquals s3:x-amz-acl` = `bucket-owner-full-control`',
      ].join('\n'),
    );
  });

  it('shows the whole policy before and after, pretty-printed, in a folded block beside the diff', () => {
    expect(analysis.policies[0]!.documents).toEqual({ before: JSON.stringify(JSON.parse(before), null, 2), after: JSON.stringify(JSON.parse(after), null, 2) });
    expect(report).toContain(
      ['<details><summary>Policy document before and after</summary>', '', 'Before:', '', '```json', JSON.stringify(JSON.parse(before), null, 2), '```', '', 'After:', '', '```json', JSON.stringify(JSON.parse(after), null, 2), '```', '', '</details>'].join('\n'),
    );
    // A new policy has only its "after" side.
    const created = analyzePlan({ resource_changes: [rc('aws_iam_policy.p', ['create'], null, { name: 'p', policy: before })] });
    const text = renderReport([{ stack: 'central', analysis: created }], { mode: 'aws' });
    expect(text).toContain(['<details><summary>Policy document after (new)</summary>', '', 'After:', '', '```json', JSON.stringify(JSON.parse(before), null, 2), '```'].join('\n'));
    expect(text).not.toContain('Before:');
  });

  it('shows the arguments a Lambda permission is read from, and never a sensitive policy', () => {
    const perm = analyzePlan({ resource_changes: [rc('aws_lambda_permission.s3', ['create'], null, { statement_id: 'AllowS3', action: 'lambda:InvokeFunction', function_name: 'f', principal: 's3.amazonaws.com', source_account: '222222222222', qualifier: null })] });
    expect(perm.policies[0]!.documents).toEqual({ after: JSON.stringify({ statement_id: 'AllowS3', action: 'lambda:InvokeFunction', function_name: 'f', principal: 's3.amazonaws.com', source_account: '222222222222' }, null, 2), label: 'Permission arguments' });
    const secret = analyzePlan({
      resource_changes: [{ ...rc('aws_iam_policy.p', ['update'], null, null), change: { actions: ['update'], before: { name: 'p', policy: before }, after: { name: 'p', policy: after }, after_sensitive: { policy: true } } }],
    });
    expect(secret.policies[0]!.documents).toBeUndefined();
    expect(renderReport([{ stack: 'central', analysis: secret }], { mode: 'aws' })).not.toContain('<details>');
  });
});

describe('Function: fitReport', () => {
  const doc = (n: number) => `\n<details><summary>Policy document before and after</summary>\n\nBefore:\n\n\`\`\`json\n${'x'.repeat(n)}\n\`\`\`\n\n</details>\n`;
  const left = '\n_(Policy document left out to fit the comment; plan-report.md in the workflow artifact has it.)_\n';

  it('leaves a report that fits unchanged, and leaves out whole-policy blocks from the last one back until it fits', () => {
    const report = `# r\n\n#### a\n${doc(100)}\n#### b\n${doc(100)}\n### Public exposure\n\n- **WEAKENS** x\n`;
    expect(fitReport(report, report.length)).toBe(report);
    const fitted = fitReport(report, report.length - 50);
    expect(fitted).toBe(`# r\n\n#### a\n${doc(100)}\n#### b\n${left}\n### Public exposure\n\n- **WEAKENS** x\n`);
    const both = `# r\n\n#### a\n${left}\n#### b\n${left}\n### Public exposure\n\n- **WEAKENS** x\n`;
    expect(fitReport(report, both.length)).toBe(both);
  });

  it('cuts the text at a line end only when leaving out the documents is not enough', () => {
    const report = `# r\n${'- line\n'.repeat(100)}`;
    const fitted = fitReport(report, 300);
    expect(fitted.length).toBeLessThanOrEqual(300);
    expect(fitted).toMatch(/^# r\n(- line\n)+- line\n\n_\(Truncated to fit the comment; plan-report.md in the workflow artifact has the full report\.\)_\n$/);
  });

  it('is what npm run plan writes with --comment', async () => {
    expect(parseArgs(['--comment', 'plan-comment.md'], { out: () => undefined, err: () => undefined }).comment).toBe('plan-comment.md');
  });
});

describe('Report: scope', () => {
  it('says under the mode line which stacks --changed-since selected and what it compared', () => {
    const analysis = analyzePlan({ resource_changes: [] });
    const report = renderReport([{ stack: 'central', analysis }], { mode: 'aws', scope: 'Stacks selected by --changed-since origin/main: central; compared the working tree.' });
    expect(report).toContain('_Plan against AWS with the deploy role of each stack and its remote state._\n\n_Stacks selected by --changed-since origin/main: central; compared the working tree._\n\n**Result: no changes.**');
  });
});
