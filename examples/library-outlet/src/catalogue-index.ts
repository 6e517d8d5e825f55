import type Database from "better-sqlite3";
import { effectiveTier, QUERY_RECORD_KINDS } from "@ipfed/sdk";
import type { Facet } from "@ipfed/proto";
import { holdingToRecord } from "./holding-mapping.js";
import { idOf, readHolding, readPeople } from "./holding-reader.js";
import type { HoldingWithRowid } from "./holding-reader.js";
import { classTerms, textTokens } from "./text-tokens.js";

/** Separates two values of one field in the index, so that a phrase never runs from one into the next. */
const VALUE_GAP = " ipfedvaluegap ";

/** One indexed holding as a search reads it. */
export interface IndexedDoc {
  readonly row: number;
  readonly id: string;
  readonly dataset: string;
  readonly kind: string;
  readonly country: string;
  readonly pd: string;
  readonly applicant: string;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/**
 * The member's search index over the library's holdings: FTS5 text (`ipfed_fts`), exact-value
 * terms (`ipfed_keys`) and per-record values (`ipfed_docs`), kept up to date from the change log
 * that the triggers feed, so that rows written by the library's own software are found too.
 *
 * @example
 * ```ts
 * const index = new CatalogueIndex(db, "gd-sz-library");
 * index.sync();
 * ```
 */
export class CatalogueIndex {
  readonly #db: Database.Database;
  readonly #memberId: string;

  constructor(db: Database.Database, memberId: string) {
    this.#db = db;
    this.#memberId = memberId;
  }

  /** Brings the index, the facet values and the catalogue log up to date with the change log. */
  sync(): void {
    const db = this.#db;
    const done = (db.prepare("SELECT value FROM ipfed_state WHERE key = 'indexed'").get() as { value: number } | undefined)?.value ?? 0;
    const pending = db.prepare("SELECT seq, collection, pub_no, holding, op FROM ipfed_changes WHERE seq > ? ORDER BY seq").all(done) as { seq: number; collection: string; pub_no: string; holding: number; op: string }[];
    if (pending.length === 0) return;
    db.transaction(() => {
      const touched = new Set<string>();
      for (const c of pending) {
        touched.add(c.collection);
        const id = idOf(c.pub_no);
        // The row's own entry, and any other row that held the same record (deleted and written again).
        const stale = db.prepare("SELECT row FROM ipfed_docs WHERE row = ? OR (dataset = ? AND id = ?)").all(c.holding, c.collection, id ?? "") as { row: number }[];
        for (const { row } of stale) this.#unindex(row);
        if (c.op === "upsert" && id) {
          const row = readHolding(db, c.holding);
          if (row && row.collection === c.collection && row.pub_no === c.pub_no) this.#index(row);
        }
      }
      db.prepare("INSERT OR REPLACE INTO ipfed_state (key, value) VALUES ('indexed', ?)").run(pending.at(-1)!.seq);
      const at = new Date().toISOString();
      for (const code of [...touched].sort()) {
        db.prepare("INSERT INTO ipfed_catalogue (entry, code, change, at) SELECT 'dataset', code, 'upserted', ? FROM collections WHERE code = ?").run(at, code);
      }
    })();
  }

