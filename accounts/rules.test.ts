/**
 * Cross-field rules of organization.yaml (accounts/rules.ts), read through the accounts loader the way
 * `npm run synth` reads them: every broken rule is reported at once, as `file: field: message`, and
 * nothing is synthesized.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountsWith, problemLines } from '../test/helpers/accounts';
import { loadOrganization } from './load';
import { organizationRuleProblems, type OrganizationRulesInput } from './rules';

const ROOT = path.resolve(__dirname, '..');
const EXAMPLE = fs.readFileSync(path.join(__dirname, 'organization.yaml'), 'utf8');

/** A copy of the example accounts/ whose organization.yaml is `text`. */
const accountsDir = (text: string): string => accountsWith({ 'organization.yaml': text });

/** The example organization with sections replaced (YAML text appended after removing them). */
function exampleWith(replace: Record<string, string>): string {
  let text = EXAMPLE;
  for (const [section, body] of Object.entries(replace)) {
    const re = new RegExp(`^${section}:\\n(?:  .*\\n|\\n)*`, 'm');
    text = re.test(text) ? text.replace(re, `${body}\n`) : `${text}\n${body}\n`;
  }
  return text;
}

const BROKEN = exampleWith({
  logArchive: 'logArchive:\n  accountId: "333333333333"\n  region: us-east-1\n  externalId: siem-example-external-id\n  notificationMode: direct\n  manageBucketNotifications: false',
  logBucket: 'logBucket:\n  transitionToInfrequentAccessDays: 90\n  transitionToGlacierDays: 100\n  expirationDays: 300\n  objectLock:\n    mode: GOVERNANCE\n    days: 400',
  opensearch:
    'opensearch:\n  instanceCount: 3\n  zoneAwareness:\n    availabilityZoneCount: 2\n  ultraWarm:\n    instanceType: ultrawarm1.medium.search\n    count: 2\n  indexRetentionDays: 60\n  coldAfterDays: 90',
  geoip: 'geoip:\n  licenseKeyParameter: /siem/maxmind\n  licenseKeySecret: siem/maxmind',
  threatIntel: 'threatIntel:\n  enabled: true\n  otxKeyParameter: /siem/otx\n  otxKeySecret: siem/otx',
});

describe('organization rules (accounts/rules.ts)', () => {
  it('the example organization breaks none', () => {
    expect(() => loadOrganization(__dirname)).not.toThrow();
  });

  it('reports every broken cross-field rule at once, each as file: field: message, next to schema problems', () => {
    // One plain schema problem too (a member id), so both kinds come out of one run.
    const dir = accountsDir(BROKEN);
    fs.writeFileSync(path.join(dir, 'members', 'payments.yaml'), 'name: payments\naccountId: "12345"\nregions: [ap-northeast-1]\n');
    expect(problemLines(dir)).toEqual([
      'organization.yaml: logBucket.transitionToGlacierDays: 100 must be at least 30 days after logBucket.transitionToInfrequentAccessDays (90); S3 bills Standard-IA for 30 days at least',
      'organization.yaml: logBucket.expirationDays: 300 is shorter than the Object Lock retention (400 days); objects could not expire',
      'organization.yaml: opensearch.instanceCount: 3 must be a multiple of opensearch.zoneAwareness.availabilityZoneCount (2) so that every zone holds the same number of nodes',
      'organization.yaml: opensearch.ultraWarm: needs opensearch.dedicatedMaster: OpenSearch Service enables UltraWarm only on domains with dedicated master nodes',
      'organization.yaml: opensearch.coldAfterDays: needs opensearch.warmAfterDays: OpenSearch Service moves indices to cold storage only from UltraWarm',
      'organization.yaml: opensearch.coldAfterDays: 90 must be less than opensearch.indexRetentionDays (60): indices are deleted before they would move',
      'organization.yaml: geoip.licenseKeySecret: geoip.licenseKeyParameter is set too; keep one of the two (the parameter would win)',
      'organization.yaml: threatIntel.otxKeySecret: threatIntel.otxKeyParameter is set too; keep one of the two (the parameter would win)',
      'organization.yaml: logArchive.region: is us-east-1 but security.region is ap-northeast-1; the es-loader can only consume the Control Tower queue in its own Region. Deploy the SIEM in the Control Tower home Region, or set logArchive.region to it',
      'organization.yaml: logArchive.manageBucketNotifications: is false but logArchive.notificationMode is "direct": a direct notification exists only in the bucket configuration the stack would then not write. Use notificationMode "eventbridge" (and switch EventBridge on for the buckets by hand), or set manageBucketNotifications to true',
      'payments.yaml: accountId: must be a 12-digit AWS account id, got "12345"',
    ]);
  });

  it('npm run synth prints them all and exits 1 before any construct runs (nothing is written)', () => {
    const dir = accountsDir(BROKEN);
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-rules-cwd-'));
    const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'main.ts')], {
      cwd,
      env: { ...process.env, SIEM_ACCOUNTS_DIR: dir, CDKTF_OUTDIR: '' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Invalid organization configuration \(10 problems\):\n/);
    expect(result.stderr).toContain('organization.yaml: opensearch.instanceCount: 3 must be a multiple of opensearch.zoneAwareness.availabilityZoneCount (2)');
    expect(result.stderr).toContain('organization.yaml: logArchive.region: is us-east-1 but security.region is ap-northeast-1');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  const ok: OrganizationRulesInput = {
    security: { region: 'ap-northeast-1' },
    opensearch: { instanceCount: 2, zoneAwareness: { availabilityZoneCount: 2 }, network: { mode: 'public' }, indexRetentionDays: 365 },
    logBucket: { transitionToInfrequentAccessDays: 90 },
    geoip: {},
    threatIntel: {},
  };
  const vpc = (subnetIds: string[]) => ({ mode: 'vpc' as const, subnetIds });
  it.each<[string, Partial<OrganizationRulesInput['opensearch']>, string[]]>([
    ['VPC subnets, one per zone', { network: vpc(['subnet-a', 'subnet-b']) }, []],
    ['VPC subnets, fewer than the zones', { network: vpc(['subnet-a']) }, ['opensearch.network.subnetIds: lists 1 subnets; with zone awareness over 2 zones give one subnet per zone']],
    ['VPC subnets, several without zone awareness', { zoneAwareness: undefined, network: vpc(['subnet-a', 'subnet-b']) }, ['opensearch.network.subnetIds: lists 2 subnets; without zone awareness OpenSearch takes exactly one']],
    ['warm without UltraWarm', { warmAfterDays: 30 }, ['opensearch.warmAfterDays: needs opensearch.ultraWarm (instanceType, count): OpenSearch Service moves indices to warm and cold storage only when the domain has UltraWarm nodes']],
    ['cold before warm', { dedicatedMaster: {}, ultraWarm: {}, warmAfterDays: 90, coldAfterDays: 30 }, ['opensearch.coldAfterDays: 30 must be later than opensearch.warmAfterDays (90)']],
    ['tiers with masters and UltraWarm', { dedicatedMaster: {}, ultraWarm: {}, warmAfterDays: 30, coldAfterDays: 90 }, []],
  ])('OpenSearch: %s', (_, patch, expected) => {
    const problems = organizationRuleProblems({ ...ok, opensearch: { ...ok.opensearch, ...patch } });
    expect(problems.map((p) => `${p.path.join('.')}: ${p.message}`)).toEqual(expected);
  });
});
