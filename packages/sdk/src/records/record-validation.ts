import { RecordKind, Tier } from "@ipfed/proto";
import type { Record, LocalizedText, Party } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";

/**
 * A canonical record id: `CC-NUMBER-KIND`, e.g. `CN-112345678-A`, `US-D512345-S1`.
 *
 * @example
 * ```ts
 * CANONICAL_ID_RE.test("CN-112345678-A"); // true
 * CANONICAL_ID_RE.test("CN112345678A"); // false: a publication number, not a canonical id
 * ```
 */
export const CANONICAL_ID_RE = /^[A-Z]{2}-[A-Z0-9]{1,24}-[A-Z][0-9]?$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LANG_RE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const COUNTRY_RE = /^[A-Z]{2}$/;

function validDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/**
 * Checks a record against the protocol's rules and returns the first problem as an
 * IpfedError (`RECORD_INVALID`, with `field` naming the path, `titles[1].lang`), or
 * undefined when the record is valid.
 *
 * @example
 * ```ts
 * const problem = validateRecord(record);
 * if (problem) console.error(`${problem.field}: ${problem.message}`);
 * ```
 */
export function validateRecord(r: Record): IpfedError | undefined {
  const bad = (field: string, why: string): IpfedError =>
    new IpfedError("RECORD_INVALID", `${field} ${why}`, { field, metadata: r.id ? { id: r.id } : {} });
  if (!r.id) return bad("id", "is required");
  if (!CANONICAL_ID_RE.test(r.id)) return bad("id", `"${r.id}" is not a canonical id CC-NUMBER-KIND (e.g. CN-112345678-A)`);
  if (!r.kind || r.kind <= 0 || RecordKind[r.kind] === undefined)
    return bad("kind", "is required (RECORD_KIND_PATENT, RECORD_KIND_TRADEMARK, ...)");
  if (r.country && !COUNTRY_RE.test(r.country)) return bad("country", `"${r.country}" is not a two-letter ST.3 code`);
  if (r.country && r.id.slice(0, 2) !== r.country) return bad("country", `"${r.country}" differs from the office of id ${r.id}`);
  for (const f of ["publicationDate", "applicationDate"] as const) {
    if (r[f] && !validDate(r[f])) return bad(f === "publicationDate" ? "publication_date" : "application_date", `"${r[f]}" is not a date YYYY-MM-DD`);
  }
  const texts: [string, LocalizedText[]][] = [
    ["titles", r.titles],
    ["abstracts", r.abstracts],
    ["descriptions", r.descriptions],
    ["examination_notes", r.examinationNotes],
  ];
  for (const [name, list] of texts) {
    for (const [i, t] of list.entries()) {
      if (!LANG_RE.test(t.lang)) return bad(`${name}[${i}].lang`, `"${t.lang}" is not a language tag (zh, en, zh-Hant)`);
    }
  }
  const parties: [string, Party[]][] = [
    ["applicants", r.applicants],
    ["inventors", r.inventors],
    ["owners", r.owners],
    ["agents", r.agents],
  ];
  for (const [name, list] of parties) {
    for (const [i, p] of list.entries()) {
      if (!p.name.trim()) return bad(`${name}[${i}].name`, "is required");
      if (p.country && !COUNTRY_RE.test(p.country)) return bad(`${name}[${i}].country`, `"${p.country}" is not a two-letter code`);
    }
  }
  for (const [i, n] of r.nice.entries()) {
    if (!Number.isInteger(n) || n < 1 || n > 45) return bad(`nice[${i}]`, `${n} is not a Nice class (1 to 45)`);
  }
  for (const [i, c] of r.claims.entries()) {
    if (!c.text.trim()) return bad(`claims[${i}].text`, "is empty");
  }
  for (const [i, e] of r.legalEvents.entries()) {
    if (e.date && !validDate(e.date)) return bad(`legal_events[${i}].date`, `"${e.date}" is not a date YYYY-MM-DD`);
  }
  for (const [i, p] of r.priorities.entries()) {
    if (p.date && !validDate(p.date)) return bad(`priorities[${i}].date`, `"${p.date}" is not a date YYYY-MM-DD`);
  }
  if (r.accessTier && !(r.accessTier in Tier)) return bad("access_tier", `${r.accessTier} is not a tier`);
  if (r.detail?.$case === "trademark") {
    for (const [i, c] of r.detail.value.classes.entries()) {
      if (c.number < 1 || c.number > 45) return bad(`trademark.classes[${i}].number`, `${c.number} is not a Nice class (1 to 45)`);
    }
  }
  return undefined;
}
