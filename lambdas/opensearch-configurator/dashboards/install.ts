/**
 * Installs the generated saved objects into OpenSearch Dashboards through its saved-objects API, in
 * the Global tenant, without losing what a user changed:
 *
 * 1. `_bulk_get` the objects with our ids; when each exists with exactly our attributes and
 *    references, nothing is written (a second run with the same content is a no-op).
 * 2. Otherwise `_export` the ones that exist (NDJSON, importable by hand) and store that backup
 *    (S3: the snapshot bucket) BEFORE anything is overwritten; no backup, no import.
 * 3. `_import?overwrite=true` all objects as one multipart NDJSON file.
 *
 * Requests go through the configurator's OpenSearch client (SigV4 as the FGAC master role in AWS), to
 * `<domain endpoint>/_dashboards/api/saved_objects/...` with `osd-xsrf` (Dashboards refuses API writes
 * without it) and `securitytenant` (the tenant the objects belong to). API reference:
 * https://docs.opensearch.org/latest/dashboards/management/saved-objects-apis/ (bulk get, export, import).
 */
import type { Client } from '@opensearch-project/opensearch';
import { ConfiguratorError } from '../configurator';
import { canonicalJson, shortHash } from '../desired-state';
import { toNdjson, type SavedObject } from './generate';

export interface DashboardsTarget {
  /** Path of Dashboards on the domain endpoint. Default `/_dashboards` (OpenSearch Service). */
  readonly basePath?: string;
  /** Security plugin tenant. Default `global`. */
  readonly tenant?: string;
}

/** Where the export of the objects about to be overwritten goes; returns where it went (for the log and the result). */
export type BackupStore = (name: string, ndjson: string) => Promise<string>;

export interface DashboardsResult {
  readonly action: 'imported' | 'unchanged';
  /** Objects in the import (all of ours). */
  readonly objects: number;
  /** Objects of ours that existed (and were backed up before the import). */
  readonly existing: number;
  /** Existing objects whose content differed from ours (user edits or an older version). */
  readonly changed: number;
  readonly backup?: string;
  /** Hash of the objects, also the multipart boundary. */
  readonly contentHash: string;
}

interface BulkGetItem {
  readonly type: string;
  readonly id: string;
  readonly attributes?: Record<string, unknown>;
  readonly references?: SavedObject['references'];
  readonly error?: { statusCode?: number; message?: string };
}

/** Dashboards' error bodies are `{statusCode, error, message}`. */
function reason(err: unknown): string {
  const e = err as { meta?: { statusCode?: number; body?: unknown }; message?: string };
  const body = e?.meta?.body;
  let text: string | undefined;
  if (typeof body === 'string') text = body.slice(0, 300);
  else if (body && typeof body === 'object') {
    const b = body as { message?: unknown; error?: unknown };
    text = typeof b.message === 'string' ? b.message : typeof b.error === 'string' ? b.error : JSON.stringify(body).slice(0, 300);
  }
  text ??= e?.message ?? String(err);
  return e?.meta?.statusCode ? `HTTP ${e.meta.statusCode}: ${text}` : text;
}

/** Whether a stored object already is ours: every attribute we set has our value (Dashboards may add others), same references. */
export function isCurrentObject(stored: BulkGetItem, wanted: SavedObject): boolean {
  if (stored.error || !stored.attributes) return false;
  const attrs = stored.attributes;
  const sameAttributes = Object.keys(wanted.attributes).every((k) => canonicalJson(attrs[k]) === canonicalJson(wanted.attributes[k]));
  const refs = (r: SavedObject['references'] | undefined) => canonicalJson([...(r ?? [])].map((x) => [x.type, x.id, x.name]).sort());
  return sameAttributes && refs(stored.references) === refs(wanted.references);
}

/** The multipart/form-data body of an import: one part `file` holding the NDJSON. */
export function multipartBody(boundary: string, fileName: string, ndjson: string): string {
  return [`--${boundary}`, `Content-Disposition: form-data; name="file"; filename="${fileName}"`, 'Content-Type: application/ndjson', '', ndjson, `--${boundary}--`, ''].join('\r\n');
}

