/**
 * The fields dashboards aggregate, per index family, with the mapping type each must have in the
 * loader's index templates (docs/field-model.md). Derived from the reference's panels
 * (source/saved_objects/each-dashboard/*.ndjson: every `params.field` of a visualization's aggs, and
 * the TSVB metrics of the OpenSearch metrics dashboard) for the log families this loader has, under
 * our field names where they differ (`reference` names the reference's field then). Plus paths hunts
 * aggregate inside the polymorphic objects (`typed.*`).
 *
 * ecs/field-model.test.ts checks every entry against the generated templates, and the integration
 * test test/integration/field-model.test.ts against `_field_caps` of a real OpenSearch. Dashboards
 * (lambdas/opensearch-configurator/dashboards) can be tested against the same list.
 */

export type AggregatableType = 'keyword' | 'long' | 'double' | 'float' | 'ip' | 'date' | 'geo_point';

export interface AggregatableField {
  readonly field: string;
  readonly type: AggregatableType;
  /** The reference's field name when ours differs. */
  readonly reference?: string;
}

const f = (spec: string): AggregatableField[] =>
  spec
    .trim()
    .split(/\s+/)
    .map((tok) => {
      const [field, type, reference] = tok.split(':');
      return { field, type: type as AggregatableType, ...(reference ? { reference } : {}) };
    });

/** Fields of the shared ECS component, aggregated across all log-* indices (the reference's log-* panels). */
export const ALL_LOG_FAMILIES = '*';

