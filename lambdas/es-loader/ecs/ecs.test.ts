import { describe, expect, it } from 'vitest';
import { pipeline } from '../log-types/testing';
import { coerce } from './fields';
import { toFlatObject } from './normalize';
import { indexTemplates } from './templates';
import { parseTzOffset, rotationSuffix, timeParser } from './time';

describe('ECS: time', () => {
  const now = new Date('2026-11-22T07:00:00Z');
  it.each([
    ['iso8601', '+00:00', '2026-11-21T10:00:00Z', '2026-11-21T10:00:00.000Z'],
    ['iso8601', '+00:00', '2026-11-21 10:00:00.123456+09:00', '2026-11-21T01:00:00.123Z'],
    ['iso8601', '+09:00', '2026-11-21T10:00:00', '2026-11-21T01:00:00.000Z'],
    ['epoch', '+00:00', '1795255200', '2026-11-21T10:00:00.000Z'],
    ['epoch', '+00:00', 1795255200123, '2026-11-21T10:00:00.123Z'],
    ['syslog', '+00:00', 'Nov 21 10:00:00', '2026-11-21T10:00:00.000Z'],
    ['syslog', '+00:00', 'Dec 31 23:00:00', '2025-12-31T23:00:00.000Z'],
    ['%d/%b/%Y:%H:%M:%S %z', '+00:00', '06/Feb/2026:00:00:38 +0000', '2026-02-06T00:00:38.000Z'],
    ['%Y-%m-%d %H:%M:%S', '-05:00', '2026-11-21 10:00:00', '2026-11-21T15:00:00.000Z'],
    // Apache's error log time: the weekday is read and ignored
    ['%a %b %d %H:%M:%S.%f %Y', '+00:00', 'Sat Nov 21 10:00:01.123456 2026', '2026-11-21T10:00:01.123Z'],
    ['%Y-%m-%dT%H:%M:%S.%fZ', '+00:00', '2026-11-21T10:00:00.987654Z', '2026-11-21T10:00:00.987Z'],
    // UTC with Z: the fast path (no regular expression), same answers as the general one
    ['iso8601', '+09:00', '2026-11-21T10:00:00.5Z', '2026-11-21T10:00:00.500Z'],
    ['iso8601', '+09:00', '2026-11-21T10:00:00.12Z', '2026-11-21T10:00:00.120Z'],
    ['iso8601', '+00:00', '2026-11-21 10:00:00,123456789Z', '2026-11-21T10:00:00.123Z'],
    ['iso8601', '+00:00', ' 2026-11-21T10:00:00Z ', '2026-11-21T10:00:00.000Z'],
  ])('%s (tz %s) parses %s', (format, tz, value, iso) => expect(timeParser(format, tz)(value, now)?.toISOString()).toBe(iso));

  it('rejects what does not match', () => {
    expect(timeParser('iso8601', '+00:00')('21/11/2026', now)).toBeUndefined();
    for (const bad of ['2026-11-21T10:00:00.Z', '2026-11-21T10:0x:00Z', '2026-11-21T10:00:00.1aZ', '2026-11-21X10:00:00Z'])
      expect(timeParser('iso8601', '+00:00')(bad, now), bad).toBeUndefined();
    expect(timeParser('epoch', '+00:00')('abc', now)).toBeUndefined();
    expect(parseTzOffset('JST')).toBeUndefined();
  });

  it.each([
    ['2026-11-16T00:00:00Z', 'weekly', 0, '2026-w47'],
    ['2026-01-01T00:00:00Z', 'weekly', 0, '2026-w01'],
    ['2027-01-01T00:00:00Z', 'weekly', 0, '2026-w53'],
    ['2026-12-31T20:00:00Z', 'yearly', 540, '2027'],
    ['2026-11-30T23:30:00Z', 'daily', -60, '2026-11-30'],
    ['2026-11-30T23:30:00Z', 'daily', 60, '2026-12-01'],
  ] as const)('%s %s (tz %d min) -> %s', (t, rot, tz, out) => expect(rotationSuffix(new Date(t), rot, tz)).toBe(out));
});

