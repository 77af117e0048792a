/**
 * GeoIP and ASN enrichment with MaxMind readers passed in by the runtime (it loads the GeoLite2
 * databases from the geo bucket once per container). Either database may be missing: then that part
 * of the enrichment is skipped, never failing a record. Private and reserved addresses are not looked up.
 *
 * Two city database layouts are understood: MaxMind's GeoLite2-City (nested `city.names.en`,
 * `location.latitude`, ...) and the flat layout of the ip-location-db GeoLite2 builds used in tests
 * (`city`, `country_code`, `latitude`, ...).
 */
import type { AsnResponse, CityResponse, Reader } from 'maxmind';
import type { Json } from '../ecs/paths';
import { isPlainObject } from '../ecs/paths';
import { isIp } from '../ecs/fields';
import { detached, isPrivateOrReserved } from './ip-ranges';

export interface GeoReaders {
  city?: Reader<CityResponse>;
  asn?: Reader<AsnResponse>;
}

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function cityToGeo(r: Loose): Json | undefined {
  const geo: Json = {};
  if (isPlainObject(r.city) || isPlainObject(r.country) || isPlainObject(r.location)) {
    const en = (x: Loose | undefined) => (x && x.names ? x.names.en : undefined);
    if (en(r.city)) geo.city_name = en(r.city);
    if (r.country?.iso_code) geo.country_iso_code = r.country.iso_code;
    if (en(r.country)) geo.country_name = en(r.country);
    if (en(r.continent)) geo.continent_name = en(r.continent);
    if (Array.isArray(r.subdivisions) && en(r.subdivisions[0])) geo.region_name = en(r.subdivisions[0]);
    if (r.location && typeof r.location.latitude === 'number' && typeof r.location.longitude === 'number')
      geo.location = { lat: r.location.latitude, lon: r.location.longitude };
    if (r.location?.time_zone) geo.timezone = r.location.time_zone;
  } else {
    if (r.city) geo.city_name = r.city;
    if (r.country_code) geo.country_iso_code = r.country_code;
    if (r.state1) geo.region_name = r.state1;
    if (typeof r.latitude === 'number' && typeof r.longitude === 'number') geo.location = { lat: r.latitude, lon: r.longitude };
    if (r.timezone) geo.timezone = r.timezone;
  }
  return Object.keys(geo).length ? geo : undefined;
}

/** What one address gets (null: nothing, e.g. a private address or no record). */
interface GeoResult {
  geo?: Json;
  as?: Json;
}

/**
 * Answers already given, per address and per pair of readers (issue 16, bench:enrich). A lookup walks the
 * database's tree and decodes the record (microseconds); logs repeat the same addresses over and over, so
 * a bounded memo makes them nearly free. Cleared when full, so memory stays bounded (a few MB).
 */
const CACHE_SIZE = 32_768;
const caches = new WeakMap<GeoReaders, Map<string, GeoResult | null>>();

function lookup(readers: GeoReaders, ip: string): GeoResult | null {
  let cache = caches.get(readers);
  if (!cache) caches.set(readers, (cache = new Map()));
  const known = cache.get(ip);
  if (known !== undefined) return known;
  // The key is kept: a copy, so that it does not keep alive the text it was cut from (a whole chunk of the file).
  ip = detached(ip);
  let result: GeoResult | null = null;
  if (isIp(ip) && !isPrivateOrReserved(ip)) {
    try {
      const city = readers.city?.get(ip) as Loose | null | undefined;
      const geo = city ? cityToGeo(city) : undefined;
      const asn = readers.asn?.get(ip) as Loose | null | undefined;
      let as: Json | undefined;
      if (asn && typeof asn.autonomous_system_number === 'number') {
        as = { number: asn.autonomous_system_number };
        if (asn.autonomous_system_organization) as.organization = { name: asn.autonomous_system_organization };
      }
      if (geo || as) result = { ...(geo ? { geo } : {}), ...(as ? { as } : {}) };
    } catch {
      // A damaged database must not cost the record: enrichment is best effort.
    }
  }
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(ip, result);
  return result;
}

/** Adds `<prefix>.geo.*` and `<prefix>.as.*` for each configured prefix whose `ip` is public. */
export function enrichGeo(doc: Json, prefixes: readonly string[], readers: GeoReaders | undefined): void {
  if (!readers || (!readers.city && !readers.asn)) return;
  for (const prefix of prefixes) {
    const set = doc[prefix];
    if (!isPlainObject(set)) continue;
    const ipValue = Array.isArray(set.ip) ? set.ip[0] : set.ip;
    if (typeof ipValue !== 'string') continue;
    const r = lookup(readers, ipValue);
    if (!r) continue;
    // Each document gets its own objects (nested values such as geo.location are shared and only read).
    if (r.geo) set.geo = { ...(isPlainObject(set.geo) ? set.geo : {}), ...r.geo };
    if (r.as) set.as = { ...r.as };
  }
}
