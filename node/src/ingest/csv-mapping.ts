import { readFile } from "node:fs/promises";
import { RecordKind } from "@ipfed/proto";
import type { Party, Record } from "@ipfed/proto";
import { IpfedError } from "@ipfed/sdk";

/** How one record field is filled from a CSV column. */
export interface ColumnRule {
  /** The column's header name. */
  readonly column: string;
  /** Split the cell into several values on this separator. */
  readonly split?: string;
  /** For party lists: the parties are natural persons. */
  readonly naturalPerson?: boolean;
}

/** A CSV column mapping, as stored in a mapping file (JSON). See docs/import.md. */
export interface CsvMapping {
  /** Field separator; default `,`. */
  readonly delimiter?: string;
  /** The record kind of every row, when no column gives it (`patent`, `RECORD_KIND_TRADEMARK`). */
  readonly kind?: string;
  /** Country of every row, when no column gives it. */
  readonly country?: string;
  /** Record field → column name or rule. */
  readonly columns: { readonly [target: string]: string | ColumnRule };
}

const STRING_FIELDS = [
  "id",
  "publicationNumber",
  "country",
  "docNumber",
  "kindCode",
  "publicationDate",
  "applicationNumber",
  "applicationDate",
  "familyId",
] as const;
const LIST_FIELDS = ["ipc", "cpc", "locarno", "vienna"] as const;
const PARTY_FIELDS = ["applicants", "inventors", "owners", "agents"] as const;
const TEXT_LISTS = ["titles", "abstracts", "descriptions"] as const;

function targetKnown(t: string): boolean {
  if ((STRING_FIELDS as readonly string[]).includes(t) || (LIST_FIELDS as readonly string[]).includes(t)) return true;
  if ((PARTY_FIELDS as readonly string[]).includes(t) || t === "nice" || t === "kind" || t === "claims") return true;
  const [head, lang] = t.split(".");
  if ((TEXT_LISTS as readonly string[]).includes(head!) && lang && /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(lang)) return true;
  return head === "extra" && !!lang;
}

/** Reads a record kind as written in a mapping or a cell: `patent`, `trademark`, `RECORD_KIND_DESIGN`. */
export function parseKind(value: string): RecordKind | undefined {
  const v = value.trim().toUpperCase().replace(/[\s-]+/g, "_");
  const aliases: { [k: string]: string } = { GI: "GEOGRAPHICAL_INDICATION", IC: "IC_LAYOUT" };
  const name = v.startsWith("RECORD_KIND_") ? v : `RECORD_KIND_${aliases[v] ?? v}`;
  const k = (RecordKind as unknown as { [n: string]: number })[name];
  return k === undefined || k <= 0 ? undefined : (k as RecordKind);
}

/**
 * Reads and checks a mapping file; an unknown target field or a malformed rule is
 * IMPORT_MAPPING_INVALID naming it.
 */
export async function loadCsvMapping(path: string): Promise<CsvMapping> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    throw new IpfedError("IMPORT_MAPPING_INVALID", `cannot read the CSV mapping ${path}: ${(err as Error).message}`, { cause: err, metadata: { file: path } });
  }
  const m = raw as CsvMapping;
  const bad = (field: string, why: string): never => {
    throw new IpfedError("IMPORT_MAPPING_INVALID", `${path}: ${field} ${why}`, { field, metadata: { file: path } });
  };
  if (typeof m !== "object" || m === null || typeof m.columns !== "object" || m.columns === null) bad("columns", "must be an object of record field → column");
  for (const [target, rule] of Object.entries(m.columns)) {
    if (!targetKnown(target)) bad(`columns.${target}`, "is not a record field this mapping can fill (see docs/import.md)");
    if (typeof rule !== "string" && (typeof rule !== "object" || rule === null || typeof rule.column !== "string"))
      bad(`columns.${target}`, 'must be a column name or { "column": ..., "split": ... }');
  }
  if (m.kind !== undefined && parseKind(m.kind) === undefined) bad("kind", `"${m.kind}" is not a record kind`);
  if (m.delimiter !== undefined && (typeof m.delimiter !== "string" || m.delimiter.length !== 1)) bad("delimiter", "must be one character");
  if (!m.columns.id && !(m.columns.docNumber && m.columns.kindCode && (m.columns.country || m.country)))
    bad("columns.id", "is required (or docNumber, kindCode and country, to compose the id)");
  return m;
}

/** Checks the mapping's columns against a header row; returns column indexes by target. */
export function bindMapping(m: CsvMapping, header: readonly string[], file: string): Map<string, { index: number; rule: ColumnRule }> {
  const bound = new Map<string, { index: number; rule: ColumnRule }>();
  const names = header.map((h) => h.trim());
  for (const [target, r] of Object.entries(m.columns)) {
    const rule: ColumnRule = typeof r === "string" ? { column: r } : r;
    const index = names.indexOf(rule.column);
    if (index < 0) {
      throw new IpfedError("IMPORT_MAPPING_INVALID", `${file}:1: the mapping's column "${rule.column}" (for ${target}) is not in the header (${names.join(", ")})`, {
        field: rule.column,
        position: 1,
        metadata: { file, line: "1" },
      });
    }
    bound.set(target, { index, rule });
  }
  return bound;
}

/** Builds a record from one row through a bound mapping. */
export function rowToRecord(m: CsvMapping, bound: Map<string, { index: number; rule: ColumnRule }>, fields: readonly string[]): { record?: Record; field?: string; reason?: string } {
  const r: { [k: string]: unknown } = {
    titles: [], abstracts: [], descriptions: [], claims: [], applicants: [], inventors: [], owners: [], agents: [],
    ipc: [], cpc: [], locarno: [], vienna: [], nice: [], extra: {},
  };
  if (m.kind) r.kind = parseKind(m.kind);
  if (m.country) r.country = m.country;
  for (const [target, { index, rule }] of bound) {
    const cell = (fields[index] ?? "").trim();
    if (!cell) continue;
    const values = rule.split ? cell.split(rule.split).map((v) => v.trim()).filter(Boolean) : [cell];
    const [head, sub] = target.split(".");
    if (target === "kind") {
      const k = parseKind(cell);
      if (k === undefined) return { field: rule.column, reason: `"${cell}" is not a record kind` };
      r.kind = k;
    } else if ((STRING_FIELDS as readonly string[]).includes(target)) r[target] = cell;
    else if ((LIST_FIELDS as readonly string[]).includes(target)) r[target] = values;
    else if (target === "nice") {
      const nums = values.map(Number);
      const wrong = values.find((_, i) => !Number.isInteger(nums[i]));
      if (wrong !== undefined) return { field: rule.column, reason: `"${wrong}" is not a Nice class number` };
      r.nice = nums;
    } else if (target === "claims") r.claims = values.map((text, i) => ({ number: i + 1, text, lang: "", dependsOn: [] }));
    else if ((PARTY_FIELDS as readonly string[]).includes(target))
      r[target] = values.map((name, i): Partial<Party> => ({ name, naturalPerson: rule.naturalPerson ?? false, sequence: i + 1 }));
    else if ((TEXT_LISTS as readonly string[]).includes(head!)) (r[head!] as { lang: string; text: string }[]).push({ lang: sub!, text: cell });
    else if (head === "extra") (r.extra as { [k: string]: string })[sub!] = cell;
  }
  if (!r.id && r.country && r.docNumber && r.kindCode) r.id = `${String(r.country)}-${String(r.docNumber)}-${String(r.kindCode)}`;
  if (!r.country && typeof r.id === "string") r.country = r.id.slice(0, 2);
  return { record: r as unknown as Record };
}