describe('ECS: flat_object values', () => {
  it('drops nulls at any depth, wraps non-objects, and keeps a __proto__ key as data', () => {
    expect(toFlatObject(null)).toBeUndefined();
    expect(toFlatObject(['a', null, 'b'])).toEqual({ value: ['a', 'b'] });
    expect(toFlatObject('x')).toEqual({ value: 'x' });
    const raw = JSON.parse('{"a":1,"b":null,"c":{"d":null,"e":[null,{"f":null,"g":2}]},"__proto__":{"h":null,"i":3}}');
    const flat = toFlatObject(raw)!;
    expect(JSON.stringify(flat)).toBe('{"a":1,"c":{"e":[{"g":2}]},"__proto__":{"i":3}}');
    expect(Object.getPrototypeOf(flat)).toBe(Object.prototype);
    // the original is left as it was
    expect(JSON.stringify(raw)).toBe('{"a":1,"b":null,"c":{"d":null,"e":[null,{"f":null,"g":2}]},"__proto__":{"h":null,"i":3}}');
  });

  it('returns an object without nulls as it is, without copying', () => {
    const raw = { a: 1, b: { c: [1, 2] } };
    expect(toFlatObject(raw)).toBe(raw);
  });
});

describe('ECS: coercion keeps documents indexable', () => {
  it.each([
    ['source.port', '443', 443],
    ['source.port', '-', undefined],
    ['source.port', 'abc', undefined],
    ['source.ip', 'ec2.amazonaws.com', undefined],
    ['source.ip', ' 10.0.0.1', '10.0.0.1'],
    ['event.severity', '5.5', 5.5],
    ['user.name', 12, '12'],
    ['user.name', { a: 1 }, '{"a":1}'],
    ['source.ip', ['10.0.0.1', 'x'], '10.0.0.1'],
  ])('%s = %j -> %j', (field, value, out) => expect(coerce(field, value)).toEqual(out));
});

