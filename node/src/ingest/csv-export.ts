import { RecordKind } from "@ipfed/proto";
import type { Record } from "@ipfed/proto";

/**
 * The columns of a CSV export. `examples/csv/mapping.json` maps exactly these columns back,
 * so an exported CSV can be imported again (CSV carries the bibliographic core; JSONL
 * carries everything).
 */
export const CSV_COLUMNS = [
  "id",
  "kind",
  "country",
  "doc_number",
  "kind_code",
  "publication_date",
  "application_number",
  "application_date",
  "title_zh",
  "title_en",
  "abstract_zh",
  "abstract_en",
  "applicants",
  "inventors",
  "owners",
  "ipc",
  "cpc",
  "nice",
  "family_id",
] as const;

function cell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const text = (list: readonly { lang: string; text: string }[], lang: string): string => list.find((t) => t.lang === lang)?.text ?? "";

/** One record as a CSV row in {@link CSV_COLUMNS} order (RFC 4180 quoting, lists joined with `;`). */
export function recordToCsvRow(r: Record): string {
  const values: string[] = [
    r.id,
    (RecordKind[r.kind] ?? "").replace("RECORD_KIND_", "").toLowerCase(),
    r.country,
    r.docNumber,
    r.kindCode,
    r.publicationDate,
    r.applicationNumber,
    r.applicationDate,
    text(r.titles, "zh"),
    text(r.titles, "en"),
    text(r.abstracts, "zh"),
    text(r.abstracts, "en"),
    r.applicants.map((p) => p.name).join("; "),
    r.inventors.map((p) => p.name).join("; "),
    r.owners.map((p) => p.name).join("; "),
    r.ipc.join("; "),
    r.cpc.join("; "),
    r.nice.join("; "),
    r.familyId,
  ];
  return values.map(cell).join(",");
}
