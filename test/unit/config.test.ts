import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadOrganization } from '../../accounts/load';

const ACCOUNTS = path.resolve(__dirname, '../../accounts');
const ROOT = path.resolve(__dirname, '../..');

/** A temporary copy of accounts/ with edits applied (file → new content, or null to delete). */
function accountsWith(edits: Record<string, string | null>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-accounts-'));
  fs.cpSync(path.join(ACCOUNTS, 'organization.yaml'), path.join(dir, 'organization.yaml'));
  fs.cpSync(path.join(ACCOUNTS, 'members'), path.join(dir, 'members'), { recursive: true });
  for (const [file, content] of Object.entries(edits)) {
    const full = path.join(dir, file);
    if (content === null) fs.rmSync(full);
    else fs.writeFileSync(full, content);
  }
  return dir;
}

function problemsOf(dir: string): string[] {
  try {
    loadOrganization(dir);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${path.basename(p.file)}: ${p.field}: ${p.message}`);
    throw error;
  }
  throw new Error('configuration was accepted');
}

const org = fs.readFileSync(path.join(ACCOUNTS, 'organization.yaml'), 'utf8');
const member = (fields: string) => `name: payments\naccountId: "777777777777"\nregions: [ap-northeast-1]\n${fields}`;

describe('organization configuration', () => {
  it('accepts the example organization with its defaults filled in', () => {
    const o = loadOrganization(ACCOUNTS);
    expect(o.prefix).toBe('aes-siem');
    expect(o.members.map((m) => m.name)).toEqual(['sandbox', 'workload-dev', 'workload-prod']);
    expect(o.loader.reservedConcurrency).toBe(10);
    expect(o.members.find((m) => m.name === 'workload-dev')!.guardduty).toEqual({ enabled: true, detectorIds: {}, publishingFrequency: 'FIFTEEN_MINUTES' });
  });

  it.each([
    ['an 11-digit account id', { 'members/payments.yaml': member('').replace('777777777777', '77777777777') }, 'payments.yaml: accountId: must be a 12-digit AWS account id, got "77777777777"'],
    ['an account id written as a number', { 'members/payments.yaml': member('').replace('"777777777777"', '777777777777') }, 'payments.yaml: accountId: must be a 12-digit AWS account id in quotes, e.g. "123456789012"'],
    ['a duplicate account id', { 'members/payments.yaml': member('').replace('777777777777', '555555555555') }, 'workload-dev.yaml: accountId: 555555555555 is already used by'],
    ['a duplicate name', { 'members/workload-dev-2.yaml': member('').replace('payments', 'workload-dev') }, 'workload-dev-2.yaml: name: is "workload-dev" but the file is named "workload-dev-2.yaml"'],
    ['an unknown region', { 'members/payments.yaml': member('').replace('ap-northeast-1', 'ap-northeast-9') }, 'payments.yaml: regions[0]: unknown AWS Region "ap-northeast-9"'],
    ['a member that is the security account', { 'members/payments.yaml': member('').replace('777777777777', '222222222222') }, 'payments.yaml: accountId: 222222222222 is the security account (security.accountId); a member account must be another account'],
    ['a member that is the log archive account', { 'members/payments.yaml': member('').replace('777777777777', '333333333333') }, 'payments.yaml: accountId: 333333333333 is the log archive account (logArchive.accountId)'],
    ['a misspelt field', { 'members/payments.yaml': member('gaurdduty:\n  enabled: false\n') }, 'payments.yaml: : unknown field "gaurdduty" (check the spelling)'],
    ['a VPC in a region the member does not use', { 'members/payments.yaml': member('vpcFlowLogs:\n  vpcs:\n    - id: vpc-0a1b2c3d4e5f60009\n      region: us-east-1\n') }, 'payments.yaml: vpcFlowLogs.vpcs[0].region: us-east-1 is not one of the member\'s regions (ap-northeast-1)'],
    ['a malformed VPC id', { 'members/payments.yaml': member('vpcFlowLogs:\n  vpcs:\n    - id: vpc-XYZ\n      region: ap-northeast-1\n') }, 'payments.yaml: vpcFlowLogs.vpcs[0].id: must be a VPC id such as "vpc-0abc12345def67890", got "vpc-XYZ"'],
    ['a web ACL of another account', { 'members/payments.yaml': member('waf:\n  webAcls:\n    - arn:aws:wafv2:ap-northeast-1:444444444444:regional/webacl/x/0a1b2c3d-0000-4000-8000-000000000001\n') }, 'payments.yaml: waf.webAcls[0]: belongs to account 444444444444, not to this member (777777777777)'],
    ['no regions', { 'members/payments.yaml': 'name: payments\naccountId: "777777777777"\nregions: []\n' }, 'payments.yaml: regions: must list at least one region'],
    ['a missing security account', { 'organization.yaml': org.replace(/security:\n  accountId: "222222222222"\n/, 'security:\n') }, 'organization.yaml: security.accountId: must be a 12-digit AWS account id in quotes'],
    ['a bad prefix', { 'organization.yaml': org.replace('prefix: aes-siem', 'prefix: AES_SIEM') }, 'organization.yaml: prefix: prefix must be lower-case letters, digits and hyphens'],
    ['an invalid log retention', { 'organization.yaml': org.replace('loader:\n', 'loader:\n  logRetentionDays: 100\n') }, "organization.yaml: loader.logRetentionDays: must be one of CloudWatch Logs' retention periods"],
    ['broken YAML', { 'members/payments.yaml': 'name: payments\naccountId: "7777\nregions: [\n' }, 'payments.yaml: line 4: not valid YAML: Missing closing "quote'],
  ])('rejects %s, naming the file and the field', (_, edits, message) => {
    const problems = problemsOf(accountsWith(edits));
    expect(problems.some((p) => p.includes(message)), `${problems.join('\n')}\n  does not include: ${message}`).toBe(true);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf(accountsWith({ 'members/alpha.yaml': member('').replace('payments', 'alpha').replace('777777777777', '1'), 'members/beta.yaml': member('').replace('payments', 'beta').replace('ap-northeast-1', 'mars-1') }));
    expect(problems).toHaveLength(2);
  });
});

describe('npm run synth with a bad configuration', () => {
  it('prints the problems, exits 1 and writes nothing', () => {
    const dir = accountsWith({ 'members/payments.yaml': member('').replace('777777777777', '12345') });
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-synth-cwd-'));
    const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'main.ts')], {
      cwd,
      env: { ...process.env, SIEM_ACCOUNTS_DIR: dir, CDKTF_OUTDIR: '' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('payments.yaml: accountId: must be a 12-digit AWS account id, got "12345"');
    expect(fs.readdirSync(cwd)).toEqual([]);
  });
});
