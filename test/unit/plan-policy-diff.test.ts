import { describe, expect, it } from 'vitest';
import { diffPolicies, normalizePolicy } from '../../tools/plan-review/policy-diff';

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

describe('Function: diffPolicies', () => {
  it('treats order, single values vs arrays, "*" vs {"AWS": "*"} and action case as the same statement', () => {
    const before = doc({ Sid: 'A', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:ListBucket'], Resource: 'arn:aws:s3:::b/*' });
    const after = doc({ Resource: ['arn:aws:s3:::b/*'], Action: ['S3:ListBucket', 's3:getobject'], Principal: { AWS: ['*'] }, Effect: 'Allow', Sid: 'A' });
    expect(diffPolicies(before, after)).toEqual({ changes: [], unchanged: 1 });
  });

  it('matches statements by Sid and reports each principal, action, resource and condition value that came or went', () => {
    const before = doc({
      Sid: 'Read',
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::111111111111:root'] },
      Action: ['s3:GetObject'],
      Resource: 'arn:aws:s3:::b/*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } },
    });
    const after = doc({
      Sid: 'Read',
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:root'] },
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: 'arn:aws:s3:::b/logs/*',
    });
    const { changes, unchanged } = diffPolicies(before, after);
    expect(unchanged).toBe(0);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ kind: 'changed', sid: 'Read' });
    expect(changes[0]!.fieldChanges).toEqual([
      { field: 'Principal', added: ['AWS: arn:aws:iam::222222222222:root'], removed: [] },
      { field: 'Action', added: ['s3:PutObject'], removed: [] },
      { field: 'Resource', added: ['arn:aws:s3:::b/logs/*'], removed: ['arn:aws:s3:::b/*'] },
    ]);
    expect(changes[0]!.conditionChanges).toEqual([{ operator: 'StringEquals', key: 'aws:PrincipalOrgID', before: ['o-1'], after: [] }]);
  });

  it('pairs an edited statement without Sid by effect and principals, and reports unrelated ones as removed and added', () => {
    const trust = (service: string, account: string) => ({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': account } } });
    const deny = { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
    const { changes } = diffPolicies(doc(trust('lambda.amazonaws.com', '111111111111'), deny), doc(trust('lambda.amazonaws.com', '222222222222'), { Effect: 'Allow', Principal: { Service: 'es.amazonaws.com' }, NotAction: 'iam:*' }));
    expect(changes.map((c) => c.kind)).toEqual(['removed', 'changed', 'added']);
    expect(changes[0]!.statement.fields.Effect).toEqual(['Deny']);
    expect(changes[1]!.fieldChanges).toEqual([]);
    expect(changes[1]!.conditionChanges).toEqual([{ operator: 'StringEquals', key: 'aws:SourceAccount', before: ['111111111111'], after: ['222222222222'] }]);
    expect(changes[2]!.statement.fields).toEqual({ Effect: ['Allow'], Principal: ['Service: es.amazonaws.com'], NotAction: ['iam:*'] });
  });

  it('lists every statement of a new policy as added, and of a deleted one as removed', () => {
    const p = doc({ Sid: 'X', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }, { Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::1:root' }, Action: 'sqs:*', NotResource: 'arn:q' });
    expect(diffPolicies(undefined, p).changes.map((c) => [c.kind, c.sid])).toEqual([['added', 'X'], ['added', undefined]]);
    expect(diffPolicies(p, undefined).changes.map((c) => [c.kind, c.statement.fields.NotResource ?? c.statement.fields.Resource])).toEqual([['removed', ['*']], ['removed', ['arn:q']]]);
  });

  it('keeps the values of one condition key together as one clause (OR), apart from other keys and operators (AND)', () => {
    const [s] = normalizePolicy(doc({ Effect: 'Allow', Action: 's3:PutObject', Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': ['555555555555', '444444444444'], 's3:x-amz-acl': 'bucket-owner-full-control' }, ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*' } } }));
    expect(s!.conditions).toEqual([
      { operator: 'ArnLike', key: 'aws:SourceArn', values: ['arn:aws:cloudtrail:*'] },
      { operator: 'StringEquals', key: 'aws:SourceAccount', values: ['444444444444', '555555555555'] },
      { operator: 'StringEquals', key: 's3:x-amz-acl', values: ['bucket-owner-full-control'] },
    ]);
    // Operator and key case, value order and a single value vs a list do not count as changes.
    const before = doc({ Sid: 'D', Effect: 'Allow', Action: 'a', Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': ['1', '2'] }, Bool: { 'aws:SecureTransport': 'true' } } });
    const same = doc({ Sid: 'D', Effect: 'Allow', Action: 'a', Resource: '*', Condition: { bool: { 'AWS:SecureTransport': ['true'] }, stringequals: { 'AWS:SOURCEACCOUNT': ['2', '1'] } } });
    expect(diffPolicies(before, same)).toEqual({ changes: [], unchanged: 1 });
    const wider = doc({ Sid: 'D', Effect: 'Allow', Action: 'a', Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': ['1', '2', '3'] } } });
    expect(diffPolicies(before, wider).changes[0]!.conditionChanges).toEqual([
      { operator: 'Bool', key: 'aws:SecureTransport', before: ['true'], after: [] },
      { operator: 'StringEquals', key: 'aws:SourceAccount', before: ['1', '2'], after: ['1', '2', '3'] },
    ]);
  });

  it('reports a document that is not a policy instead of throwing', () => {
    expect(diffPolicies('{"Statement": [', doc({ Effect: 'Allow', Action: 'a', Resource: '*' })).problem).toMatch(/^not a JSON policy document/);
    expect(diffPolicies('{"Version":"2012-10-17"}', undefined).problem).toBe('not a policy document: no "Statement" element');
    expect(() => normalizePolicy('[1]')).toThrow(/no "Statement" element/);
  });
});
