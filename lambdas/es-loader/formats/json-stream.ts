/**
 * An incremental JSON splitter. It does not build values: it finds where each record's text starts and
 * ends, so that memory holds one record at a time and `JSON.parse` runs on each record's text alone.
 *
 * - With a delimiter key (CloudTrail `Records`, Config `configurationItems`), each element of the array
 *   under that key of a top-level object is a record. A top-level object without that key is a record
 *   itself (so a file of plain objects still loads).
 * - Without one, every top-level value is a record, and every element of a top-level array.
 * Values may be concatenated with or without whitespace/newlines between them (Firehose writes `}{`).
 *
 * Record boundaries come from bracket depth outside strings alone, never from whether a record parses:
 * a record with a syntax error (`"eventName":: "x"`, a missing comma) is still cut at its own closing
 * bracket, so it costs only itself (JSON.parse rejects it later, naming its record number). Two slips
 * that do move a boundary are repaired where the repair is unambiguous:
 * - a stray `}` where a records array expects `,` or `]` (a record closed one bracket early): ignored;
 * - a stray `]` that closed the records array early, seen when a record follows where a key of the
 *   enclosing object should be (`...}],{"eventVersion"...`): the array is taken as still open;
 * - a `]` that would end a record opened with `{`, followed by `}` and then `,` or `]` (`"x"]},{...`):
 *   the `]` is one too many inside the record, which goes on to that `}` (and fails alone). Any other
 *   `]` there is the records array's own: the record lacks a `}` and has swallowed the records after it.
 * When the boundaries are lost for good (that last case, or the object ends inside a record or string:
 * unbalanced brackets or quotes, truncation), one piece with `lost` says at which record, line and
 * byte; the splitter then stops, and the pieces before it are all the records that could be recovered.
 */

export interface JsonPiece {
  text: string;
  /** 1-based line where the record starts. */
  line: number;
  /** Set when the record's text could not be delimited (e.g. the file ends inside it). */
  error?: string;
  /** Set with `error` when record boundaries were lost there: nothing after this piece was split. */
  lost?: boolean;
  /** With `lost`: 0-based byte offset (in the decompressed object) where the piece starts. */
  byte?: number;
}

const QUOTE = 34, BACKSLASH = 92, LBRACE = 123, RBRACE = 125, LBRACKET = 91, RBRACKET = 93, COLON = 58, COMMA = 44, NL = 10;

function isWs(c: number): boolean {
  return c === 32 || c === NL || c === 13 || c === 9;
}

/**
 * Mode of the scanner at the current position. `depth` counts open brackets from the start of the
 * current top-level value.
 */
