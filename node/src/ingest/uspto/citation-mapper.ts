import { Citation, CitationSource } from "@ipfed/proto";
import { lineAt, plainLine } from "./plain-text.js";
import { canonicalId, citedNumberKey, usptoDate } from "./uspto-normalise.js";
import { childElement, childElements, elementAt } from "./xml-tree.js";
import type { XmlElement } from "./xml-tree.js";

function citationSource(category: string): CitationSource {
  switch (category.trim().toLowerCase()) {
    case "cited by examiner":
      return CitationSource.CITATION_SOURCE_EXAMINER;
    case "cited by applicant":
      return CitationSource.CITATION_SOURCE_APPLICANT;
    case "cited by third party":
      return CitationSource.CITATION_SOURCE_THIRD_PARTY;
    default:
      // "cited by other" (v4.0–v4.2) means "not by the examiner", which is mostly but not
      // always the applicant; claiming more than the office said would be wrong.
      return CitationSource.CITATION_SOURCE_UNSPECIFIED;
  }
}

/**
 * Reads the citations of a `us-bibliographic-data-grant`, from `references-cited/citation`
 * (v4.0–v4.2) and `us-references-cited/us-citation` (v4.3 on): patent citations with their
 * canonical id where country, number and kind are given, non-patent literature as text.
 *
 * @example
 * ```ts
 * citations(biblio)[0]; // { id: "US-3765943-A", country: "US", number: "3765943", ... }
 * ```
 */
export function citations(biblio: XmlElement): Citation[] {
  const elements = [
    ...childElements(childElement(biblio, "references-cited"), "citation"),
    ...childElements(childElement(biblio, "us-references-cited"), "us-citation"),
  ];
  return elements.map((c) => {
    const source = citationSource(lineAt(c, "category"));
    const doc = elementAt(c, "patcit/document-id");
    if (doc !== undefined) {
      const country = lineAt(doc, "country").toUpperCase();
      const number = lineAt(doc, "doc-number");
      const kindCode = lineAt(doc, "kind");
      return Citation.fromPartial({
        id: canonicalId(country, citedNumberKey(country, number), kindCode),
        country,
        number,
        kindCode,
        date: usptoDate(lineAt(doc, "date")),
        source,
      });
    }
    return Citation.fromPartial({ text: plainLine(childElement(c, "nplcit")), source });
  });
}
