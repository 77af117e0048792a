/**
 * `npm run -s ct-key-statement`: prints the statement to add to the policy of the Control Tower KMS key
 * (management account), generated from accounts/ (SIEM_ACCOUNTS_DIR overrides the folder). Nothing
 * is printed when no key is configured; docs/control-tower.md describes the manual step.
 */
import { loadOrganization } from '../../accounts/load';
import type { Organization } from '../../accounts/schema';
import { controlTowerKeyPolicyStatement } from './policies';
import { controlTowerSettings } from './settings';

export type KeyStatementResult = { readonly ok: true; readonly stdout: string; readonly stderr: string } | { readonly ok: false; readonly stderr: string };

export function keyStatementOutput(org: Organization): KeyStatementResult {
  const s = controlTowerSettings(org);
  if (!s) return { ok: false, stderr: 'accounts/organization.yaml has no logArchive section: there is no Control Tower integration to print a key statement for.\n' };
  const statement = controlTowerKeyPolicyStatement(s);
  const keyArn = s.kmsKeyArn;
  if (!statement || !keyArn) {
    return {
      ok: true,
      stdout: '',
      stderr: 'logArchive.controlTowerKmsKeyArn is not set: the Control Tower logs are read without a KMS key (SSE-S3), so the key policy needs no change.\n',
    };
  }
  return {
    ok: true,
    stdout: `${JSON.stringify(statement, null, 2)}\n`,
    stderr: `Add this statement to the "Statement" array of the key policy of ${keyArn} (management account ${keyArn.split(':')[4]}, Region ${keyArn.split(':')[3]}); see docs/control-tower.md.\n`,
  };
}

function main(): void {
  let org: Organization;
  try {
    org = loadOrganization();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const out = keyStatementOutput(org);
  process.stderr.write(out.stderr);
  if (!out.ok) process.exit(2);
  process.stdout.write(out.stdout);
}

if (require.main === module) main();
