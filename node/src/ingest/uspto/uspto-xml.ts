import { basename } from "node:path";
import type { Record } from "@ipfed/proto";
import { splitXmlDocuments } from "./document-splitter.js";
import type { XmlDocumentText } from "./document-splitter.js";
import { mapGrant } from "./grant-mapper.js";
import { XmlSyntaxError, parseXmlTree } from "./xml-tree.js";

/** A grant document of a USPTO file mapped to a Record. */
export interface UsptoRecordItem {
  ok: true;
  /** The record. */
  record: Record;
  /** Position of the document in the file, from 1 (every XML document counts). */
  document: number;
  /** Line of the file the document starts on, from 1. */
  line: number;
  /** Elements the mapper did not know and left out (from a newer DTD); usually empty. */
  skipped: string[];
}

/** A document of a USPTO file that gave no record, and why. */
export interface UsptoErrorItem {
  ok: false;
  /** Position of the document in the file, from 1 (every XML document counts). */
  document: number;
  /** Line of the file the document starts on, from 1. */
  line: number;
  /** The element path at fault, for a document that parsed but cannot be a record. */
  field?: string;
  /**
   * `IMPORT_PARSE_ERROR` for XML that is not well-formed or is no `us-patent-grant`;
   * `RECORD_INVALID` for a grant that lacks what identifies it or could not be mapped.
   */
  code: "IMPORT_PARSE_ERROR" | "RECORD_INVALID";
  /** What is wrong; for parse errors the parser's reason, with the file, line and column. */
  reason: string;
}

/** One document of a USPTO file: a record, or the reason there is none. */
export type UsptoItem = UsptoRecordItem | UsptoErrorItem;

/** Where the documents come from and where their records go. */
export interface UsptoXmlOptions {
  /** The file being read; its base name goes into each record's provenance. */
  file: string;
  /** Dataset the records go into. */
  datasetId: string;
  /** Member serving the records; "" when omitted. */
  memberId?: string;
}

const GRANT_ROOT = "us-patent-grant";

// Grant files interleave the sequence listing of a biotech grant as a document of its own
// right after it; it belongs to that grant and is no grant itself.
const COMPANION_ROOTS = new Set(["sequence-cwu"]);

// The root name as declared, read without parsing so that a companion document (sequence
// listings run to megabytes) costs nothing.
function declaredRoot(text: string): string | undefined {
  const head = text.slice(0, 4096);
  const doctype = /<!DOCTYPE\s+([^\s[>]+)/.exec(head);
  if (doctype !== null) return doctype[1];
  return /<([A-Za-z_][\w.-]*)[\s/>]/.exec(head.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, ""))?.[1];
}

function parseDocument(doc: XmlDocumentText, file: string, options: UsptoXmlOptions): UsptoItem | undefined {
  const root = declaredRoot(doc.text);
  if (root !== undefined && COMPANION_ROOTS.has(root)) return undefined;
  const position = { document: doc.index, line: doc.line };
  let tree;
  try {
    tree = parseXmlTree(doc.text);
  } catch (err) {
    if (!(err instanceof XmlSyntaxError)) throw err;
    // The parser counts lines within the document; the reader wants the line in the file.
    const line = doc.line + err.line - 1;
    return {
      ok: false,
      ...position,
      code: "IMPORT_PARSE_ERROR",
      reason: `${file}:${line}:${err.column}: ${err.reason}`,
    };
  }
  if (tree.name !== GRANT_ROOT) {
    return {
      ok: false,
      ...position,
      code: "IMPORT_PARSE_ERROR",
      reason: `${file}:${doc.line}: the root element is ${tree.name}, not ${GRANT_ROOT}.`,
    };
  }
  let mapped;
  try {
    mapped = mapGrant(tree, {
      file,
      document: doc.index,
      datasetId: options.datasetId,
      memberId: options.memberId ?? "",
    });
  } catch (err) {
    // One odd document (nesting deep enough to exhaust the stack, say) must not end the
    // import of the thousands after it.
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, ...position, code: "RECORD_INVALID", reason: `the document could not be mapped: ${message}` };
  }
  if (!mapped.ok) {
    return { ok: false, ...position, field: mapped.field, code: "RECORD_INVALID", reason: mapped.reason };
  }
  return { ok: true, record: mapped.record, ...position, skipped: mapped.skipped };
}

/**
 * Parses a USPTO patent-grant full-text file (the weekly `ipgYYMMDD.xml`, DTD v4.0 on) into
 * Records, one document at a time.
 *
 * The file is many XML documents concatenated; each is cut out at its `<?xml` declaration,
 * parsed and mapped, so at most one document is held in memory. A document that is not
 * well-formed yields an `IMPORT_PARSE_ERROR` item and the next one is parsed as usual; a
 * grant without its publication number or kind yields `RECORD_INVALID`. Sequence-listing
 * documents (`sequence-cwu`) that accompany some grants are passed over, though they count
 * in the document index.
 *
 * @param input The file's bytes or text, in chunks (a `fs.ReadStream` will do).
 * @param options The file name (for provenance and messages) and the target dataset.
 *
 * @example
 * ```ts
 * const input = createReadStream("ipg120103.xml");
 * for await (const item of parseUsptoXml(input, { file: "ipg120103.xml", datasetId: "uspto-grants" })) {
 *   if (item.ok) await store.put(item.record);
 *   else log.warn({ document: item.document, line: item.line }, item.reason);
 * }
 * ```
 */
export async function* parseUsptoXml(
  input: AsyncIterable<Buffer | string>,
  options: UsptoXmlOptions,
): AsyncGenerator<UsptoItem> {
  const file = basename(options.file);
  for await (const doc of splitXmlDocuments(input)) {
    const item = parseDocument(doc, file, options);
    if (item !== undefined) yield item;
  }
}
