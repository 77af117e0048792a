/**
 * General logs of Amazon RDS for MySQL / MariaDB and Aurora MySQL: `time thread_id command\targument`,
 * an argument of several lines kept whole. As the reference's siem/sf_rds_mysql_general.py: the fields
 * under `mysql.`, the argument as rds.query, rds.cluster_identifier / rds.instance_identifier from the
 * log group and stream.
 */
import { nestUnder, rdsIdentifiers } from '../rds';
import type { Transform } from '../types';

export const rds_mysql_general: Transform = ({ doc, key }) => {
  rdsIdentifiers(doc, key);
  nestUnder(doc, 'mysql');
};
