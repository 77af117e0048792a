/**
 * Reads and validates the organization's configuration. Every problem is reported with the file and
 * the field it concerns, all problems at once, before anything is synthesized.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { featureSections } from '../modules/member/features';
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

/** What to do about a YAML syntax error, by the `yaml` library's error code. */
const YAML_ADVICE: Readonly<Record<string, string>> = {
  DUPLICATE_KEY: 'a key appears twice in the same mapping; keep one of them',
  MULTIPLE_DOCS: 'a configuration file holds one YAML document; remove the "---" separators',
};

/**
 * The line and column of the first byte that is not UTF-8, or undefined when the whole buffer is
 * UTF-8. Node would silently turn such bytes into U+FFFD, so a stray Latin-1 byte in a name would
 * reach the schema as a garbled value (or, in a comment, pass unnoticed).
 */
export function firstInvalidUtf8(bytes: Uint8Array): { line: number; column: number } | undefined {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let ok = length > 0 && i + length <= bytes.length;
    for (let k = 1; ok && k < length; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
    // Overlong 3/4-byte forms, UTF-16 surrogates and code points above U+10FFFF are not UTF-8 either.
    if (ok && length === 3) ok = !(b === 0xe0 && bytes[i + 1]! < 0xa0) && !(b === 0xed && bytes[i + 1]! >= 0xa0);
    if (ok && length === 4) ok = !(b === 0xf0 && bytes[i + 1]! < 0x90) && !(b === 0xf4 && bytes[i + 1]! >= 0x90);
    if (!ok) return { line, column: i - lineStart + 1 };
    if (b === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
    i += length;
  }
  return undefined;
}

/** Reads a file's bytes, or records why it cannot be read (a folder, no permission, ...). */
function readBytes(file: string, display: string, problems: ConfigProblem[]): Buffer | undefined {
  try {
    if (fs.statSync(file).isDirectory()) {
      problems.push({ file: display, field: '', message: 'is a folder, not a file: the configuration is a YAML file of that name; remove or rename the folder' });
      return undefined;
    }
    return fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'EACCES' || code === 'EPERM'
        ? 'cannot be read (permission denied): let the user who runs this command read it (e.g. chmod a+r)'
        : `cannot be read (${code ?? (error as Error).message}): check that the file exists and is readable`;
    problems.push({ file: display, field: '', message });
    return undefined;
  }
}

function readYaml(file: string, display: string, problems: ConfigProblem[]): unknown {
  const bytes = readBytes(file, display, problems);
  if (bytes === undefined) return undefined;
  const invalid = firstInvalidUtf8(bytes);
  if (invalid) {
    problems.push({ file: display, field: `line ${invalid.line}`, message: `not valid UTF-8 (column ${invalid.column}): save the file with the UTF-8 encoding` });
    return undefined;
  }
  const text = bytes.toString('utf8');
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const line = e.linePos?.[0];
      let message = `not valid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}; ${YAML_ADVICE[e.code] ?? 'fix the YAML syntax there'}`;
      if (e.code === 'DUPLICATE_KEY') {
        const key = /^["']?([^"':\n]+?)["']?\s*:/.exec(text.slice(e.pos[0]))?.[1];
        if (key) message = `not valid YAML: the key ${JSON.stringify(key)} appears twice in the same mapping; keep one of them`;
      }
      problems.push({ file: display, field: line ? `line ${line.line}` : '', message });
    }
    return undefined;
  }
  try {
    return doc.toJS();
  } catch (error) {
    // The `yaml` library refuses documents whose aliases expand exponentially ("billion laughs").
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      problems.push({ file: display, field: '', message: 'not valid YAML: its aliases (*name) expand too much (a "billion laughs" document); write the values out instead of repeating aliases' });
      return undefined;
    }
    problems.push({ file: display, field: '', message: `not valid YAML: ${(error as Error).message}` });
    return undefined;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Reads `organization.yaml` and `members/*.yaml` from `dir` (they are validated by `parseOrganization`). */
export function readAccountsDir(dir: string): { organization: RawFile; members: RawFile[]; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const display = (p: string) => path.relative(process.cwd(), p) || p;
  if (!isDirectory(dir)) {
    throw new ConfigError([{ file: display(dir), field: '', message: 'folder not found: the accounts folder holds organization.yaml and members/ (set SIEM_ACCOUNTS_DIR to it, or unset it to use accounts/)' }]);
  }
  const orgPath = path.join(dir, ORGANIZATION_FILE);
  if (!fs.existsSync(orgPath)) {
    throw new ConfigError([{ file: display(orgPath), field: '', message: 'file not found: the organization configuration must exist (see README, "Configuration")' }]);
  }
  const organization = { file: display(orgPath), data: readYaml(orgPath, display(orgPath), problems) };
  const membersDir = path.join(dir, MEMBERS_DIR);
  const members: RawFile[] = [];
  if (fs.existsSync(membersDir)) {
    let entries: string[] = [];
    if (!isDirectory(membersDir)) problems.push({ file: display(membersDir), field: '', message: 'is a file, not a folder: member files go into the folder members/ (one <name>.yaml each)' });
    else {
      try {
        entries = fs.readdirSync(membersDir).sort();
      } catch (error) {
        problems.push({ file: display(membersDir), field: '', message: `cannot be listed (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): let the user who runs this command read it` });
      }
    }
    for (const entry of entries) {
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

  // `undefined` data: the file could not be read or parsed, and that problem is already reported.
  const readable = organization.data !== undefined;
  const org = organizationFileSchema.safeParse(readable ? (organization.data ?? {}) : {});
  if (!org.success && readable) problems.push(...zodProblems(organization.file, org.error));

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
    // Each feature checks its section against the member (modules/member/features/<feature>/).
    for (const { feature, config } of featureSections(member)) {
      for (const p of feature.check?.(config, member) ?? []) problems.push({ file, field: `${feature.key}.${p.field}`, message: p.message });
    }
  }
  return problems;
}

/** Reads and validates the organization in `dir` (default: `SIEM_ACCOUNTS_DIR` or this folder). */
export function loadOrganization(dir: string = process.env.SIEM_ACCOUNTS_DIR || DEFAULT_ACCOUNTS_DIR): Organization {
  const { organization, members, problems } = readAccountsDir(dir);
  return parseOrganization(organization, members, problems);
}