/** Index family (index template name) -> fields. `field:type[:reference name]`. */
export const AGGREGATABLE_FIELDS: Readonly<Record<string, readonly AggregatableField[]>> = {
  [ALL_LOG_FAMILIES]: f(`
    @timestamp:date @log_type:keyword @id:keyword cloud.account.id:keyword cloud.region:keyword
    source.ip:ip destination.ip:ip source.geo.country_name:keyword source.geo.country_iso_code:keyword
    source.geo.city_name:keyword destination.geo.country_name:keyword destination.geo.country_iso_code:keyword
    source.as.organization.name:keyword destination.as.organization.name:keyword source.geo.location:geo_point
    destination.geo.location:geo_point source.port:long destination.port:long user.name:keyword user.id:keyword
    user_agent.original:keyword user_agent.name:keyword user_agent.os.name:keyword user_agent.device.name:keyword
    url.domain:keyword url.path:keyword url.scheme:keyword http.request.method:keyword http.request.referrer:keyword
    http.response.status_code:long http.request.bytes:long http.response.bytes:long network.bytes:long
    source.bytes:long source.packets:long network.direction:keyword event.action:keyword event.outcome:keyword
    event.category:keyword event.module:keyword rule.name:keyword rule.ruleset:keyword cloud.instance.id:keyword
    threat.matched.providers:keyword threat.matched.indicators:keyword threat.matched.names:keyword
  `),
  'log-aws-cloudtrail': f(`
    eventName:keyword eventSource:keyword eventType:keyword errorCode:keyword tlsDetails.tlsVersion:keyword
    userIdentity.arn:keyword
    typed.requestParameters.bucketName:keyword:requestParameters.bucketName
    typed.additionalEventData.bytesTransferredIn:double:additionalEventData.bytesTransferredIn
    typed.additionalEventData.bytesTransferredOut:double:additionalEventData.bytesTransferredOut
    typed.responseElements.ConsoleLogin:keyword typed.additionalEventData.MFAUsed:keyword
    typed.requestParameters.roleArn:keyword typed.requestParameters.userName:keyword
  `),
  'log-aws-vpcflowlogs': f(`
    action:keyword az_id:keyword flow_direction:keyword instance_id:keyword interface_id:keyword subnet_id:keyword
    bytes:long packets:long srcport:long dstport:long protocol:long srcaddr:ip dstaddr:ip
  `),
  'log-aws-waf': f(`
    httpRequest.clientIp:ip httpRequest.country:keyword httpRequest.httpMethod:keyword httpRequest.httpVersion:keyword
    httpRequest.uri:keyword terminatingRuleId:keyword action:keyword
    typed.ruleGroupList.ruleGroupId:keyword typed.ruleGroupList.terminatingRule.ruleId:keyword
    typed.ruleGroupList.nonTerminatingMatchingRules.ruleId:keyword typed.nonTerminatingMatchingRules.ruleId:keyword
  `),
  'log-aws-guardduty': f(`
    type:keyword ResourceTypeAffected:keyword ThreatFamilyName:keyword ThreatPurpose:keyword
    resource.instanceDetails.instanceId:keyword resource.s3BucketDetails.name:keyword resource.eksClusterDetails.name:keyword
    typed.service.ebsVolumeScanDetails.scanDetections.threatDetectedByName.threatNames.name:keyword:service.ebsVolumeScanDetails.scanDetections.threatDetectedByName.threatNames.name
    typed.service.additionalInfo.threatListName:keyword
  `),
  'log-aws-elb': f(`
    http_protocol:keyword ssl_cipher:keyword ssl_protocol:keyword request_processing_time:double
    response_processing_time:double target_processing_time:double received_bytes:long sent_bytes:long
    elb_status_code:long client_ip:ip
  `),
  'log-aws-cloudfront': f(`
    distribution_id:keyword ssl_cipher:keyword ssl_protocol:keyword x_edge_location:keyword x_edge_result_type:keyword
    time_taken:double sc_bytes:long cs_bytes:long c_ip:ip
  `),
  'log-aws-s3accesslog': f(`
    Bucket:keyword ErrorCode:keyword HTTPstatus:long Operation:keyword RequestURI_key:keyword Requester:keyword
    BytesSent:long ObjectSize:long TotalTime:long TurnAroundTime:long RemoteIP:ip
  `),
  'log-aws-securityhub': f(`
    Compliance.Status:keyword GeneratorId:keyword ProductFields.aws/securityhub/ProductName:keyword RecordState:keyword
    ResourceTypeAffected:keyword Severity.Label:keyword Severity.Normalized:long ThreatFamilyName:keyword
    ThreatPurpose:keyword Title:keyword Types:keyword Workflow.Status:keyword
  `),
  'log-aws-workspaces': f(`
    ConnectionState:keyword State:keyword WorkspaceId:keyword
  `),
  // The reference's Web dashboard (Apache and NGINX); the body size is typed by long_fields in aws.ini
  // (log.level and apache.error.module are strings, keywords through the templates' strings_as_keyword).
  'log-web-apache': f(`
    http.response.body.bytes:long url.extension:keyword url.query:keyword
  `),
  'log-web-nginx': f(`
    http.response.body.bytes:long url.extension:keyword url.query:keyword
  `),
  // The reference's Client VPN and CloudHSM dashboards (the entries' strings are keywords through strings_as_keyword).
  'log-aws-clientvpn': f(`
    clientvpn.connection-id:keyword clientvpn.connection-log-type:keyword clientvpn.username:keyword
    clientvpn.device-type:keyword clientvpn.device-ip:keyword clientvpn.common-name:keyword
    clientvpn.connection-attempt-failure-reason:keyword clientvpn.client-vpn-endpoint-id:keyword
    network.packets:long event.duration:long
  `),
  'log-aws-cloudhsm': f(`
    cloudhsm.command_type:keyword cloudhsm.log_type:keyword cloudhsm.opcode:keyword cloudhsm.opcode_hex:keyword
    cloudhsm.cluster_id:keyword cloudhsm.hsm_id:keyword cloudhsm.user_name:keyword cloudhsm.user_type:keyword
    cloudhsm.hsm_error:keyword cloudhsm.hsm_return:keyword cloudhsm.priv_secret_key_handle:keyword
    cloudhsm.public_key_handle:keyword cloudhsm.key_handle:keyword user.target.name:keyword user.target.id:keyword
    user.target.roles:keyword
  `),
  // The reference's RDS dashboard (typed by keyword_fields/double_fields in the rds_* sections of aws.ini).
  'log-aws-rds-postgresql': f(`
    rds.database_name:keyword rds.instance_identifier:keyword rds.cluster_identifier:keyword rds.query:keyword
    rds.message:keyword log.level:keyword rds.query_time:double postgresql.duration_ms:double
  `),
  'log-aws-rds-mysql': f(`
    rds.database_name:keyword rds.instance_identifier:keyword rds.cluster_identifier:keyword rds.query:keyword
    rds.message:keyword log.level:keyword rds.query_time:double mysql.query_time:double mysql.lock_time:double
  `),
  // The reference's OCSF audit and network dashboards (Security Lake, OCSF JSON; keyword_fields/long_fields of [securitylake]).
  'log-ocsf': f(`
    api.service.name:keyword api.operation:keyword api.response.error:keyword class_name:keyword disposition:keyword
    query.hostname:keyword rcode:keyword class_uid:long category_uid:long traffic.bytes:long traffic.packets:long
  `),
  // The exporter writes the reference's index-metrics schema (lambdas/index-metrics-exporter): the reference's names.
  'metrics-opensearch-index': f(`
    @timestamp:date metricset.name:keyword opensearch.index.name:keyword opensearch.index.storage_tier:keyword
    opensearch.index.index_status:keyword opensearch.shard.source_node.uuid:keyword opensearch.node.id:keyword
    opensearch.index.primaries.docs.count:long opensearch.index.total.store.size_in_bytes:long opensearch.shard.store.size_in_bytes:long
  `),
};
