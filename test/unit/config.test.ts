import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrganization } from '../../accounts/load';
import { ACCOUNTS, accountsWith, problemLines } from '../helpers/accounts';

const ROOT = path.resolve(__dirname, '../..');


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
    ['a query-log VPC in a region the member does not use', { 'members/payments.yaml': member('resolverQueryLogs:\n  enabled: true\n  vpcs:\n    - id: vpc-0a1b2c3d4e5f60009\n      region: us-east-1\n') }, 'payments.yaml: resolverQueryLogs.vpcs[0].region: us-east-1 is not one of the member\'s regions (ap-northeast-1)'],
    ['a CIDR block with an octet above 255 and a prefix above 32', { 'organization.yaml': org.replace('      - 203.0.113.0/24', '      - 999.1.1.1/99') }, 'organization.yaml: opensearch.network.allowedCidrs[0]: must be a CIDR block such as "203.0.113.0/24" or "2001:db8::/32", got "999.1.1.1/99"'],
    ['an IPv4 address without a prefix length', { 'organization.yaml': org.replace('      - 203.0.113.0/24', '      - 203.0.113.7') }, 'organization.yaml: opensearch.network.allowedCidrs[0]: must be a CIDR block such as "203.0.113.0/24" or "2001:db8::/32", got "203.0.113.7"'],
    ['no regions', { 'members/payments.yaml': 'name: payments\naccountId: "777777777777"\nregions: []\n' }, 'payments.yaml: regions: must list at least one region'],
    ['a missing security account', { 'organization.yaml': org.replace(/security:\n  accountId: "222222222222"\n/, 'security:\n') }, 'organization.yaml: security.accountId: must be a 12-digit AWS account id in quotes'],
    ['a bad prefix', { 'organization.yaml': org.replace('prefix: aes-siem', 'prefix: AES_SIEM') }, 'organization.yaml: prefix: prefix must be lower-case letters, digits and hyphens'],
    ['an invalid log retention', { 'organization.yaml': org.replace('loader:\n', 'loader:\n  logRetentionDays: 100\n') }, "organization.yaml: loader.logRetentionDays: must be one of CloudWatch Logs' retention periods"],
    ['broken YAML', { 'members/payments.yaml': 'name: payments\naccountId: "7777\nregions: [\n' }, 'payments.yaml: line 4: not valid YAML: Missing closing "quote'],
  ])('rejects %s, naming the file and the field', (_, edits, message) => {
    const problems = problemLines(accountsWith(edits));
    expect(problems.some((p) => p.includes(message)), `${problems.join('\n')}\n  does not include: ${message}`).toBe(true);
  });

  it('reports every problem at once', () => {
    const problems = problemLines(accountsWith({ 'members/alpha.yaml': member('').replace('payments', 'alpha').replace('777777777777', '1'), 'members/beta.yaml': member('').replace('payments', 'beta').replace('ap-northeast-1', 'mars-1') }));
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

/** `npm run synth` (tsx main.ts) on an accounts folder, from an empty working directory. */
function synth(dir: string, options: { uid?: number } = {}) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-synth-cwd-'));
  fs.chmodSync(cwd, 0o777);
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'main.ts')], {
    cwd,
    env: { ...process.env, SIEM_ACCOUNTS_DIR: dir, CDKTF_OUTDIR: '' },
    encoding: 'utf8',
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
  });
  /** How messages name a file of the accounts folder (relative to the working directory). */
  const shown = (file: string) => path.relative(cwd, path.join(dir, file));
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, written: fs.readdirSync(cwd), shown };
}

/** "billion laughs": nine aliases of nine aliases of ... (the `yaml` library refuses to expand it). */
const ALIAS_BOMB = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]', ...['b', 'c', 'd', 'e'].map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcd'[i]}`).join(', ')}]`)].join('\n') + '\n';

