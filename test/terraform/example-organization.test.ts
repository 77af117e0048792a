/**
 * Every stack of the example organization passes `terraform init` (from the local provider mirror when
 * there is one), `terraform validate` and an offline `terraform plan` with fake credentials.
 */
import { describe, expect, it } from 'vitest';
import { findProviderMirror, offlineValidateAndPlan } from '../../tools/terraform/offline';
import { synthesize } from '../helpers/synth';

const app = synthesize();

describe('example organization: terraform validate + offline plan', () => {
  it('has the expected stacks', () => {
    expect(Object.keys(app.stacks).sort()).toEqual(expect.arrayContaining(['central']));
    // Without a mirror Terraform would download the provider; this machine is expected to have one.
    if (process.env.CI) expect(findProviderMirror(), 'no AWS provider mirror found: set SIEM_TF_PLUGIN_MIRROR').toBeDefined();
  });

  it.each(Object.keys(app.stacks).sort())('%s validates and plans every resource for creation', async (name) => {
    const stack = app.stacks[name]!;
    const result = await offlineValidateAndPlan(stack.dir);
    expect(result.validate.stdout).toContain('The configuration is valid');
    const expected = Object.values(stack.json.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
    const changes = result.planJson.resource_changes ?? [];
    expect(changes.filter((c) => c.change.actions.join() === 'create')).toHaveLength(expected);
    expect(result.plan.stdout).toContain(`Plan: ${expected} to add, 0 to change, 0 to destroy.`);
  });
});
