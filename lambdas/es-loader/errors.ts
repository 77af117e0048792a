/** Errors of the es-loader pipeline. All descend from EsLoaderError, set `name` and keep `cause`. */

export class EsLoaderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The merged aws.ini/user.ini configuration is invalid. Fatal at cold start. */
export class ConfigError extends EsLoaderError {
  constructor(
    message: string,
    readonly file?: string,
    readonly section?: string,
    readonly key?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** No log type's `s3_key` pattern matches the object key. */
export class UnknownLogTypeError extends EsLoaderError {
  constructor(readonly key: string, options?: { cause?: unknown }) {
    super(`no log type matches object key "${key}" (checked the s3_key patterns of aws.ini and user.ini)`, options);
  }
}

/** One record could not be turned into a document. Reported as a record-error item, never thrown out of the pipeline. */
export class RecordError extends EsLoaderError {}

/**
 * The object's bytes are neither gzip nor text (or gzip that is broken from its first byte, or gzip of
 * something that is not text): nothing of it can be loaded, and reading it again cannot help. `what`
 * says what the bytes are not; the Lambda sends the object to the DLQ with it, `siem-load` exits 2.
 */
export class UnreadableObjectError extends EsLoaderError {
  constructor(
    readonly what: string,
    readonly key?: string,
    options?: { cause?: unknown },
  ) {
    super(key ? `${key}: ${what}` : what, options);
  }
}
