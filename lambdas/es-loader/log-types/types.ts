/** What a log type's transform (the reference's "script_ecs") receives. */
import type { LogType } from '../config/log-type';
import type { Json } from '../ecs/paths';

export interface KeyInfo {
  /** Account id found in the key (`AWSLogs/<acct>/...`, also after an organization id). */
  account?: string;
  /** Region found in the key (`.../<service>/<region>/...`), `global` for CloudFront-scoped WAF. */
  region?: string;
}

export interface TransformContext {
  /** The decoded record (the same object as `doc`: raw fields stay at the document's root). */
  raw: Json;
  /** The document being built; ECS fields are already set from the ini mapping. */
  doc: Json;
  key: string;
  keyInfo: KeyInfo;
  logType: LogType;
}

/** Adjusts the document in place. Throwing makes the record a record-error with the message as reason. */
export type Transform = (ctx: TransformContext) => void;
