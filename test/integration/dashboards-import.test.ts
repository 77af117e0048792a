/**
 * The configurator's Dashboards import against a local HTTP server that records every request and
 * answers as the OpenSearch Dashboards saved-objects API does (bulk get, export, import). OpenSearch
 * Dashboards itself cannot run here (no Dashboards server in the test environment), so the test
 * asserts the exact requests: the read of our ids, the export (backup) of the installed ones into the
 * local S3 (s3rver) before anything is overwritten, then one multipart import with osd-xsrf and the
 * Global tenant; and that nothing is written when the installed objects already are ours.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfiguratorError } from '../../lambdas/opensearch-configurator/configurator';
import { s3BackupStore } from '../../lambdas/opensearch-configurator/dashboards/backup';
import { allObjects, dashboardFiles, toNdjson, type SavedObject } from '../../lambdas/opensearch-configurator/dashboards/generate';
import { installDashboards, multipartBody } from '../../lambdas/opensearch-configurator/dashboards/install';
import { shortHash } from '../../lambdas/opensearch-configurator/desired-state';
import { createOpenSearchClient } from '../../lambdas/shared/opensearch';
import { s3ClientConfig } from '../servers/clients';

interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
type Answer = { status: number; body: string; type?: string };

/** A stand-in for Dashboards: records requests, answers each path with what `answer` returns. */
async function recordingServer(answer: (r: Recorded) => Answer) {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(r);
      const a = answer(r);
      res.writeHead(a.status, { 'content-type': a.type ?? 'application/json; charset=utf-8' });
      res.end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// A small, fixed set of objects: the organization dashboard file (index pattern log-*, search, panels, dashboard).
const files = dashboardFiles(['log-aws-cloudtrail-*']);
const objects: SavedObject[] = allObjects(files.filter((f) => f.fileName === 'organization.ndjson'));
const BUCKET = 'aes-siem-111122223333-snapshot';
const NOW = new Date('2026-12-01T13:00:00.000Z');
const API = '/_dashboards/api/saved_objects';
const s3 = new S3Client(s3ClientConfig());

/** What Dashboards' bulk get answers: the objects it has (as stored), 404 for the others. */
function bulkGet(have: Map<string, SavedObject>) {
  return (r: Recorded): Answer => {
    const ids = JSON.parse(r.body) as { type: string; id: string }[];
    return {
      status: 200,
      body: JSON.stringify({
        saved_objects: ids.map((i) => {
          const o = have.get(`${i.type}:${i.id}`);
          // Dashboards adds fields of its own (version, updated_at, migrationVersion): ignored by the comparison.
          return o ? { ...o, version: 'WzEsMV0=', updated_at: '2026-11-30T10:00:00.000Z', migrationVersion: { visualization: '7.10.0' } } : { type: i.type, id: i.id, error: { statusCode: 404, error: 'Not Found', message: `Saved object [${i.type}/${i.id}] not found` } };
        }),
      }),
    };
  };
}

beforeAll(async () => {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  } catch (err) {
    if (!/BucketAlreadyOwnedByYou|BucketAlreadyExists/.test((err as Error).name)) throw err;
  }
});
let server: Awaited<ReturnType<typeof recordingServer>> | undefined;
beforeEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(async () => {
  await server?.close();
});

