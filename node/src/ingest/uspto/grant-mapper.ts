import { Claim, LegalEvent, PriorityClaim, Provenance, Record, RecordKind } from "@ipfed/proto";
import { citations } from "./citation-mapper.js";
import { cpcSymbols, ipcSymbols, locarnoClasses, nationalClasses } from "./classification-mapper.js";
import { mapParties } from "./party-mapper.js";
import { lineAt, plainLine, plainText } from "./plain-text.js";
import { canonicalId, normaliseDocNumber, sequenceNumber, usptoDate } from "./uspto-normalise.js";
import { childElement, childElements, descendants, elementAt } from "./xml-tree.js";
import type { XmlElement } from "./xml-tree.js";

/** Where a grant document came from, for its provenance and dataset. */
export interface GrantContext {
  /** Base name of the bulk file (`ipg120103.xml`). */
  file: string;
  /** Position of the document in the file, from 1. */
  document: number;
  /** Dataset the records go into. */
  datasetId: string;
  /** Member serving the records; "" when not known yet. */
  memberId: string;
}

/** What mapping one grant gave: a record and what was skipped, or why there is none. */
export type GrantMapResult =
  | { ok: true; record: Record; skipped: string[] }
  | { ok: false; field: string; reason: string };

// Children of the document element the mapper knows. Drawings, chemistry and maths are
// images, the claim statement is boilerplate; none has a place in a Record.
const DOCUMENT_KNOWN = new Set([
  "us-bibliographic-data-grant", "abstract", "description", "claims", "drawings",
  "us-claim-statement", "us-chemistry", "us-math", "us-sequence-list-doc",
]);

// Children of us-bibliographic-data-grant the mapper knows: mapped to Record fields or extra,
// or deliberately left out (search fields are not the document's own classes; continuity
// data has no Record field and the family id is left to the store).
const BIBLIO_KNOWN = new Set([
  "publication-reference", "application-reference", "us-application-series-code",
  "us-term-of-grant", "classification-ipc", "classifications-ipcr", "classification-locarno",
  "classification-national", "classifications-cpc", "invention-title", "us-botanic",
  "references-cited", "us-references-cited", "number-of-claims", "us-exemplary-claim",
  "figures", "parties", "us-parties", "assignees", "examiners", "priority-claims",
  "pct-or-regional-filing-data", "pct-or-regional-publishing-data",
  "us-field-of-classification-search", "field-of-search", "us-related-documents",
  "rule-47-flag", "us-sir-flag",
]);

function priorities(biblio: XmlElement): PriorityClaim[] {
  return childElements(childElement(biblio, "priority-claims"), "priority-claim").map((e) =>
    PriorityClaim.fromPartial({
      country: lineAt(e, "country").toUpperCase(),
      number: lineAt(e, "doc-number"),
      date: usptoDate(lineAt(e, "date")),
      kind: e.attributes["kind"] ?? "",
    }),
  );
}

// Claim references point at claim ids: `CLM-00003` is claim 3.
function referencedClaim(idref: string | undefined): number | undefined {
  const m = /^CLM-0*(\d+)/.exec(idref ?? "");
  return m === null ? undefined : Number(m[1]);
}

function claims(document: XmlElement, lang: string): Claim[] {
  return childElements(childElement(document, "claims"), "claim").map((claim, i) => {
    const number = sequenceNumber(claim.attributes["num"], i + 1);
    const dependsOn = new Set<number>();
    for (const ref of descendants(claim, "claim-ref")) {
      const n = referencedClaim(ref.attributes["idref"]);
      if (n !== undefined && n !== number) dependsOn.add(n);
    }
    return Claim.fromPartial({ number, text: plainText(claim), lang, dependsOn: [...dependsOn] });
  });
}

function personName(e: XmlElement | undefined): string {
  const last = lineAt(e, "last-name");
  const first = lineAt(e, "first-name");
  return last !== "" && first !== "" ? `${last}, ${first}` : last || first;
}

// Bibliographic data without a Record field, kept so nothing the grant says is lost.
function extra(root: XmlElement, biblio: XmlElement): { [key: string]: string } {
  const pctFiling = elementAt(biblio, "pct-or-regional-filing-data/document-id");
  const pctPublishing = elementAt(biblio, "pct-or-regional-publishing-data/document-id");
  const entries: Array<[string, string]> = [
    ["dtd_version", root.attributes["dtd-version"] ?? ""],
    ["appl_type", elementAt(biblio, "application-reference")?.attributes["appl-type"] ?? ""],
    ["application_series_code", lineAt(biblio, "us-application-series-code")],
    ["term_extension_days", lineAt(biblio, "us-term-of-grant/us-term-extension")],
    ["length_of_grant_years", lineAt(biblio, "us-term-of-grant/length-of-grant")],
    ["disclaimer", lineAt(biblio, "us-term-of-grant/disclaimer")],
    ["number_of_claims", lineAt(biblio, "number-of-claims")],
    ["exemplary_claims", childElements(biblio, "us-exemplary-claim").map((e) => plainLine(e)).join(",")],
    ["number_of_drawing_sheets", lineAt(biblio, "figures/number-of-drawing-sheets")],
    ["number_of_figures", lineAt(biblio, "figures/number-of-figures")],
    ["primary_examiner", personName(elementAt(biblio, "examiners/primary-examiner"))],
    ["assistant_examiner", personName(elementAt(biblio, "examiners/assistant-examiner"))],
    ["sir_notice", elementAt(biblio, "us-sir-flag")?.attributes["sir-text"] ?? ""],
    ["botanic_latin_name", lineAt(biblio, "us-botanic/latin-name")],
    ["botanic_variety", lineAt(biblio, "us-botanic/variety")],
    ["pct_filing_number", lineAt(pctFiling, "doc-number")],
    ["pct_filing_date", usptoDate(lineAt(pctFiling, "date"))],
    ["pct_371_date", usptoDate(lineAt(biblio, "pct-or-regional-filing-data/us-371c124-date/date"))],
    ["pct_publication_number", lineAt(pctPublishing, "doc-number")],
    ["pct_publication_date", usptoDate(lineAt(pctPublishing, "date"))],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== ""));
}