export async function* jsonPieces(chunks: AsyncIterable<string>, delimiter?: string): AsyncGenerator<JsonPiece[]> {
  let buf = '';
  let pos = 0; // scan position in buf
  let line = 1;
  let depth = 0;
  let inString = false;
  // Top-level value bookkeeping
  let topStart = -1; // start of the current top-level value in buf (-1: none)
  let topLine = 1;
  let topIsObject = false;
  let topIsArray = false;
  let delimiterFound = false;
  // Depth-1 key tracking (delimiter mode): are we expecting a key, the last key read, and where it began.
  let expectKey = false;
  let keyStart = -1;
  let lastKey = '';
  let arrayDepth = -1; // depth of the array whose elements are records (1 for top-level arrays, 2 under the delimiter key)
  let elemStart = -1;
  let elemLine = 1;
  let pendingDelimiterArray = false;
  // The records array under the delimiter key has just been closed: a record (rather than a key) after
  // the next comma means that the closing bracket was a stray one (see the module comment).
  let afterDelimiterArray = false;
  // Bytes (UTF-8) of the text already dropped from buf: byte offsets for the errors of lost boundaries.
  let droppedBytes = 0;
  let lost = false;

  const out: JsonPiece[] = [];
  const byteAt = (i: number) => droppedBytes + Buffer.byteLength(buf.slice(0, i));
  /** Boundaries are lost: one piece from `start` to here names the place; the splitter stops. */
  const lose = (start: number, at: number, startLine: number, error: string) => {
    out.push({ text: buf.slice(start, at), line: startLine, error, lost: true, byte: byteAt(start) });
    lost = true;
  };
  const bracketMismatch = (open: number, close: number) => (open === LBRACE) !== (close === RBRACE);
  /** Index of the first non-whitespace character at or after `i`, or -1 at the end of buf. */
  const nextNonWs = (i: number) => {
    while (i < buf.length && isWs(buf.charCodeAt(i))) i++;
    return i < buf.length ? i : -1;
  };
  /**
   * A ']' just ended a record opened with '{' (it is at `at - 1`). Is it one ']' too many inside the
   * record, i.e. is it followed by the record's own '}' and then by ',' or ']' of the records array?
   * 'wait' when buf ends before that can be told (and more text may come).
   */
  const strayInRecord = (at: number): 'yes' | 'no' | 'wait' => {
    const close = nextNonWs(at);
    if (close === -1) return flushing ? 'no' : 'wait';
    if (buf.charCodeAt(close) !== RBRACE) return 'no';
    const after = nextNonWs(close + 1);
    if (after === -1) return flushing ? 'no' : 'wait';
    const c = buf.charCodeAt(after);
    return c === COMMA || c === RBRACKET ? 'yes' : 'no';
  };
  const describeMismatch = (open: number, close: number, at: number) =>
    `its brackets do not balance: it opens with '${String.fromCharCode(open)}' but ends with '${String.fromCharCode(close)}' at byte ${byteAt(at)}`;

  const scan = () => {
    const n = buf.length;
    while (pos < n) {
      if (inString) {
        const q = buf.indexOf('"', pos);
        if (q === -1) {
          // count newlines are not possible inside JSON strings (they must be escaped), so just skip
          pos = n;
          break;
        }
        let bs = 0;
        for (let i = q - 1; i >= 0 && buf.charCodeAt(i) === BACKSLASH; i--) bs++;
        pos = q + 1;
        if (bs % 2 === 1) continue;
        inString = false;
        if (keyStart >= 0) {
          lastKey = buf.slice(keyStart, q);
          keyStart = -1;
        }
        continue;
      }
      if (depth >= 2 && depth > arrayDepth) {
        // Nested inside a record (or inside a top-level object's member): only strings, brackets and
        // newlines matter until the depth falls back, so a tight loop skips everything else.
        let closed = false;
        while (pos < n) {
          const c = buf.charCodeAt(pos);
          if (c === QUOTE) {
            let q = buf.indexOf('"', pos + 1);
            while (q !== -1) {
              let bs = 0;
              for (let i = q - 1; buf.charCodeAt(i) === BACKSLASH; i--) bs++;
              if (bs % 2 === 0) break;
              q = buf.indexOf('"', q + 1);
            }
            if (q === -1) {
              inString = true;
              pos = n;
              break;
            }
            pos = q + 1;
            continue;
          }
          if (c === LBRACE || c === LBRACKET) depth++;
          else if (c === RBRACE || c === RBRACKET) {
            depth--;
            if (depth < 2 || depth <= arrayDepth) {
              closed = true;
              break;
            }
          } else if (c === NL) line++;
          pos++;
        }
        if (closed) {
          pos++;
          if (elemStart >= 0 && depth === arrayDepth) {
            const open = buf.charCodeAt(elemStart);
            if (bracketMismatch(open, buf.charCodeAt(pos - 1))) {
              const stray = open === LBRACE ? strayInRecord(pos) : 'no';
              if (stray === 'wait') {
                // Look again at this ']' when more text has come.
                pos--;
                depth++;
                return;
              }
              if (stray === 'yes') {
                depth++; // the record goes on to its own '}'
                continue;
              }
              lose(elemStart, pos, elemLine, describeMismatch(open, buf.charCodeAt(pos - 1), pos - 1));
              return;
            }
            out.push({ text: buf.slice(elemStart, pos), line: elemLine });
            elemStart = -1;
          }
        }
        continue;
      }
      const c = buf.charCodeAt(pos);
      if (c === NL) {
        line++;
        pos++;
        continue;
      }
      if (isWs(c)) {
        pos++;
        continue;
      }
      if (depth === 1 && afterDelimiterArray && (c === LBRACE || c === LBRACKET) && expectKey) {
        // A record where a key should be: the records array was closed by a stray ']'. Reopen it.
        afterDelimiterArray = false;
        expectKey = false;
        depth = 2;
        arrayDepth = 2;
        continue;
      }
      if (depth === 0) {
        // start of a top-level value
        topStart = pos;
        topLine = line;
        topIsObject = c === LBRACE;
        topIsArray = c === LBRACKET;
        delimiterFound = false;
        if (!topIsObject && !topIsArray) {
          // A bare scalar or garbage at top level: take the rest of the line as one bad record.
          let e = buf.indexOf('\n', pos);
          if (e === -1) {
            if (!flushing) return; // wait for more data
            e = n;
          }
          out.push({ text: buf.slice(pos, e), line, error: 'not a JSON object or array' });
          pos = e;
          topStart = -1;
          continue;
        }
        depth = 1;
        pos++;
        expectKey = topIsObject;
        if (topIsArray) arrayDepth = 1;
        continue;
      }
      // inside a value
      if (c === QUOTE) {
        inString = true;
        pendingDelimiterArray = false;
        afterDelimiterArray = false;
        if (depth === 1 && topIsObject && expectKey && delimiter) keyStart = pos + 1;
        pos++;
        if (elemStart < 0 && arrayDepth === depth) {
          elemStart = pos - 1;
          elemLine = line;
        }
        continue;
      }
      if (c === LBRACE || c === LBRACKET) {
        if (pendingDelimiterArray) {
          pendingDelimiterArray = false;
          if (c === LBRACKET && depth === 1) {
            arrayDepth = 2;
            delimiterFound = true;
          }
        } else if (elemStart < 0 && arrayDepth === depth) {
          elemStart = pos;
          elemLine = line;
        }
        depth++;
        pos++;
        if (depth === 2 && topIsObject) expectKey = false;
        continue;
      }
      if (c === RBRACE || c === RBRACKET) {
        if (elemStart >= 0 && arrayDepth === depth) {
          // a scalar element ends at the closing bracket of its array
          out.push({ text: buf.slice(elemStart, pos).trimEnd(), line: elemLine });
          elemStart = -1;
        } else if (c === RBRACE && arrayDepth === depth) {
          // A stray '}' between records (one record closed a bracket early, and failed on its own): skip it.
          pos++;
          continue;
        }
        depth--;
        pos++;
        if (elemStart >= 0 && depth === arrayDepth) {
          const open = buf.charCodeAt(elemStart);
          if (bracketMismatch(open, c)) {
            lose(elemStart, pos, elemLine, describeMismatch(open, c, pos - 1));
            return;
          }
          out.push({ text: buf.slice(elemStart, pos), line: elemLine });
          elemStart = -1;
        }
        if (depth < arrayDepth) {
          if (arrayDepth === 2 && delimiterFound) afterDelimiterArray = true;
          arrayDepth = -1;
        }
        if (depth === 0) {
          if (topIsObject === (c === RBRACKET)) {
            lose(topStart >= 0 && topIsObject && !delimiterFound ? topStart : pos - 1, pos, topLine, describeMismatch(topIsObject ? LBRACE : LBRACKET, c, pos - 1));
            return;
          }
          if (topIsObject && !delimiterFound) out.push({ text: buf.slice(topStart, pos), line: topLine });
          topStart = -1;
        }
        continue;
      }
      if (c === COLON) {
        if (depth === 1 && topIsObject && delimiter) {
          expectKey = false;
          if (lastKey === delimiter) pendingDelimiterArray = true;
        }
        pos++;
        continue;
      }
      if (c === COMMA) {
        if (elemStart >= 0 && arrayDepth === depth) {
          out.push({ text: buf.slice(elemStart, pos).trimEnd(), line: elemLine });
          elemStart = -1;
        }
        if (depth === 1 && topIsObject) expectKey = true;
        pos++;
        continue;
      }
      // a scalar character (digit, letter) inside a value
      if (pendingDelimiterArray) pendingDelimiterArray = false;
      afterDelimiterArray = false;
      if (elemStart < 0 && arrayDepth === depth) {
        elemStart = pos;
        elemLine = line;
      }
      pos++;
    }
  };

  let flushing = false;
  const compact = () => {
    // Keep only what an unfinished record (or an undecided top-level object) still needs.
    let keep = pos;
    if (elemStart >= 0) keep = Math.min(keep, elemStart);
    if (topStart >= 0 && topIsObject && !delimiterFound) keep = Math.min(keep, topStart);
    if (keyStart >= 0) keep = Math.min(keep, keyStart);
    if (keep > 0) {
      droppedBytes += Buffer.byteLength(buf.slice(0, keep));
      buf = buf.slice(keep);
      pos -= keep;
      if (elemStart >= 0) elemStart -= keep;
      if (topStart >= 0) topStart -= keep;
      if (keyStart >= 0) keyStart -= keep;
    }
  };

  for await (const chunk of chunks) {
    buf = buf.length === 0 ? chunk : buf + chunk;
    scan();
    if (lost) {
      // Stop here: returning closes the chunks' source, so the rest of the object is not even read.
      yield out;
      return;
    }
    compact();
    if (out.length) yield out.splice(0, out.length);
  }
  flushing = true;
  scan();
  if (!lost && (depth > 0 || inString)) {
    const inRecord = elemStart >= 0;
    const start = inRecord ? elemStart : topStart >= 0 && topIsObject && !delimiterFound ? topStart : buf.length;
    lose(start, buf.length, inRecord ? elemLine : topLine, `the object ends inside this JSON ${inRecord || start < buf.length ? 'record' : 'document'} (unbalanced brackets or quotes, or a truncated file)`);
  }
  if (out.length) yield out;
}
