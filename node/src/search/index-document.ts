import type { LocalizedText, Party, Record } from "@ipfed/proto";
import { effectiveTier, parseDatePeriod, QUERY_RECORD_KINDS } from "@ipfed/sdk";
import { analyze } from "./analyzer.js";
import { classTerms, normalizeRecordClassSymbol } from "./class-terms.js";

/**
 * The analysed text fields of the index, in the order free text searches them. Free text
 * searches `addr` only when the caller's allowed fields name it explicitly (see `query-plan.ts`).
 */
export const TEXT_FIELDS = ["ti", "ab", "cl", "tx", "pa", "in", "ag", "addr"] as const;

/** An analysed text field: `ti`, `ab`, `cl`, `tx`, `pa`, `in`, `ag` or `addr`. */
export type TextField = (typeof TEXT_FIELDS)[number];

/** The exact-value fields of the index. */
export const KEYWORD_FIELDS = ["ipc", "cpc", "nice", "cc", "kind", "id", "ds", "fam"] as const;

/** An exact-value field. Class fields hold level-tagged hierarchy terms (see `class-terms.ts`). */
export type KeywordField = (typeof KEYWORD_FIELDS)[number];

/**
 * Positions skipped between two values of one field (two titles, two claims), so that a phrase
 * never matches across the end of one value and the start of the next.
 */
export const POSITION_GAP = 1;

/** The tokens of one text field, with their positions (ascending; gaps between values). */
export interface TextFieldTokens {
  readonly terms: readonly string[];
  readonly positions: readonly number[];
}

/** Facet values of a document; an empty string or list means the document has none. */
export interface DocFacets {
  readonly kind: string;
  readonly country: string;
  /** Year of the publication date, `YYYY`. */
  readonly year: string;
  /** Distinct IPC sections (`H`). */
  readonly ipcSections: readonly string[];
  /** Distinct IPC classes (`H01`). */
  readonly ipcClasses: readonly string[];
  /** Distinct Nice classes (`9`), ascending. */
  readonly nice: readonly string[];
  /** The first applicant's name, exactly as published. */
  readonly applicant: string;
  readonly dataset: string;
}

/** What the index stores about one record. */
export interface IndexDocument {
  readonly text: { readonly [F in TextField]: TextFieldTokens };
  /**
   * The part of `tx` that is no other field's: descriptions and other full text. With `ti`,
   * `ab` and `cl` it makes up `tx` (each value separated by the gap), which lets an index store
   * `tx` as those four parts instead of a second copy.
   */
  readonly description: TextFieldTokens;
  readonly keywords: { readonly [F in KeywordField]: readonly string[] };
  /** Publication date as `yyyymmdd`, 0 when unknown. */
  readonly pd: number;
  /** Application date as `yyyymmdd`, 0 when unknown. */
  readonly ad: number;
  readonly facets: DocFacets;
  /**
   * The tier a caller needs to see the record (`access_tier`), as `effectiveTier` reads it: unset
   * is PUBLIC (1), an unknown value CONFIDENTIAL (4). A search with `maxTier` below it never
   * matches the document.
   */
  readonly accessTier: number;
}

/**
 * Computes what the index stores about a record: analysed text fields, exact values, dates and
 * facet values.
 *
 * Text: `ti` all titles in every language (plus a trademark's mark text and a GI's product names
 * when not already a title), `ab` abstracts, `cl` claims, `tx` title, abstract, claims and
 * descriptions together (plus a law's text and a trademark's goods and services), `pa`
 * applicants and owners, `in` inventors, `ag` agents, `addr` the city, state, address and postcode
 * of every party (applicant, inventor, owner, agent) that is a natural person. Exact values: IPC and CPC symbols on every
 * level of their hierarchy, Nice classes of the record and of its trademark part, country, kind
 * (`patent`, `trademark`...), the record id (upper case), dataset id and family id.
 */