export async function installDashboards(client: Client, objects: readonly SavedObject[], backup: BackupStore, target: DashboardsTarget = {}): Promise<DashboardsResult> {
  const base = `${(target.basePath ?? '/_dashboards').replace(/\/+$/, '')}/api/saved_objects`;
  const headers = { 'osd-xsrf': 'true', securitytenant: target.tenant ?? 'global' };
  const contentHash = shortHash(objects);
  const call = async <T>(what: string, request: { method: string; path: string; body?: unknown; querystring?: Record<string, string>; headers?: Record<string, string> }): Promise<T> => {
    try {
      // Headers go in the transport options (the request parameters have none).
      const { headers: extra, ...params } = request;
      const res = await client.transport.request(params as Parameters<Client['transport']['request']>[0], { headers: { ...headers, ...extra } });
      return res.body as T;
    } catch (err) {
      throw new ConfiguratorError(`Dashboards saved objects: ${what} failed: ${request.method} ${request.path}: ${reason(err)}`, undefined, { cause: err });
    }
  };

  const ids = objects.map((o) => ({ type: o.type, id: o.id }));
  const got = await call<{ saved_objects?: BulkGetItem[] }>('reading the installed objects', { method: 'POST', path: `${base}/_bulk_get`, body: ids });
  const stored = new Map((got.saved_objects ?? []).map((o) => [`${o.type}:${o.id}`, o]));
  const existing = objects.filter((o) => {
    const s = stored.get(`${o.type}:${o.id}`);
    return s !== undefined && !s.error;
  });
  const changed = existing.filter((o) => !isCurrentObject(stored.get(`${o.type}:${o.id}`)!, o));
  if (existing.length === objects.length && changed.length === 0) return { action: 'unchanged', objects: objects.length, existing: existing.length, changed: 0, contentHash };

  let backupLocation: string | undefined;
  if (existing.length > 0) {
    const exported = await call<unknown>('backing up (export of) the installed objects', {
      method: 'POST',
      path: `${base}/_export`,
      body: { objects: existing.map((o) => ({ type: o.type, id: o.id })), includeReferencesDeep: false },
    });
    const ndjson = typeof exported === 'string' ? exported : Buffer.isBuffer(exported) ? exported.toString('utf8') : JSON.stringify(exported);
    try {
      backupLocation = await backup(`${headers.securitytenant}-${contentHash}.ndjson`, ndjson);
    } catch (err) {
      throw new ConfiguratorError(`Dashboards saved objects: the backup of ${existing.length} installed objects could not be stored, so nothing was imported: ${(err as Error).message ?? String(err)}`, undefined, { cause: err });
    }
  }

  const boundary = `siem-dashboards-${contentHash}`;
  const result = await call<{ success?: boolean; successCount?: number; errors?: { type: string; id: string; title?: string; meta?: { title?: string }; error?: { type?: string; message?: string } }[] }>('import', {
    method: 'POST',
    path: `${base}/_import`,
    querystring: { overwrite: 'true' },
    body: multipartBody(boundary, 'siem-dashboards.ndjson', toNdjson(objects)),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  if (result.success !== true) {
    const errors = result.errors ?? [];
    const listed = errors
      .slice(0, 5)
      .map((e) => `${e.type} ${e.id}${(e.title ?? e.meta?.title) ? ` "${e.title ?? e.meta?.title}"` : ''}: ${e.error?.type ?? 'error'}${e.error?.message ? ` (${e.error.message})` : ''}`)
      .join('; ');
    throw new ConfiguratorError(
      `Dashboards saved objects: import rejected ${errors.length} of ${objects.length} objects${listed ? `: ${listed}` : ''}${errors.length > 5 ? `; and ${errors.length - 5} more` : ''}${backupLocation ? ` (the objects installed before are in ${backupLocation})` : ''}`,
    );
  }
  return { action: 'imported', objects: objects.length, existing: existing.length, changed: changed.length, backup: backupLocation, contentHash };
}
