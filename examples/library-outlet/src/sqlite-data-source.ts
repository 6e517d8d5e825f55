import Database from "better-sqlite3";
import { QUERY_RECORD_KINDS, clearanceTier } from "@ipfed/sdk";
import { Dataset, RecordKind } from "@ipfed/proto";
import type { PublicService, Record } from "@ipfed/proto";
import type {
  DataSource,
  PublishItem,
  PublishOutcome,
  SourceCatalogueEvent,
  SourceChange,
  SourceSearchRequest,
  SourceSearchResult,
} from "@ipfed/sdk";
import { IpfedError } from "@ipfed/sdk";
import { CatalogueIndex } from "./catalogue-index.js";
import type { IndexedDoc } from "./catalogue-index.js";
import { collectionToDataset, datasetToCollection, deskToService, recordToHolding, serviceToDesk } from "./holding-mapping.js";
import type { CollectionRow, DeskRow, HoldingRow, PersonRow } from "./holding-mapping.js";
import { idOf, readHolding, readPeople, readRecord } from "./holding-reader.js";
import type { HoldingWithRowid } from "./holding-reader.js";
import { prepareCatalogue } from "./library-schema.js";
import { compileQuery } from "./query-sql.js";

/** Options of {@link SqliteDataSource}. */
export interface SqliteDataSourceOptions {
  /** The member's id, written as publisher and in every record's provenance. */
  memberId: string;
  /**
   * How often a catalogue watch looks for new changes, in milliseconds.
   * @defaultValue 250
   */
  watchIntervalMs?: number;
}

type DocRow = IndexedDoc & { score: number };

/**
 * A library's existing SQLite catalogue as an ipfed DataSource (better-sqlite3): the library's
 * tables stay as they are, and the member keeps a change log (fed by triggers), a catalogue log
 * and an FTS5 index beside them, brought up to date from the change log before every read. Records
 * are returned whole; the server kit redacts them for each caller.
 *
 * @example
 * ```ts
 * const source = SqliteDataSource.open("catalogue.db", { memberId: "gd-sz-library" });
 * const server = createMemberServer({ identity, dataSource: source });
 * ```
 */
export class SqliteDataSource implements DataSource {
  readonly #db: Database.Database;
  readonly #memberId: string;
  readonly #watchMs: number;
  readonly #index: CatalogueIndex;

  constructor(db: Database.Database, options: SqliteDataSourceOptions) {
    this.#db = db;
    this.#memberId = options.memberId;
    this.#watchMs = options.watchIntervalMs ?? 250;
    prepareCatalogue(db);
    this.#index = new CatalogueIndex(db, options.memberId);
  }

  /**
   * Opens (or creates) a catalogue file and serves it.
   *
   * @example
   * ```ts
   * const source = SqliteDataSource.open("/var/lib/library/catalogue.db", { memberId: "gd-sz-library" });
   * ```
   */
  static open(file: string, options: SqliteDataSourceOptions): SqliteDataSource {
    return new SqliteDataSource(new Database(file), options);
  }

  /** The underlying database. */
  get db(): Database.Database {
    return this.#db;
  }

