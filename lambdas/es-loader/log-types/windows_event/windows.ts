/**
 * What the reference's sf_windows_event.py, sf_directory_service.py and sf_fsx_win.py add to a Windows
 * event (file_format = winevtxml, formats/xml.ts): event.action and event.outcome from the event id
 * (formats/winevtxml-eventid.ts), and cloud.instance.id when the CloudWatch Logs stream is named after
 * the instance (the CloudWatch agent's default `{instance_id}`). Shared by those log types.
 */
import { windowsEventId } from '../../formats/winevtxml-eventid';
import { child, getPath, type Json } from '../../ecs/paths';

const INSTANCE_ID = /(?:\W|_|^)(i-(?:[0-9a-z]{8}|[0-9a-z]{17}))(?:\W|_|$)/;
const EVENT_ID = ['Event', 'System', 'EventID'];

export function windowsEventFields(doc: Json): void {
  const known = windowsEventId(getPath(doc, EVENT_ID));
  if (known) {
    const event = child(doc, 'event');
    event.action = known.action;
    event.outcome = known.outcome;
  }
  const stream = doc['@log_stream'];
  const m = typeof stream === 'string' ? INSTANCE_ID.exec(stream) : null;
  if (m) child(child(doc, 'cloud'), 'instance').id = m[1];
}
