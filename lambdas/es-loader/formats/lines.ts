/** Streaming line splitting over string chunks, in batches (one batch per input chunk keeps async overhead low). */

export interface Line {
  /** Filled in by the record splitter (formats/index.ts), which reuses Line objects as records. */
  record: number;
  text: string;
  /** 1-based line number in the (decompressed) object. */
  line: number;
}

export async function* lineBatches(chunks: AsyncIterable<string>): AsyncGenerator<Line[]> {
  let rest = '';
  let lineNo = 0;
  for await (const chunk of chunks) {
    const s = rest === '' ? chunk : rest + chunk;
    const batch: Line[] = [];
    let start = 0;
    for (let nl = s.indexOf('\n'); nl !== -1; nl = s.indexOf('\n', start)) {
      const end = nl > start && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      batch.push({ record: -1, text: s.slice(start, end), line: ++lineNo });
      start = nl + 1;
    }
    rest = start === 0 ? s : s.slice(start);
    if (batch.length) yield batch;
  }
  if (rest !== '') yield [{ record: -1, text: rest.endsWith('\r') ? rest.slice(0, -1) : rest, line: ++lineNo }];
}
