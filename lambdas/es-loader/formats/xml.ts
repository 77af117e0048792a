/**
 * `file_format = xml` and `file_format = winevtxml`: XML records, one document per record, read record
 * by record from a line stream (memory bounded by one record), each record parsed with sax (a pure-JS
 * SAX parser) into the object shape of Python's xmltodict, which the reference uses
 * (siem/fileformat_xml.py, siem/fileformat_winevtxml.py):
 * - an element with neither attributes nor children is its text (a string), or null when empty;
 * - attributes are keys of the element's object (prefix `@` for xml, none for winevtxml as the
 *   reference's `attr_prefix=''`), the text of such an element is `#text`;
 * - a repeated child element becomes a list.
 * Whitespace-only text between child elements is dropped (the reference keeps it as `#text` outside
 * Event/System/EventData; docs/log-types.md).
 *
 * Records: `xml` starts one at each line matching `xml_firstline` (Python's `re.match`: at the line's
 * start), lines before the first are skipped; `winevtxml` runs from a line starting `<Event xmlns=` to a
 * line ending `</Event>`, as the reference. Through CloudWatch Logs (`via_cwl`) each log event's
 * message is one record. A record that is not well-formed XML is a record error naming the parser's
 * reason; the other records are kept.
 *
 * winevtxml also reshapes the Windows event as the reference's convert_lograw_to_dict does:
 * `Event.EventData.Data` becomes one object keyed by each Data element's Name (values "-" dropped;
 * unnamed Data elements keyed by position, 1-based, or 0 for a single text), `EventID` with a
 * Qualifiers attribute becomes its text and `System.Qualifiers`, and AccessList / PrivilegeList become
 * lists. Event ids are turned into event.action / event.outcome by the log types (winevtxml-eventid.ts).
 */
import * as sax from 'sax';
import type { LogType } from '../config/log-type';
import { lineBatches } from './lines';
import { DecodeError, type RawRecord } from './types';

type Node = Record<string, unknown>;
export interface XmlShape {
  /** Prefix of attribute keys: `@` (xmltodict's default), '' for Windows events. */
  attrPrefix: string;
  /** Trim text as xmltodict's strip_whitespace (default on; the reference turns it off for Windows events). */
  trim: boolean;
}
const XML_SHAPE: XmlShape = { attrPrefix: '@', trim: true };
const WINEVT_SHAPE: XmlShape = { attrPrefix: '', trim: false };

/** A record longer than this many characters without its end is cut off (bounded memory); the bulk limit is far lower anyway. */
export const MAX_XML_RECORD_CHARS = 16 * 1024 * 1024;

interface Frame {
  name: string;
  item: Node | null;
  text: string;
  hasChildren: boolean;
}

/** xmltodict's push_data: a key seen again becomes a list. */
function push(parent: Node, key: string, value: unknown): void {
  if (!Object.hasOwn(parent, key)) parent[key] = value;
  else {
    const cur = parent[key];
    if (Array.isArray(cur)) cur.push(value);
    else parent[key] = [cur, value];
  }
}

/**
 * A sax parser kept for the records of one shape (sax resets itself at `close()`, so one parser reads
 * record after record; about twice as fast as a parser per record). Positions are not tracked (a third
 * of the parse): a record that fails is parsed again by a fresh parser that tracks them, for its message.
 */
class XmlReader {
  private parser: sax.SAXParser | undefined;
  private stack: Frame[] = [];
  private roots = 0;
  private error: Error | undefined;

  constructor(private readonly shape: XmlShape) {}

  read(text: string): Node {
    try {
      return this.run(this.parser ?? (this.parser = this.create(false)), text, false);
    } catch (err) {
      this.parser = undefined; // its state is that of the failed record
      if (!(err instanceof DecodeError)) throw err;
      return this.run(this.create(true), text, true);
    }
  }

