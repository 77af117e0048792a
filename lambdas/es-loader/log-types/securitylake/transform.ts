/**
 * Amazon Security Lake (OCSF, parquet) and OCSF JSON records, as the reference's siem/sf_securitylake.py
 * (sf_ocsf_json.py calls it): the OCSF category names the index and @log_type, per record:
 * - index log-ocsf-<first word of category_name, lower case> and @log_type ocsf-<category_name, spaces
 *   as dashes, lower case> (Audit Activity -> log-ocsf-audit, ocsf-audit-activity); without a
 *   category_name, from category_uid: 1 system, 2 findings, 3 audit, 4 network, 5 config; others log-ocsf;
 * - a finding's @timestamp is finding.modified_time, else finding.created_time (aws.ini timestamp_key);
 * - user.name "arn:aws:sts::<acct>:assumed-role/<role>/<session>" or "<id>:<session>" becomes <session>
 *   (the part after the last ":" and then the last "/").
 * A record without category_uid is an error, as in the reference (int('') raises there).
 */
import type { Transform } from '../types';

const BY_UID: Readonly<Record<number, readonly [string, string]>> = {
  1: ['-system', '-system-activity'],
  2: ['-findings', '-findings'],
  3: ['-audit', '-audit-activity'],
  4: ['-network', '-network-activity'],
  5: ['-config', '-config-inventory'],
};

export const securitylake: Transform = ({ doc }) => {
  const uid = doc.category_uid;
  const n = typeof uid === 'number' ? uid : typeof uid === 'string' && /^\s*[+-]?\d+\s*$/.test(uid) ? Number(uid) : NaN;
  if (!Number.isInteger(n)) throw new Error(`category_uid ${uid === undefined ? 'is missing' : `= ${JSON.stringify(uid)} is not an integer`}: the OCSF category names the index`);
  const name = doc.category_name;
  let suffix: string;
  let logType: string;
  if (typeof name === 'string' && name !== '') {
    suffix = `-${(name.split(/\s+/).find(Boolean) ?? '').toLowerCase()}`;
    logType = `-${name.replaceAll(' ', '-').toLowerCase()}`;
  } else [suffix, logType] = BY_UID[n] ?? ['', ''];
  doc.__index_name = `log-ocsf${suffix}`;
  doc.__log_type = `ocsf${logType}`;

  const user = doc.user;
  if (typeof user === 'object' && user !== null && !Array.isArray(user)) {
    const u = user as Record<string, unknown>;
    if (typeof u.name === 'string' && u.name.includes(':')) u.name = u.name.split(':').at(-1)!.split('/').at(-1)!;
  }
};
