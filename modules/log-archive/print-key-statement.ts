/**
 * `npm run -s ct-key-statement`: prints the statement to add to the policy of the Control Tower KMS key
 * (management account), generated from accounts/ (SIEM_ACCOUNTS_DIR overrides the folder). Nothing
 * is printed when no key is configured, and nothing but the reason (exit code 2) when the key's account or
 * Region cannot be Control Tower's; docs/control-tower.md describes the manual step.
 */
import * as path from 'node:path';
import { DEFAULT_ACCOUNTS_DIR, loadOrganization, ORGANIZATION_FILE } from '../../accounts/load';
import type { Organization } from '../../accounts/schema';
import { controlTowerKeyPolicyStatement } from './policies';
import { controlTowerSettings } from './settings';

export type KeyStatementResult = { readonly ok: true; readonly stdout: string; readonly stderr: string } | { readonly ok: false; readonly stderr: string };

/**
 * Why a configured Control Tower key cannot be the one the statement is for: Control Tower creates its
 * KMS key in the management account, and S3 encrypts objects only with a key of the bucket's Region
 * (the Control Tower buckets are in `logArchive.region`), so a key elsewhere is a copy-paste mistake
 * and the printed statement would never take effect.
 */
export function keyArnProblems(org: Organization, keyArn: string, file: string): string[] {
  const [, , , keyRegion, keyAccount] = keyArn.split(':');
  const field = `${file}: logArchive.controlTowerKmsKeyArn`;
  const problems: string[] = [];
  const management = org.organization?.managementAccountId;
  if (management && keyAccount !== management) {
    problems.push(
      `${field}: the key is in account ${keyAccount}, but Control Tower's key is in the management account ${management} (organization.managementAccountId); copy the key ARN from the landing zone settings of Control Tower`,
    );
  }
  if (org.logArchive && keyRegion !== org.logArchive.region) {
    problems.push(
      `${field}: the key is in ${keyRegion}, but the Control Tower buckets are in ${org.logArchive.region} (logArchive.region) and S3 uses only keys of the bucket's Region; copy the key ARN of the home Region`,
    );
  }
  return problems;
}

export function keyStatementOutput(org: Organization, file = 'accounts/organization.yaml'): KeyStatementResult {
  const s = controlTowerSettings(org);
  if (!s) return { ok: false, stderr: `${file} has no logArchive section: there is no Control Tower integration to print a key statement for.\n` };
  const statement = controlTowerKeyPolicyStatement(s);
  const keyArn = s.kmsKeyArn;
  if (!statement || !keyArn) {
    return {
      ok: true,
      stdout: '',
      stderr: 'logArchive.controlTowerKmsKeyArn is not set: the Control Tower logs are read without a KMS key (SSE-S3), so the key policy needs no change.\n',
    };
  }
  const problems = keyArnProblems(org, keyArn, file);
  if (problems.length > 0) return { ok: false, stderr: `${problems.join('\n')}\n` };
  return {
    ok: true,
    stdout: `${JSON.stringify(statement, null, 2)}\n`,
    stderr: `Add this statement to the "Statement" array of the key policy of ${keyArn} (management account ${keyArn.split(':')[4]}, Region ${keyArn.split(':')[3]}); see docs/control-tower.md.\n`,
  };
}

function main(): void {
  const dir = process.env.SIEM_ACCOUNTS_DIR || DEFAULT_ACCOUNTS_DIR;
  const file = path.relative(process.cwd(), path.join(dir, ORGANIZATION_FILE)) || ORGANIZATION_FILE;
  let org: Organization;
  try {
    org = loadOrganization(dir);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const out = keyStatementOutput(org, file);
  process.stderr.write(out.stderr);
  if (!out.ok) process.exit(2);
  process.stdout.write(out.stdout);
}

if (require.main === module) main();
