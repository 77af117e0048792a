/**
 * AWS CloudHSM audit logs (https://docs.aws.amazon.com/cloudhsm/latest/userguide/get-hsm-audit-logs-using-cloudwatch.html,
 * https://docs.aws.amazon.com/cloudhsm/latest/userguide/cloudhsm-audit-log-reference.html): one multi-line entry
 * per management command (`Time: 11/21/26 10:00:01.123456, usecs:...`, `Sequence No : 0x1a4`, `Opcode : CN_LOGIN (0xd)`,
 * `Response : 0:HSM Return: SUCCESS` or `163:HSM Error: ...`, then the details of its `Log type`). The
 * CloudWatch Logs group is /aws/cloudhsm/<cluster-id>, each HSM writes its own log stream (<hsm-id>).
 * As the reference (siem/sf_cloudhsm.py, shared by sf_cloudhsm_cwl.py):
 * - the entry's fields under `cloudhsm.` (field_prefix) with `cluster_id` and `hsm_id`; the newer layout's
 *   opcode (before Command Type) and second key handle line under the same names as the older one;
 *   `sequence_no` and `reboot_counter` as numbers (hexadecimal in the log);
 * - the document id `<hsm id><sequence no as logged><usecs>`, so an entry read twice (subscription and
 *   export, [cloudhsm_cwl]) is one document;
 * - cloud.instance.id = the HSM, related.hosts = [cluster, HSM];
 * - user.name / user.roles for CN_LOGIN, CN_LOGOUT, CN_APP_FINALIZE, CN_CLOSE_SESSION; user.target
 *   (name, roles, id) for the user management opcodes (the acting user's name and type when the entry
 *   names no target);
 * - event.outcome success when the HSM returned a value, failure when it returned an error.
 */
import { child, type Json } from '../../ecs/paths';
import type { Transform } from '../types';

const SESSION = new Set(['CN_LOGIN', 'CN_LOGOUT', 'CN_APP_FINALIZE', 'CN_CLOSE_SESSION']);
const USER_MANAGEMENT = new Set(['CN_CREATE_USER', 'CN_CREATE_CO', 'CN_CREATE_APPLIANCE_USER', 'CN_DELETE_USER', 'CN_SET_M_VALUE', 'CN_CHANGE_PSWD', 'CN_APPROVE_TOKEN']);
/** The groups of the [cloudhsm] log_pattern: the entry's own fields. */
const FIELDS = [
  'timestamp', 'timestamp_usec', 'version_no', 'sequence_no', 'reboot_counter', 'opcode_v2', 'opcode_hex_v2', 'command_type',
  'command_type_hex', 'opcode', 'opcode_hex', 'user_id', 'session_handle', 'response', 'hsm_return', 'hsm_error', 'log_type',
  'log_type_code', 'priv_secret_key_handle', 'public_key_handle', 'priv_secret_key_handle_v2', 'key_handle', 'local_time',
  'local_time_usec', 'host_time', 'host_time_usec', 'propagation_delay', 'user_name', 'user_type', 'user_type_code', 'mechanism',
  'target_user_name', 'target_user_type', 'target_user_type_code', 'target_user_id', 'mfa_enabled', 'operation', 'operation_code',
  'number_of_users', 'user_ids', 'unknown_field_value',
] as const;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The CloudHSM part of a document whose cluster and HSM ids are known (or not): both log types. */
export function transformHsm(doc: Json, clusterId: string | undefined, hsmId: string | undefined): void {
  const e: Json = {};
  for (const f of FIELDS) {
    const v = str(doc[f]);
    doc[f] = undefined;
    if (v !== undefined) e[f] = v;
  }
  if (e.opcode_v2 !== undefined) {
    e.opcode = e.opcode_v2;
    e.opcode_hex = e.opcode_hex_v2;
    e.opcode_v2 = e.opcode_hex_v2 = undefined;
  }
  if (e.priv_secret_key_handle_v2 !== undefined) {
    e.priv_secret_key_handle = e.priv_secret_key_handle_v2;
    e.priv_secret_key_handle_v2 = undefined;
  }
  const seq = e.sequence_no as string;
  if (hsmId !== undefined) doc.__doc_id = `${hsmId}${seq}${String(e.timestamp_usec ?? '')}`;
  e.sequence_no = Number.parseInt(seq, 16);
  e.reboot_counter = Number.parseInt(e.reboot_counter as string, 16);
  const hosts: string[] = [];
  if (clusterId !== undefined) {
    e.cluster_id = clusterId;
    hosts.push(clusterId);
  }
  if (hsmId !== undefined) {
    e.hsm_id = hsmId;
    child(child(doc, 'cloud'), 'instance').id = hsmId;
    hosts.push(hsmId);
  }
  if (hosts.length) child(doc, 'related').hosts = hosts;

  const opcode = e.opcode as string | undefined;
  if (opcode !== undefined && SESSION.has(opcode)) {
    // an entry without a user (MINIMAL_LOG_ENTRY of CN_APP_FINALIZE, CN_CLOSE_SESSION) gets no user object
    if (e.user_name !== undefined) child(doc, 'user').name = e.user_name;
    if (e.user_type !== undefined) child(doc, 'user').roles = e.user_type;
  } else if (opcode !== undefined && USER_MANAGEMENT.has(opcode)) {
    const target: Json = {};
    const name = e.target_user_name ?? e.user_name;
    const roles = e.target_user_type ?? e.user_type;
    if (name !== undefined) target.name = name;
    if (roles !== undefined) target.roles = roles;
    if (e.target_user_id !== undefined) target.id = e.target_user_id;
    if (Object.keys(target).length) child(doc, 'user').target = target;
  }
  child(doc, 'event').outcome = e.hsm_return !== undefined ? 'success' : 'failure';
  doc.cloudhsm = e;
}

/** The cluster id is the log group's last part (/aws/cloudhsm/<cluster-id>), the HSM id the log stream. */
export const cloudhsm: Transform = ({ doc }) => {
  const group = str(doc['@log_group']);
  transformHsm(doc, group?.split('/')[3], str(doc['@log_stream']));
};
