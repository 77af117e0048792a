/**
 * Builds the cdktf App for an organization: `central`, one `member-<name>` per member account and
 * `log-archive` when a Log Archive account is configured. main.ts and the tests both use it.
 */
import { App, TerraformStack } from 'cdktf';
import type { Organization } from '../accounts/schema';
import { addProjectValidations } from '../modules/validations';
import { CentralStack } from './central-stack';
import { MemberStack, memberStackId } from './member-stack';
import { LOG_ARCHIVE_STACK_ID, LogArchiveStack } from './log-archive-stack';

export interface BuildAppOptions {
  /** Where `app.synth()` writes (default `cdktf.out`). */
  readonly outdir?: string;
}

export function buildApp(org: Organization, options: BuildAppOptions = {}): App {
  // skipValidation is off: every construct's addValidation (see modules/validations.ts) runs at synth.
  const app = new App({ outdir: options.outdir ?? 'cdktf.out', skipValidation: false });
  new CentralStack(app, 'central', { org });
  for (const member of org.members) new MemberStack(app, memberStackId(member), { org, member });
  if (org.logArchive) new LogArchiveStack(app, LOG_ARCHIVE_STACK_ID, { org });
  for (const stack of app.node.children) {
    if (stack instanceof TerraformStack) addProjectValidations(stack, org.prefix);
  }
  return app;
}
