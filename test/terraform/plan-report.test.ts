/**
 * The plan review on real offline plans: Terraform plans the fixture stack (log bucket, public access
 * block, bucket policy) against a hand-written state of the deployed bucket
 * (fixtures/plan-state/log-bucket-state.json), with `-refresh=false`, and the report is read back.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../tools/plan-review/cli';
import { exitCodeOf, renderReport } from '../../tools/plan-review/report';
import { planStacks } from '../../tools/plan-review/runner';
import { deployedStatements, FIXTURE_STATE, synthFixture } from './plan-fixture';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-report-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) }, out, err };
}

describe('npm run plan on offline plans against a state fixture', () => {
  it('reports an unchanged re-plan of the deployed state as "no changes" (exit 0)', async () => {
    const outdir = path.join(tmp, 'same');
    synthFixture(outdir);
    const results = await planStacks({ mode: 'offline', outdir, workRoot: path.join(tmp, 'same-plan'), stateFiles: { central: FIXTURE_STATE } });

    expect(results.map((r) => r.error)).toEqual([undefined]);
    expect(results[0]!.analysis!.counts).toEqual({ add: 0, change: 0, replace: 0, destroy: 0 });
    const report = renderReport(results, { mode: 'offline' });
    expect(report).toContain('**Result: no changes.**');
    expect(report).toContain('| central | 0 | 0 | 0 | 0 | no changes |');
    expect(report).toContain('Nothing: no stateful resource is destroyed or replaced');
    expect(exitCodeOf(results)).toBe(0);
    // The binary plan and its JSON are kept per stack.
    expect(fs.existsSync(path.join(tmp, 'same-plan', 'central', 'tfplan'))).toBe(true);
    const planJson = JSON.parse(fs.readFileSync(path.join(tmp, 'same-plan', 'central', 'plan.json'), 'utf8')) as { prior_state?: unknown; resource_changes: { change: { actions: string[] } }[] };
    expect(planJson.prior_state).toBeDefined();
    expect(planJson.resource_changes.map((r) => r.change.actions)).toEqual([['no-op'], ['no-op'], ['no-op']]);
  });

  it('shows a bucket policy edit as the exact statements added, removed and changed', async () => {
    const outdir = path.join(tmp, 'policy');
    synthFixture(outdir, {
      statements: (bucket) => {
        const [denyInsecure, delivery] = deployedStatements(bucket);
        return [
          denyInsecure!,
          { ...delivery!, Condition: { StringEquals: { 'aws:SourceAccount': ['444444444444', '555555555555', '666666666666'] } } },
          { Sid: 'LoaderReadLogs', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:role/aes-siem-es-loader-role' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` },
        ];
      },
    });
    const results = await planStacks({ mode: 'offline', outdir, workRoot: path.join(tmp, 'policy-plan'), stateFiles: { central: FIXTURE_STATE } });

    const analysis = results[0]!.analysis!;
    expect(analysis.counts).toEqual({ add: 0, change: 1, replace: 0, destroy: 0 });
    expect(analysis.danger).toEqual([]);
    expect(analysis.policies.map((p) => [p.address, p.policyKind, p.kind])).toEqual([['aws_s3_bucket_policy.log_bucket_policy', 'bucket policy', 'update']]);
    const diff = analysis.policies[0]!.diff;
    expect(diff.unchanged).toBe(1);
    expect(diff.changes.map((c) => [c.kind, c.sid])).toEqual([
      ['removed', 'LegacyAuditRead'],
      ['changed', 'MemberLogDelivery'],
      ['added', 'LoaderReadLogs'],
    ]);
    expect(diff.changes[1]!.fieldChanges).toEqual([]);
    expect(diff.changes[1]!.conditionChanges).toEqual([{ operator: 'StringEquals', key: 'aws:SourceAccount', before: ['444444444444', '555555555555'], after: ['444444444444', '555555555555', '666666666666'] }]);

    const report = renderReport(results, { mode: 'offline' });
    expect(report).toContain(
      [
        '#### `central` · bucket policy of `aes-siem-222222222222-log` — update',
        '',
        'Resource `aws_s3_bucket_policy.log_bucket_policy`.',
        '1 statement added, 1 statement removed, 1 statement changed, 1 statement unchanged.',
        '',
        '- **removed** statement `LegacyAuditRead` (Allow)',
        '  - principals: `AWS: arn:aws:iam::999999999999:role/legacy-auditor`',
        '  - actions: `s3:GetObject`',
        '  - resources: `arn:aws:s3:::aes-siem-222222222222-log/*`',
        '- **changed** statement `MemberLogDelivery` (Allow)',
        '  - condition `StringEquals aws:SourceAccount`: values added: `666666666666`; now any of `444444444444`, `555555555555`, `666666666666`',
        '- **added** statement `LoaderReadLogs` (Allow)',
        '  - principals: `AWS: arn:aws:iam::222222222222:role/aes-siem-es-loader-role`',
        '  - actions: `s3:GetObject`',
        '  - resources: `arn:aws:s3:::aes-siem-222222222222-log/*`',
      ].join('\n'),
    );
    // The whole policy, before (from the state) and after, folded beside the diff.
    const planJson = JSON.parse(fs.readFileSync(path.join(tmp, 'policy-plan', 'central', 'plan.json'), 'utf8')) as { resource_changes: { change: { before: { policy: string }; after: { policy: string } } }[] };
    const change = planJson.resource_changes.find((r) => r.change.before?.policy)!.change;
    const pretty = (text: string) => JSON.stringify(JSON.parse(text), null, 2);
    expect(report).toContain(['<details><summary>Policy document before and after</summary>', '', 'Before:', '', '```json', pretty(change.before.policy), '```', '', 'After:', '', '```json', pretty(change.after.policy), '```', '', '</details>'].join('\n'));
    expect(pretty(change.before.policy)).toContain('"Sid": "LegacyAuditRead"');
    expect(exitCodeOf(results)).toBe(0);
  });

  it('flags renaming the log bucket (prefix change) as a DANGER replace and exits 2', async () => {
    const synthDir = path.join(tmp, 'rename');
    synthFixture(synthDir, { prefix: 'siem' });
    const reportFile = path.join(tmp, 'rename-report.md');
    const { io, out } = captureIo();

    const code = await main(['--offline', '--no-synth', '--synth-dir', synthDir, '--out-dir', path.join(tmp, 'rename-plan'), '--report', reportFile, '--state', `central=${FIXTURE_STATE}`], io);

    expect(code).toBe(2);
    expect(out.join('')).toContain('central: +0 ~0 ±3 -0, DANGER x1');
    const report = fs.readFileSync(reportFile, 'utf8');
    expect(report).toContain('**Result: DANGER** — 1 stateful resource would be destroyed or replaced.');
    expect(report).toContain('| central | 0 | 0 | 3 | 0 | **DANGER** (1) |');
    expect(report).toContain(
      [
        '### DANGER: stateful resources destroyed or replaced',
        '',
        '- **DANGER** `central` · `aws_s3_bucket.log_bucket` (`siem-222222222222-log`) is **replaced**: the bucket and every object in it (logs, snapshots) are deleted.',
        '  - `bucket`: "aes-siem-222222222222-log" -> "siem-222222222222-log" forces replacement',
      ].join('\n'),
    );
    // The public access block and the policy are replaced too, but they hold no data: not DANGER.
    expect(report.match(/\*\*DANGER\*\* `central`/g)).toHaveLength(1);
  });

  it('synthesizes the example organization and plans a named stack of it offline (npm run plan -- --offline member-sandbox)', async () => {
    const reportFile = path.join(tmp, 'example-report.md');
    const { io, out } = captureIo();

    const code = await main(['--offline', '--synth-dir', path.join(tmp, 'example-out'), '--out-dir', path.join(tmp, 'example-plan'), '--report', reportFile, 'member-sandbox'], io);

    expect(code).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(tmp, 'example-out', 'manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks)).toEqual(expect.arrayContaining(['central', 'member-sandbox', 'member-workload-prod']));
    expect(out.join('')).toMatch(/^Planned 1 stack \(offline\)/);
    const report = fs.readFileSync(reportFile, 'utf8');
    expect(report).toMatch(/\| member-sandbox \| [1-9]\d* \| 0 \| 0 \| 0 \| changes \|/);
    expect(report).not.toContain('| central |');
    expect(fs.existsSync(path.join(tmp, 'example-plan', 'member-sandbox', 'tfplan'))).toBe(true);
  });

  it('exits 1 and names the stack when its plan fails', async () => {
    const synthDir = path.join(tmp, 'broken');
    synthFixture(synthDir);
    const badState = path.join(tmp, 'broken-state.json');
    fs.writeFileSync(badState, '{"version": 4, "resources": "not a list"}');
    const reportFile = path.join(tmp, 'broken-report.md');
    const { io, err } = captureIo();

    const code = await main(['--offline', '--no-synth', '--synth-dir', synthDir, '--out-dir', path.join(tmp, 'broken-plan'), '--report', reportFile, '--state', `central=${badState}`], io);

    expect(code).toBe(1);
    // Terraform reads the local state already at init (to offer a migration), so init is the step that fails.
    expect(err.join('')).toMatch(/plan failed for stack central \(init\):\n\$ terraform init -input=false[^\n]*\n[\s\S]*Invalid state file format/);
    const report = fs.readFileSync(reportFile, 'utf8');
    expect(report).toContain('**Result: ERROR** — 1 stack could not be planned (`central`)');
    expect(report).toContain('### `central`: init failed');
    expect(report).toContain('| central | – | – | – | – | ERROR (init) |');
  });
});