describe('ECS: index templates', () => {
  const templates = indexTemplates(pipeline());

  it('creates component templates first, then one index template per index family', () => {
    expect(templates.map((t) => `${t.kind}:${t.name}`)).toEqual([
      'component_template:siem-ecs-mappings',
      'component_template:siem-log-aws-clientvpn-mappings',
      'component_template:siem-log-aws-cloudfront-mappings',
      'component_template:siem-log-aws-cloudhsm-mappings',
      'component_template:siem-log-aws-cloudtrail-mappings',
      'component_template:siem-log-aws-config-mappings',
      'component_template:siem-log-aws-directory-service-mappings',
      'component_template:siem-log-aws-elasticache-mappings',
      'component_template:siem-log-aws-elb-mappings',
      'component_template:siem-log-aws-fsx-win-mappings',
      'component_template:siem-log-aws-guardduty-mappings',
      'component_template:siem-log-aws-inspector-mappings',
      'component_template:siem-log-aws-msk-mappings',
      'component_template:siem-log-aws-networkfirewall-mappings',
      'component_template:siem-log-aws-opensearch-mappings',
      'component_template:siem-log-aws-opensearch_application-mappings',
      'component_template:siem-log-aws-r53resolver-mappings',
      'component_template:siem-log-aws-rds-mysql-mappings',
      'component_template:siem-log-aws-rds-postgresql-mappings',
      'component_template:siem-log-aws-s3accesslog-mappings',
      'component_template:siem-log-aws-securityhub-mappings',
      'component_template:siem-log-aws-trustedadvisor-mappings',
      'component_template:siem-log-aws-vpcflowlogs-mappings',
      'component_template:siem-log-aws-waf-mappings',
      'component_template:siem-log-aws-workspaces-mappings',
      'component_template:siem-log-deepsecurity-mappings',
      'component_template:siem-log-intra-audit-okta-mappings',
      'component_template:siem-log-linux-os-mappings',
      'component_template:siem-log-linux-secure-mappings',
      'component_template:siem-log-ocsf-mappings',
      'component_template:siem-log-web-apache-mappings',
      'component_template:siem-log-web-nginx-mappings',
      'component_template:siem-log-win-event-mappings',
      'component_template:siem-metrics-opensearch-index-mappings',
      'index_template:log-aws-clientvpn',
      'index_template:log-aws-cloudfront',
      'index_template:log-aws-cloudhsm',
      'index_template:log-aws-cloudtrail',
      'index_template:log-aws-config',
      'index_template:log-aws-directory-service',
      'index_template:log-aws-elasticache',
      'index_template:log-aws-elb',
      'index_template:log-aws-fsx-win',
      'index_template:log-aws-guardduty',
      'index_template:log-aws-inspector',
      'index_template:log-aws-msk',
      'index_template:log-aws-networkfirewall',
      'index_template:log-aws-opensearch',
      'index_template:log-aws-opensearch_application',
      'index_template:log-aws-r53resolver',
      'index_template:log-aws-rds-mysql',
      'index_template:log-aws-rds-postgresql',
      'index_template:log-aws-s3accesslog',
      'index_template:log-aws-securityhub',
      'index_template:log-aws-trustedadvisor',
      'index_template:log-aws-vpcflowlogs',
      'index_template:log-aws-waf',
      'index_template:log-aws-workspaces',
      'index_template:log-deepsecurity',
      'index_template:log-intra-audit-okta',
      'index_template:log-linux-os',
      'index_template:log-linux-secure',
      'index_template:log-ocsf',
      'index_template:log-web-apache',
      'index_template:log-web-nginx',
      'index_template:log-win-event',
      'index_template:metrics-opensearch-index',
    ]);
    expect(templates.find((t) => t.name === 'log-aws-cloudtrail')?.body).toEqual({
      index_patterns: ['log-aws-cloudtrail-*'],
      composed_of: ['siem-ecs-mappings', 'siem-log-aws-cloudtrail-mappings'],
      priority: 100,
      _meta: { description: 'SIEM index family log-aws-cloudtrail (cloudtrail)' },
    });
  });

  it('maps ECS fields with their types', () => {
    const base = templates[0].body as { template: { mappings: { properties: Record<string, any> } } }; // eslint-disable-line @typescript-eslint/no-explicit-any
    const p = base.template.mappings.properties;
    expect(p['@timestamp']).toEqual({ type: 'date' });
    expect(p.source.properties.ip).toEqual({ type: 'ip' });
    expect(p.source.properties.port).toEqual({ type: 'long' });
    expect(p.source.properties.geo.properties.location).toEqual({ type: 'geo_point' });
    expect(p.event.properties.ingested).toEqual({ type: 'date' });
    expect(p.cloud.properties.account.properties.id).toEqual({ type: 'keyword', ignore_above: 1024 });
  });

  it('maps the polymorphic CloudTrail objects as flat_object', () => {
    const ct = templates.find((t) => t.name === 'siem-log-aws-cloudtrail-mappings')!.body as { template: { mappings: { properties: Record<string, any> } } }; // eslint-disable-line @typescript-eslint/no-explicit-any
    const p = ct.template.mappings.properties;
    for (const f of ['requestParameters', 'responseElements', 'additionalEventData', 'serviceEventDetails']) expect(p[f]).toEqual({ type: 'flat_object' });
    expect(p.userIdentity.properties.sessionContext.properties.webIdFederationData).toEqual({ type: 'flat_object' });
  });

  it('includes user.ini log types', () => {
    const t = indexTemplates(pipeline({ userIni: '[app]\ns3_key = /app/\nfile_format = jsonl\nindex_name = log-app\nflat_object = detail' }));
    expect(t.find((x) => x.name === 'log-app')?.body).toMatchObject({ index_patterns: ['log-app-*'] });
    expect(t.find((x) => x.name === 'siem-log-app-mappings')?.body).toMatchObject({ template: { mappings: { properties: { detail: { type: 'flat_object' } } } } });
  });
});
