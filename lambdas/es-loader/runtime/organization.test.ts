import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { organizationContextJson, organizationContextFromConfig } from '../enrich/organization';
import { loadOrganizationContext, organizationContextEnvironment } from './organization';
import type { Log } from './observability';

const CONTENT = organizationContextJson(
  organizationContextFromConfig({ security: { accountId: '111111111111' }, loader: { trustedProxies: ['198.51.100.0/24'] }, members: [{ name: 'prod', accountId: '444444444444', organizationalUnit: 'Root/Prod' }] }),
);
const KEY = 'OrganizationContext/organization-context.json';

function s3(objects: Record<string, string | Error>): S3Client {
  return {
    send: async (cmd: { input: { Bucket: string; Key: string } }) => {
      const v = objects[`${cmd.input.Bucket}/${cmd.input.Key}`];
      if (v instanceof Error) throw v;
      if (v === undefined) throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
      return { Body: { transformToByteArray: async () => new Uint8Array(Buffer.from(v)) } };
    },
  } as unknown as S3Client;
}
function logger() {
  const lines: string[] = [];
  const log = { info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`), error: (m: string) => lines.push(`error ${m}`) } as unknown as Log;
  return { log, lines };
}

describe('Runtime: organization context from the geo bucket', () => {
  it('loads the object named by ORGANIZATION_CONTEXT_KEY into the pipeline options', async () => {
    const { log, lines } = logger();
    const env = organizationContextEnvironment(KEY, CONTENT);
    const opts = await loadOrganizationContext(s3({ [`geo/${KEY}`]: CONTENT }), 'geo', env, log);
    expect(opts.organization?.accountCount).toBe(2);
    expect(opts.trustedProxies?.isTrusted('198.51.100.7')).toBe(true);
    const doc: Record<string, unknown> = { cloud: { account: { id: '444444444444' } } };
    opts.organization!.enrich(doc);
    expect(doc).toEqual({ cloud: { account: { id: '444444444444', name: 'prod', organizational_unit: 'Root/Prod' } } });
    expect(lines).toEqual([`info loaded s3://geo/${KEY}`]);
  });

  it('goes on without context, with one line naming the object, when it is missing, unreadable, invalid or another version', async () => {
    const env = organizationContextEnvironment(KEY, CONTENT);
    const cases: Array<[Record<string, string | Error>, string[]]> = [
      [{}, [`warn s3://geo/${KEY} does not exist: no organization context (deploy the central stack)`]],
      [{ [`geo/${KEY}`]: new Error('AccessDenied') }, [`warn cannot read s3://geo/${KEY}: no organization context in this container`]],
      [{ [`geo/${KEY}`]: '{"version":2}' }, [`warn s3://geo/${KEY} is not the version this function was deployed with (SHA-256 differs): using it anyway`, `warn s3://geo/${KEY}: version: must be 1 (the format this loader reads; deploy the loader with the central stack that wrote it)`]],
    ];
    for (const [objects, expected] of cases) {
      const { log, lines } = logger();
      expect(await loadOrganizationContext(s3(objects), 'geo', env, log)).toEqual({});
      expect(lines).toEqual(expected);
    }
  });

  it('reads nothing without ORGANIZATION_CONTEXT_KEY or a geo bucket', async () => {
    const { log, lines } = logger();
    expect(await loadOrganizationContext(s3({}), 'geo', {}, log)).toEqual({});
    expect(await loadOrganizationContext(s3({}), undefined, organizationContextEnvironment(KEY, CONTENT), log)).toEqual({});
    expect(lines).toEqual([]);
  });
});
