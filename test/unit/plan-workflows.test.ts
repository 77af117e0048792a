/**
 * The CI workflows: valid against the GitHub workflow schema (SchemaStore's, through
 * @action-validator/core), and consistent with the project: pinned actions, minimal permissions, no
 * expressions inside shell scripts (script injection), scripts and options that exist, and every
 * repository variable and label documented in docs/plan-review.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../tools/plan-review/cli';

const root = path.join(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
  id?: string;
}
interface Job {
  'runs-on'?: string;
  environment?: string;
  needs?: string;
  steps?: Step[];
  env?: Record<string, string>;
}
interface Workflow {
  name: string;
  on: Record<string, { inputs?: Record<string, { required?: boolean; type?: string }>; types?: string[] }>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const FILES = ['.github/workflows/plan.yml', '.github/workflows/deploy.yml'];
const workflows = Object.fromEntries(FILES.map((f) => [f, parse(read(f)) as Workflow]));
const plan = workflows['.github/workflows/plan.yml']!;
const deploy = workflows['.github/workflows/deploy.yml']!;
const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap((j) => j.steps ?? []);
const packageScripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
const docs = read('docs/plan-review.md');

/** Arguments after `npm run plan --` in a shell line, with shell quotes removed. */
function planInvocations(run: string): string[][] {
  return [...run.matchAll(/npm run plan -- ([^\n]*)/g)].map((m) => [...m[1]!.matchAll(/"([^"]*)"|(\S+)/g)].map((t) => t[1] ?? t[2]!));
}

describe.each(FILES)('%s', (file) => {
  const wf = workflows[file]!;

  it('is valid against the GitHub workflow schema', () => {
    expect(validateWorkflow(read(file)).errors).toEqual([]);
  });

  it('gives every job a runner and steps, and pins every action to a release or commit', () => {
    for (const job of Object.values(wf.jobs)) {
      expect(job['runs-on']).toBe('ubuntu-latest');
      expect(job.steps?.length).toBeGreaterThan(0);
    }
    for (const step of steps(wf)) {
      expect(step.uses ?? step.run, `step ${step.name} does nothing`).toBeDefined();
      if (step.uses) expect(step.uses).toMatch(/^[\w-]+\/[\w-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/);
    }
  });

  it('keeps ${{ }} expressions out of shell scripts (values reach them through env)', () => {
    for (const step of steps(wf)) if (step.run) expect(step.run, step.name).not.toContain('${{');
  });

  it('runs only npm scripts that exist, with options npm run plan accepts', () => {
    for (const step of steps(wf)) {
      for (const [, script] of (step.run ?? '').matchAll(/npm run ([\w:-]+)/g)) expect(Object.keys(packageScripts)).toContain(script);
      for (const args of planInvocations(step.run ?? '')) expect(() => parseArgs(args, { out: () => undefined, err: () => undefined })).not.toThrow();
    }
  });

  it('documents every repository variable and label it uses in docs/plan-review.md', () => {
    const text = read(file);
    const vars = [...new Set([...text.matchAll(/vars\.([A-Z0-9_]+)/g)].map((m) => m[1]!))];
    expect(vars.length).toBeGreaterThan(0);
    for (const v of vars) expect(docs).toContain(`\`${v}\``);
    for (const [, label] of text.matchAll(/labels\.\*\.name, '([^']+)'/g)) expect(docs).toContain(`\`${label}\``);
  });
});

describe('plan.yml', () => {
  it('runs on pull requests, also when labels change, with only the permissions it needs', () => {
    expect(Object.keys(plan.on)).toEqual(['pull_request']);
    expect(plan.on.pull_request!.types).toEqual(expect.arrayContaining(['opened', 'synchronize', 'labeled', 'unlabeled']));
    expect(plan.permissions).toEqual({ contents: 'read', 'id-token': 'write', 'pull-requests': 'write' });
  });

  it('installs and tests before it assumes the AWS role, then plans the changed stacks', () => {
    const order = steps(plan).map((s) => s.run?.trim().split('\n')[0] ?? s.uses!.split('@')[0]);
    const at = (x: string) => order.findIndex((o) => o!.startsWith(x));
    expect(at('npm ci')).toBeGreaterThan(-1);
    expect(at('npm ci')).toBeLessThan(at('npm test'));
    expect(at('npm test')).toBeLessThan(at('aws-actions/configure-aws-credentials'));
    const creds = steps(plan).find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'))!;
    expect(creds.with!['role-to-assume']).toMatch(/^\$\{\{ vars\.\w+ \}\}$/);
    const planStep = steps(plan).find((s) => s.id === 'plan' || s.run?.includes('npm run plan'))!;
    expect(planInvocations(planStep.run!)).toEqual([['--changed-since', '$BASE_REF', '--comment', 'plan-comment.md']]);
    expect(planStep.run).toContain('echo "exit_code=$code" >> "$GITHUB_OUTPUT"');
  });

  it('comments the report and fails on exit code 2 unless the approved-danger label is present', () => {
    const comment = steps(plan).find((s) => s.uses?.startsWith('actions/github-script'))!;
    expect(String(comment.with!.script)).toContain("fs.readFileSync('plan-comment.md', 'utf8')");
    const gate = steps(plan).find((s) => s.name === 'Gate on the plan result')!;
    expect(gate.env).toEqual({
      PLAN_EXIT_CODE: '${{ steps.plan.outputs.exit_code }}',
      DANGER_APPROVED: "${{ contains(github.event.pull_request.labels.*.name, 'approved-danger') }}",
    });
    expect(gate.run).toMatch(/2\)\n\s+if \[ "\$DANGER_APPROVED" = "true" \]; then[\s\S]*else[\s\S]*exit 1/);
    expect(gate.run).toMatch(/\*\) echo "::error::[^\n]*"; exit 1 ;;/);
  });
});