describe('npm run synth: files that are not a configuration', () => {
  const cases: [string, (dir: string) => void, string, string][] = [
    ['an alias bomb', (dir) => fs.writeFileSync(path.join(dir, 'members/bomb.yaml'), ALIAS_BOMB),
      'members/bomb.yaml', 'not valid YAML: its aliases (*name) expand too much (a "billion laughs" document); write the values out instead of repeating aliases'],
    ['a duplicate key', (dir) => fs.writeFileSync(path.join(dir, 'members/payments.yaml'), member('').replace('regions:', 'name: payments\nregions:')),
      'members/payments.yaml', 'line 3: not valid YAML: the key "name" appears twice in the same mapping; keep one of them'],
    ['invalid UTF-8', (dir) => fs.writeFileSync(path.join(dir, 'members/payments.yaml'), Buffer.concat([Buffer.from(member('')), Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n')])),
      'members/payments.yaml', 'line 4: not valid UTF-8 (column 6): save the file with the UTF-8 encoding'],
    ['a folder where a member file belongs', (dir) => fs.mkdirSync(path.join(dir, 'members/x.yaml')),
      'members/x.yaml', 'is a folder, not a file: the configuration is a YAML file of that name; remove or rename the folder'],
    ['a file where the members folder belongs', (dir) => { fs.rmSync(path.join(dir, 'members'), { recursive: true }); fs.writeFileSync(path.join(dir, 'members'), ''); },
      'members', 'is a file, not a folder: member files go into the folder members/ (one <name>.yaml each)'],
    ['a folder where organization.yaml belongs', (dir) => { fs.rmSync(path.join(dir, 'organization.yaml')); fs.mkdirSync(path.join(dir, 'organization.yaml')); },
      'organization.yaml', 'is a folder, not a file: the configuration is a YAML file of that name; remove or rename the folder'],
  ];

  it.each(cases)('%s: one line naming the file and what to do, exit code 1, no stack trace', (_what, edit, file, message) => {
    const dir = accountsWith({});
    edit(dir);
    const r = synth(dir);
    expect(r.stderr).toBe(`Invalid organization configuration (1 problem):\n  ${r.shown(file)}: ${message}\n`);
    expect(r.code).toBe(1);
    expect(r.written).toEqual([]);
  });

  it('an unreadable member file', () => {
    const dir = accountsWith({ 'members/payments.yaml': member('') });
    fs.chmodSync(path.join(dir, 'members/payments.yaml'), 0o000);
    // root reads any file: run as "nobody" then, with the folder open to it (the file itself is not).
    const asRoot = process.getuid?.() === 0;
    if (asRoot) for (const p of [dir, path.join(dir, 'members'), path.join(dir, 'organization.yaml'), ...['sandbox', 'workload-dev', 'workload-prod'].map((m) => path.join(dir, `members/${m}.yaml`))]) fs.chmodSync(p, fs.statSync(p).isDirectory() ? 0o755 : 0o644);
    const r = synth(dir, asRoot ? { uid: 65534 } : {});
    expect(r.stderr).toBe(`Invalid organization configuration (1 problem):\n  ${r.shown('members/payments.yaml')}: cannot be read (permission denied): let the user who runs this command read it (e.g. chmod a+r)\n`);
    expect(r.code).toBe(1);
  });

  it('a SIEM_ACCOUNTS_DIR that does not exist', () => {
    const dir = path.join(os.tmpdir(), 'siem-no-such-accounts-folder');
    const r = synth(dir);
    expect(r.stderr).toBe(`Invalid organization configuration (1 problem):\n  ${r.shown('')}: folder not found: the accounts folder holds organization.yaml and members/ (set SIEM_ACCOUNTS_DIR to it, or unset it to use accounts/)\n`);
    expect(r.code).toBe(1);
  });
});

describe('npm run synth: a member whose every feature is off', () => {
  it('synthesizes, exit code 0, and warns that its stack is empty', () => {
    const dir = accountsWith({ 'members/idle.yaml': 'name: idle\naccountId: "777777777777"\nregions: [ap-northeast-1]\ncloudtrail:\n  enabled: false\nvpcFlowLogs:\n  enabled: false\nguardduty:\n  enabled: false\nwaf:\n  enabled: false\n' });
    const r = synth(dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '\n  [member-idle] member idle: the stack member-idle is empty: every feature (cloudtrail, vpcFlowLogs, guardduty, waf, resolverQueryLogs, networkFirewall, findingsExport, elbAccessLogs, cloudwatchLogsExport) is off or has nothing to log; turn one on in members/idle.yaml, or remove the file if the account needs no stack\n',
    );
  }, 60_000);
});

describe('npm run synth: an organization a construct refuses', () => {
  it('prints the construct\'s message in one line, exit code 1, no stack trace', () => {
    // 400 members: the central policies would exceed their size limits (the constructs check them at synth).
    const edits: Record<string, string> = {};
    for (let i = 1; i <= 400; i++) {
      const name = `m-${String(i).padStart(3, '0')}`;
      edits[`members/${name}.yaml`] = `name: ${name}\naccountId: "${700000000000 + i}"\nregions: [ap-northeast-1]\n`;
    }
    const r = synth(accountsWith(edits));
    // The key policy or the bucket policy, whichever the central stack checks first.
    expect(r.stderr).toMatch(/^npm run synth: [^\n]* is \d+ bytes, above (KMS|S3)'s limit of \d+; it grows with the number of member accounts \(see modules\/policies\/central\.ts\)\n$/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.code).toBe(1);
  }, 60_000);
});
