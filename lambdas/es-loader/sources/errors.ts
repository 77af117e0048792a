import { EsLoaderError } from '../errors';

/** The Lambda was invoked with an event of no known shape (fatal for a direct invocation). */
export class UnrecognizedEventError extends EsLoaderError {}

/** One SQS message body is not a notification the loader understands (that message fails alone). */
export class UnrecognizedMessageError extends EsLoaderError {}
