/**
 * Reads and validates the organization's configuration. Every problem is reported with the file and
 * the field it concerns, all problems at once, before anything is synthesized.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { memberSchema, organizationFileSchema, type Member, type Organization, type OrganizationFile } from './schema';

/** The folder holding `organization.yaml` and `members/`; `SIEM_ACCOUNTS_DIR` overrides it. */
export const DEFAULT_ACCOUNTS_DIR = __dirname;
export const ORGANIZATION_FILE = 'organization.yaml';
export const MEMBERS_DIR = 'members';

export interface ConfigProblem {
  /** Path of the file, relative to the working directory where possible. */
  readonly file: string;
  /** Dotted field path inside the file, e.g. `vpcFlowLogs.vpcs[0].region`; empty for the whole file. */
  readonly field: string;
  readonly message: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid organization configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${p.file}${p.field ? `: ${p.field}` : ''}: ${p.message}`).join('\n'),
    );
  }
}

/** A file's raw content with the name used in messages. */
export interface RawFile {
  readonly file: string;
  readonly data: unknown;
}

function fieldPath(segments: readonly PropertyKey[]): string {
  return segments
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? String(s) : `.${String(s)}`))
    .join('');
}

function zodProblems(file: string, error: z.ZodError, prefix: readonly PropertyKey[] = []): ConfigProblem[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (check the spelling)`;
    if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) message = 'is required';
    return { file, field: fieldPath([...prefix, ...issue.path]), message };
  });
}

function readYaml(file: string, display: string, problems: ConfigProblem[]): unknown {
  const doc = parseDocument(fs.readFileSync(file, 'utf8'), { prettyErrors: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const line = e.linePos?.[0];
      problems.push({ file: display, field: line ? `line ${line.line}` : '', message: `not valid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` });
    }
    return undefined;
  }
  return doc.toJS();
}

/** Reads `organization.yaml` and `members/*.yaml` from `dir` (they are validated by `parseOrganization`). */
export function readAccountsDir(dir: string): { organization: RawFile; members: RawFile[]; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const display = (p: string) => path.relative(process.cwd(), p) || p;
  const orgPath = path.join(dir, ORGANIZATION_FILE);
  if (!fs.existsSync(orgPath)) {
    throw new ConfigError([{ file: display(orgPath), field: '', message: 'file not found: the organization configuration must exist (see README, "Configuration")' }]);
  }
  const organization = { file: display(orgPath), data: readYaml(orgPath, display(orgPath), problems) };
  const membersDir = path.join(dir, MEMBERS_DIR);
  const members: RawFile[] = [];
  if (fs.existsSync(membersDir)) {
    for (const entry of fs.readdirSync(membersDir).sort()) {
      const full = path.join(membersDir, entry);
      if (entry.endsWith('.yml')) {
        problems.push({ file: display(full), field: '', message: 'member files must end in ".yaml"' });
        continue;
      }
      if (!entry.endsWith('.yaml')) continue;
      members.push({ file: display(full), data: readYaml(full, display(full), problems) });
    }
  }
  return { organization, members, problems };
}

/**
 * Validates raw organization and member data. Throws a ConfigError listing every problem, each with
 * its file and field.
 */
export function parseOrganization(organization: RawFile, members: readonly RawFile[], earlier: readonly ConfigProblem[] = []): Organization {
  const problems: ConfigProblem[] = [...earlier];

  const org = organizationFileSchema.safeParse(organization.data ?? {});
  if (!org.success) problems.push(...zodProblems(organization.file, org.error));

  const parsed: { file: string; member: Member }[] = [];
  for (const raw of members) {
    if (raw.data === undefined) continue; // YAML error already reported
    const m = memberSchema.safeParse(raw.data);
    if (!m.success) {
      problems.push(...zodProblems(raw.file, m.error));
      continue;
    }
    parsed.push({ file: raw.file, member: m.data });
  }

  if (org.success) problems.push(...crossCheck(org.data, organization.file, parsed));
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...(org.data as OrganizationFile), members: parsed.map((p) => p.member) };
}