  private create(position: boolean): sax.SAXParser {
    const p = sax.parser(true, { position });
    const shape = this.shape;
    p.onerror = (e) => {
      this.error ??= e;
      throw e;
    };
    p.onopentag = (tag) => {
      const stack = this.stack;
      if (stack.length === 1 && this.roots++ > 0) throw new Error(`a second root element <${tag.name}>`);
      stack[stack.length - 1]!.hasChildren = true;
      let item: Node | null = null;
      const attrs = tag.attributes;
      for (const k in attrs) (item ??= {})[shape.attrPrefix + k] = attrs[k];
      stack.push({ name: tag.name, item, text: '', hasChildren: false });
    };
    p.ontext = p.oncdata = (t) => {
      const stack = this.stack;
      if (stack.length > 1) stack[stack.length - 1]!.text += t;
    };
    p.onclosetag = () => {
      const stack = this.stack;
      const f = stack.pop()!;
      let data: string | null = f.text;
      if (shape.trim || (f.hasChildren && data.trim() === '')) data = data.trim();
      // An empty element is null in xmltodict, which the reference's del_none drops before indexing: absent here.
      if (data === '') data = null;
      let item: unknown = f.item;
      if (f.item !== null) {
        if (data !== null) push(f.item, '#text', data);
      } else item = data ?? undefined;
      const parent = stack[stack.length - 1]!;
      push((parent.item ??= {}), f.name, item);
    };
    return p;
  }

  private run(p: sax.SAXParser, text: string, position: boolean): Node {
    const root: Frame = { name: '', item: {}, text: '', hasChildren: false };
    this.stack = [root];
    this.roots = 0;
    this.error = undefined;
    try {
      p.write(text).close();
    } catch (e) {
      // sax: "Unexpected close tag\nLine: 0\nColumn: 595\nChar: >", its line 0-based.
      const [what, ...at] = (this.error ?? (e as Error)).message.split('\n').map((s) => s.trim()).filter(Boolean);
      const pos = Object.fromEntries(at.map((s) => s.split(/:\s*/, 2) as [string, string]));
      const where = position && pos.Line !== undefined ? ` at line ${Number(pos.Line) + 1}, column ${pos.Column}` : '';
      throw new DecodeError(`is not well-formed XML: ${what}${where}`, { cause: e });
    }
    if (this.roots === 0) throw new DecodeError('is not XML: no element');
    return root.item!;
  }
}

const READERS = new Map<XmlShape, XmlReader>();

/** Parses one XML document into xmltodict's shape; throws DecodeError with the parser's reason on one line. */
export function xmlToObject(text: string, shape: XmlShape = XML_SHAPE): Node {
  let r = READERS.get(shape);
  if (!r) READERS.set(shape, (r = new XmlReader(shape)));
  return r.read(text);
}

const isObject = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The reference's reshaping of a Windows event (FileFormatWinEvtXml.convert_lograw_to_dict). */
export function reshapeWindowsEvent(doc: Node): Node {
  const event = doc.Event;
  if (!isObject(event)) throw new DecodeError(`is not a Windows event: the root element is <${Object.keys(doc)[0]}>, expected <Event>`);
  delete event['#text'];
  const system = event.System;
  if (isObject(system)) delete system['#text'];
  const eventData = event.EventData;
  if (isObject(eventData)) {
    delete eventData['#text'];
    const list = eventData.Data;
    if (list !== undefined && list !== null && list !== '') {
      const data: Node = {};
      const named = (d: Node) => {
        const t = d['#text'];
        if (typeof t === 'string' && t !== '' && t !== '-' && typeof d.Name === 'string') data[d.Name] = t;
      };
      if (typeof list === 'string') data[0] = list;
      else if (isObject(list)) named(list);
      else if (Array.isArray(list))
        list.forEach((d, i) => {
          if (isObject(d)) named(d);
          else if (typeof d === 'string' && d !== '') data[i + 1] = d;
        });
      eventData.Data = data;
      for (const k of ['AccessList', 'PrivilegeList']) if (typeof data[k] === 'string') data[k] = (data[k] as string).split(/\s+/).filter(Boolean);
    }
  }
  if (isObject(system) && isObject(system.EventID)) {
    const id = system.EventID;
    system.EventID = id['#text'];
    system.Qualifiers = id.Qualifiers;
  }
  return doc;
}

