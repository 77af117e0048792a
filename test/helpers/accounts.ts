/**
 * Configuration test helpers: a temporary copy of the example accounts/ with some files changed, and
 * the problems the accounts loader reports for a folder, each as the `file: field: message` line
 * `npm run synth` prints.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadOrganization } from '../../accounts/load';

export const ACCOUNTS = path.resolve(__dirname, '../../accounts');

/** A temporary copy of accounts/ with edits applied (file -> new content, or null to delete). */
export function accountsWith(edits: Record<string, string | null>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-accounts-'));
  fs.cpSync(path.join(ACCOUNTS, 'organization.yaml'), path.join(dir, 'organization.yaml'));
  fs.cpSync(path.join(ACCOUNTS, 'members'), path.join(dir, 'members'), { recursive: true });
  for (const [file, content] of Object.entries(edits)) {
    const full = path.join(dir, file);
    if (content === null) fs.rmSync(full);
    else fs.writeFileSync(full, content);
  }
  return dir;
}

/** Every problem the loader reports for `dir`, as `file: field: message`; throws when the folder is accepted. */
export function problemLines(dir: string): string[] {
  try {
    loadOrganization(dir);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${path.basename(p.file)}: ${p.field}: ${p.message}`);
    throw error;
  }
  throw new Error('configuration was accepted');
}
