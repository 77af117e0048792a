/**
 * The VPC Flow Logs record format every member writes. The es-loader's flow log parser and its
 * fixtures depend on this exact field order, so it is defined once here and imported everywhere.
 *
 * Custom format, version 5 fields (AWS VPC User Guide, "Flow log records" > "Available fields").
 * Fields are separated by single spaces, which is what `log_format` produces for S3 destinations.
 */
export const FLOW_LOG_FIELDS = [
  'account-id',
  'vpc-id',
  'subnet-id',
  'instance-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
  'tcp-flags',
  'flow-direction',
  'traffic-path',
  'pkt-srcaddr',
  'pkt-dstaddr',
  'region',
  'az-id',
] as const;

export type FlowLogField = (typeof FLOW_LOG_FIELDS)[number];

/** `${account-id} ${vpc-id} ... ${az-id}`: the value of `aws_flow_log.log_format`. */
export const FLOW_LOG_FORMAT: string = FLOW_LOG_FIELDS.map((f) => '${' + f + '}').join(' ');

/**
 * The same format as a Terraform argument. Terraform reads `${...}` in a string as an interpolation,
 * even in JSON configuration; `$${` is its escape, so the plan and AWS see FLOW_LOG_FORMAT itself.
 */
export const FLOW_LOG_FORMAT_TERRAFORM: string = FLOW_LOG_FORMAT.replace(/\$\{/g, '$$${');
