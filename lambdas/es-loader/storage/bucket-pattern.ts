/**
 * Bucket name patterns: `*` stands for any characters, everything else is literal. Used for the
 * Security Lake buckets (`aws-security-data-lake-<region>-*`), whose random suffix the SIEM does not
 * know in advance. accounts/rules.ts checks configured patterns with the same function.
 */

/** A predicate for bucket names matching any of `patterns`. */
export function bucketMatcher(patterns: readonly string[]): (bucket: string) => boolean {
  const res = patterns.map((p) => new RegExp(`^${p.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('.*')}$`));
  return (bucket) => res.some((re) => re.test(bucket));
}

export function bucketPatternMatches(pattern: string, bucket: string): boolean {
  return bucketMatcher([pattern])(bucket);
}
