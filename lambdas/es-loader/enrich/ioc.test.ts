import { describe, expect, it } from 'vitest';
import { IocDatabaseBuilder } from '../../shared/ioc/builder';
import { IocDatabase } from '../../shared/ioc/database';
import { parseNetwork, type Network } from '../../shared/ioc/ip';
import { enrichIoc } from './ioc';

function db(): IocDatabase {
  const b = new IocDatabaseBuilder();
  b.addNetwork(parseNetwork('203.0.113.7') as Network, b.meta({ provider: 'torproject.org', type: 'ipv4-addr', name: 'TOR' }));
  b.addNetwork(parseNetwork('2001:db8:bad::/48') as Network, b.meta({ provider: 'AlienVault_OTX', type: 'ipv6-addr', name: 'Pulse A' }));
  b.addDomain('evil.com', b.meta({ provider: 'custom', type: 'domain-name', name: 'domains.txt' }));
  return IocDatabase.fromBuffer(b.build());
}

describe('es-loader enrichment: IoC', () => {
  const database = db();

  it('adds threat.matched and threat.enrichments for IPs in several fields and a parent-domain match, keeping other threat fields', () => {
    const doc = {
      source: { ip: '203.0.113.7' },
      destination: { ip: '2001:db8:bad::10' },
      related: { ip: ['203.0.113.7', '2001:db8:bad::10', '192.0.2.1'] },
      dns: { question: { name: 'c2.evil.com' } },
      threat: { tactic: { name: ['Command and Control'] } },
    };
    expect(enrichIoc(doc, ['source.ip', 'destination.ip', 'related.ip'], ['dns.question.name'], database)).toBe(true);
    expect(doc.threat).toEqual({
      tactic: { name: ['Command and Control'] },
      matched: { providers: ['torproject.org', 'AlienVault_OTX', 'custom'], types: ['ipv4-addr', 'ipv6-addr', 'domain-name'], indicators: ['203.0.113.7', '2001:db8:bad::10', 'c2.evil.com'], names: ['TOR', 'Pulse A', 'domains.txt'] },
      enrichments: [
        { indicator: { provider: 'torproject.org', type: 'ipv4-addr', name: 'TOR', ip: '203.0.113.7' }, matched: { field: ['source.ip', 'related.ip'] } },
        { indicator: { provider: 'AlienVault_OTX', type: 'ipv6-addr', name: 'Pulse A', ip: '2001:db8:bad::10' }, matched: { field: ['destination.ip', 'related.ip'] } },
        { indicator: { provider: 'custom', type: 'domain-name', name: 'domains.txt' }, matched: { atomic: 'c2.evil.com', field: ['dns.question.name'] } },
      ],
    });
  });

  it('leaves a document without a match, or without a database, untouched', () => {
    const doc = { source: { ip: '203.0.113.8' }, dns: { question: { name: 'notevil.com' } } };
    expect(enrichIoc(doc, ['source.ip'], ['dns.question.name'], database)).toBe(false);
    expect(doc).toEqual({ source: { ip: '203.0.113.8' }, dns: { question: { name: 'notevil.com' } } });
    const hit = { source: { ip: '203.0.113.7' } };
    expect(enrichIoc(hit, ['source.ip'], [], undefined)).toBe(false);
    expect(hit).toEqual({ source: { ip: '203.0.113.7' } });
  });

  it('every document gets its own, equal threat fields; a value in two fields is looked up once and reported with both', () => {
    const docs = [0, 1, 2].map(() => ({ source: { ip: '203.0.113.7' }, related: { ip: ['203.0.113.7', '198.51.100.1'] }, dns: { question: { name: 'x.evil.com' } } }));
    for (const d of docs) expect(enrichIoc(d, ['source.ip', 'related.ip'], ['dns.question.name'], database)).toBe(true);
    const want = {
      matched: { providers: ['torproject.org', 'custom'], types: ['ipv4-addr', 'domain-name'], indicators: ['203.0.113.7', 'x.evil.com'], names: ['TOR', 'domains.txt'] },
      enrichments: [
        { indicator: { provider: 'torproject.org', type: 'ipv4-addr', name: 'TOR', ip: '203.0.113.7' }, matched: { field: ['source.ip', 'related.ip'] } },
        { indicator: { provider: 'custom', type: 'domain-name', name: 'domains.txt' }, matched: { atomic: 'x.evil.com', field: ['dns.question.name'] } },
      ],
    };
    for (const d of docs) expect((d as { threat?: unknown }).threat).toEqual(want);
    ((docs[0] as unknown as { threat: { matched: { providers: string[] } } }).threat.matched.providers).push('changed');
    expect((docs[1] as { threat?: unknown }).threat).toEqual(want);
    // A near miss stays a miss when asked again, and a hit after it still hits.
    for (let k = 0; k < 2; k++) expect(enrichIoc({ source: { ip: '203.0.113.8' } }, ['source.ip'], [], database)).toBe(false);
    expect(enrichIoc({ source: { ip: '203.0.113.7' } }, ['source.ip'], [], database)).toBe(true);
  });
});
