/**
 * `loader.userIni` (accounts/schema.ts): the organization names its user.ini, a repository file bundled
 * with the loader or an S3 object the loader reads at cold start, and the synthesized loader gets it:
 * USER_INI, the bundled file, and read permission for exactly that object.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, loaderEnvSchema } from '../../lambdas/es-loader/runtime/config';
import { loadOrganization } from '../../accounts/load';
import { userIniSource } from '../../modules/es-loader';
import { accountsWith, ACCOUNTS, problemLines } from '../helpers/accounts';
import { findResource, parsePolicy, synthesize } from '../helpers/synth';

const ORG = fs.readFileSync(path.join(ACCOUNTS, 'organization.yaml'), 'utf8');
const withUserIni = (value: string) => ({ 'organization.yaml': ORG.replace(/^loader:\n/m, `loader:\n  userIni: ${value}\n`) });
const FIXTURE = 'lambdas/es-loader/config/fixtures/reference-user.ini';

function loaderOf(value: string) {
  const central = synthesize(loadOrganization(accountsWith(withUserIni(value)))).stacks.central!;
  const fn = findResource(central, 'aws_lambda_function', (f) => f.function_name === 'aes-siem-es-loader');
  const policy = findResource(central, 'aws_iam_role_policy', (p) => p.name === 'aes-siem-es-loader-policy');
  return { env: fn.environment.variables as Record<string, string>, statements: parsePolicy(policy.policy).Statement };
}

describe('Configuration: loader.userIni', () => {
  it('an S3 URL: USER_INI is the URL and the role may read exactly that object', () => {
    const { env, statements } = loaderOf('s3://acme-siem-config/siem/user.ini');
    expect(env.USER_INI).toBe('s3://acme-siem-config/siem/user.ini');
    expect(loadConfig({ ...env, AWS_REGION: 'ap-northeast-1' }, '/var/task').userIni).toEqual({ kind: 's3', bucket: 'acme-siem-config', key: 'siem/user.ini', name: 's3://acme-siem-config/siem/user.ini' });
    expect(statements.filter((s) => s.Sid === 'ReadUserIni')).toEqual([{ Sid: 'ReadUserIni', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-siem-config/siem/user.ini' }]);
  });

  it('a repository file: bundled under a name derived from its content, USER_INI names it, no S3 permission', () => {
    const { env, statements } = loaderOf(FIXTURE);
    const digest = (text: Buffer) => require('node:crypto').createHash('sha256').update(text).digest('hex').slice(0, 16);
    const to = `user-ini/${digest(fs.readFileSync(path.resolve(__dirname, '../..', FIXTURE)))}.ini`;
    expect(env.USER_INI).toBe(to);
    expect(loaderEnvSchema.safeParse({ ...env, AWS_REGION: 'ap-northeast-1' }).success).toBe(true);
    expect(userIniSource(FIXTURE)).toEqual({ env: to, files: [{ from: path.resolve(__dirname, '../..', FIXTURE), to }] });
    expect(statements.map((s) => s.Sid)).not.toContain('ReadUserIni');
    // Lambda's environment stays small: the path, never the file's text.
    expect(JSON.stringify(env).length).toBeLessThan(4096);
  });

  it('none (the example organization): no USER_INI, no permission', () => {
    const central = synthesize().stacks.central!;
    const fn = findResource(central, 'aws_lambda_function', (f) => f.function_name === 'aes-siem-es-loader');
    expect(fn.environment.variables.USER_INI).toBeUndefined();
  });

  it.each([
    ['s3://Bad_Bucket/x', 'organization.yaml: loader.userIni: must be s3://<bucket>/<key>; got "s3://Bad_Bucket/x"'],
    ['accounts/no-such-user.ini', 'organization.yaml: loader.userIni: must be s3://<bucket>/<key> or the path of a file in this repository, from its root (e.g. accounts/user.ini); got "accounts/no-such-user.ini"'],
    ['../outside.ini', 'organization.yaml: loader.userIni: must be s3://<bucket>/<key> or the path of a file in this repository, from its root (e.g. accounts/user.ini); got "../outside.ini"'],
  ])('rejects userIni %s', (value, line) => {
    expect(problemLines(accountsWith(withUserIni(value)))).toEqual([line]);
  });

  it('rejects a repository user.ini the loader would not accept, naming its file, section and key', () => {
    const bad = path.join(ACCOUNTS, `.user-ini-test-${process.pid}.ini`);
    fs.writeFileSync(bad, '[cloudtrail]\nindex_rotaton = daily\n');
    try {
      const rel = path.relative(path.resolve(ACCOUNTS, '..'), bad);
      expect(problemLines(accountsWith(withUserIni(rel)))).toEqual([
        `organization.yaml: loader.userIni: is not a valid user.ini: ${rel}: [cloudtrail] index_rotaton: unknown key; did you mean "index_rotation"? Allowed: the keys listed in docs/log-types.md "user.ini" and ECS mapping lines such as "source.ip = srcaddr"`,
      ]);
    } finally {
      fs.rmSync(bad);
    }
  });
});
