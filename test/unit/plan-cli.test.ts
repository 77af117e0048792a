/**
 * The command line of `npm run plan` and the Terraform command lines it runs, in both modes. The AWS
 * mode cannot run here (no credentials, no network): it is exercised up to the commands and the stack
 * copy it would plan.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedFiles, stacksForFiles } from '../../stacks/plan/changed-stacks';
import { main, parseArgs } from '../../stacks/plan/cli';
import { mapBounded, planArgs, planStacks, readManifest, selectStacks, stackCommands } from '../../stacks/plan/runner';
import { prepareOfflineStack, prepareStack } from '../../stacks/terraform/offline';
import { synthFixture } from '../terraform/plan-fixture';

let tmp: string;
let synthDir: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-cli-'));
  synthDir = path.join(tmp, 'out');
  synthFixture(synthDir);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const silent = { out: () => undefined, err: () => undefined };

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) }, out, err };
}

describe('Function: parseArgs', () => {
  it('defaults to AWS mode, every stack, concurrency 2, synthesizing into cdktf.out', () => {
    expect(parseArgs([], silent)).toEqual({ mode: 'aws', stacks: [], concurrency: 2, synth: true, synthDir: 'cdktf.out', outDir: 'plan-out', report: 'plan-report.md', stateFiles: {}, dryRun: false });
  });

  it('reads --offline, --concurrency, stacks and repeated --state', () => {
    const o = parseArgs(['--offline', '--concurrency', '3', 'central', 'member-a', '--state', 'central=s1.json', '--state', 'member-a=/x/s2.json'], silent);
    expect(o).toMatchObject({ mode: 'offline', concurrency: 3, stacks: ['central', 'member-a'], stateFiles: { central: path.resolve('s1.json'), 'member-a': '/x/s2.json' } });
  });

  it('rejects a bad concurrency or state option with a message naming it', () => {
    const { io, err } = capture();
    expect(() => parseArgs(['--concurrency', '0'], io)).toThrow();
    expect(err.join('')).toContain("option '--concurrency <n>' argument '0' is invalid. must be a whole number >= 1");
    expect(() => parseArgs(['--state', 'central'], io)).toThrow();
    expect(err.join('')).toContain('must be <stack>=<state file>, got "central"');
  });
});

describe('Terraform command lines', () => {
  it('plans against AWS with refresh and a waiting lock, offline without refresh or lock', () => {
    expect(stackCommands('aws')).toEqual([
      ['init', '-input=false', '-no-color', '-reconfigure'],
      ['plan', '-input=false', '-no-color', '-lock-timeout=300s', '-out=tfplan'],
      ['show', '-json', '-no-color', 'tfplan'],
    ]);
    expect(planArgs('offline')).toEqual(['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false', '-out=tfplan']);
  });

  it('--dry-run prints, per stack, the working directory and the commands of the AWS mode', async () => {
    const { io, out } = capture();
    const code = await main(['--dry-run', '--no-synth', '--synth-dir', synthDir, '--out-dir', path.join(tmp, 'po'), 'central'], io);
    expect(code).toBe(0);
    expect(out.join('')).toBe(
      [
        `# central (aws): in ${path.join(tmp, 'po', 'central')}, copied from ${path.relative(process.cwd(), path.join(synthDir, 'stacks', 'central'))}`,
        'terraform init -input=false -no-color -reconfigure',
        'terraform plan -input=false -no-color -lock-timeout=300s -out=tfplan',
        'terraform show -json -no-color tfplan',
        '',
      ].join('\n'),
    );
  });

  it('keeps the provider role and backend of the synthesized stack in AWS mode, and strips them offline', () => {
    const stackDir = path.join(synthDir, 'stacks', 'central');
    const aws = JSON.parse(fs.readFileSync(path.join(prepareStack(stackDir, path.join(tmp, 'aws-copy')), 'cdk.tf.json'), 'utf8'));
    expect(aws).toEqual(JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')));
    expect(aws.provider.aws[0].allowed_account_ids).toEqual(['222222222222']);
    const offline = JSON.parse(fs.readFileSync(path.join(prepareOfflineStack(stackDir, path.join(tmp, 'off-copy')), 'cdk.tf.json'), 'utf8'));
    expect(offline.provider.aws[0].allowed_account_ids).toBeUndefined();
    expect(offline.provider.aws[0].skip_credentials_validation).toBe(true);
    expect(offline.terraform.backend).toEqual({ local: { path: 'terraform.tfstate' } });
  });
});

describe('Stack selection', () => {
  it('plans every stack of the manifest by default and rejects an unknown name, listing the known ones', async () => {
    const all = readManifest(synthDir);
    expect(all.map((s) => s.name)).toEqual(['central']);
    expect(selectStacks(all, [])).toEqual(all);
    expect(() => selectStacks(all, ['central', 'member-nope'])).toThrow('unknown stack "member-nope"; the synthesized stacks are: central');
    const { io, err } = capture();
    expect(await main(['--no-synth', '--synth-dir', synthDir, '--offline', 'member-nope'], io)).toBe(1);
    expect(err.join('')).toContain('unknown stack "member-nope"');
  });

  it('refuses a state file outside offline mode or for a stack that is not planned', async () => {
    await expect(planStacks({ mode: 'aws', outdir: synthDir, workRoot: tmp, stateFiles: { central: 'x' } })).rejects.toThrow(/only be given in offline mode/);
    await expect(planStacks({ mode: 'offline', outdir: synthDir, workRoot: tmp, stateFiles: { other: 'x' } })).rejects.toThrow('a state file was given for stack "other", which is not planned (planned: central)');
    await expect(planStacks({ mode: 'offline', outdir: path.join(tmp, 'nothing'), workRoot: tmp })).rejects.toThrow(/manifest.json not found: synthesize first/);
  });
});

describe('Function: mapBounded', () => {
  it('never runs more than the bound at once and keeps the order of results', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapBounded([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
});

describe('Function: stacksForFiles', () => {
  const stacks = ['central', 'member-sandbox', 'member-workload-prod', 'log-archive'];

  it('selects a member stack for its file, central for Lambda code, nothing for docs and tests', () => {
    expect(stacksForFiles(['accounts/members/sandbox.yaml', 'lambdas/es-loader/index.ts', 'docs/x.md', 'test/unit/a.test.ts', '.github/workflows/plan.yml'], stacks)).toEqual({
      stacks: ['central', 'member-sandbox'],
      reasons: ['accounts/members/sandbox.yaml -> member-sandbox', 'lambdas/es-loader/index.ts -> central'],
    });
    expect(stacksForFiles(['README.md', 'bench/plan.ts'], stacks).stacks).toEqual([]);
  });

  it('selects every stack for shared code or organization settings, and reports a removed member', () => {
    expect(stacksForFiles(['modules/secure-bucket.ts'], stacks).stacks).toEqual(stacks);
    expect(stacksForFiles(['accounts/organization.yaml'], stacks).stacks).toEqual(stacks);
    const removed = stacksForFiles(['accounts/members/old.yaml'], stacks);
    expect(removed.stacks).toEqual([]);
    expect(removed.reasons[0]).toBe('accounts/members/old.yaml -> member-old, which is not synthesized (member removed?); destroy its resources with `cdktf destroy member-old` from the previous commit');
  });

  it('lists the files changed since the merge base of a ref, and explains a bad ref', () => {
    const repo = path.join(tmp, 'repo');
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, stdio: 'pipe' });
    fs.mkdirSync(path.join(repo, 'accounts', 'members'), { recursive: true });
    git('init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(repo, 'README.md'), 'a\n');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    git('checkout', '-q', '-b', 'pr');
    fs.writeFileSync(path.join(repo, 'accounts', 'members', 'sandbox.yaml'), 'name: sandbox\n');
    git('add', '.');
    git('commit', '-q', '-m', 'member');
    expect(changedFiles('main', repo)).toEqual(['accounts/members/sandbox.yaml']);
    expect(() => changedFiles('no-such-ref', repo)).toThrow(/could not list the files changed since no-such-ref \(git diff no-such-ref\.\.\.HEAD\): .*no-such-ref/);
  });
});