export function toIndexDocument(record: Record): IndexDocument {
  const detail = record.detail;
  const titles = texts(record.titles);
  const extraTitles: string[] = [];
  const extraText: string[] = [];
  if (detail?.$case === "trademark") {
    extraTitles.push(detail.value.markText);
    for (const c of detail.value.classes) extraText.push(c.goodsServices);
  } else if (detail?.$case === "geographicalIndication") {
    extraTitles.push(...texts(detail.value.product));
  } else if (detail?.$case === "law") {
    extraText.push(...texts(detail.value.text));
  }
  for (const t of extraTitles) if (t.trim() !== "" && !titles.includes(t)) titles.push(t);
  const abstracts = texts(record.abstracts);
  const claims = record.claims.map((c) => c.text);
  const descriptions = texts(record.descriptions);

  const ipcSymbols = symbols(record.ipc);
  const ipcClasses = distinct(ipcSymbols.map((s) => s.slice(0, 3)).filter((s) => s.length === 3));
  const nice = niceClasses(record);
  const kind = kindName(record.kind);
  const pd = dateNumber(record.publicationDate);
  const country = record.country.trim().toUpperCase();

  // Title, abstract and claims are analysed once, for their own field and for `tx`.
  const ti = titles.map((t) => analyze(t));
  const ab = abstracts.map((t) => analyze(t));
  const cl = claims.map((t) => analyze(t));
  const dx = [...descriptions, ...extraText].map((t) => analyze(t));
  return {
    text: {
      ti: join(ti),
      ab: join(ab),
      cl: join(cl),
      tx: join([...ti, ...ab, ...cl, ...dx]),
      pa: join(names([...record.applicants, ...record.owners]).map((t) => analyze(t))),
      in: join(names(record.inventors).map((t) => analyze(t))),
      ag: join(names(record.agents).map((t) => analyze(t))),
      addr: join(naturalPersonAddresses(record).map((t) => analyze(t))),
    },
    description: join(dx),
    keywords: {
      ipc: distinct(ipcSymbols.flatMap(classTerms)),
      cpc: distinct(symbols(record.cpc).flatMap(classTerms)),
      nice,
      cc: country === "" ? [] : [country],
      kind: kind === "" ? [] : [kind],
      id: record.id === "" ? [] : [record.id.toUpperCase()],
      ds: record.datasetId === "" ? [] : [record.datasetId],
      fam: record.familyId === "" ? [] : [record.familyId],
    },
    pd,
    ad: dateNumber(record.applicationDate),
    facets: {
      kind,
      country,
      year: pd === 0 ? "" : String(Math.floor(pd / 10_000)),
      ipcSections: distinct(ipcClasses.map((c) => c.slice(0, 1))),
      ipcClasses,
      nice,
      applicant: record.applicants[0]?.name.trim() ?? "",
      dataset: record.datasetId,
    },
    accessTier: effectiveTier(record.accessTier),
  };
}

/** The lower-case kind name of a `RecordKind` number, as queries write it; "" if unknown. */
export function kindName(kind: number): string {
  return QUERY_RECORD_KINDS[kind - 1] ?? "";
}

/** A `YYYY-MM-DD` date (or any form the query language reads) as `yyyymmdd`; 0 if invalid. */
export function dateNumber(value: string): number {
  if (value === "") return 0;
  const period = parseDatePeriod(value.trim());
  return period === undefined ? 0 : Number(period.first.replace(/-/g, ""));
}

/** Joins the analysed values of one field, leaving {@link POSITION_GAP} between values. */
function join(values: readonly string[][]): TextFieldTokens {
  const terms: string[] = [];
  const positions: number[] = [];
  let base = 0;
  for (const tokens of values) {
    if (tokens.length === 0) continue;
    for (let i = 0; i < tokens.length; i++) {
      terms.push(tokens[i] as string);
      positions.push(base + i);
    }
    base += tokens.length + POSITION_GAP;
  }
  return { terms, positions };
}

function texts(values: readonly LocalizedText[]): string[] {
  return values.map((v) => v.text).filter((t) => t.trim() !== "");
}

// The same company is often both applicant and owner; counting it twice would only skew BM25.
function names(parties: readonly Party[]): string[] {
  return distinct(parties.map((p) => p.name.trim()).filter((n) => n !== ""));
}

// Addresses of natural persons only (personal data, RESTRICTED); an organisation's are not indexed.
function naturalPersonAddresses(record: Record): string[] {
  const out: string[] = [];
  for (const p of [...record.applicants, ...record.inventors, ...record.owners, ...record.agents]) {
    if (!p.naturalPerson) continue;
    for (const v of [p.city, p.state, p.address, p.postcode]) if (v.trim() !== "") out.push(v.trim());
  }
  // A person listed as both applicant and inventor would otherwise count twice, as names do not.
  return distinct(out);
}

function symbols(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    const s = normalizeRecordClassSymbol(v);
    if (s !== undefined) out.push(s);
  }
  return distinct(out);
}

function niceClasses(record: Record): string[] {
  const numbers = [...record.nice];
  if (record.detail?.$case === "trademark") for (const c of record.detail.value.classes) numbers.push(c.number);
  return distinct(numbers.filter((n) => Number.isInteger(n) && n >= 1 && n <= 45))
    .sort((a, b) => a - b)
    .map(String);
}

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