describe('Function: opensearch-configurator, Dashboards import (recorded requests; no Dashboards server here)', () => {
  it('backs up the installed objects it will overwrite, then imports all of them in one multipart request', async () => {
    // The user edited one visualization of ours; the index pattern is as we made it; the rest is missing.
    const vis = objects.find((o) => o.type === 'visualization')!;
    const edited = { ...vis, attributes: { ...vis.attributes, title: 'My own title' } };
    const have = new Map([[`${objects[0].type}:${objects[0].id}`, objects[0]], [`${vis.type}:${vis.id}`, edited as SavedObject]]);
    const exported = `${JSON.stringify(objects[0])}\n${JSON.stringify(edited)}\n{"exportedCount":2,"missingRefCount":0,"missingReferences":[]}\n`;
    server = await recordingServer((r) => {
      if (r.url === `${API}/_bulk_get`) return bulkGet(have)(r);
      if (r.url === `${API}/_export`) return { status: 200, body: exported, type: 'application/ndjson' };
      if (r.url === `${API}/_import?overwrite=true`) return { status: 200, body: JSON.stringify({ success: true, successCount: objects.length }) };
      return { status: 404, body: '{}' };
    });
    const client = createOpenSearchClient({ node: server.url, auth: 'none' });
    const result = await installDashboards(client, objects, s3BackupStore(s3, BUCKET, 'dashboards-backup/', () => NOW));

    const hash = shortHash(objects);
    const backupKey = `dashboards-backup/2026-12-01T13-00-00-000Z-global-${hash}.ndjson`;
    expect(result).toEqual({ action: 'imported', objects: objects.length, existing: 2, changed: 1, backup: `s3://${BUCKET}/${backupKey}`, contentHash: hash });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`POST ${API}/_bulk_get`, `POST ${API}/_export`, `POST ${API}/_import?overwrite=true`]);
    for (const r of server.requests) expect(r.headers).toMatchObject({ 'osd-xsrf': 'true', securitytenant: 'global' });
    const [get, exp, imp] = server.requests;
    expect(get.headers['content-type']).toBe('application/json');
    expect(JSON.parse(get.body)).toEqual(objects.map((o) => ({ type: o.type, id: o.id })));
    expect(JSON.parse(exp.body)).toEqual({ objects: [{ type: 'index-pattern', id: objects[0].id }, { type: 'visualization', id: vis.id }], includeReferencesDeep: false });
    expect(imp.headers['content-type']).toBe(`multipart/form-data; boundary=siem-dashboards-${hash}`);
    expect(imp.body).toBe(
      `--siem-dashboards-${hash}\r\nContent-Disposition: form-data; name="file"; filename="siem-dashboards.ndjson"\r\nContent-Type: application/ndjson\r\n\r\n${toNdjson(objects)}\r\n--siem-dashboards-${hash}--\r\n`,
    );
    expect(imp.body).toBe(multipartBody(`siem-dashboards-${hash}`, 'siem-dashboards.ndjson', toNdjson(objects)));
    // The backup is Dashboards' own export, byte for byte.
    const stored = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: backupKey }));
    expect(await stored.Body!.transformToString()).toBe(exported);
  });

  it('writes nothing when every object is installed as ours (a second run)', async () => {
    const have = new Map(objects.map((o) => [`${o.type}:${o.id}`, o]));
    server = await recordingServer(bulkGet(have));
    const client = createOpenSearchClient({ node: server.url, auth: 'none' });
    const before = (await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount ?? 0;
    const result = await installDashboards(client, objects, s3BackupStore(s3, BUCKET));
    expect(result).toEqual({ action: 'unchanged', objects: objects.length, existing: objects.length, changed: 0, contentHash: shortHash(objects) });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`POST ${API}/_bulk_get`]);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount ?? 0).toBe(before);
  });

  it('imports without a backup when none of our objects is installed yet (first deploy)', async () => {
    server = await recordingServer((r) => (r.url.endsWith('_bulk_get') ? bulkGet(new Map())(r) : { status: 200, body: JSON.stringify({ success: true, successCount: objects.length }) }));
    const client = createOpenSearchClient({ node: server.url, auth: 'none' });
    const result = await installDashboards(client, objects, async () => {
      throw new Error('no backup expected');
    });
    expect(result).toMatchObject({ action: 'imported', existing: 0, changed: 0, backup: undefined });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`POST ${API}/_bulk_get`, `POST ${API}/_import?overwrite=true`]);
  });

  it('does not import when the backup cannot be stored', async () => {
    const have = new Map([[`${objects[0].type}:${objects[0].id}`, { ...objects[0], attributes: { ...objects[0].attributes, timeFieldName: 'eventTime' } }]]);
    server = await recordingServer((r) => (r.url.endsWith('_bulk_get') ? bulkGet(have as Map<string, SavedObject>)(r) : { status: 200, body: '{"a":1}\n', type: 'application/ndjson' }));
    const client = createOpenSearchClient({ node: server.url, auth: 'none' });
    const err = await installDashboards(client, objects, s3BackupStore(s3, 'no-such-bucket-h8', 'dashboards-backup/', () => NOW)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfiguratorError);
    expect((err as Error).message).toBe(
      `Dashboards saved objects: the backup of 1 installed objects could not be stored, so nothing was imported: s3://no-such-bucket-h8/dashboards-backup/2026-12-01T13-00-00-000Z-global-${shortHash(objects)}.ndjson: NoSuchBucket: The specified bucket does not exist`,
    );
    expect(server.requests.map((r) => r.url)).toEqual([`${API}/_bulk_get`, `${API}/_export`]);
  });

  it('fails the run with one line naming the rejected objects', async () => {
    const vis = objects.find((o) => o.type === 'visualization')!;
    server = await recordingServer((r) =>
      r.url.endsWith('_bulk_get')
        ? bulkGet(new Map())(r)
        : { status: 200, body: JSON.stringify({ success: false, successCount: objects.length - 1, errors: [{ type: 'visualization', id: vis.id, title: vis.attributes.title, error: { type: 'missing_references', references: [] } }] }) },
    );
    const client = createOpenSearchClient({ node: server.url, auth: 'none' });
    const err = await installDashboards(client, objects, s3BackupStore(s3, BUCKET)).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`Dashboards saved objects: import rejected 1 of ${objects.length} objects: visualization ${vis.id} "${String(vis.attributes.title)}": missing_references`);
  });

  it('reports a refused request with Dashboards\' own message', async () => {
    server = await recordingServer(() => ({ status: 403, body: JSON.stringify({ statusCode: 403, error: 'Forbidden', message: 'no permissions for [indices:data/read/mget] and User [name=arn:aws:iam::111122223333:role/x]' }) }));
    const client = createOpenSearchClient({ node: server.url, auth: 'none' });
    const err = await installDashboards(client, objects, s3BackupStore(s3, BUCKET)).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      `Dashboards saved objects: reading the installed objects failed: POST ${API}/_bulk_get: HTTP 403: no permissions for [indices:data/read/mget] and User [name=arn:aws:iam::111122223333:role/x]`,
    );
  });
});