  /** Closes the database. */
  close(): void {
    if (this.#db.open) this.#db.close();
  }

  /**
   * Writes collections, service desks and records into the library's tables, the way the
   * library's own software would (used to seed a demo catalogue and by tests).
   *
   * @example
   * ```ts
   * await source.importCatalogue({ datasets, services, records });
   * ```
   */
  async importCatalogue(input: { datasets?: readonly Dataset[]; services?: readonly PublicService[]; records?: readonly Record[] }): Promise<void> {
    const db = this.#db;
    db.transaction(() => {
      for (const d of input.datasets ?? []) {
        const row = datasetToCollection(d);
        db.prepare(`INSERT OR REPLACE INTO collections (${Object.keys(row).join(", ")}) VALUES (${Object.keys(row).map((k) => `@${k}`).join(", ")})`).run(row);
      }
      for (const s of input.services ?? []) {
        const row = serviceToDesk(s);
        db.prepare(`INSERT OR REPLACE INTO desks (${Object.keys(row).join(", ")}) VALUES (${Object.keys(row).map((k) => `@${k}`).join(", ")})`).run(row);
      }
    })();
    const byDataset = new Map<string, Record[]>();
    for (const r of input.records ?? []) byDataset.set(r.datasetId, [...(byDataset.get(r.datasetId) ?? []), r]);
    for (const [dataset, records] of byDataset) await this.publish(dataset, records.map((record) => ({ record })));
  }

  async listDatasets(): Promise<Dataset[]> {
    this.#sync();
    const rows = this.#db.prepare("SELECT * FROM collections ORDER BY code").all() as CollectionRow[];
    return rows.map((r) => this.#dataset(r));
  }

  async getDataset(id: string): Promise<Dataset | undefined> {
    this.#sync();
    const row = this.#db.prepare("SELECT * FROM collections WHERE code = ?").get(id) as CollectionRow | undefined;
    return row ? this.#dataset(row) : undefined;
  }

  async listServices(): Promise<PublicService[]> {
    const rows = this.#db.prepare("SELECT * FROM desks ORDER BY code").all() as DeskRow[];
    return rows.map((r) => deskToService(r, this.#memberId));
  }

  async *watchCatalogue(sinceVersion: number, signal: AbortSignal): AsyncIterable<SourceCatalogueEvent> {
    let last = sinceVersion;
    const next = this.#db.prepare("SELECT version, entry, code, change, at FROM ipfed_catalogue WHERE version > ? ORDER BY version");
    while (!signal.aborted) {
      this.#sync();
      for (const e of next.all(last) as { version: number; entry: string; code: string; change: string; at: string }[]) {
        last = e.version;
        if (e.entry === "dataset") {
          const dataset = e.change === "removed" ? undefined : await this.getDataset(e.code);
          yield { change: dataset ? "upserted" : "removed", version: e.version, time: e.at, dataset: dataset ?? Dataset.fromPartial({ id: e.code }) };
        } else {
          const row = this.#db.prepare("SELECT * FROM desks WHERE code = ?").get(e.code) as DeskRow | undefined;
          const service = row ? deskToService(row, this.#memberId) : { id: e.code, names: [], descriptions: [], channels: [], hours: "", memberId: this.#memberId };
          yield { change: row ? "upserted" : "removed", version: e.version, time: e.at, service };
        }
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#watchMs);
        signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  }

  async search(req: SourceSearchRequest): Promise<SourceSearchResult> {
    this.#sync();
    const { where, rank } = compileQuery(req.query, req.fields);
    const datasets = req.datasets.length ? ` AND d.dataset IN (${req.datasets.map(() => "?").join(", ")})` : "";
    const sql =
      `SELECT d.row, d.id, d.dataset, d.kind, d.country, d.pd, d.applicant, ${rank ? "COALESCE(r.score, 0)" : "0"} AS score FROM ipfed_docs d` +
      (rank ? " LEFT JOIN (SELECT rowid AS row, -bm25(ipfed_fts) AS score FROM ipfed_fts WHERE ipfed_fts MATCH ?) r ON r.row = d.row" : "") +
      ` WHERE d.access <= ?${datasets} AND (${where.sql})`;
    const params = [...(rank ? [rank] : []), clearanceTier(req.caller.tier), ...req.datasets, ...where.params];
    const matches = this.#db.prepare(sql).all(...params) as DocRow[];
    matches.sort((a, b) => b.score - a.score || compare(a.id, b.id) || compare(a.dataset, b.dataset));
    let start = 0;
    if (req.after) {
      const after = parseAfter(req.after);
      start = matches.findIndex((m) => m.score < after[0] || (m.score === after[0] && (m.id > after[1] || (m.id === after[1] && m.dataset > after[2]))));
      if (start < 0) start = matches.length;
    }
    const page = matches.slice(start, start + req.pageSize);
    const hits = page.map((m) => ({ record: this.#record(m.row)!, score: m.score })).filter((h) => h.record);
    const last = page.at(-1);
    return {
      total: matches.length,
      hits,
      facets: req.facets.length ? this.#index.facets(matches, req.facets, req.facetSize) : [],
      ...(last && start + page.length < matches.length ? { next: JSON.stringify([last.score, last.id, last.dataset]) } : {}),
    };
  }

  async getRecord(id: string, datasetId?: string): Promise<{ record: Record; datasets: string[] } | undefined> {
    this.#sync();
    const rows = this.#db.prepare("SELECT row, dataset FROM ipfed_docs WHERE id = ? ORDER BY dataset").all(id) as { row: number; dataset: string }[];
    const from = datasetId === undefined ? rows[0] : rows.find((r) => r.dataset === datasetId);
    const record = from && this.#record(from.row);
    return record ? { record, datasets: rows.map((r) => r.dataset) } : undefined;
  }

  async scan(datasetId: string, after: string | undefined, limit: number): Promise<Record[]> {
    this.#sync();
    const rows = this.#db.prepare("SELECT row FROM ipfed_docs WHERE dataset = ? AND id > ? ORDER BY id LIMIT ?").all(datasetId, after ?? "", limit) as { row: number }[];
    return rows.flatMap((r) => this.#record(r.row) ?? []);
  }

  async changes(datasetId: string, after: number, limit: number): Promise<SourceChange[]> {
    const rows = this.#db
      .prepare("SELECT seq, pub_no, holding, op, at FROM ipfed_changes WHERE collection = ? AND seq > ? ORDER BY seq LIMIT ?")
      .all(datasetId, after, limit) as { seq: number; pub_no: string; holding: number; op: string; at: string }[];
    const out: SourceChange[] = [];
    for (const c of rows) {
      const id = idOf(c.pub_no);
      if (!id) continue;
      if (c.op === "delete") {
        out.push({ type: "delete", id, sequence: c.seq, time: c.at });
        continue;
      }
      const record = this.#record(c.holding);
      if (record) out.push({ type: "upsert", id, record, sequence: c.seq, time: c.at });
    }
    return out;
  }

  async publish(datasetId: string, items: readonly PublishItem[]): Promise<PublishOutcome[]> {
    const db = this.#db;
    const outcomes: PublishOutcome[] = [];
    db.transaction(() => {
      this.#sync();
      for (const item of items) {
        if ("deleteId" in item) {
          const doc = db.prepare("SELECT row FROM ipfed_docs WHERE dataset = ? AND id = ?").get(datasetId, item.deleteId) as { row: number } | undefined;
          const gone = doc ? db.prepare("DELETE FROM holdings WHERE rowid = ?").run(doc.row).changes > 0 : false;
          outcomes.push({ id: item.deleteId, status: gone ? "deleted" : "absent" });
        } else {
          const doc = db.prepare("SELECT row FROM ipfed_docs WHERE dataset = ? AND id = ?").get(datasetId, item.record.id) as { row: number } | undefined;
          const old = doc ? readHolding(db, doc.row) : undefined;
          const { holding, people } = recordToHolding(item.record, datasetId, old?.call_no);
          if (old && sameHolding(old, readPeople(db, old.call_no), holding, people)) {
            outcomes.push({ id: item.record.id, status: "unchanged" });
            continue;
          }
          const columns = Object.keys(holding);
          if (old) db.prepare(`UPDATE holdings SET ${columns.map((c) => `${c} = @${c}`).join(", ")} WHERE call_no = @call_no`).run(holding);
          else db.prepare(`INSERT INTO holdings (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})`).run(holding);
          db.prepare("DELETE FROM people WHERE holding = ?").run(holding.call_no);
          const insert = db.prepare("INSERT INTO people (holding, role, seq, name, country, city, province, address, postcode, is_person) VALUES (@holding, @role, @seq, @name, @country, @city, @province, @address, @postcode, @is_person)");
          for (const p of people) insert.run(p);
          outcomes.push({ id: item.record.id, status: old ? "updated" : "created" });
        }
        this.#sync();
      }
    })();
    return outcomes;
  }

  #record(rowid: number): Record | undefined {
    return readRecord(this.#db, rowid, this.#memberId);
  }

  #sync(): void {
    this.#index.sync();
  }

  #dataset(row: CollectionRow): Dataset {
    const db = this.#db;
    const figures = db.prepare("SELECT count(*) AS n, min(NULLIF(pd, '')) AS first, max(NULLIF(pd, '')) AS last FROM ipfed_docs WHERE dataset = ?").get(row.code) as { n: number; first: string | null; last: string | null };
    const countries = (db.prepare("SELECT DISTINCT country FROM ipfed_docs WHERE dataset = ? AND country <> '' ORDER BY country").all(row.code) as { country: string }[]).map((c) => c.country);
    const kinds = (db.prepare("SELECT DISTINCT kind FROM ipfed_docs WHERE dataset = ?").all(row.code) as { kind: string }[])
      .map((k) => (QUERY_RECORD_KINDS as readonly string[]).indexOf(k.kind) + 1)
      .filter((k) => k > 0)
      .sort((a, b) => a - b) as RecordKind[];
    const log = db.prepare("SELECT count(*) AS n, max(at) AS at FROM ipfed_catalogue WHERE entry = 'dataset' AND code = ?").get(row.code) as { n: number; at: string | null };
    const d = collectionToDataset(row, this.#memberId);
    return {
      ...d,
      kinds,
      recordCount: figures.n,
      coverage: { ...d.coverage!, countries, dateFrom: figures.first ?? "", dateTo: figures.last ?? "" },
      version: log.n,
      ...(log.at ? { updatedTime: log.at } : {}),
    };
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}


function parseAfter(after: string): [number, string, string] {
  try {
    const p = JSON.parse(after) as unknown;
    if (Array.isArray(p) && typeof p[0] === "number" && typeof p[1] === "string" && typeof p[2] === "string") return [p[0], p[1], p[2]];
  } catch {
    // reported below
  }
  throw new IpfedError("CURSOR_INVALID", "cursor is damaged", { field: "cursor" });
}

function sameHolding(old: HoldingWithRowid, oldPeople: readonly PersonRow[], holding: HoldingRow, people: readonly PersonRow[]): boolean {
  const { rowid: _rowid, ...rest } = old;
  const key = (p: PersonRow) => `${p.role}/${String(p.seq).padStart(6, "0")}`;
  const sorted = (list: readonly PersonRow[]) => [...list].sort((a, b) => compare(key(a), key(b))).map((p) => JSON.stringify(p, Object.keys(p).sort()));
  return JSON.stringify(rest, Object.keys(rest).sort()) === JSON.stringify(holding, Object.keys(holding).sort()) && JSON.stringify(sorted(oldPeople)) === JSON.stringify(sorted(people));
}
