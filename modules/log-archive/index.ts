export { ControlTowerQueue, CT_MESSAGE_RETENTION_SECONDS } from './control-tower-queue';
export { ControlTowerNotifications, BucketNotificationModeError, DIRECT_EVENTS } from './bucket-notifications';
export { ControlTowerReaderRole, READER_ROLE_MAX_SESSION_SECONDS } from './reader-role';
export * from './policies';
export * from './settings';
