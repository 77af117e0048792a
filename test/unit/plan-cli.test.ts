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
import { changedFiles, stacksForFiles } from '../../tools/plan-review/changed-stacks';
import { main, parseArgs } from '../../tools/plan-review/cli';
import { mapBounded, planArgs, planStacks, readManifest, selectStacks, stackCommands } from '../../tools/plan-review/runner';
import { prepareOfflineStack, prepareStack } from '../../tools/terraform/offline';
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

  it('names a mistyped option and its suggestion in one line, exit code 1', async () => {
    const { io, err } = capture();
    expect(await main(['--offlin'], io)).toBe(1);
    expect(err.join('')).toBe("npm run plan: unknown option '--offlin' (did you mean --offline?); see npm run plan -- --help\n");
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
      reasons: ['accounts/members/sandbox.yaml -> member-sandbox', 'lambdas/es-loader/index.ts -> central', 'docs/x.md -> no stack', 'test/unit/a.test.ts -> no stack', '.github/workflows/plan.yml -> no stack'],
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

  /** A repository with a base commit on main and a branch `pr` with one committed member file. */
  function prRepo(name: string) {
    const repo = path.join(tmp, name);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, stdio: 'pipe', encoding: 'utf8' });
    fs.mkdirSync(path.join(repo, 'accounts', 'members'), { recursive: true });
    git('init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(repo, 'README.md'), 'a\n');
    fs.writeFileSync(path.join(repo, '.gitignore'), 'plan-out/\n');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    git('checkout', '-q', '-b', 'pr');
    return { repo, git };
  }

  it('lists the files changed since the merge base of a ref, including uncommitted and untracked ones, and explains a bad ref', () => {
    const { repo, git } = prRepo('repo');
    fs.writeFileSync(path.join(repo, 'accounts', 'members', 'sandbox.yaml'), 'name: sandbox\n');
    git('add', '.');
    git('commit', '-q', '-m', 'member');
    const base = git('rev-parse', 'main').trim();
    expect(changedFiles('main', repo)).toEqual({ ref: 'main', mergeBase: base, files: ['accounts/members/sandbox.yaml'] });
    // Not committed: an edited tracked file, a staged new file, an untracked file (ignored ones are left out).
    fs.writeFileSync(path.join(repo, 'README.md'), 'b\n');
    fs.writeFileSync(path.join(repo, 'accounts', 'members', 'staged.yaml'), 'name: staged\n');
    git('add', 'accounts/members/staged.yaml');
    fs.mkdirSync(path.join(repo, 'modules'));
    fs.writeFileSync(path.join(repo, 'modules', 'new.ts'), '\n');
    fs.mkdirSync(path.join(repo, 'plan-out'));
    fs.writeFileSync(path.join(repo, 'plan-out', 'x'), '\n');
    expect(changedFiles('main', repo).files).toEqual(['README.md', 'accounts/members/sandbox.yaml', 'accounts/members/staged.yaml', 'modules/new.ts']);
    expect(() => changedFiles('no-such-ref', repo)).toThrow(/^--changed-since no-such-ref: `git merge-base no-such-ref HEAD` failed: .*no-such-ref/);
  });

  it('plans the stacks an uncommitted change affects', async () => {
    const { repo } = prRepo('repo-uncommitted');
    fs.mkdirSync(path.join(repo, 'lambdas'));
    fs.writeFileSync(path.join(repo, 'lambdas', 'handler.ts'), '\n');
    const { io, out, err } = capture();
    const cwd = process.cwd();
    process.chdir(repo);
    try {
      expect(await main(['--changed-since', 'main', '--dry-run', '--no-synth', '--synth-dir', synthDir, '--out-dir', path.join(tmp, 'po')], io)).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    expect(err.join('')).toContain('[plan] changed: lambdas/handler.ts -> central\n');
    expect(out.join('')).toMatch(/^# central \(aws\): /);
  });

  it('writes a report saying what it compared when no stack is affected, and says it replaced the earlier report', async () => {
    const { repo, git } = prRepo('repo-docs');
    fs.mkdirSync(path.join(repo, 'docs'));
    fs.writeFileSync(path.join(repo, 'docs', 'x.md'), 'x\n');
    git('add', '.');
    git('commit', '-q', '-m', 'docs');
    fs.writeFileSync(path.join(repo, 'README.md'), 'uncommitted\n');
    const base = git('rev-parse', 'main').trim();
    const report = path.join(tmp, 'no-stack-report.md');
    fs.writeFileSync(report, '# an earlier report\n');
    const { io, out } = capture();
    const cwd = process.cwd();
    process.chdir(repo);
    try {
      expect(await main(['--changed-since', 'main', '--no-synth', '--synth-dir', synthDir, '--report', report], io)).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    const compared = `the working tree (committed, staged, unstaged and untracked files) against ${base.slice(0, 12)}, the merge base of main and HEAD`;
    expect(out.join('')).toBe(`No stack planned: none of the 2 files changed since main can change a stack (compared ${compared}). Report: ${report} (replaces the earlier report)\n`);
    expect(fs.readFileSync(report, 'utf8')).toBe(
      [
        '# Terraform plan review',
        '',
        `**Result: no stack planned.** None of the 2 changed files can change a stack: compared ${compared}.`,
        '',
        '| changed file | stacks it can affect |',
        '| --- | --- |',
        '| README.md | no stack |',
        '| docs/x.md | no stack |',
        '',
      ].join('\n'),
    );
  });
});
