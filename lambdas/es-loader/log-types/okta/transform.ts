/**
 * Okta System Log events (https://developer.okta.com/docs/reference/api/system-log/#logevent-object),
 * one JSON object per line, as the reference's user.ini [okta] sample and its siem/sf_okta.py:
 * - event.outcome from outcome.result (SUCCESS/ALLOW: success, FAILURE/DENY: failure, else unknown);
 * - a User actor: user.name/domain/email from its alternateId (name@domain), client.user and source.user
 *   full_name/id from displayName/id, related.user;
 * - Okta's own top-level fields under `okta.` with snake_case names (debugContext -> okta.debug_context,
 *   keys of nested objects too), so that they never collide with other indices' fields;
 * - `okta.client` holds what is left of Okta's client object once its ECS parts are mapped (device, ip,
 *   user_agent, id, zone); client.geographicalContext is mapped to client.geo.* by the section.
 * Differences (docs/log-types.md): text values are kept as written (the reference's camelCase-to-snake
 * conversion also rewrites values: published "2026-11-21T10:00:01Z" becomes "2026-11-21_t10:00:01_z");
 * okta.target stays the list of targets with Okta's keys (alternateId, displayName, detailEntry: the
 * reference's paths, as it does not rename inside lists), an AppInstance target also carrying
 * app_name.{alternate_id,display_name} (the reference nests the list in another list, and replaces it
 * by {app_name} when an AppInstance is there, so okta.target.app_name.* is the same path).
 */
import { child, isPlainObject, type Json } from '../../ecs/paths';
import type { Transform } from '../types';

/** `debugContext` -> `debug_context`: a lowercase letter or digit followed by a capital, as the reference's str_camel_to_snake. */
const snake = (s: string) => s.replace(/([a-z0-9|])([A-Z])/g, (_, a: string, b: string) => `${a}_${b.toLowerCase()}`);

/** Blank to the reference's del_none: null, "", "-", "null", "[]", an empty list or object. */
function blank(v: unknown): boolean {
  return v === null || v === undefined || v === '' || v === '-' || v === 'null' || v === '[]' || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);
}

/**
 * The object with snake_case keys (in nested objects; inside lists only when inLists, as the reference's
 * dict_camel_to_snake, which does not enter lists: request.ipChain[].geographicalContext stays) and without
 * blank values (also inside lists, as the reference's del_none).
 */
function snakeObject(o: Json, inLists = false, rename = true): Json | undefined {
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) {
    const c = isPlainObject(v) ? snakeObject(v, inLists, rename) : Array.isArray(v) ? v.map((e) => (isPlainObject(e) ? snakeObject(e, inLists, rename && inLists) ?? {} : e)) : v;
    if (!blank(c)) out[rename ? snake(k) : k] = c;
  }
  return Object.keys(out).length ? out : undefined;
}

const OKTA_FIELDS = [
  'actor', 'debugContext', 'request', 'outcome', 'transaction', 'authenticationContext', 'securityContext',
  'displayMessage', 'uuid', 'version', 'severity', 'published', 'legacyEventType', 'eventType',
] as const;

export const okta: Transform = ({ doc }) => {
  const outcome = isPlainObject(doc.outcome) && typeof doc.outcome.result === 'string' ? doc.outcome.result.toLowerCase() : undefined;
  if (outcome) child(doc, 'event').outcome = outcome === 'success' || outcome === 'allow' ? 'success' : outcome === 'failure' || outcome === 'deny' ? 'failure' : 'unknown';

  const actor = isPlainObject(doc.actor) ? doc.actor : undefined;
  if (actor?.type === 'User') {
    const alt = typeof actor.alternateId === 'string' ? actor.alternateId : '';
    const at = alt.lastIndexOf('@');
    if (at >= 0) Object.assign(child(doc, 'user'), { domain: alt.slice(at + 1), name: alt.slice(0, at), email: alt });
    const who: Json = {};
    if (!blank(actor.displayName)) who.full_name = actor.displayName;
    if (!blank(actor.id)) who.id = actor.id;
    if (Object.keys(who).length) {
      child(doc, 'client').user = { ...who };
      child(doc, 'source').user = { ...who };
    }
    if (typeof actor.displayName === 'string' && actor.displayName !== '') child(doc, 'related').user = [actor.displayName];
  }

  const out: Json = {};
  for (const f of OKTA_FIELDS) {
    const v = doc[f];
    doc[f] = undefined;
    if (blank(v)) continue;
    const c = isPlainObject(v) ? snakeObject(v) : v;
    if (c !== undefined) out[snake(f)] = c;
  }
  if (Array.isArray(doc.target) && doc.target.length) {
    out.target = doc.target.map((t) => {
      if (!isPlainObject(t)) return t;
      const e = snakeObject(t, false, false) ?? {};
      if (t.type === 'AppInstance') e.app_name = snakeObject({ alternateId: t.alternateId, displayName: t.displayName }) ?? {};
      return e;
    });
  }
  doc.target = undefined;

  const client = isPlainObject(doc.client) ? doc.client : undefined;
  if (client) {
    // client.geo.location as a geo point {lat, lon}; Okta writes nulls when it has no location.
    const ctx = isPlainObject(client.geographicalContext) ? client.geographicalContext : undefined;
    const loc = ctx && isPlainObject(ctx.geolocation) ? ctx.geolocation : undefined;
    const geo = isPlainObject(client.geo) ? client.geo : undefined;
    if (geo) {
      geo.location = loc && typeof loc.lat === 'number' && typeof loc.lon === 'number' ? { lat: loc.lat, lon: loc.lon } : undefined;
      if (Object.values(geo).every((v) => v === undefined)) client.geo = undefined;
    }
    const okClient = snakeObject({ device: client.device, ip: client.ipAddress, user_agent: client.userAgent, id: client.id, zone: client.zone });
    if (okClient) out.client = okClient;
    for (const k of ['device', 'ipAddress', 'userAgent', 'geographicalContext', 'id', 'zone']) client[k] = undefined;
  }
  if (doc.device === null) doc.device = undefined;
  doc.okta = out;
};
