/**
 * `npm run onboard -- --account-id 123456789012 --name payments-prod --region ap-northeast-1 ...`
 *
 * Adds a member account to the organization: builds the member's file from the options, validates the
 * organization as it would be with the new member (the same schema and cross checks as every synth,
 * through `parseOrganization`), writes `accounts/members/<name>.yaml` with only the non-default values,
 * and prints the commands that deploy it. Any problem prints one line on stderr, exits 1 and writes
 * nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, DEFAULT_ACCOUNTS_DIR, MEMBERS_DIR, ORGANIZATION_FILE, parseOrganization, readAccountsDir, type ConfigProblem, type RawFile } from './load';
import type { Organization } from './schema';
import { keyPolicyStatements, logBucketPolicyStatements } from '../modules/policies/central';

export class OnboardError extends Error {
  override readonly name = 'OnboardError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface OnboardOptions {
  readonly accountId: string;
  readonly name: string;
  readonly regions: readonly string[];
  /** `<vpc-id>:<region>` each. */
  readonly vpcs?: readonly string[];
  readonly webAcls?: readonly string[];
  readonly cloudtrail?: boolean;
  readonly guardduty?: boolean;
  readonly waf?: boolean;
  readonly flowLogs?: boolean;
  readonly role?: string;
  readonly accountsDir: string;
  /** The folder came from SIEM_ACCOUNTS_DIR rather than --accounts-dir (messages say so). */
  readonly accountsDirFromEnv?: boolean;
}

export interface OnboardResult {
  readonly file: string;
  readonly yaml: string;
  readonly organization: Organization;
  /** True when the central bucket or key policy differs with the new member (then `central` must be deployed first). */
  readonly centralPoliciesChanged: boolean;
  readonly nextSteps: string;
}

/** Field of the member file -> the option that sets it, so that messages name what the user typed. */
const OPTION_OF_FIELD: readonly [RegExp, string][] = [
  [/^accountId/, '--account-id'],
  [/^name/, '--name'],
  [/^regions/, '--region'],
  [/^deployRole/, '--role'],
  [/^vpcFlowLogs\.vpcs/, '--vpc'],
  [/^waf\.webAcls/, '--web-acl'],
  [/^guardduty/, '--no-guardduty'],
];

function describe(problem: ConfigProblem, newFile: string): string {
  if (problem.file !== newFile) return `${problem.file}${problem.field ? `: ${problem.field}` : ''}: ${problem.message}`;
  const option = OPTION_OF_FIELD.find(([re]) => re.test(problem.field))?.[1];
  return `${option ?? problem.field}: ${problem.message}`;
}

const VPC_SPEC = /^([^:\s]+):([^:\s]+)$/;

/** The member document with only the values that differ from the schema's defaults. */
export function memberDocument(o: Omit<OnboardOptions, 'accountsDir'>, defaultRole: string): Record<string, unknown> {
  const doc: Record<string, unknown> = { name: o.name, accountId: o.accountId, regions: [...o.regions] };
  if (o.role !== undefined && o.role !== defaultRole) doc.deployRole = o.role;
  if (o.cloudtrail === false) doc.cloudtrail = { enabled: false };
  const vpcs = (o.vpcs ?? []).map((spec) => {
    const m = VPC_SPEC.exec(spec);
    if (!m) throw new OnboardError(`--vpc: ${JSON.stringify(spec)} must be <vpc-id>:<region>, e.g. vpc-0abc12345def67890:${o.regions[0] ?? 'ap-northeast-1'}`);
    return { id: m[1]!, region: m[2]! };
  });
  if (o.flowLogs === false) {
    if (vpcs.length > 0) throw new OnboardError('--vpc and --no-flow-logs contradict each other: give one or the other');
    doc.vpcFlowLogs = { enabled: false };
  } else if (vpcs.length > 0) doc.vpcFlowLogs = { vpcs };
  if (o.waf === false) {
    if ((o.webAcls ?? []).length > 0) throw new OnboardError('--web-acl and --no-waf contradict each other: give one or the other');
    doc.waf = { enabled: false };
  } else if ((o.webAcls ?? []).length > 0) doc.waf = { webAcls: [...o.webAcls!] };
  if (o.guardduty === false) doc.guardduty = { enabled: false };
  return doc;
}

/** A scalar as the project's YAML files write it: plain where that is unambiguous, quoted otherwise. */
function scalar(value: string, forceQuotes = false): string {
  const plain = /^[A-Za-z][\w.:/+=,@-]*$/.test(value) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(value) && !/: |#/.test(value);
  return forceQuotes || !plain ? JSON.stringify(value) : value;
}

