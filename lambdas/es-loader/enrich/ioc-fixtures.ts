/**
 * The IoC enrichment fixtures shared by the unit test (enrich/ioc-wiring.test.ts) and the OpenSearch
 * integration test (test/integration/es-loader-ioc.test.ts): a small IoC database, VPC Flow Logs and
 * Route 53 Resolver records that match an IPv4 address, an IPv4 CIDR block, an IPv6 block and a parent
 * domain with near misses beside them, and the exact `threat` object each document gets. Test-only.
 */
import { IocDatabaseBuilder } from '../../shared/ioc/builder';
import { parseNetwork, type Network } from '../../shared/ioc/ip';

export const FLOW_KEY = 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/21/123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d_20261121T1010Z_ab12cd34.log.gz';
export const DNS_KEY = 'AWSLogs/123456789012/vpcdnsquerylogs/vpc-0a1b2c3d4e5f6a7b8/2026/11/21/vpc-0a1b2c3d4e5f6a7b8_vpcdnsquerylogs_123456789012_20261121T1015Z_0f1e2d3c.log.gz';

export const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
export const flow = (src: string, dst: string) => `2 123456789012 eni-0a1b2c3d4e5f6a7b8 ${src} ${dst} 49761 443 6 20 4249 1795719600 1795719660 ACCEPT OK`;
export const FLOWS = [
  HEADER,
  flow('198.51.100.23', '10.0.1.5'), // a Tor exit node (exact IPv4)
  flow('10.0.1.5', '203.0.113.77'), // inside the custom 203.0.113.0/24
  flow('2001:db8:bad:1::5', '2001:db8:1::10'), // inside OTX's 2001:db8:bad::/48
  flow('198.51.100.24', '203.0.114.1'), // near misses: the next address, the next /24
].join('\n');

export const dnsRecord = (name: string, answers: Array<[string, string]>) =>
  JSON.stringify({
    version: '1.100000', account_id: '123456789012', region: 'us-east-1', vpc_id: 'vpc-0a1b2c3d4e5f6a7b8', query_timestamp: '2026-11-21T10:15:01Z',
    query_name: name, query_type: 'A', query_class: 'IN', rcode: 'NOERROR', answers: answers.map(([Rdata, Type]) => ({ Rdata, Type, Class: 'IN' })),
    srcaddr: '10.0.1.25', srcport: '49153', transport: 'UDP', srcids: { instance: 'i-0123456789abcdef0' },
  });
export const DNS = [
  dnsRecord('beacon.c2.evil.example.', [['cdn.evil.example.', 'CNAME'], ['198.51.100.23', 'A']]), // parent domain + answer IP
  dnsRecord('notevil.example.', [['198.51.100.22', 'A']]), // near misses: not a subdomain, the previous address
  dnsRecord('evil.example.com.', []), // near miss: the listed domain as a label of another
].join('\n');

export function database(): Buffer {
  const b = new IocDatabaseBuilder();
  const net = (s: string) => parseNetwork(s) as Network;
  b.addNetwork(net('198.51.100.23'), b.meta({ provider: 'torproject.org', type: 'ipv4-addr', name: 'TOR' }));
  b.addNetwork(net('203.0.113.0/24'), b.meta({ provider: 'my-lists', type: 'ipv4-addr', name: 'blocklist.txt' }));
  b.addNetwork(net('2001:db8:bad::/48'), b.meta({ provider: 'AlienVault_OTX', type: 'ipv6-addr', name: 'Pulse: IPv6 scanners' }));
  b.addDomain('evil.example', b.meta({ provider: 'abuse.ch', type: 'domain-name', name: 'Emotet' }));
  return b.build(new Date('2026-11-20T00:00:00Z'));
}

const TOR = { provider: 'torproject.org', type: 'ipv4-addr', name: 'TOR' };


/** The `threat` of each FLOWS record (undefined: none), in order. */
export const FLOW_THREATS: Array<Record<string, unknown> | undefined> = [
  {
    matched: { providers: ['torproject.org'], types: ['ipv4-addr'], indicators: ['198.51.100.23'], names: ['TOR'] },
    enrichments: [{ indicator: { ...TOR, ip: '198.51.100.23' }, matched: { field: ['source.ip', 'related.ip'] } }],
  },
  {
    matched: { providers: ['my-lists'], types: ['ipv4-addr'], indicators: ['203.0.113.77'], names: ['blocklist.txt'] },
    enrichments: [{ indicator: { provider: 'my-lists', type: 'ipv4-addr', name: 'blocklist.txt', ip: '203.0.113.77' }, matched: { field: ['destination.ip', 'related.ip'] } }],
  },
  {
    matched: { providers: ['AlienVault_OTX'], types: ['ipv6-addr'], indicators: ['2001:db8:bad:1::5'], names: ['Pulse: IPv6 scanners'] },
    enrichments: [{ indicator: { provider: 'AlienVault_OTX', type: 'ipv6-addr', name: 'Pulse: IPv6 scanners', ip: '2001:db8:bad:1::5' }, matched: { field: ['source.ip', 'related.ip'] } }],
  },
  undefined,
];

/** The `threat` of each DNS record (undefined: none), in order. */
export const DNS_THREATS: Array<Record<string, unknown> | undefined> = [
  {
    matched: { providers: ['torproject.org', 'abuse.ch'], types: ['ipv4-addr', 'domain-name'], indicators: ['198.51.100.23', 'beacon.c2.evil.example'], names: ['TOR', 'Emotet'] },
    enrichments: [
      { indicator: { ...TOR, ip: '198.51.100.23' }, matched: { field: ['dns.answers.data'] } },
      { indicator: { provider: 'abuse.ch', type: 'domain-name', name: 'Emotet' }, matched: { atomic: 'beacon.c2.evil.example', field: ['dns.question.name'] } },
    ],
  },
  undefined,
  undefined,
];

type Doc = { _index: string; _id: string; _source: Record<string, unknown> };
/** The documents loaded without a database, each with the `threat` it gets with one. */
export function withThreat<D extends Doc>(plain: D[], threats: Array<Record<string, unknown> | undefined>): D[] {
  if (plain.length !== threats.length) throw new Error(`${plain.length} documents for ${threats.length} expected threats`);
  return plain.map((d, i) => (threats[i] ? { ...d, _source: { ...d._source, threat: threats[i] } } : d));
}
