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

describe('es-loader enrichment: IoC (not wired yet)', () => {
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
});
