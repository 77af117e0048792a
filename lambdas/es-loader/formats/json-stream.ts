/**
 * An incremental JSON splitter. It does not build values: it finds where each record's text starts and
 * ends, so that memory holds one record at a time and `JSON.parse` runs on each record's text alone.
 *
 * - With a delimiter key (CloudTrail `Records`, Config `configurationItems`), each element of the array
 *   under that key of a top-level object is a record. A top-level object without that key is a record
 *   itself (so a file of plain objects still loads).
 * - Without one, every top-level value is a record, and every element of a top-level array.
 * Values may be concatenated with or without whitespace/newlines between them (Firehose writes `}{`).
 */

export interface JsonPiece {
  text: string;
  /** 1-based line where the record starts. */
  line: number;
  /** Set when the record's text could not be delimited (e.g. the file ends inside it). */
  error?: string;
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

  const out: JsonPiece[] = [];

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
        }
        depth--;
        pos++;
        if (elemStart >= 0 && depth === arrayDepth) {
          out.push({ text: buf.slice(elemStart, pos), line: elemLine });
          elemStart = -1;
        }
        if (depth < arrayDepth) arrayDepth = -1;
        if (depth === 0) {
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
    compact();
    if (out.length) yield out.splice(0, out.length);
  }
  flushing = true;
  scan();
  if (depth > 0 || inString) {
    const start = elemStart >= 0 ? elemStart : topStart >= 0 ? topStart : 0;
    const at = elemStart >= 0 ? elemLine : topLine;
    out.push({ text: buf.slice(start), line: at, error: 'the object ends inside this JSON record (truncated file?)' });
  }
  if (out.length) yield out;
}