describe('deploy.yml', () => {
  it('is dispatched by hand for one stack, in the environment named after the stack', () => {
    expect(Object.keys(deploy.on)).toEqual(['workflow_dispatch']);
    expect(deploy.on.workflow_dispatch!.inputs!.stack).toMatchObject({ required: true, type: 'string' });
    expect(deploy.jobs.deploy!.environment).toBe('${{ inputs.stack }}');
    expect(deploy.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  });

  it('accepts only stack names the project synthesizes, in a job that runs before the environment is entered', () => {
    expect(deploy.jobs.validate!.environment).toBeUndefined();
    expect(deploy.jobs.deploy!.needs).toBe('validate');
    const first = deploy.jobs.validate!.steps![0]!;
    const pattern = /=~ (\S+) \]\]/.exec(first.run!)![1]!;
    const re = new RegExp(pattern);
    for (const ok of ['central', 'log-archive', 'member-workload-prod', 'member-sandbox']) expect(re.test(ok), ok).toBe(true);
    for (const bad of ['central; rm -rf /', 'member-', 'Member-x', '../central', 'member-x\nmember-y', '']) expect(re.test(bad), JSON.stringify(bad)).toBe(false);
  });

  it('applies exactly the plan it made, after refusing DANGER unless allow-danger is set', () => {
    const runs = steps(deploy).map((s) => s.run ?? '');
    const planAt = runs.findIndex((r) => r.includes('npm run plan -- --no-synth --concurrency 1 "$STACK"'));
    const applyAt = runs.findIndex((r) => r.includes('terraform -chdir="plan-out/$STACK" apply -input=false -no-color tfplan'));
    expect(planAt).toBeGreaterThan(-1);
    expect(applyAt).toBeGreaterThan(planAt);
    expect(runs[planAt]).toMatch(/if \[ "\$code" = 2 \] && \[ "\$ALLOW_DANGER" != "true" \]; then[\s\S]*exit 1/);
  });
});
