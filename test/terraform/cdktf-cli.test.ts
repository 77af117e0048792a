/**
 * The standard cdktf workflow of the README (`npx cdktf diff <stack>`, `npx cdktf deploy <stack>`) on a
 * machine whose AWS provider comes from a local filesystem mirror and that cannot reach the Terraform
 * Registry: with the CLI configuration from `npm run -s terraform-mirror` and `--skip-provider-lock`,
 * cdktf synthesizes, `terraform init` installs hashicorp/aws from the mirror, and the command stops only
 * where AWS credentials are needed. The registry is made unreachable on purpose (a proxy on a closed
 * port), so a registry access fails at once instead of hanging, and the credentials are absent.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findProviderMirror } from '../../tools/terraform/offline';
import { main as mirrorMain } from '../../tools/terraform/mirror-config';

const root = path.join(__dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The environment of a machine without AWS credentials and without access to the registry. */
function isolatedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (/^(AWS_|TF_)/.test(k) || /^no_proxy$/i.test(k)) delete env[k];
  return {
    ...env,
    AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, 'no-credentials'),
    AWS_CONFIG_FILE: path.join(tmp, 'no-config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    HTTP_PROXY: 'http://127.0.0.1:9',
    CHECKPOINT_DISABLE: '1',
    npm_config_update_notifier: 'false',
    FORCE_COLOR: '0',
  };
}

/** Runs a README command line after `eval "$(npm run -s terraform-mirror)"`, as a user would. */
function run(command: string): { code: number | null; output: string } {
  const script = `set -e\neval "$(npm run -s terraform-mirror)"\n${command}`;
  const r = spawnSync('bash', ['-c', script], { cwd: root, env: isolatedEnv(), encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] });
  // cdktf draws a spinner with escape sequences even without a terminal.
  const output = `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  return { code: r.status, output };
}

function expectStoppedAtCredentials(output: string): void {
  expect(output).toMatch(/Installed hashicorp\/aws v\d+\.\d+\.\d+ \(unauthenticated\)/); // from the mirror, not "signed by HashiCorp"
  expect(output).toContain('Terraform has been successfully initialized!');
  expect(output).toContain('Error: No valid credential sources found');
  // Nothing went to the registry: no provider query, no `terraform providers lock`.
  expect(output).not.toMatch(/could not connect to registry|Failed to query available provider packages|Could not retrieve providers for locking/);
}

const mirror = findProviderMirror();

describe('cdktf diff / deploy with the provider from a local mirror', () => {
  it('npm run terraform-mirror prints the export line of a CLI configuration that names the mirror, or one line saying there is none', () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) };
    const file = path.join(tmp, 'x', 'mirror.tfrc');
    const fake = path.join(tmp, 'fake-mirror');
    fs.mkdirSync(path.join(fake, 'registry.terraform.io', 'hashicorp', 'aws'), { recursive: true });
    expect(mirrorMain(['--out', file], { SIEM_TF_PLUGIN_MIRROR: fake }, io)).toBe(0);
    expect(out.join('')).toBe(`export TF_CLI_CONFIG_FILE='${file}'\n`);
    expect(fs.readFileSync(file, 'utf8')).toBe(
      `provider_installation {\n  filesystem_mirror {\n    path    = "${fake}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
    );
    err.length = 0;
    expect(mirrorMain([], { SIEM_TF_PLUGIN_MIRROR: path.join(tmp, 'nothing') }, io)).toBe(1);
    expect(err.join('')).toBe(`npm run terraform-mirror: SIEM_TF_PLUGIN_MIRROR=${path.join(tmp, 'nothing')} has no registry.terraform.io/hashicorp/aws folder; point it at the mirror root (the folder that contains registry.terraform.io/)\n`);
  });

  // Without a mirror (a machine that downloads the provider) there is nothing to test here; CI has one.
  it.skipIf(!mirror && !process.env.CI)('npx cdktf diff <stack> --skip-provider-lock initializes from the mirror and stops at the credentials', () => {
    const { code, output } = run(`npx cdktf diff member-sandbox --skip-provider-lock --output ${JSON.stringify(path.join(tmp, 'diff.out'))}`);
    expect(code, output).toBe(1);
    expectStoppedAtCredentials(output);
    expect(output).toContain('Stack failed to plan: member-sandbox');
  });

  it.skipIf(!mirror && !process.env.CI)('npx cdktf deploy <stack> --skip-provider-lock initializes from the mirror and stops at the credentials', () => {
    const { code, output } = run(`npx cdktf deploy member-sandbox --skip-provider-lock --output ${JSON.stringify(path.join(tmp, 'deploy.out'))}`);
    expect(code, output).toBe(1);
    expectStoppedAtCredentials(output);
  });
});
