/**
 * Amazon OpenSearch Service application (error) logs, one log4j entry per CloudWatch Logs event
 * (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/createdomain-configure-slow-logs.html):
 * `[2026-11-22T07:00:00,123][WARN ][o.o.c.r.a.DiskThresholdMonitor] [node-id] message`, a Java stack trace
 * on the following lines of the same event. No reference counterpart (the reference leaves these logs
 * in CloudWatch Logs). The section's log_pattern takes time, level, logger and node; here:
 * - `message`: the text up to the stack trace (a message may itself span lines);
 * - `error.stack_trace`: from the first line that starts a Java throwable (`java.lang.X: ...`,
 *   `org.opensearch.XException`, `Caused by: `) or a stack frame (`at ...`) to the end;
 * - `error.type`: that throwable's class name.
 */
import { child } from '../../ecs/paths';
import type { Transform } from '../types';

/** A throwable's first line (`pkg.Class[Exception|Error]: ...`, `Caused by: ...`) or a stack frame. */
const TRACE_START = /^(?:Caused by: |\s+at |[a-zA-Z_$][\w$]*(?:\.[\w$]+)+(?:Exception|Error|Throwable)(?::|$))/;
const THROWABLE = /^(?:Caused by: )?([a-zA-Z_$][\w$]*(?:\.[\w$]+)+(?:Exception|Error|Throwable))(?::|$)/;
const RAW = ['os_time', 'os_level', 'os_logger', 'os_node', 'os_message'];

export const opensearch_application: Transform = ({ doc }) => {
  const text = typeof doc.os_message === 'string' ? doc.os_message : '';
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l, i) => i > 0 && TRACE_START.test(l));
  const message = (at < 0 ? lines : lines.slice(0, at)).join('\n').trimEnd();
  if (message) doc.message = message;
  if (at > 0) {
    const trace = lines.slice(at).join('\n').trimEnd();
    const error = child(doc, 'error');
    error.stack_trace = trace;
    const type = THROWABLE.exec(lines[at]!)?.[1];
    if (type) error.type = type;
  }
  for (const f of RAW) doc[f] = undefined;
};
