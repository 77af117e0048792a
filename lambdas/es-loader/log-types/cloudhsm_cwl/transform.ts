/**
 * CloudHSM audit logs that a CloudWatch Logs export task (CreateExportTask) wrote to S3 under the prefix
 * `cloudhsm-cwl/<account>/<region>/<cluster-id>` (the reference's user.ini sample [cloudhsm-cwl] and its
 * siem/sf_cloudhsm_cwl.py): the export adds `<task id>/<log stream>/`, and the log stream is the HSM id.
 * The cluster and HSM ids come from the key (`/cluster-xxxxxxxxxxx/.../hsm-xxxxxxxxxxx/`, 11 characters
 * of [1-9a-z] as the reference's pattern), then everything as [cloudhsm]. The account and region of the
 * prefix are cloud.account.id / cloud.region (the reference finds them in any key).
 */
import { child } from '../../ecs/paths';
import { transformHsm } from '../cloudhsm/transform';
import type { Transform } from '../types';

const CLUSTER_HSM = /\W(cluster-[1-9a-z]{11})\W.*\/(hsm-[1-9a-z]{11})\W/;
const ACCOUNT_REGION = /(?:^|\/)(\d{12})\/([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)\//;

export const cloudhsm_cwl: Transform = ({ doc, key }) => {
  const m = CLUSTER_HSM.exec(key);
  transformHsm(doc, m?.[1], m?.[2]);
  const ar = ACCOUNT_REGION.exec(key);
  if (ar) {
    const cloud = child(doc, 'cloud');
    if (child(cloud, 'account').id === undefined) child(cloud, 'account').id = ar[1];
    if (cloud.region === undefined) cloud.region = ar[2];
  }
};
