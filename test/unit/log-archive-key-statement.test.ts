/**
 * `npm run -s ct-key-statement`: the statement for the Control Tower key policy, generated from the
 * configuration (the same text as the log-archive stack's output).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyStatementOutput } from '../../modules/log-archive/print-key-statement';
import { ctOrganization, CT_KEY_ARN, LOG_ARCHIVE, REGION } from './log-archive-helpers';

const ROOT = path.resolve(__dirname, '../..');

describe('CLI: ct-key-statement', () => {
  it('prints the statement for the configured key, naming the management account and Region on stderr', () => {
    const out = keyStatementOutput(ctOrganization({ controlTowerKmsKeyArn: CT_KEY_ARN }));
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(JSON.parse(out.stdout)).toEqual({
      Sid: 'AllowSiemReaderRoleDecryptViaS3',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${LOG_ARCHIVE}:root` },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: {
        ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${LOG_ARCHIVE}:role/ct-role-for-siem` },
        StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com`, 'kms:CallerAccount': LOG_ARCHIVE },
      },
    });
    expect(out.stderr).toMatch(/management account 111111111111, Region ap-northeast-1/);
  });

  it('prints nothing (and says why) when no Control Tower key is configured', () => {
    const out = keyStatementOutput(ctOrganization());
    expect(out).toEqual({ ok: true, stdout: '', stderr: expect.stringMatching(/controlTowerKmsKeyArn is not set/) });
  });

  it('fails when there is no logArchive section', () => {
    const { logArchive: _drop, ...rest } = ctOrganization();
    void _drop;
    const out = keyStatementOutput({ ...rest, members: [] });
    expect(out.ok).toBe(false);
    expect(out.stderr).toMatch(/no logArchive section/);
  });

  it.each([
    ['another account', `arn:aws:kms:${REGION}:999999999999:key/0a1b2c3d-0000-4000-8000-000000000001`,
      "the key is in account 999999999999, but Control Tower's key is in the management account 111111111111 (organization.managementAccountId); copy the key ARN from the landing zone settings of Control Tower"],
    ['another Region', 'arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-0000-4000-8000-000000000001',
      "the key is in eu-west-1, but the Control Tower buckets are in ap-northeast-1 (logArchive.region) and S3 uses only keys of the bucket's Region; copy the key ARN of the home Region"],
  ])('refuses a key ARN of %s, saying which, exit code 2 (script)', (_what, keyArn, problem) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-ct-accounts-'));
    const yaml = fs.readFileSync(path.join(ROOT, 'accounts', 'organization.yaml'), 'utf8').replace(/^logArchive:\n/m, `logArchive:\n  controlTowerKmsKeyArn: ${keyArn}\n`);
    fs.writeFileSync(path.join(dir, 'organization.yaml'), yaml);
    const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'modules', 'log-archive', 'print-key-statement.ts')], {
      cwd: dir,
      env: { ...process.env, SIEM_ACCOUNTS_DIR: dir },
      encoding: 'utf8',
    });
    expect({ code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: `organization.yaml: logArchive.controlTowerKmsKeyArn: ${problem}\n` });
  });

  it('runs as a script on an accounts folder (SIEM_ACCOUNTS_DIR)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-ct-accounts-'));
    const yaml = fs.readFileSync(path.join(ROOT, 'accounts', 'organization.yaml'), 'utf8').replace(/^logArchive:\n/m, `logArchive:\n  controlTowerKmsKeyArn: ${CT_KEY_ARN}\n`);
    fs.writeFileSync(path.join(dir, 'organization.yaml'), yaml);
    const stdout = execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'modules', 'log-archive', 'print-key-statement.ts')], {
      env: { ...process.env, SIEM_ACCOUNTS_DIR: dir },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(JSON.parse(stdout).Condition.ArnEquals['aws:PrincipalArn']).toBe(`arn:aws:iam::${LOG_ARCHIVE}:role/ct-role-for-siem`);
  });
});
