/**
 * Where a stack keeps its Terraform state, from `stateBackend` in accounts/organization.yaml:
 * - `s3`: one object per stack, `<keyPrefix>/<stack id>.tfstate`, encrypted, locked with Terraform's
 *   native S3 lock file (`use_lockfile`, Terraform >= 1.10: a `<key>.tflock` object written with a
 *   conditional PUT, so no DynamoDB table is needed; see the S3 backend page of the Terraform docs).
 * - `local` (the default): cdktf's local backend with its default file, `terraform.<stack id>.tfstate` in
 *   the folder synth runs in (outside cdktf.out/, so a new synth never loses it).
 *
 * Every stack calls `configureBackend(this, org)` once in its constructor.
 */
import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import type { StateBackend } from '../accounts/schema';

/** The state object key of a stack in the S3 backend. */
export function stateKey(keyPrefix: string, stackId: string): string {
  const prefix = keyPrefix.replace(/^\/+|\/+$/g, '');
  return prefix ? `${prefix}/${stackId}.tfstate` : `${stackId}.tfstate`;
}

/**
 * Configures the stack's backend. Returns the backend so callers (tests) can inspect it; a stack has
 * exactly one backend, so calling this twice on the same stack throws (cdktf refuses a second one).
 */
export function configureBackend(stack: TerraformStack, org: { readonly stateBackend: StateBackend }): S3Backend | LocalBackend {
  const config = org.stateBackend;
  const stackId = stack.node.id;
  if (config.type === 'local') {
    // No path: cdktf's default (<cwd>/terraform.<stack id>.tfstate), the file `cdktf deploy` has always used.
    return new LocalBackend(stack);
  }
  const backend = new S3Backend(stack, {
    bucket: config.bucket,
    key: stateKey(config.keyPrefix, stackId),
    region: config.region,
    encrypt: config.encrypt,
    // The state bucket often lives in another account than the stack's target (e.g. the management or a
    // tooling account); the backend assumes its own role, independent of the provider's assume_role.
    assumeRole: config.roleArn ? { roleArn: config.roleArn, sessionName: `siem-state-${stackId}`.slice(0, 64) } : undefined,
  });
  // cdktf 0.21's S3BackendConfig predates `use_lockfile`; an override writes the argument verbatim.
  if (config.useLockfile) backend.addOverride('use_lockfile', true);
  return backend;
}
