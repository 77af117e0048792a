/**
 * The onboarding CLI, run the way a user runs it (a child process), against a copy of accounts/.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrganization } from '../../accounts/load';
import { buildCommand, featureOptions, renderMemberYaml } from '../../accounts/onboard';
import { MEMBER_FEATURES } from '../../modules/member';
import { memberSchema } from '../../accounts/schema';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'accounts/onboard.ts');
/** What `npm run onboard` runs (package.json: `tsx accounts/onboard.ts`). */
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

let work: string;
let accounts: string;

beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-onboard-'));
  accounts = path.join(work, 'accounts');
  fs.mkdirSync(path.join(accounts, 'members'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'accounts/organization.yaml'), path.join(accounts, 'organization.yaml'));
  for (const f of fs.readdirSync(path.join(ROOT, 'accounts/members'))) fs.copyFileSync(path.join(ROOT, 'accounts/members', f), path.join(accounts, 'members', f));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(TSX, [CLI, ...args], { cwd: work, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under dir with its bytes, to prove a refused command changed nothing. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p).toString('base64');
    }
  };
  walk(dir);
  return out;
}

describe('CLI: onboard', () => {
  it('adds a member file with only non-default values, and the next synth has its stack', () => {
    const r = run([
      '--account-id', '123456789012',
      '--name', 'payments-prod',
      '--region', 'ap-northeast-1',
      '--region', 'us-east-1',
      '--vpc', 'vpc-0abc12345def67890:ap-northeast-1',
      '--web-acl', 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/cdn/0a1b2c3d-0000-4000-8000-000000000009',
      '--no-guardduty',
      '--role', 'AWSControlTowerExecution',
      '--accounts-dir', accounts,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = path.join(accounts, 'members/payments-prod.yaml');
    expect(fs.readFileSync(file, 'utf8')).toBe(
      [
        '# Added with `npm run onboard`; every field is described in accounts/schema.ts.',
        'name: payments-prod',
        'accountId: "123456789012"',
        'regions:',
        '  - ap-northeast-1',
        '  - us-east-1',
        'deployRole: AWSControlTowerExecution',
        'vpcFlowLogs:',
        '  vpcs:',
        '    - id: vpc-0abc12345def67890',
        '      region: ap-northeast-1',
        'guardduty:',
        '  enabled: false',
        'waf:',
        '  webAcls:',
        '    - arn:aws:wafv2:us-east-1:123456789012:global/webacl/cdn/0a1b2c3d-0000-4000-8000-000000000009',
        '',
      ].join('\n'),
    );
    // The exact commands, central first because its policies list the members.
    expect(r.stdout).toContain(`SIEM_ACCOUNTS_DIR=${accounts} npx cdktf deploy central\n`);
    expect(r.stdout).toContain(`SIEM_ACCOUNTS_DIR=${accounts} npx cdktf deploy member-payments-prod\n`);
    expect(r.stdout.indexOf('deploy central')).toBeLessThan(r.stdout.indexOf('deploy member-payments-prod'));
    expect(r.stdout).toMatch(/security\.centralKeyArn is not set/);

    const org = loadOrganization(accounts);
    const added = org.members.find((m) => m.name === 'payments-prod')!;
    expect(added).toMatchObject({ accountId: '123456789012', deployRole: 'AWSControlTowerExecution', guardduty: { enabled: false }, cloudtrail: { enabled: true } });

    const synth = spawnSync(TSX, [path.join(ROOT, 'main.ts')], { cwd: work, env: { ...process.env, SIEM_ACCOUNTS_DIR: accounts }, encoding: 'utf8' });
    expect(synth.status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(work, 'cdktf.out/manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks)).toContain('member-payments-prod');
    const stack = JSON.parse(fs.readFileSync(path.join(work, 'cdktf.out/stacks/member-payments-prod/cdk.tf.json'), 'utf8'));
    expect(stack.provider.aws[0].assume_role[0].role_arn).toBe('arn:aws:iam::123456789012:role/AWSControlTowerExecution');
  }, 120_000);

  it('turns on Network Firewall logs, findings export and ELB access logs, and the organization loads them', () => {
    const firewall = 'arn:aws:network-firewall:ap-northeast-1:123456789012:firewall/egress';
    const r = run(['--account-id', '123456789012', '--name', 'edge', '--region', 'ap-northeast-1', '--network-firewall', firewall, '--findings-export', '--elb-access-logs', '--accounts-dir', accounts]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(accounts, 'members/edge.yaml'), 'utf8')).toBe(
      [
        '# Added with `npm run onboard`; every field is described in accounts/schema.ts.',
        'name: edge',
        'accountId: "123456789012"',
        'regions:',
        '  - ap-northeast-1',
        'networkFirewall:',
        '  enabled: true',
        '  firewalls:',
        `    - ${firewall}`,
        'findingsExport:',
        '  enabled: true',
        'elbAccessLogs:',
        '  enabled: true',
        '',
      ].join('\n'),
    );
    const added = loadOrganization(accounts).members.find((m) => m.name === 'edge')!;
    expect(added.networkFirewall).toEqual({ enabled: true, firewalls: [firewall], logTypes: ['ALERT', 'FLOW'] });
    expect(added.findingsExport).toEqual({ enabled: true, securityHub: true, inspector: true, configRules: true, bufferingIntervalSeconds: 300 });
    expect(added.elbAccessLogs).toEqual({ enabled: true });
  });

  it('writes a minimal file for the defaults and reads SIEM_ACCOUNTS_DIR', () => {
    const r = run(['--account-id', '123456789012', '--name', 'minimal', '--region', 'eu-west-1'], { SIEM_ACCOUNTS_DIR: accounts });
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(accounts, 'members/minimal.yaml'), 'utf8')).toBe(
      '# Added with `npm run onboard`; every field is described in accounts/schema.ts.\nname: minimal\naccountId: "123456789012"\nregions:\n  - eu-west-1\n',
    );
  });

  it('writes the switches that turn features off', () => {
    const r = run(['--account-id', '123456789012', '--name', 'quiet', '--region', 'eu-west-1', '--no-cloudtrail', '--no-waf', '--no-flow-logs', '--no-guardduty', '--role', 'OrganizationAccountAccessRole', '--accounts-dir', accounts]);
    expect(r.code).toBe(0);
    const doc = parse(fs.readFileSync(path.join(accounts, 'members/quiet.yaml'), 'utf8'));
    // The organization's default role is not repeated.
    expect(doc).toEqual({ name: 'quiet', accountId: '123456789012', regions: ['eu-west-1'], cloudtrail: { enabled: false }, vpcFlowLogs: { enabled: false }, waf: { enabled: false }, guardduty: { enabled: false } });
  });

  it('turns on an off-by-default feature with its list option (Route 53 Resolver query logs)', () => {
    const r = run(['--account-id', '123456789012', '--name', 'dns', '--region', 'ap-northeast-1', '--query-log-vpc', 'vpc-0abc12345def67890:ap-northeast-1', '--accounts-dir', accounts]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(accounts, 'members/dns.yaml'), 'utf8')).toBe(
      [
        '# Added with `npm run onboard`; every field is described in accounts/schema.ts.',
        'name: dns',
        'accountId: "123456789012"',
        'regions:',
        '  - ap-northeast-1',
        'resolverQueryLogs:',
        '  enabled: true',
        '  vpcs:',
        '    - id: vpc-0abc12345def67890',
        '      region: ap-northeast-1',
        '',
      ].join('\n'),
    );
    const run2 = run(['--account-id', '123456789013', '--name', 'dns-on', '--region', 'ap-northeast-1', '--resolver-query-logs', '--accounts-dir', accounts]);
    expect(run2.code).toBe(0);
    expect(parse(fs.readFileSync(path.join(accounts, 'members/dns-on.yaml'), 'utf8')).resolverQueryLogs).toEqual({ enabled: true });
  });

  it('derives one switch per member feature and the features\' list options from their schemas', () => {
    const { switches, lists } = featureOptions();
    expect(switches.map((s) => s.option)).toEqual(['--no-cloudtrail', '--no-flow-logs', '--no-guardduty', '--no-waf', '--resolver-query-logs', '--network-firewall-logs', '--findings-export', '--elb-access-logs', '--cloudwatch-logs-export']);
    expect(switches.map((s) => s.feature.key)).toEqual(MEMBER_FEATURES.map((f) => f.key));
    expect(lists.map((l) => [`--${l.flag}`, `${l.feature.key}.${l.field}`, l.itemFields])).toEqual([
      ['--vpc', 'vpcFlowLogs.vpcs', ['id', 'region']],
      ['--web-acl', 'waf.webAcls', undefined],
      ['--query-log-vpc', 'resolverQueryLogs.vpcs', ['id', 'region']],
      ['--network-firewall', 'networkFirewall.firewalls', undefined],
    ]);
    const help = buildCommand().helpInformation();
    for (const option of ['--no-flow-logs', '--vpc <vpc-id:region>', '--web-acl <arn>', '--resolver-query-logs', '--query-log-vpc <vpc-id:region>']) expect(help).toContain(option);
  });

  const refused: [string, string[], RegExp][] = [
    ['a duplicate account id', ['--account-id', '444444444444', '--name', 'again', '--region', 'ap-northeast-1'], /^onboard: --account-id: 444444444444 is already used by .*workload-prod\.yaml$/],
    ['an 11-digit account id', ['--account-id', '12345678901', '--name', 'short', '--region', 'ap-northeast-1'], /^onboard: --account-id: must be a 12-digit AWS account id, got "12345678901"$/],
    ['an unknown region', ['--account-id', '123456789012', '--name', 'mars', '--region', 'mars-north-1'], /^onboard: --region: unknown AWS Region "mars-north-1" \(known: af-south-1, .*\)$/],
    ['an existing name', ['--account-id', '123456789012', '--name', 'workload-dev', '--region', 'ap-northeast-1'], /^onboard: --name: "workload-dev" is already a member \(.*workload-dev\.yaml exists\)$/],
    ['a VPC spec without region', ['--account-id', '123456789012', '--name', 'vpcs', '--region', 'ap-northeast-1', '--vpc', 'vpc-0abc12345def67890'], /^onboard: --vpc: "vpc-0abc12345def67890" must be <vpc-id>:<region>/],
    ['a malformed VPC id', ['--account-id', '123456789012', '--name', 'vpcs', '--region', 'ap-northeast-1', '--vpc', 'vpc-xyz:ap-northeast-1'], /^onboard: --vpc: must be a VPC id such as "vpc-0abc12345def67890", got "vpc-xyz"$/],
    ['a VPC outside the member regions', ['--account-id', '123456789012', '--name', 'vpcs', '--region', 'ap-northeast-1', '--vpc', 'vpc-0abc12345def67890:eu-west-1'], /^onboard: --vpc: eu-west-1 is not one of the member's regions \(ap-northeast-1\)$/],
    ['the security account', ['--account-id', '222222222222', '--name', 'sec', '--region', 'ap-northeast-1'], /^onboard: --account-id: 222222222222 is the security account/],
    ['a bad name', ['--account-id', '123456789012', '--name', 'Payments', '--region', 'ap-northeast-1'], /^onboard: --name: member name must be lower-case letters/],
    ['a web ACL of another account', ['--account-id', '123456789012', '--name', 'waf', '--region', 'ap-northeast-1', '--web-acl', 'arn:aws:wafv2:ap-northeast-1:999999999999:regional/webacl/a/b'], /^onboard: --web-acl: belongs to account 999999999999, not to this member \(123456789012\)$/],
    ['--vpc with --no-flow-logs', ['--account-id', '123456789012', '--name', 'both', '--region', 'ap-northeast-1', '--vpc', 'vpc-0abc12345def67890:ap-northeast-1', '--no-flow-logs'], /^onboard: --vpc and --no-flow-logs contradict each other/],
    ['a Network Firewall of another account', ['--account-id', '123456789012', '--name', 'nfw', '--region', 'ap-northeast-1', '--network-firewall', 'arn:aws:network-firewall:ap-northeast-1:999999999999:firewall/egress'], /^onboard: --network-firewall: belongs to account 999999999999, not to this member \(123456789012\)$/],
    ['a Network Firewall outside the member regions', ['--account-id', '123456789012', '--name', 'nfw', '--region', 'ap-northeast-1', '--network-firewall', 'arn:aws:network-firewall:eu-west-1:123456789012:firewall/egress'], /^onboard: --network-firewall: is in eu-west-1, which is not one of the member's regions \(ap-northeast-1\)$/],
    ['a malformed Network Firewall ARN', ['--account-id', '123456789012', '--name', 'nfw', '--region', 'ap-northeast-1', '--network-firewall', 'arn:aws:network-firewall:ap-northeast-1:123456789012:rulegroup/x'], /^onboard: --network-firewall: must be a Network Firewall firewall ARN \(arn:aws:network-firewall:<region>:<account>:firewall\/<name>\), got "arn:aws:network-firewall:ap-northeast-1:123456789012:rulegroup\/x"$/],
    ['a query-log VPC outside the member regions', ['--account-id', '123456789012', '--name', 'dns', '--region', 'ap-northeast-1', '--query-log-vpc', 'vpc-0abc12345def67890:eu-west-1'], /^onboard: --query-log-vpc: eu-west-1 is not one of the member's regions \(ap-northeast-1\)$/],
    ['a query-log VPC spec without region', ['--account-id', '123456789012', '--name', 'dns', '--region', 'ap-northeast-1', '--query-log-vpc', 'vpc-0abc12345def67890'], /^onboard: --query-log-vpc: "vpc-0abc12345def67890" must be <vpc-id>:<region>$/],
    ['--web-acl with --no-waf', ['--account-id', '123456789012', '--name', 'both', '--region', 'ap-northeast-1', '--web-acl', 'arn:aws:wafv2:ap-northeast-1:123456789012:regional/webacl/a/b', '--no-waf'], /^onboard: --web-acl and --no-waf contradict each other: give one or the other$/],
    ['a missing region', ['--account-id', '123456789012', '--name', 'noregion'], /^onboard: required option '--region <region>' not specified$/],
    ['an unknown option', ['--account-id', '123456789012', '--name', 'x1', '--region', 'ap-northeast-1', '--regoin', 'us-east-1'], /^onboard: unknown option '--regoin' \(did you mean --region\?\)$/],
    // The typo is the only region option, so --region is also missing: the typo is what the user needs to hear.
    ['a mistyped required option', ['--account-id', '123456789012', '--name', 'x1', '--regoin', 'us-east-1'], /^onboard: unknown option '--regoin' \(did you mean --region\?\)$/],
    ['an unknown option in the --flag=value form, with nothing close', ['--account-id', '123456789012', '--name', 'x1', '--zzzzzzzz=1'], /^onboard: unknown option '--zzzzzzzz'$/],
    ['a missing required option', ['--account-id', '123456789012', '--name', 'x1'], /^onboard: required option '--region <region>' not specified$/],
  ];

  it.each(refused)('refuses %s with a one-line message, exit code 1, and changes nothing', (_what, args, message) => {
    const before = snapshot(accounts);
    const r = run([...args, '--accounts-dir', accounts]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(snapshot(accounts)).toEqual(before);
  });

  it.each([
    ['does not exist', (dir: string) => path.join(dir, 'missing'), 'no such folder'],
    ['has no organization.yaml', (dir: string) => fs.mkdirSync(path.join(dir, 'empty'), { recursive: true }) ?? path.join(dir, 'empty'), 'has no organization.yaml'],
  ])('refuses an --accounts-dir that %s, naming the option, exit code 1', (_what, make, problem) => {
    const dir = make(work);
    const args = ['--account-id', '123456789012', '--name', 'x1', '--region', 'ap-northeast-1'];
    const r = run([...args, '--accounts-dir', dir]);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr: `onboard: --accounts-dir ${dir}: ${problem}; give the folder that holds organization.yaml and members/ (default: accounts/)\n`,
    });
    // The same folder from the environment says where it came from.
    expect(run(args, { SIEM_ACCOUNTS_DIR: dir }).stderr).toBe(`onboard: --accounts-dir ${dir} (from SIEM_ACCOUNTS_DIR): ${problem}; give the folder that holds organization.yaml and members/ (default: accounts/)\n`);
  });

  it('refuses to add to an organization with a broken member file, in one line', () => {
    fs.mkdirSync(path.join(accounts, 'members/x.yaml'));
    const r = run(['--account-id', '123456789012', '--name', 'x1', '--region', 'ap-northeast-1', '--accounts-dir', accounts]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`onboard: the organization in ${accounts} is already invalid, fix it first: accounts/members/x.yaml: is a folder, not a file: the configuration is a YAML file of that name; remove or rename the folder\n`);
  });

  it('renders YAML that the schema reads back as the same member', () => {
    const doc = { name: 'yes', accountId: '000000000001', regions: ['us-east-1'], deployRole: '@role', waf: { webAcls: ['arn:aws:wafv2:us-east-1:000000000001:regional/webacl/a/b'] } };
    const text = renderMemberYaml(doc);
    expect(text).toContain('name: "yes"'); // plain `yes` would be read as a boolean by YAML 1.1 tools
    expect(memberSchema.parse(parse(text))).toEqual(memberSchema.parse(doc));
  });
});