function crossCheck(org: OrganizationFile, orgFile: string, members: readonly { file: string; member: Member }[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const byId = new Map<string, string>();
  const byName = new Map<string, string>();
  const special = new Map<string, string>([[org.security.accountId, 'the security account (security.accountId)']]);
  if (org.logArchive) special.set(org.logArchive.accountId, 'the log archive account (logArchive.accountId)');
  if (org.organization?.managementAccountId) special.set(org.organization.managementAccountId, 'the management account (organization.managementAccountId)');

  if (org.logArchive && org.logArchive.accountId === org.security.accountId) {
    problems.push({ file: orgFile, field: 'logArchive.accountId', message: 'must differ from security.accountId: Control Tower keeps the Log Archive in its own account' });
  }

  for (const { file, member } of members) {
    const expected = `${member.name}.yaml`;
    if (path.basename(file) !== expected) {
      problems.push({ file, field: 'name', message: `is ${JSON.stringify(member.name)} but the file is named ${JSON.stringify(path.basename(file))}; rename the file to ${expected}` });
    }
    const sameId = byId.get(member.accountId);
    if (sameId) problems.push({ file, field: 'accountId', message: `${member.accountId} is already used by ${sameId}` });
    else byId.set(member.accountId, file);
    const sameName = byName.get(member.name);
    if (sameName) problems.push({ file, field: 'name', message: `${JSON.stringify(member.name)} is already used by ${sameName}` });
    else byName.set(member.name, file);
    const role = special.get(member.accountId);
    if (role) problems.push({ file, field: 'accountId', message: `${member.accountId} is ${role}; a member account must be another account` });

    const regions = new Set<string>(member.regions);
    if (regions.size !== member.regions.length) problems.push({ file, field: 'regions', message: 'lists a region more than once' });
    member.vpcFlowLogs.vpcs.forEach((vpc, i) => {
      if (!regions.has(vpc.region)) problems.push({ file, field: `vpcFlowLogs.vpcs[${i}].region`, message: `${vpc.region} is not one of the member's regions (${member.regions.join(', ')})` });
    });
    const vpcIds = member.vpcFlowLogs.vpcs.map((v) => v.id);
    if (new Set(vpcIds).size !== vpcIds.length) problems.push({ file, field: 'vpcFlowLogs.vpcs', message: 'lists a VPC more than once' });
    member.waf.webAcls.forEach((arn, i) => {
      const [, , , aclRegion, aclAccount, scope] = arn.split(':');
      if (aclAccount !== member.accountId) problems.push({ file, field: `waf.webAcls[${i}]`, message: `belongs to account ${aclAccount}, not to this member (${member.accountId})` });
      const isGlobal = scope?.startsWith('global/');
      if (isGlobal && aclRegion !== 'us-east-1') problems.push({ file, field: `waf.webAcls[${i}]`, message: 'CloudFront (global) web ACLs live in us-east-1' });
      if (!isGlobal && !regions.has(aclRegion!)) problems.push({ file, field: `waf.webAcls[${i}]`, message: `is in ${aclRegion}, which is not one of the member's regions (${member.regions.join(', ')})` });
    });
    for (const r of Object.keys(member.guardduty.detectorIds)) {
      if (!regions.has(r)) problems.push({ file, field: `guardduty.detectorIds.${r}`, message: `${r} is not one of the member's regions (${member.regions.join(', ')})` });
    }
  }
  return problems;
}

/** Reads and validates the organization in `dir` (default: `SIEM_ACCOUNTS_DIR` or this folder). */
export function loadOrganization(dir: string = process.env.SIEM_ACCOUNTS_DIR || DEFAULT_ACCOUNTS_DIR): Organization {
  const { organization, members, problems } = readAccountsDir(dir);
  return parseOrganization(organization, members, problems);
}
