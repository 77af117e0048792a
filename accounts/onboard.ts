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
import { Document, isScalar, parse, visit } from 'yaml';
import { z } from 'zod';
import { ConfigError, DEFAULT_ACCOUNTS_DIR, MEMBERS_DIR, ORGANIZATION_FILE, parseOrganization, readAccountsDir, type ConfigProblem, type RawFile } from './load';
import type { Organization } from './schema';
import { featureSwitch, listOption, MEMBER_FEATURES, type AnyMemberFeature } from '../modules/member/features';
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
  readonly role?: string;
  /** Feature switches that differ from the feature's default, by flag: `{ 'flow-logs': false, 'resolver-query-logs': true }`. */
  readonly switches?: Readonly<Record<string, boolean>>;
  /** Values of the features' list options, by flag: `{ vpc: ['vpc-0abc12345def67890:ap-northeast-1'] }`. */
  readonly lists?: Readonly<Record<string, readonly string[]>>;
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

/** A feature's on/off switch: `--no-<flag>` when the feature is on by default, `--<flag>` when it is off. */
interface SwitchOption {
  readonly feature: AnyMemberFeature;
  readonly flag: string;
  readonly help: string;
  readonly defaultOn: boolean;
  /** `--no-flow-logs` or `--resolver-query-logs`. */
  readonly option: string;
}

/** A repeatable option that fills a list field of a feature (`--vpc` -> `vpcFlowLogs.vpcs`). */
interface ListOptionOf {
  readonly feature: AnyMemberFeature;
  readonly field: string;
  readonly flag: string;
  readonly value: string;
  readonly help: string;
  /** Field names of an object item, in order (`id`, `region` for `vpc-id:region`); undefined for plain strings. */
  readonly itemFields?: readonly string[];
}

/** The onboarding options of the member features, derived from their schemas (modules/member/features/schema-kit.ts). */
export function featureOptions(): { switches: SwitchOption[]; lists: ListOptionOf[] } {
  const switches: SwitchOption[] = [];
  const lists: ListOptionOf[] = [];
  for (const feature of MEMBER_FEATURES as readonly AnyMemberFeature[]) {
    const sw = featureSwitch.get(feature.schema);
    if (!sw) throw new Error(`member feature ${feature.key}: its schema has no featureSwitch (modules/member/features/schema-kit.ts)`);
    const defaultOn = feature.schema.parse({}).enabled === true;
    switches.push({ feature, flag: sw.flag, help: sw.help, defaultOn, option: defaultOn ? `--no-${sw.flag}` : `--${sw.flag}` });
    for (const [field, schema] of Object.entries(feature.schema.shape as Record<string, z.ZodType>)) {
      const meta = listOption.get(schema);
      if (!meta) continue;
      let inner: z.ZodType = schema;
      while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
      if (!(inner instanceof z.ZodArray)) throw new Error(`member feature ${feature.key}: listOption ${meta.flag} is on ${field}, which is not a list`);
      const item = inner.element as z.ZodType;
      lists.push({ feature, field, ...meta, itemFields: item instanceof z.ZodObject ? Object.keys(item.shape) : undefined });
    }
  }
  return { switches, lists };
}

/** The option that sets a field of the new member file, so that messages name what the user typed. */
function optionOfField(field: string): string | undefined {
  const fixed: [RegExp, string][] = [
    [/^accountId/, '--account-id'],
    [/^name/, '--name'],
    [/^regions/, '--region'],
    [/^deployRole/, '--role'],
  ];
  const hit = fixed.find(([re]) => re.test(field));
  if (hit) return hit[1];
  const { switches, lists } = featureOptions();
  const list = lists.find((l) => field === `${l.feature.key}.${l.field}` || field.startsWith(`${l.feature.key}.${l.field}[`) || field.startsWith(`${l.feature.key}.${l.field}.`));
  if (list) return `--${list.flag}`;
  return switches.find((sw) => field === sw.feature.key || field.startsWith(`${sw.feature.key}.`))?.option;
}

function describe(problem: ConfigProblem, newFile: string): string {
  if (problem.file !== newFile) return `${problem.file}${problem.field ? `: ${problem.field}` : ''}: ${problem.message}`;
  return `${optionOfField(problem.field) ?? problem.field}: ${problem.message}`;
}

/** One value of a list option: a string, or `a:b` for an object item with fields a and b. */
function listItem(list: ListOptionOf, spec: string): unknown {
  if (!list.itemFields) return spec;
  const parts = spec.split(':');
  if (parts.length !== list.itemFields.length || parts.some((p) => p.trim() === '' || /\s/.test(p))) {
    throw new OnboardError(`--${list.flag}: ${JSON.stringify(spec)} must be ${list.value.split(':').map((v) => `<${v}>`).join(':')}`);
  }
  return Object.fromEntries(list.itemFields.map((f, i) => [f, parts[i]]));
}

/** The member document with only the values that differ from the schema's defaults, in the order of the features. */
export function memberDocument(o: Omit<OnboardOptions, 'accountsDir'>, defaultRole: string): Record<string, unknown> {
  const doc: Record<string, unknown> = { name: o.name, accountId: o.accountId, regions: [...o.regions] };
  if (o.role !== undefined && o.role !== defaultRole) doc.deployRole = o.role;
  const { switches, lists } = featureOptions();
  for (const sw of switches) {
    const on = o.switches?.[sw.flag];
    const given = lists.filter((l) => l.feature === sw.feature && (o.lists?.[l.flag] ?? []).length > 0);
    if (on === false && given.length > 0) throw new OnboardError(`--${given[0]!.flag} and ${sw.option} contradict each other: give one or the other`);
    const section: Record<string, unknown> = {};
    if (on !== undefined && on !== sw.defaultOn) section.enabled = on;
    else if (!sw.defaultOn && given.length > 0) section.enabled = true; // a value of an off-by-default feature turns it on
    for (const l of given) section[l.field] = o.lists![l.flag]!.map((spec) => listItem(l, spec));
    if (Object.keys(section).length > 0) doc[sw.feature.key] = section;
  }
  return doc;
}

