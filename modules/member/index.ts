export * from './central-refs';
export * from './flow-log-format';
export * from './flow-logs';
export * from './guardduty';
export * from './trail';
export * from './waf-firehose-policy';
export * from './waf-logging';
