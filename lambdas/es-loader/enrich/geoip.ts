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
import { detached, ipv4Number, isPrivateOrReserved, isPrivateOrReservedV4 } from './ip-ranges';
import { Ipv4Memo } from './ipv4-memo';

export interface GeoReaders {
  city?: Reader<CityResponse>;
  asn?: Reader<AsnResponse>;
}

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A coordinate as its database meant it. MaxMind's GeoLite2 stores doubles (37.751); databases in the flat
 * layout (ip-location-db) store 32-bit floats, which read back as 37.750999450683594. Such a value is given
 * as the shortest decimal that is the same 32-bit float (37.751): what the database's author wrote, 8
 * characters fewer per coordinate in every document, and cheap for JSON.stringify (a 17-digit double can
 * take its slow path; bench:enrich). A double that is no 32-bit float is kept as it is.
 */
export function coordinate(v: number): number {
  const f = Math.fround(v);
  if (f !== v || !Number.isFinite(v)) return v;
  for (let digits = 1; digits <= 9; digits++) {
    const shorter = Number(v.toPrecision(digits));
    if (Math.fround(shorter) === f) return shorter;
  }
  return v;
}

/**
 * The reference's geo object (siem/geodb.py): `city_name`, `country_iso_code`, `country_name` and `location`,
 * each only when the database has it (it drops empty values before indexing). Region, continent and time
 * zone, which the databases also hold, are not added: the reference's documents do not have them, and every
 * byte added to a flow document costs records/s (bench:enrich's floor).
 */
function cityToGeo(r: Loose): Json | undefined {
  const geo: Json = {};
  if (isPlainObject(r.city) || isPlainObject(r.country) || isPlainObject(r.location)) {
    const en = (x: Loose | undefined) => (x && x.names ? x.names.en : undefined);
    if (en(r.city)) geo.city_name = en(r.city);
    if (r.country?.iso_code) geo.country_iso_code = r.country.iso_code;
    if (en(r.country)) geo.country_name = en(r.country);
    if (r.location && typeof r.location.latitude === 'number' && typeof r.location.longitude === 'number')
      geo.location = { lat: r.location.latitude, lon: r.location.longitude };
  } else {
    if (r.city) geo.city_name = r.city;
    if (r.country_code) geo.country_iso_code = r.country_code;
    if (typeof r.latitude === 'number' && typeof r.longitude === 'number') geo.location = { lat: coordinate(r.latitude), lon: coordinate(r.longitude) };
  }
  return Object.keys(geo).length ? geo : undefined;
}

/** What one address gets (null: nothing, e.g. a private address or no record). Shared by documents: read only. */
interface GeoResult {
  readonly geo?: Json;
  readonly as?: Json;
}

/**
 * Answers already given, per address and per pair of readers (issue 16, bench:enrich). A lookup walks the
 * database's tree and decodes the record (microseconds); logs repeat the same addresses over and over, so
 * a bounded memo makes them nearly free. IPv4 addresses are keyed by their number (parsed in one pass,
 * no string hashing of a fresh substring, no copy of the key to keep) in a table of numbers (ipv4-memo.ts);
 * other text by the string. Cleared when full, so memory stays bounded (a few MB).
 */
const CACHE_SIZE = 32_768;
interface Caches {
  /** Keyed by the address's number. */
  v4: Ipv4Memo<GeoResult | null>;
  text: Map<string, GeoResult | null>;
  /**
   * One result object per distinct answer (by content): many addresses share a location (a city, a
   * country's centre, one provider's AS), and documents that point at fewer, reused objects serialize
   * faster. The 20,000 random public addresses of bench:enrich have 5,765 distinct answers; with one object
   * per address, enrichGeo and JSON.stringify of the geo objects cost 1.0 and 1.7 us more per flow
   * document than with a handful of objects (reads that miss the CPU cache, not bytes).
   */
  results: Map<string, GeoResult>;
}
const caches = new WeakMap<GeoReaders, Caches>();

function cachesOf(readers: GeoReaders): Caches {
  let cache = caches.get(readers);
  if (!cache) caches.set(readers, (cache = { v4: new Ipv4Memo(), text: new Map(), results: new Map() }));
  return cache;
}

function resolve(readers: GeoReaders, cache: Caches, ip: string): GeoResult | null {
  const result = answer(readers, ip);
  if (!result) return null;
  const key = JSON.stringify(result);
  const known = cache.results.get(key);
  if (known) return known;
  if (cache.results.size >= CACHE_SIZE) cache.results.clear();
  cache.results.set(key, result);
  return result;
}

function answer(readers: GeoReaders, ip: string): GeoResult | null {
  try {
    const city = readers.city?.get(ip) as Loose | null | undefined;
    const geo = city ? cityToGeo(city) : undefined;
    const asn = readers.asn?.get(ip) as Loose | null | undefined;
    let as: Json | undefined;
    if (asn && typeof asn.autonomous_system_number === 'number') {
      as = { number: asn.autonomous_system_number };
      if (asn.autonomous_system_organization) as.organization = { name: asn.autonomous_system_organization };
    }
    if (geo || as) return { ...(geo ? { geo } : {}), ...(as ? { as } : {}) };
  } catch {
    // A damaged database must not cost the record: enrichment is best effort.
  }
  return null;
}

function lookup(readers: GeoReaders, cache: Caches, ip: string): GeoResult | null {
  const n = ipv4Number(ip);
  if (n >= 0) {
    // Most addresses of flow logs are private: answered by two comparisons, before any memo.
    if (isPrivateOrReservedV4(n)) return null;
    const known = cache.v4.get(n);
    if (known !== undefined) return known;
    const result = resolve(readers, cache, ip);
    cache.v4.set(n, result);
    return result;
  }
  const known = cache.text.get(ip);
  if (known !== undefined) return known;
  // The key is kept: a copy, so that it does not keep alive the text it was cut from (a whole chunk of the file).
  ip = detached(ip);
  const result = isIp(ip) && !isPrivateOrReserved(ip) ? resolve(readers, cache, ip) : null;
  if (cache.text.size >= CACHE_SIZE) cache.text.clear();
  cache.text.set(ip, result);
  return result;
}

/**
 * Adds `<prefix>.geo.*` and `<prefix>.as.*` for each configured prefix whose `ip` is public. The objects
 * added are the memo's, shared by every document with that address (not frozen: JSON.stringify of frozen
 * objects measured 15-20% slower on flow logs): documents are only serialized after enrichment, never changed (ecs/normalize.ts returns them to the pipeline, which hands
 * them to JSON.stringify). A document that already has a geo object gets a merged copy of its own.
 */
export function enrichGeo(doc: Json, prefixes: readonly string[], readers: GeoReaders | undefined): void {
  if (!readers || (!readers.city && !readers.asn)) return;
  const cache = cachesOf(readers);
  for (const prefix of prefixes) {
    const set = doc[prefix];
    if (!isPlainObject(set)) continue;
    const ip = set.ip;
    const ipValue = typeof ip === 'string' ? ip : Array.isArray(ip) ? ip[0] : undefined;
    if (typeof ipValue !== 'string') continue;
    const r = lookup(readers, cache, ipValue);
    if (!r) continue;
    if (r.geo) set.geo = isPlainObject(set.geo) ? { ...set.geo, ...r.geo } : r.geo;
    if (r.as) set.as = r.as;
  }
}