  /**
   * Counts facets over every match, largest first and ties by value, `size` buckets each.
   *
   * @example
   * ```ts
   * index.facets(matches, ["kind", "year"], 10);
   * ```
   */
  facets(matches: readonly IndexedDoc[], names: readonly string[], size: number): Facet[] {
    const rows = JSON.stringify(matches.map((m) => m.row));
    const keys = this.#db.prepare("SELECT row, field, value FROM ipfed_keys WHERE field IN ('ipc', 'nice') AND row IN (SELECT value FROM json_each(?))").all(rows) as { row: number; field: string; value: string }[];
    const byRow = new Map<number, { classes: Set<string>; nice: Set<string> }>();
    for (const k of keys) {
      const entry = byRow.get(k.row) ?? { classes: new Set<string>(), nice: new Set<string>() };
      byRow.set(k.row, entry);
      if (k.field === "nice") entry.nice.add(k.value);
      else if (k.value.startsWith("2")) entry.classes.add(k.value.slice(1));
    }
    const valuesOf = (m: IndexedDoc, name: string): string[] => {
      const k = byRow.get(m.row);
      switch (name) {
        case "kind": return [m.kind];
        case "country": return [m.country];
        case "year": return [m.pd.slice(0, 4)];
        case "applicant": return [m.applicant];
        case "dataset": return [m.dataset];
        case "ipc_class": return [...(k?.classes ?? [])];
        case "ipc_section": return [...new Set([...(k?.classes ?? [])].map((c) => c.slice(0, 1)))];
        case "nice": return [...(k?.nice ?? [])];
        default: return [];
      }
    };
    return names.map((name) => {
      const counts = new Map<string, number>();
      for (const m of matches) for (const v of valuesOf(m, name)) if (v !== "") counts.set(v, (counts.get(v) ?? 0) + 1);
      const buckets = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || compare(a.value, b.value));
      return { name, buckets: buckets.slice(0, size), suppressed: 0 };
    });
  }

  #unindex(row: number): void {
    this.#db.prepare("DELETE FROM ipfed_fts WHERE rowid = ?").run(row);
    this.#db.prepare("DELETE FROM ipfed_keys WHERE row = ?").run(row);
    this.#db.prepare("DELETE FROM ipfed_docs WHERE row = ?").run(row);
  }

  #index(row: HoldingWithRowid): void {
    const db = this.#db;
    const r = holdingToRecord(row, readPeople(db, row.call_no), this.#memberId);
    const kind = QUERY_RECORD_KINDS[r.kind - 1] ?? "";
    db.prepare("INSERT INTO ipfed_docs (row, dataset, id, kind, country, pd, ad, access, applicant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)").run(
      row.rowid, r.datasetId, r.id, kind, r.country.toUpperCase(), r.publicationDate, r.applicationDate, effectiveTier(r.accessTier), r.applicants[0]?.name.trim() ?? "",
    );
    const keys: [string, string][] = [
      ...distinct(r.ipc.flatMap(classTerms)).map((v) => ["ipc", v] as [string, string]),
      ...distinct(r.nice.map(String)).map((v) => ["nice", v] as [string, string]),
      ["cc", r.country.toUpperCase()],
      ["kind", kind],
      ["id", r.id.toUpperCase()],
      ["ds", r.datasetId],
      ...(r.familyId ? [["fam", r.familyId] as [string, string]] : []),
    ];
    const insertKey = db.prepare("INSERT INTO ipfed_keys (row, field, value) VALUES (?, ?, ?)");
    for (const [field, value] of keys) if (value) insertKey.run(row.rowid, field, value);
    const text = (values: readonly string[]) => distinct(values.map((v) => v.trim()).filter((v) => v !== "")).map((v) => textTokens(v).join(" ")).join(VALUE_GAP);
    const persons = [...r.applicants, ...r.inventors, ...r.owners, ...r.agents].filter((p) => p.naturalPerson);
    db.prepare("INSERT INTO ipfed_fts (rowid, ti, ab, cl, pa, inv, ag, addr) VALUES (?, ?, ?, ?, ?, ?, ?, ?)").run(
      row.rowid,
      text(r.titles.map((t) => t.text)),
      text(r.abstracts.map((t) => t.text)),
      text(r.claims.map((c) => c.text)),
      text([...r.applicants, ...r.owners].map((p) => p.name)),
      text(r.inventors.map((p) => p.name)),
      text(r.agents.map((p) => p.name)),
      text(persons.flatMap((p) => [p.city, p.state, p.address, p.postcode])),
    );
  }
}
