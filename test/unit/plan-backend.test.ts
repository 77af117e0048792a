import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrganization } from '../../accounts/load';
import type { Organization } from '../../accounts/schema';
import { organizationFileSchema } from '../../accounts/schema';
import { buildApp } from '../../stacks/app';
import { stateKey } from '../../stacks/backend';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-backend-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function backends(org: Organization, name: string): Record<string, unknown> {
  const outdir = path.join(tmp, name);
  buildApp(org, { outdir }).synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
  return Object.fromEntries(
    Object.entries(manifest.stacks).map(([stack, s]) => [stack, (JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), 'utf8')) as { terraform: { backend: unknown } }).terraform.backend]),
  );
}

describe('State backend per stack', () => {
  const example = loadOrganization();

  it('gives every stack its own encrypted, lock-file-locked S3 state object from stateBackend', () => {
    const stateBackend = organizationFileSchema.shape.stateBackend.parse({ type: 's3', bucket: 'org-tfstate', region: 'us-east-1', keyPrefix: 'siem/', roleArn: 'arn:aws:iam::111111111111:role/tfstate' });
    const found = backends({ ...example, stateBackend }, 's3');
    const stacks = Object.keys(found);
    expect(stacks).toContain('central');
    expect(stacks.length).toBe(1 + example.members.length + (example.logArchive ? 1 : 0));
    for (const stack of stacks) {
      expect(found[stack]).toEqual({
        s3: {
          bucket: 'org-tfstate',
          key: `siem/${stack}.tfstate`,
          region: 'us-east-1',
          encrypt: true,
          use_lockfile: true,
          assume_role: { role_arn: 'arn:aws:iam::111111111111:role/tfstate', session_name: `siem-state-${stack}` },
        },
      });
    }
  });

  it('uses cdktf\'s local state file per stack when no backend is configured', () => {
    expect(example.stateBackend).toEqual({ type: 'local' });
    const found = backends(example, 'local');
    for (const [stack, backend] of Object.entries(found)) expect(backend).toEqual({ local: { path: path.join(process.cwd(), `terraform.${stack}.tfstate`) } });
  });

  it('builds state keys without doubled or leading slashes', () => {
    expect(stateKey('siem', 'central')).toBe('siem/central.tfstate');
    expect(stateKey('/a/b/', 'member-x')).toBe('a/b/member-x.tfstate');
    expect(stateKey('', 'log-archive')).toBe('log-archive.tfstate');
  });
});
