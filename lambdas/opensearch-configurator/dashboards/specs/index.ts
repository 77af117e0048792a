/** Every dashboard, in the order Dashboards lists their files. Add a new spec here (docs/dashboards.md). */
import type { DashboardSpec } from '../spec';
import { clientvpn } from './clientvpn';
import { cloudfront } from './cloudfront';
import { cloudhsm } from './cloudhsm';
import { cloudtrail } from './cloudtrail';
import { config } from './config';
import { elb } from './elb';
import { guardduty } from './guardduty';
import { inspector } from './inspector';
import { linux } from './linux';
import { networkfirewall } from './networkfirewall';
import { ocsfAudit } from './ocsf-audit';
import { ocsfNetwork } from './ocsf-network';
import { opensearchMetrics } from './opensearch-metrics';
import { organization } from './organization';
import { rds } from './rds';
import { route53resolver } from './route53resolver';
import { s3accesslog } from './s3accesslog';
import { securityhub } from './securityhub';
import { threatHunting } from './threat-hunting';
import { trustedadvisor } from './trustedadvisor';
import { vpcflowlogs } from './vpcflowlogs';
import { vpcflowlogsCustom } from './vpcflowlogs-custom';
import { waf } from './waf';
import { web } from './web';
import { workspaces } from './workspaces';

export const DASHBOARDS: readonly DashboardSpec[] = [organization, threatHunting, cloudtrail, vpcflowlogs, vpcflowlogsCustom, waf, guardduty, securityhub, inspector, config, elb, cloudfront, s3accesslog, route53resolver, networkfirewall, trustedadvisor, workspaces, web, linux, rds, clientvpn, cloudhsm, ocsfAudit, ocsfNetwork, opensearchMetrics];
