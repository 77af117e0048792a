/**
 * Runs Terraform against synthesized stacks without AWS: the provider is installed from a local
 * filesystem mirror when one exists (falling back to the registry), credentials are fake, the
 * account-id guard and assume_role are removed, and the state is local and empty. Used by the tests
 * (every stack must pass `terraform validate` and an offline `terraform plan`) and by `npm run plan -- --offline`.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where the AWS provider mirror is looked for when `SIEM_TF_PLUGIN_MIRROR` is not set. */
export const MIRROR_CANDIDATES = ['/opt/tf-plugins', '/usr/share/terraform/plugins', '/usr/local/share/terraform/plugins', path.join(os.homedir(), '.terraform.d', 'plugins')];
const AWS_PROVIDER = 'registry.terraform.io/hashicorp/aws';

/**
 * The filesystem mirror holding hashicorp/aws: `SIEM_TF_PLUGIN_MIRROR` if set (it must exist), else
 * the first known location that has the provider, else undefined (Terraform downloads it).
 */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.SIEM_TF_PLUGIN_MIRROR;
  if (explicit) {
    if (!fs.existsSync(path.join(explicit, AWS_PROVIDER))) {
      throw new Error(`SIEM_TF_PLUGIN_MIRROR=${explicit} has no ${AWS_PROVIDER} folder; point it at the mirror root (the folder that contains registry.terraform.io/)`);
    }
    return explicit;
  }
  return MIRROR_CANDIDATES.find((dir) => fs.existsSync(path.join(dir, AWS_PROVIDER)));
}

/**
 * A Terraform CLI configuration that installs hashicorp/aws from the mirror (and everything else the
 * normal way). Returns the path of the file, or undefined when there is no mirror.
 */
export function writeCliConfig(dir: string, mirror: string | undefined = findProviderMirror()): string | undefined {
  if (!mirror) return undefined;
  const file = path.join(dir, 'terraform.tfrc');
  fs.writeFileSync(file, cliConfigText(mirror));
  return file;
}

/** The CLI configuration text: hashicorp/aws from `mirror`, every other provider from its registry. */
export function cliConfigText(mirror: string): string {
  return `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["${AWS_PROVIDER}"]\n  }\n  direct {\n    exclude = ["${AWS_PROVIDER}"]\n  }\n}\n`;
}

type TfJson = {
  provider?: { aws?: Record<string, unknown>[] };
  terraform?: { backend?: Record<string, unknown>; [k: string]: unknown };
  [k: string]: unknown;
};

/** Settings that let the AWS provider plan with no credentials and no network. */
export const OFFLINE_PROVIDER_SETTINGS = {
  access_key: 'AKIAOFFLINEPLAN00000',
  secret_key: 'offline-plan-fake-secret',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
} as const;

/**
 * Rewrites a synthesized stack for an offline plan: every aws provider block loses
 * `allowed_account_ids`, `assume_role` and any profile, and gets fake credentials; the backend becomes
 * local. Everything else (resources, policies) is untouched.
 */
export function offlineStackJson(stackJson: TfJson): TfJson {
  const copy = JSON.parse(JSON.stringify(stackJson)) as TfJson;
  for (const provider of copy.provider?.aws ?? []) {
    delete provider.allowed_account_ids;
    delete provider.assume_role;
    delete provider.profile;
    delete provider.shared_credentials_files;
    Object.assign(provider, OFFLINE_PROVIDER_SETTINGS);
  }
  if (copy.terraform) copy.terraform.backend = { local: { path: 'terraform.tfstate' } };
  return copy;
}

/**
 * Copies a synthesized stack folder (cdk.tf.json and its assets) into `workDir`, rewritten for an
 * offline plan. Asset paths in cdk.tf.json are relative to the stack folder, so assets are copied too.
 */
export function prepareOfflineStack(stackDir: string, workDir: string): string {
  copyStackFiles(stackDir, workDir);
  const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as TfJson;
  fs.writeFileSync(path.join(workDir, 'cdk.tf.json'), JSON.stringify(offlineStackJson(json), null, 2));
  return workDir;
}

/** Copies a stack folder's assets (everything but cdk.tf.json, .terraform/ and state files) into `workDir`. */
function copyStackFiles(stackDir: string, workDir: string): void {
  fs.mkdirSync(workDir, { recursive: true });
  for (const entry of fs.readdirSync(stackDir)) {
    if (entry === '.terraform' || entry.endsWith('.tfstate') || entry === 'cdk.tf.json') continue;
    fs.cpSync(path.join(stackDir, entry), path.join(workDir, entry), { recursive: true });
  }
}

/**
 * Copies a synthesized stack folder into `workDir` unchanged, for a plan against AWS: the provider keeps
 * its assume_role and account guard, the backend is the one synthesized (S3 per stack, or cdktf's local
 * default, whose path is absolute and so still points at the stack's state file).
 */
export function prepareStack(stackDir: string, workDir: string): string {
  copyStackFiles(stackDir, workDir);
  fs.copyFileSync(path.join(stackDir, 'cdk.tf.json'), path.join(workDir, 'cdk.tf.json'));
  return workDir;
}

export interface TerraformResult {
  readonly command: string;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export class TerraformError extends Error {
  override readonly name = 'TerraformError';
  constructor(readonly result: TerraformResult, readonly cwd: string) {
    super(`\`${result.command}\` failed in ${cwd} (exit ${result.code}):\n${result.stderr || result.stdout}`);
  }
}

export interface TerraformRunOptions {
  readonly cliConfigFile?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Throw TerraformError on a non-zero exit (default true). `plan -detailed-exitcode` exits 2 for changes. */
  readonly check?: boolean;
  readonly okCodes?: readonly number[];
}

export function terraform(args: readonly string[], cwd: string, options: TerraformRunOptions = {}): Promise<TerraformResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
  };
  if (options.cliConfigFile) env.TF_CLI_CONFIG_FILE = options.cliConfigFile;
  const command = `terraform ${args.join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', [...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => reject(new Error(`could not run terraform (is it on PATH?): ${err.message}`, { cause: err })));
    child.on('close', (code) => {
      const result = { command, code: code ?? -1, stdout, stderr };
      const ok = (options.okCodes ?? [0]).includes(result.code);
      if (!ok && options.check !== false) reject(new TerraformError(result, cwd));
      else resolve(result);
    });
  });
}

export interface OfflineCheckResult {
  readonly workDir: string;
  readonly validate: TerraformResult;
  readonly plan: TerraformResult;
  /** `terraform show -json` of the saved plan. */
  readonly planJson: PlanJson;
}

export interface PlanJson {
  readonly resource_changes?: readonly { address: string; type: string; change: { actions: string[]; after?: Record<string, unknown> | null; before?: Record<string, unknown> | null } }[];
  readonly [k: string]: unknown;
}

/** init + validate + plan (saved, and shown as JSON) of one synthesized stack, offline. */
export async function offlineValidateAndPlan(stackDir: string, workDir: string = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-tf-'))): Promise<OfflineCheckResult> {
  prepareOfflineStack(stackDir, workDir);
  const cliConfigFile = writeCliConfig(workDir);
  const opts = { cliConfigFile };
  await terraform(['init', '-input=false', '-no-color', '-backend=true'], workDir, opts);
  const validate = await terraform(['validate', '-no-color'], workDir, opts);
  const plan = await terraform(['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false', '-out=tfplan'], workDir, opts);
  const show = await terraform(['show', '-json', '-no-color', 'tfplan'], workDir, opts);
  return { workDir, validate, plan, planJson: JSON.parse(show.stdout) as PlanJson };
}