/** True when a YAML 1.1 reader takes the plain scalar `value` for the same string. */
function readsBackAsString(value: string): boolean {
  try {
    return parse(value, { version: '1.1' }) === value;
  } catch {
    return false;
  }
}

/**
 * The member file, written with the `yaml` library in the style of accounts/members/*.yaml. A string
 * that YAML 1.1 tools would read as something else (`yes`, `on`, `0o17`) is quoted, besides what YAML
 * 1.2 needs quoted (the account id, which would be a number).
 */
export function renderMemberYaml(doc: Record<string, unknown>): string {
  const yaml = new Document(doc);
  visit(yaml, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'string' && !readsBackAsString(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  if (yaml.contents) yaml.contents.commentBefore = ' Added with `npm run onboard`; every field is described in accounts/schema.ts.';
  return yaml.toString({ lineWidth: 0 });
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
  const command = new Command('onboard')
    .description('Add a member account to accounts/ and print the commands that deploy it')
    .requiredOption('--account-id <id>', '12-digit AWS account id of the new member')
    .requiredOption('--name <name>', 'member name: lower-case letters, digits and hyphens (stack member-<name>)')
    .requiredOption('--region <region>', 'a region the member uses (repeat for several; the first is its home region)', collect)
    .option('--role <name>', 'role the member stack assumes (default: defaults.memberDeployRole of organization.yaml)');
  // The member features' options, from their schemas: a switch each, and their list options.
  const { switches, lists } = featureOptions();
  for (const sw of switches) {
    command.option(sw.option, sw.help);
    for (const l of lists.filter((x) => x.feature === sw.feature)) command.option(`--${l.flag} <${l.value}>`, l.help, collect);
  }
  return command
    .addOption(new Option('--accounts-dir <dir>', 'folder with organization.yaml and members/').env('SIEM_ACCOUNTS_DIR').default(DEFAULT_ACCOUNTS_DIR, 'accounts/'))
    .allowExcessArguments(false)
    .showHelpAfterError(false);
}

function knownFlags(command: Command): string[] {
  return [...command.options.flatMap((o) => [o.long, o.short]).filter((f): f is string => f !== undefined), '--help', '-h'];
}

/** The first argument that looks like a long option the command does not know (`--regoin=x` -> `--regoin`). */
function unknownOption(command: Command, args: readonly string[]): string | undefined {
  const known = new Set(knownFlags(command));
  for (const arg of args) {
    if (arg === '--') return undefined;
    const flag = arg.split('=')[0]!;
    if (flag.startsWith('--') && !known.has(flag)) return flag;
  }
  return undefined;
}

/** The known long flag nearest to `flag` by edit distance (swapped letters count once), if it is close. */
function closestFlag(flag: string, known: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
      }
    }
    return d[a.length]![b.length]!;
  };
  const name = flag.slice(2);
  let best: { flag: string; distance: number } | undefined;
  for (const candidate of known.filter((k) => k.startsWith('--'))) {
    const dist = distance(name, candidate.slice(2));
    // As commander's own suggestion: close enough when at most 40% of the name differs.
    if (dist <= Math.max(1, Math.floor(name.length * 0.4)) && (!best || dist < best.distance)) best = { flag: candidate, distance: dist };
  }
  return best?.flag;
}

/** Commander's attribute name of an option: `--no-flow-logs` -> `flowLogs`, `--web-acl` -> `webAcl`. */
const attributeOf = (flag: string): string => flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export function main(argv: readonly string[] = process.argv, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): number {
  const command = buildCommand()
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.write(s), writeErr: () => undefined });
  try {
    try {
      command.parse([...argv]);
    } catch (error) {
      // Commander checks required options before unknown ones, so a mistyped `--regoin` would be
      // reported as a missing --region: name the unknown option (with its suggestion) first.
      const unknown = error instanceof CommanderError && error.code === 'commander.missingMandatoryOptionValue' ? unknownOption(command, argv.slice(2)) : undefined;
      if (!unknown) throw error;
      const suggestion = closestFlag(unknown, knownFlags(command));
      throw new CommanderError(1, 'commander.unknownOption', `error: unknown option '${unknown}'${suggestion ? `\n(Did you mean ${suggestion}?)` : ''}`);
    }
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
  const o = command.opts<Record<string, unknown> & { accountId: string; name: string; region: string[]; role?: string; accountsDir: string }>();
  const { switches, lists } = featureOptions();
  const switchValues: Record<string, boolean> = {};
  for (const sw of switches) {
    const value = o[attributeOf(sw.flag)];
    if (value === !sw.defaultOn) switchValues[sw.flag] = value as boolean;
  }
  const listValues: Record<string, string[]> = {};
  for (const l of lists) {
    const value = o[attributeOf(l.flag)] as string[] | undefined;
    if (value) listValues[l.flag] = value;
  }
  try {
    const result = onboard({
      accountId: o.accountId,
      name: o.name,
      regions: o.region,
      role: o.role,
      switches: switchValues,
      lists: listValues,
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