// Unknown children of the document and of its bibliographic data, in document order.
function skippedElements(document: XmlElement, biblio: XmlElement): string[] {
  const names: string[] = [];
  for (const child of childElements(document)) {
    if (child === biblio) {
      for (const b of childElements(biblio)) if (!BIBLIO_KNOWN.has(b.name)) names.push(b.name);
    } else if (!DOCUMENT_KNOWN.has(child.name)) {
      names.push(child.name);
    }
  }
  return [...new Set(names)];
}

/**
 * Maps a parsed `us-patent-grant` document (DTD v4.0 on) to a Record: bibliographic data,
 * parties, classifications, citations, claims and plain-text abstract and description.
 *
 * Children of the document or of `us-bibliographic-data-grant` that it does not know (from a
 * newer DTD) are listed in `skipped` and do not fail the document. A document without its
 * publication doc-number or kind cannot be identified and gives `ok: false`.
 *
 * @example
 * ```ts
 * const result = mapGrant(parseXmlTree(text), { file: "ipg120103.xml", document: 10, datasetId: "uspto", memberId: "" });
 * if (result.ok) console.log(result.record.id); // "US-8088512-B2"
 * ```
 */
export function mapGrant(document: XmlElement, context: GrantContext): GrantMapResult {
  const biblio = childElement(document, "us-bibliographic-data-grant");
  if (biblio === undefined) {
    return { ok: false, field: "us-bibliographic-data-grant", reason: "the document has no us-bibliographic-data-grant." };
  }
  const publication = elementAt(biblio, "publication-reference/document-id");
  const printedNumber = lineAt(publication, "doc-number");
  if (printedNumber === "") {
    return { ok: false, field: "publication-reference/document-id/doc-number", reason: "the publication doc-number is missing." };
  }
  const kindCode = lineAt(publication, "kind").toUpperCase();
  if (kindCode === "") {
    return { ok: false, field: "publication-reference/document-id/kind", reason: "the publication kind is missing." };
  }
  const country = lineAt(publication, "country").toUpperCase() || "US";
  const docNumber = normaliseDocNumber(printedNumber);
  const publicationDate = usptoDate(lineAt(publication, "date"));
  const application = elementAt(biblio, "application-reference");
  const applicationId = childElement(application, "document-id");
  const design = application?.attributes["appl-type"] === "design" || kindCode.startsWith("S");
  const lang = (document.attributes["lang"] ?? "en").toLowerCase() || "en";
  const parties = mapParties(biblio);

  const titles = childElements(biblio, "invention-title")
    .map((e) => ({ lang: (e.attributes["lang"] ?? lang).toLowerCase(), text: plainLine(e) }))
    .filter((t) => t.text !== "");
  const abstractText = childElements(document, "abstract").map((e) => plainText(e)).filter((t) => t !== "").join("\n");
  const descriptionText = plainText(childElement(document, "description"));

  const record = Record.fromPartial({
    id: canonicalId(country, docNumber, kindCode),
    kind: design ? RecordKind.RECORD_KIND_DESIGN : RecordKind.RECORD_KIND_PATENT,
    datasetId: context.datasetId,
    publicationNumber: printedNumber,
    country,
    docNumber,
    kindCode,
    publicationDate,
    applicationNumber: lineAt(applicationId, "doc-number"),
    applicationDate: usptoDate(lineAt(applicationId, "date")),
    titles,
    abstracts: abstractText === "" ? [] : [{ lang, text: abstractText }],
    claims: claims(document, lang),
    descriptions: descriptionText === "" ? [] : [{ lang, text: descriptionText }],
    applicants: parties.applicants,
    inventors: parties.inventors,
    owners: parties.owners,
    agents: parties.agents,
    ipc: ipcSymbols(biblio),
    cpc: cpcSymbols(biblio),
    locarno: locarnoClasses(biblio),
    nationalClasses: nationalClasses(biblio),
    priorities: priorities(biblio),
    familyId: "",
    citations: citations(biblio),
    legalEvents: [
      LegalEvent.fromPartial({
        date: publicationDate,
        category: "E",
        code: "grant",
        description: "Patent granted",
        country,
      }),
    ],
    provenance: Provenance.fromPartial({
      memberId: context.memberId,
      source: `uspto-xml:${context.file}#${context.document}`,
    }),
    extra: extra(document, biblio),
  });
  return { ok: true, record, skipped: skippedElements(document, biblio) };
}
