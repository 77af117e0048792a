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
import { isPrivateOrReserved } from './ip-ranges';

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

/** Adds `<prefix>.geo.*` and `<prefix>.as.*` for each configured prefix whose `ip` is public. */
export function enrichGeo(doc: Json, prefixes: readonly string[], readers: GeoReaders | undefined): void {
  if (!readers || (!readers.city && !readers.asn)) return;
  for (const prefix of prefixes) {
    const set = doc[prefix];
    if (!isPlainObject(set)) continue;
    const ipValue = Array.isArray(set.ip) ? set.ip[0] : set.ip;
    if (typeof ipValue !== 'string' || !isIp(ipValue) || isPrivateOrReserved(ipValue)) continue;
    try {
      const city = readers.city?.get(ipValue) as Loose | null | undefined;
      const geo = city ? cityToGeo(city) : undefined;
      if (geo) set.geo = { ...(isPlainObject(set.geo) ? set.geo : {}), ...geo };
      const asn = readers.asn?.get(ipValue) as Loose | null | undefined;
      if (asn && typeof asn.autonomous_system_number === 'number') {
        const as: Json = { number: asn.autonomous_system_number };
        if (asn.autonomous_system_organization) as.organization = { name: asn.autonomous_system_organization };
        set.as = as;
      }
    } catch {
      // A damaged database must not cost the record: enrichment is best effort.
    }
  }
}
