export { parseInvocation, parseNotification, decodeS3Key, type Invocation, type SqsMessageWork } from './events';
export { UnrecognizedEventError, UnrecognizedMessageError } from './errors';
export { SqsRangeQueue, splitRanges, rangeMessages, SplitQueueError, type RangeQueue } from './split-queue';
export type { ObjectTask, Notification, RangeMessage, TaskOrigin } from './types';
