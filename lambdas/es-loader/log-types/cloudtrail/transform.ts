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
  // user.name is userName, else the ARN, else principalId (the mapping), as its last part, as the
  // reference: an assumed role's session name (arn:...:assumed-role/<role>/<session>), `root`, a federated
  // user's name, the session of an AWSAccount principal (AROA...:<session>). AWS services have none.
  const name = getField(doc, 'user.name');
  if (typeof name === 'string' && name.includes(':')) setField(doc, 'user.name', name.slice(name.lastIndexOf(':') + 1).split('/').at(-1));
  const instance = instanceId(raw);
  if (instance) setField(doc, 'cloud.instance.id', instance);
  // Calls AWS makes itself carry "AWS Internal" or the calling service (ec2.amazonaws.com) as userAgent,
  // which no browser/tool parser names: the agent is its own name, as the reference's user_agent.py does.
  const agent = raw.userAgent;
  if (typeof agent === 'string' && AWS_AGENT.test(agent)) setField(doc, 'user_agent.name', agent);
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

/** The reference's RE_AWS_USER_AGENT (siem/user_agent.py). */
const AWS_AGENT = /^(?:AWS Internal|[\w.-]+?\.amazonaws\.com)$/;

/** The reference's RE_INSTANCEID, anchored at the start as its `match` is. */
const INSTANCE_ID = /^(?:\W|_)?(i-(?:[0-9a-z]{8}|[0-9a-z]{17}))(?:\W|_|$)/;

/**
 * The instance of events whose mapping cannot name it (the reference's extract_instance_id): the target
 * of an SSM session, the resource of SSM compliance items, and the session name of the role credentials
 * EC2 gets for an instance profile (AssumeRole by ec2.amazonaws.com, roleSessionName = instance id).
 */
function instanceId(raw: Record<string, unknown>): string | undefined {
  const params = raw.requestParameters;
  if (!isPlainObject(params)) return undefined;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  if (raw.eventSource === 'ssm.amazonaws.com') {
    if (raw.eventName === 'StartSession' || raw.eventName === 'GetConnectionStatus') return str(params.target);
    if (raw.eventName === 'PutComplianceItems') return INSTANCE_ID.exec(str(params.resourceId) ?? '')?.[1];
  } else if (raw.eventSource === 'sts.amazonaws.com' && raw.userAgent === 'ec2.amazonaws.com') return str(params.roleSessionName);
  return undefined;
}

function type(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
