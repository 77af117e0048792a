/**
 * An organization of 300 member accounts: every stack synthesizes, and `central` plus a sample of
 * member stacks (the first, the last and one chosen at random) pass `terraform validate` and an
 * offline `terraform plan`. The random pick is printed with its seed; rerun a failure with
 * `SIEM_TEST_SEED=<seed>`. (The central policies' size limits are asserted in policy-simulation.test.ts.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../accounts/schema';
import { FLOW_LOG_FORMAT } from '../../modules/member';
import { buildApp } from '../../stacks/app';
import { offlineValidateAndPlan } from '../../tools/terraform/offline';
import { exampleOrganization } from '../helpers/synth';
import { generatedOrganization } from '../unit/member-helpers';

const COUNT = 300;

/** mulberry32: a small seeded generator, so that the random pick can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seed = process.env.SIEM_TEST_SEED ? Number(process.env.SIEM_TEST_SEED) : Math.floor(Math.random() * 2 ** 31);
const org: Organization = generatedOrganization(COUNT, exampleOrganization());
const randomIndex = 1 + Math.floor(seeded(seed)() * (COUNT - 2)); // neither the first nor the last
const sample = [org.members[0]!, org.members[COUNT - 1]!, org.members[randomIndex]!];
console.log(`member-300: random member ${sample[2]!.name} (index ${randomIndex}) from seed ${seed}; rerun with SIEM_TEST_SEED=${seed}`);

type StackJson = { resource?: Record<string, Record<string, any>> };
let outdir: string;
let stacks: Record<string, { dir: string; json: StackJson }>;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-300-members-'));
  buildApp(org, { outdir }).synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
  stacks = Object.fromEntries(
    Object.entries(manifest.stacks).map(([name, s]) => {
      const file = path.join(outdir, s.synthesizedStackPath);
      return [name, { dir: path.dirname(file), json: JSON.parse(fs.readFileSync(file, 'utf8')) as StackJson }];
    }),
  );
});

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const count = (json: StackJson) => Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);

describe(`an organization of ${COUNT} member accounts`, () => {
  it('synthesizes central and one stack per member', () => {
    const names = Object.keys(stacks);
    expect(names).toContain('central');
    expect(names.filter((n) => n.startsWith('member-')).sort()).toEqual(org.members.map((m) => `member-${m.name}`).sort());
    expect(org.members).toHaveLength(COUNT);
  });

  it("gives every member's Firehose role its own WAF prefix and nobody else's", () => {
    for (const m of org.members) {
      const policies = Object.values(stacks[`member-${m.name}`]!.json.resource?.aws_iam_role_policy ?? {});
      expect(policies, m.name).toHaveLength(1);
      const text = String(policies[0]!.policy);
      const accounts = new Set(text.match(/\d{12}/g));
      expect([...accounts].sort(), m.name).toEqual([org.security.accountId, m.accountId].sort());
      expect(text).toContain(`/AWSLogs/${m.accountId}/WAF/*`);
    }
  });

  it.each(['central', ...sample.map((m) => `member-${m.name}`)])('%s validates and plans offline', async (name) => {
    const stack = stacks[name]!;
    const result = await offlineValidateAndPlan(stack.dir);
    fs.rmSync(result.workDir, { recursive: true, force: true });
    expect(result.validate.stdout).toContain('The configuration is valid');
    const expected = count(stack.json);
    expect(result.plan.stdout).toContain(`Plan: ${expected} to add, 0 to change, 0 to destroy.`);
    if (name === 'central') return;

    // The values Terraform will send to AWS (escapes resolved).
    const member = org.members.find((m) => `member-${m.name}` === name)!;
    const after = (type: string) => (result.planJson.resource_changes ?? []).filter((c) => c.type === type).map((c) => c.change.after!);
    expect(after('aws_flow_log').map((f) => f.log_format)).toEqual([FLOW_LOG_FORMAT]);
    expect(after('aws_kinesis_firehose_delivery_stream').map((s) => (s.extended_s3_configuration as { prefix: string }[])[0]!.prefix).sort()).toEqual([
      `AWSLogs/${member.accountId}/WAF/ap-northeast-1/`,
      `AWSLogs/${member.accountId}/WAF/global/`,
    ]);
    expect(after('aws_cloudtrail').map((t) => [t.name, t.is_multi_region_trail, t.enable_log_file_validation])).toEqual([['aes-siem-trail', true, true]]);
  });
});
