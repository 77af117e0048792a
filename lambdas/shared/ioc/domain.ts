/** Domain-name indicators: one canonical form (lower case, ASCII/punycode, no trailing dot) for building and lookup. */
import { domainToASCII } from 'node:url';

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/**
 * Canonical form of a domain indicator; a string starting with `!` saying what is wrong otherwise.
 * `*.evil.com` is `evil.com` (subdomains match through the parent-domain walk anyway).
 */
export function normalizeDomain(text: string): string {
  let d = text.trim().toLowerCase();
  if (d.startsWith('*.')) d = d.slice(2);
  if (d.endsWith('.')) d = d.slice(0, -1);
  if (d.length === 0) return '!empty domain';
  if (/[^\x00-\x7f]/.test(d)) {
    const ascii = domainToASCII(d);
    if (!ascii) return '!not a valid internationalized domain name';
    d = ascii;
  }
  if (d.length > 253) return '!domain longer than 253 characters';
  const labels = d.split('.');
  if (labels.length < 2) return '!a domain needs at least two labels (e.g. example.com)';
  for (const l of labels) if (!LABEL.test(l)) return `!invalid domain label "${l}"`;
  if (/^\d+$/.test(labels[labels.length - 1]!)) return '!not a domain (numeric top-level label)';
  return d;
}

/** Lower-cases and punycodes a looked-up name when it is not plain lower-case ASCII; undefined when hopeless. */
export function lookupForm(name: string): string | undefined {
  let plain = true;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c > 126 || (c >= 65 && c <= 90)) {
      plain = false;
      break;
    }
  }
  if (plain) return name;
  const ascii = domainToASCII(name.toLowerCase());
  return ascii || undefined;
}
