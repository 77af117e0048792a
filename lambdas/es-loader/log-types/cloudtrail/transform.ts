/**
 * CloudTrail (management, data and Insights events). Fields from the CloudTrail record contents page:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
import { isIp } from '../../ecs/fields';
import { getField, getPath, isPlainObject, setField } from '../../ecs/paths';
import type { Transform } from '../types';

/**
 * Fields whose value "Failure" marks a failed sign-in step, wherever CloudTrail puts them
 * (responseElements, additionalEventData or serviceEventDetails). From "AWS Management Console sign-in
 * events" (ConsoleLogin, CheckMfa, SwitchRole, ExitRole, RenewRole, GetSigninToken, PasswordUpdated,
 * PasswordRecoveryRequested/Completed) and the IAM Identity Center sign-in events (CredentialChallenge,
 * CredentialVerification, UserAuthentication, ...): each reports its result under its own event name.
 */
const SIGN_IN_RESULTS = ['ConsoleLogin', 'CheckMfa', 'SwitchRole', 'ExitRole', 'RenewRole', 'GetSigninToken', 'PasswordUpdated', 'PasswordRecoveryRequested', 'PasswordRecoveryCompleted', 'CredentialChallenge', 'CredentialVerification', 'UserAuthentication'];
const RESULT_HOLDERS = ['responseElements', 'additionalEventData', 'serviceEventDetails'];

/**
 * A call or sign-in failed when it carries errorCode (AccessDenied, ...) or errorMessage (a failed
 * ConsoleLogin has only "errorMessage": "Failed authentication"), or when a sign-in result field says
 * "Failure" (also under the event's own name, for sign-in events added later).
 */
function failed(raw: Record<string, unknown>): boolean {
  if (present(raw.errorCode) || present(raw.errorMessage)) return true;
  const name = typeof raw.eventName === 'string' ? raw.eventName : undefined;
  for (const holder of RESULT_HOLDERS) {
    const h = raw[holder];
    if (!isPlainObject(h)) continue;
    if (name !== undefined && isFailure(h[name])) return true;
    for (const k of SIGN_IN_RESULTS) if (isFailure(h[k])) return true;
  }
  return false;
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

function isFailure(v: unknown): boolean {
  return typeof v === 'string' && v.toLowerCase() === 'failure';
}

export const cloudtrail: Transform = ({ raw, doc }) => {
  // Outcome of an API call or a sign-in. Insights events are neither.
  if (raw.eventType !== 'AwsCloudTrailInsight') setField(doc, 'event.outcome', failed(raw) ? 'failure' : 'success');
  // sourceIPAddress is an IP for callers but a service name (e.g. "ec2.amazonaws.com") for AWS services.
  const src = raw.sourceIPAddress;
  if (typeof src === 'string' && src !== '' && !isIp(src)) setField(doc, 'source.domain', src);
  // Assumed-role callers have no userName: use the session issuer's role and the session name.
  const identity = raw.userIdentity;
  if (isPlainObject(identity) && getField(doc, 'user.name') === undefined) {
    const type = identity.type;
    const arn = typeof identity.arn === 'string' ? identity.arn : undefined;
    if (type === 'Root') setField(doc, 'user.name', 'root');
    else if (type === 'AssumedRole' && arn) setField(doc, 'user.name', arn.slice(arn.lastIndexOf('/') + 1));
    else if (typeof identity.invokedBy === 'string') setField(doc, 'user.name', identity.invokedBy);
  }
  if (type(raw.eventType) === 'AwsCloudTrailInsight') {
    setField(doc, 'event.kind', 'alert');
    // Insights events describe unusual API activity; the API is inside insightDetails.
    const name = getPath(raw, ['insightDetails', 'eventName']);
    const source = getPath(raw, ['insightDetails', 'eventSource']);
    if (typeof name === 'string' && getField(doc, 'event.action') === undefined) setField(doc, 'event.action', name);
    if (typeof source === 'string' && getField(doc, 'event.provider') === undefined) setField(doc, 'event.provider', source);
    const state = getPath(raw, ['insightDetails', 'state']);
    if (typeof state === 'string') setField(doc, 'event.type', state === 'Start' ? 'start' : 'end');
  }
};

function type(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
