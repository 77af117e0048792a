/** Feed-shaped fixtures shared by the ioc-downloader's unit, CLI and integration tests. */
export const TOR_EXIT_ADDRESSES = `ExitNode 5C3F3217F99D6CFA711D9415AFED1003971201AF
Published 2026-11-30 20:05:14
LastStatus 2026-12-01 05:00:00
ExitAddress 185.112.146.73 2026-12-01 05:08:45
ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E
Published 2026-11-30 21:05:14
LastStatus 2026-12-01 05:00:00
ExitAddress 162.247.74.201 2026-12-01 05:10:01
ExitAddress 185.112.146.73 2026-12-01 05:11:00
ExitAddress 999.1.1.1 2026-12-01 05:12:00
`;

export const FEODO_JSON = JSON.stringify([
  { ip_address: '51.178.161.32', port: 4643, status: 'online', hostname: null, as_number: 16276, as_name: 'OVH', country: 'FR', first_seen: '2021-01-17 07:44:46', last_online: '2026-11-30', malware: 'Dridex' },
  { ip_address: '45.33.32.156', port: 443, status: 'offline', first_seen: '2026-10-01 10:00:00', last_online: '2026-11-29', malware: 'QakBot' },
  { ip_address: 'not-an-ip', malware: 'QakBot' },
  { port: 1 },
]);

export const FEODO_CSV = `################################################################
# abuse.ch Feodo Tracker Botnet C2 IP Blocklist (CSV)          #
################################################################
#
"first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"
"2021-01-17 07:44:46","51.178.161.32","4643","online","2026-11-30","Dridex"
"2026-10-01 10:00:00","45.33.32.156","443","offline","2026-11-29","QakBot"
"2026-10-01 10:00:00","45.33.32","443","offline","2026-11-29","QakBot"
# Number of entries: 3
`;

export const OTX_PULSE = {
  id: '5f1a2b3c4d5e6f7a8b9c0d1e',
  name: 'Emotet C2 November',
  description: 'C2 servers',
  modified: '2026-11-30T10:00:00.000000',
  indicators: [
    { id: 1, indicator: '203.0.113.50', type: 'IPv4', title: '', description: '' },
    { id: 2, indicator: '2001:db8:bad::1', type: 'IPv6' },
    { id: 3, indicator: '198.51.100.0/24', type: 'CIDR' },
    { id: 4, indicator: 'evil.example.com', type: 'domain' },
    { id: 5, indicator: 'c2.evil.example.net', type: 'hostname' },
    { id: 6, indicator: 'http://evil.example.com/x', type: 'URL' },
    { id: 7, indicator: 'd41d8cd98f00b204e9800998ecf8427e', type: 'FileHash-MD5' },
    { id: 8, indicator: '203.0.113.500', type: 'IPv4' },
  ],
};

export const STIX_BUNDLE = {
  type: 'bundle',
  id: 'bundle--6f6f2a4e-0b6e-4f1a-9a3d-2b7f1c1e0a01',
  objects: [
    { type: 'identity', id: 'identity--1', name: 'ACME CERT' },
    { type: 'indicator', spec_version: '2.1', id: 'indicator--a', name: 'Phishing site', indicator_types: ['malicious-activity'], pattern: "[domain-name:value = 'login-acme.example']", pattern_type: 'stix', valid_from: '2026-11-01T00:00:00Z' },
    { type: 'indicator', spec_version: '2.1', id: 'indicator--b', name: 'Scanner', indicator_types: ['anomalous-activity'], pattern: "[ipv4-addr:value = '192.0.2.10' OR ipv4-addr:value ISSUBSET '192.0.2.128/25']", pattern_type: 'stix', valid_from: '2026-11-01T00:00:00Z' },
    { type: 'indicator', spec_version: '2.1', id: 'indicator--c', name: 'v6 host', pattern: "[ipv6-addr:value = '2001:db8:ac3e::7']", pattern_type: 'stix', valid_from: '2026-11-01T00:00:00Z' },
    { type: 'indicator', spec_version: '2.1', id: 'indicator--d', name: 'File', pattern: "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']", pattern_type: 'stix', valid_from: '2026-11-01T00:00:00Z' },
    { type: 'indicator', spec_version: '2.1', id: 'indicator--e', name: 'Broken', pattern: "[ipv4-addr:value = '192.0.2.300']", pattern_type: 'stix', valid_from: '2026-11-01T00:00:00Z' },
  ],
};