/**
 * The reference's parse of a Windows event: trailing NULs cut; a text holding characters XML does not
 * allow (controls other than tab, newline, carriage return) fails its parser, which it then retries
 * with every control character removed (tab and newline too). sax accepts them, so they are removed
 * here first, to the same text.
 */
export function parseWindowsEvent(text: string): Node {
  let t = text.trim().replace(/\0+$/, '');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f]/.test(t)) t = t.replace(/[\x00-\x1f]/g, '');
  return reshapeWindowsEvent(xmlToObject(t, WINEVT_SHAPE));
}

/** A regular expression applied as Python's re.match (at the start of the text). */
function atStart(re: RegExp): RegExp {
  return new RegExp(re.source, re.flags.replace(/[gy]/g, '') + 'y');
}

export const EVENT_START = /^<Event xmlns=/;
export const EVENT_END = /<\/Event>\s*$/;

/**
 * Groups lines into records: a record starts at a line for which `isStart` holds; `isEnd` (winevtxml)
 * closes it, otherwise the next start does. Lines outside records are skipped.
 */
export async function* splitXmlRecords(
  chunks: AsyncIterable<string>,
  isStart: (line: string) => boolean,
  isEnd: ((line: string) => boolean) | undefined,
  what: string,
  maxChars = MAX_XML_RECORD_CHARS,
): AsyncGenerator<RawRecord[]> {
  let record = 0;
  let cur: { lines: string[]; line: number; size: number } | undefined;
  const finish = (batch: RawRecord[], error?: string) => {
    const text = cur!.lines.join('\n').trimEnd();
    batch.push(error ? { record: record++, line: cur!.line, text, error } : { record: record++, line: cur!.line, text });
    cur = undefined;
  };
  for await (const lines of lineBatches(chunks)) {
    const batch: RawRecord[] = [];
    for (const l of lines) {
      const start = isStart(l.text);
      if (start) {
        if (cur) finish(batch, isEnd ? `${what} has no end (</Event>) before the next one starts at line ${l.line}` : undefined);
        cur = { lines: [], line: l.line, size: 0 };
      } else if (!cur) {
        continue;
      }
      cur!.lines.push(l.text);
      cur!.size += l.text.length + 1;
      if (isEnd?.(l.text)) {
        finish(batch);
        continue;
      }
      if (cur!.size > maxChars) {
        cur!.lines = [cur!.lines[0]!.slice(0, 1000)];
        finish(batch, `${what} is longer than ${maxChars} characters${isEnd ? ' without its end (</Event>)' : ''}; skipped up to the next record`);
      }
    }
    if (batch.length) yield batch;
  }
  if (cur) {
    const batch: RawRecord[] = [];
    finish(batch, isEnd ? `${what} has no end (</Event>): the object ends inside it` : undefined);
    yield batch;
  }
}

/** `xml`: records start at lines matching the section's xml_firstline. */
export function splitXml(lt: LogType, chunks: AsyncIterable<string>): AsyncGenerator<RawRecord[]> {
  const first = atStart(lt.xmlFirstline!);
  return splitXmlRecords(chunks, (line) => ((first.lastIndex = 0), first.test(line)), undefined, 'the XML record');
}

/** `winevtxml`: records from `<Event xmlns=` to `</Event>`. */
export function splitWinEvtXml(_lt: LogType, chunks: AsyncIterable<string>): AsyncGenerator<RawRecord[]> {
  return splitXmlRecords(chunks, (line) => EVENT_START.test(line), (line) => EVENT_END.test(line), 'the Windows event');
}

export function decodeXml(_lt: LogType, rec: RawRecord): Node {
  return xmlToObject(rec.text, XML_SHAPE);
}

export function decodeWinEvtXml(_lt: LogType, rec: RawRecord): Node {
  return parseWindowsEvent(rec.text);
}