/** Renders the member document in the style of accounts/members/*.yaml (2-space indent, account id quoted). */
export function renderMemberYaml(doc: Record<string, unknown>): string {
  const lines: string[] = [`# Added with \`npm run onboard\`; every field is described in accounts/schema.ts.`];
  lines.push(`name: ${scalar(String(doc.name))}`);
  lines.push(`accountId: ${scalar(String(doc.accountId), true)}`);
  lines.push('regions:', ...(doc.regions as string[]).map((r) => `  - ${scalar(r)}`));
  if (doc.deployRole !== undefined) lines.push(`deployRole: ${scalar(String(doc.deployRole))}`);
  if (doc.cloudtrail) lines.push('cloudtrail:', '  enabled: false');
  const flow = doc.vpcFlowLogs as { enabled?: boolean; vpcs?: { id: string; region: string }[] } | undefined;
  if (flow?.enabled === false) lines.push('vpcFlowLogs:', '  enabled: false');
  else if (flow?.vpcs) lines.push('vpcFlowLogs:', '  vpcs:', ...flow.vpcs.flatMap((v) => [`    - id: ${scalar(v.id)}`, `      region: ${scalar(v.region)}`]));
  const waf = doc.waf as { enabled?: boolean; webAcls?: string[] } | undefined;
  if (waf?.enabled === false) lines.push('waf:', '  enabled: false');
  else if (waf?.webAcls) lines.push('waf:', '  webAcls:', ...waf.webAcls.map((a) => `    - ${scalar(a)}`));
  if (doc.guardduty) lines.push('guardduty:', '  enabled: false');
  return `${lines.join('\n')}\n`;
}

function centralPolicies(org: Organization): string {
  return JSON.stringify([logBucketPolicyStatements({ org, keyArn: 'central-key' }), keyPolicyStatements({ org, logReaderRoleArns: [] })]);
}

/**
 * Validates and writes the new member. Throws OnboardError (one line) and leaves `accountsDir`
 * untouched on any problem.
 */
export function onboard(options: OnboardOptions): OnboardResult {
  const dir = options.accountsDir;
  const where = `--accounts-dir ${dir}${options.accountsDirFromEnv ? ' (from SIEM_ACCOUNTS_DIR)' : ''}`;
  const remedy = 'give the folder that holds organization.yaml and members/ (default: accounts/)';
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new OnboardError(`${where}: no such folder; ${remedy}`);
  if (!fs.existsSync(path.join(dir, ORGANIZATION_FILE))) throw new OnboardError(`${where}: has no ${ORGANIZATION_FILE}; ${remedy}`);
  let before: Organization;
  let orgRaw: RawFile;
  let members: RawFile[];
  try {
    const read = readAccountsDir(dir);
    orgRaw = read.organization;
    members = read.members;
    before = parseOrganization(orgRaw, members, read.problems);
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new OnboardError(`the organization in ${dir} is already invalid, fix it first: ${error.problems.map((p) => describe(p, '')).join('; ')}`, { cause: error });
    }
    throw error;
  }

  const membersDir = path.join(dir, MEMBERS_DIR);
  const target = path.join(membersDir, `${options.name}.yaml`);
  const display = path.relative(process.cwd(), target) || target;
  // Only a valid name can be a file name here; other names are reported by the schema below.
  if (/^[a-z][a-z0-9-]*$/.test(options.name) && fs.existsSync(target)) throw new OnboardError(`--name: ${JSON.stringify(options.name)} is already a member (${display} exists)`);

  const doc = memberDocument(options, before.defaults.memberDeployRole);
  let after: Organization;
  try {
    after = parseOrganization(orgRaw, [...members, { file: display, data: doc }]);
  } catch (error) {
    if (error instanceof ConfigError) throw new OnboardError(error.problems.map((p) => describe(p, display)).join('; '), { cause: error });
    throw error;
  }

  const yaml = renderMemberYaml(doc);
  fs.mkdirSync(membersDir, { recursive: true });
  // Write to a temporary name and rename, so an interrupted run never leaves half a member file.
  const tmp = path.join(membersDir, `.${options.name}.yaml.tmp`);
  fs.writeFileSync(tmp, yaml);
  fs.renameSync(tmp, target);

  const centralPoliciesChanged = centralPolicies(before) !== centralPolicies(after);
  const nextSteps = nextStepsText({ org: after, name: options.name, file: display, dir, centralPoliciesChanged });
  return { file: target, yaml, organization: after, centralPoliciesChanged, nextSteps };
}

