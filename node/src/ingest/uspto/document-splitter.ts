/** One XML document cut out of a file of concatenated documents. */
export interface XmlDocumentText {
  /** The document, from its `<?xml` declaration up to the next document's. */
  text: string;
  /** Position of the document in the file, from 1. */
  index: number;
  /** Line of the file the document starts on, from 1. */
  line: number;
}

const DECLARATION = "<?xml";

// A `<?xml` is a document boundary only when the declaration's name ends there; `<?xml-model`
// and `<?xml-stylesheet` are ordinary processing instructions.
function endsDeclarationName(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0x3f;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

/**
 * Cuts a stream of concatenated XML documents (USPTO bulk files) into one document at a time,
 * each starting at its `<?xml` declaration.
 *
 * Holds at most one document plus one input chunk in memory. Buffers are decoded as UTF-8
 * (what every USPTO file declares), also when a character is split across chunks. Whitespace
 * before the first document is dropped; a trailing document that was cut off is still
 * yielded, so the XML parser can report it.
 *
 * @example
 * ```ts
 * for await (const doc of splitXmlDocuments(createReadStream("ipg120103.xml"))) {
 *   console.log(doc.index, doc.line, doc.text.length);
 * }
 * ```
 */
export async function* splitXmlDocuments(
  input: AsyncIterable<Buffer | string>,
): AsyncGenerator<XmlDocumentText> {
  const decoder = new TextDecoder("utf-8");
  // The current document is `done.join("") + pending`; only `pending` is still searched, so a
  // long document is scanned once rather than once per chunk.
  let done: string[] = [];
  let pending = "";
  let index = 0;
  let line = 1;

  const isEmpty = (): boolean => done.length === 0;

  function take(end: number): XmlDocumentText {
    done.push(pending.slice(0, end));
    pending = pending.slice(end);
    const text = done.join("");
    done = [];
    index++;
    const doc = { text, index, line };
    line += countNewlines(text);
    return doc;
  }

  // Yields the documents completed by what is now in `pending`; `final` once input has ended.
  function* scan(final: boolean): Generator<XmlDocumentText> {
    let from = 0;
    for (;;) {
      if (isEmpty() && from === 0) {
        const start = pending.search(/\S/);
        if (start === -1) {
          line += countNewlines(pending);
          pending = "";
          return;
        }
        line += countNewlines(pending.slice(0, start));
        pending = pending.slice(start);
        // The declaration at the very start is the current document's own.
        from = 1;
      }
      const at = pending.indexOf(DECLARATION, from);
      if (at === -1) {
        // Keep back a tail that the next chunk may complete into a declaration.
        const keep = final ? 0 : Math.min(pending.length - from, DECLARATION.length - 1);
        const cut = pending.length - Math.max(keep, 0);
        if (cut > 0) {
          done.push(pending.slice(0, cut));
          pending = pending.slice(cut);
        }
        return;
      }
      const after = at + DECLARATION.length;
      if (after >= pending.length && !final) {
        // Whether this is `<?xml ` or `<?xml-stylesheet` shows only with the next chunk.
        if (at > 0) {
          done.push(pending.slice(0, at));
          pending = pending.slice(at);
        }
        return;
      }
      if (after >= pending.length || !endsDeclarationName(pending.charCodeAt(after))) {
        from = at + 1;
        continue;
      }
      yield take(at);
      from = 1;
    }
  }

  for await (const chunk of input) {
    pending += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    yield* scan(false);
  }
  pending += decoder.decode();
  yield* scan(true);
  const rest = done.join("") + pending;
  if (/\S/.test(rest)) {
    index++;
    yield { text: rest, index, line };
  }
}