function nextStepsText(p: { org: Organization; name: string; file: string; dir: string; centralPoliciesChanged: boolean }): string {
  const env = path.resolve(p.dir) === path.resolve(DEFAULT_ACCOUNTS_DIR) ? '' : `SIEM_ACCOUNTS_DIR=${p.dir} `;
  const member = p.org.members.find((m) => m.name === p.name)!;
  const lines = [
    `Added member account ${member.accountId} as ${p.file}.`,
    '',
    'Next steps:',
    `  cat ${p.file} && git add ${p.file}   # review and commit the new member`,
  ];
  if (p.centralPoliciesChanged) {
    lines.push(
      `  ${env}npx cdktf deploy central`,
      '      # first: the central log bucket and key policies list the member accounts (aws:SourceAccount,',
      '      # aws:PrincipalAccount), and CloudTrail, GuardDuty and Firehose check their access when created.',
    );
  } else {
    lines.push('  # the central bucket and key policies do not change; no need to deploy central');
  }
  lines.push(`  ${env}npx cdktf deploy member-${p.name}`);
  if (!p.org.security.centralKeyArn) {
    lines.push(
      '',
      'Note: security.centralKeyArn is not set in organization.yaml. After `central` is deployed, copy its',
      'output kms_key_arn into security.centralKeyArn before deploying member stacks (GuardDuty needs the key ARN).',
    );
  }
  return `${lines.join('\n')}\n`;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function buildCommand(): Command {
  return new Command('onboard')
    .description('Add a member account to accounts/ and print the commands that deploy it')
    .requiredOption('--account-id <id>', '12-digit AWS account id of the new member')
    .requiredOption('--name <name>', 'member name: lower-case letters, digits and hyphens (stack member-<name>)')
    .requiredOption('--region <region>', 'a region the member uses (repeat for several; the first is its home region)', collect)
    .option('--vpc <vpc-id:region>', 'VPC whose flow logs are sent (repeatable)', collect)
    .option('--web-acl <arn>', 'WAFv2 web ACL ARN to log (repeatable)', collect)
    .option('--role <name>', 'role the member stack assumes (default: defaults.memberDeployRole of organization.yaml)')
    .option('--no-cloudtrail', 'no account trail (an organization trail covers the account)')
    .option('--no-guardduty', 'no GuardDuty findings export')
    .option('--no-waf', 'no WAF logging')
    .option('--no-flow-logs', 'no VPC Flow Logs')
    .addOption(new Option('--accounts-dir <dir>', 'folder with organization.yaml and members/').env('SIEM_ACCOUNTS_DIR').default(DEFAULT_ACCOUNTS_DIR, 'accounts/'))
    .allowExcessArguments(false)
    .showHelpAfterError(false);
}

export function main(argv: readonly string[] = process.argv, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): number {
  const command = buildCommand()
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.write(s), writeErr: () => undefined });
  try {
    command.parse([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0; // --help
      // Commander puts its suggestion on a second line: "(Did you mean --region?)".
      const [first, ...rest] = error.message.replace(/^error: /, '').split('\n');
      const hint = rest.map((l) => l.trim()).find((l) => /^\(Did you mean/.test(l));
      err.write(`onboard: ${first}${hint ? ` ${hint.replace('(Did', '(did')}` : ''}\n`);
      return 1;
    }
    err.write(`onboard: ${(error as Error).message.split('\n')[0]}\n`);
    return 1;
  }
  const o = command.opts<{
    accountId: string;
    name: string;
    region: string[];
    vpc?: string[];
    webAcl?: string[];
    role?: string;
    cloudtrail: boolean;
    guardduty: boolean;
    waf: boolean;
    flowLogs: boolean;
    accountsDir: string;
  }>();
  try {
    const result = onboard({
      accountId: o.accountId,
      name: o.name,
      regions: o.region,
      vpcs: o.vpc,
      webAcls: o.webAcl,
      role: o.role,
      cloudtrail: o.cloudtrail,
      guardduty: o.guardduty,
      waf: o.waf,
      flowLogs: o.flowLogs,
      accountsDir: o.accountsDir,
      accountsDirFromEnv: command.getOptionValueSource('accountsDir') === 'env',
    });
    out.write(result.nextSteps);
    return 0;
  } catch (error) {
    if (error instanceof OnboardError) {
      err.write(`onboard: ${error.message.replace(/\n/g, ' ')}\n`);
      return 1;
    }
    // Anything else (a file system error while writing, a bug) is still one line, never a stack trace.
    err.write(`onboard: ${(error as Error).message.replace(/\n/g, ' ')}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main();
