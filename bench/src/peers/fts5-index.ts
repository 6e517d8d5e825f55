import { statSync } from "node:fs";
import { rm } from "node:fs/promises";
import Database from "better-sqlite3";
import type { Statement } from "better-sqlite3";
import type { QueryNode } from "@ipfed/sdk";
import type { Record } from "@ipfed/proto";

/**
 * The FTS5 tokenizers the benchmark builds: `unicode61` (what a user starts with), `porter`
 * (`porter unicode61`: the same tokens, English words stemmed, as ipfed stems them) and `trigram`
 * (substrings, the way to search Chinese without a segmenter).
 */
export type Fts5Tokenizer = "unicode61" | "porter" | "trigram";

/** The `tokenize` option of each {@link Fts5Tokenizer}. */
export const FTS5_TOKENIZE: { readonly [t in Fts5Tokenizer]: string } = { unicode61: "unicode61", porter: "porter unicode61", trigram: "trigram" };

/** Columns of the FTS5 table; `inventor` because `in` is an SQL keyword. `pd` is stored, not indexed. */
const COLUMNS = ["ti", "ab", "cl", "tx", "pa", "inventor", "ag", "ipc"] as const;
/** The columns free text searches, as ipfed's free text does (title, abstract, claims, full text, parties). */
const FREE_TEXT = "{ti ab cl tx pa inventor ag}";
/** Query-language fields and the columns they search. */
const FIELD_COLUMNS: { readonly [field: string]: string } = {
  ti: "ti",
  ab: "ab",
  cl: "cl",
  tx: "{ti ab cl tx}",
  pa: "pa",
  in: "inventor",
  ag: "ag",
  ipc: "ipc",
};

/** One FTS5 row: the record's text laid out as ipfed's index lays it out (see `toIndexDocument`). */
export interface Fts5Row {
  readonly ti: string;
  readonly ab: string;
  readonly cl: string;
  readonly tx: string;
  readonly pa: string;
  readonly inventor: string;
  readonly ag: string;
  readonly ipc: string;
  /** Publication date as `yyyymmdd`, 0 when unknown. */
  readonly pd: number;
}

const texts = (values: readonly { text: string }[]): string[] => values.map((v) => v.text).filter((t) => t.trim() !== "");
const names = (parties: readonly { name: string }[]): string[] => [...new Set(parties.map((p) => p.name.trim()).filter((n) => n !== ""))];

/**
 * The text of a record in FTS5 columns, field for field what ipfed indexes: titles (with a
 * trademark's mark and a GI's product names), abstracts, claims, descriptions (with a law's text
 * and a trademark's goods and services), applicants and owners, inventors, agents, IPC symbols.
 *
 * @example
 * ```ts
 * fts5Row(record).ti; // "一种超声探头及其控制方法\nUltrasonic probe and control method thereof"
 * ```
 */
export function fts5Row(record: Record): Fts5Row {
  const titles = texts(record.titles);
  const extra: string[] = [];
  const detail = record.detail;
  if (detail?.$case === "trademark") {
    if (detail.value.markText.trim() !== "" && !titles.includes(detail.value.markText)) titles.push(detail.value.markText);
    for (const c of detail.value.classes) extra.push(c.goodsServices);
  } else if (detail?.$case === "geographicalIndication") {
    for (const p of texts(detail.value.product)) if (!titles.includes(p)) titles.push(p);
  } else if (detail?.$case === "law") {
    extra.push(...texts(detail.value.text));
  }
  return {
    ti: titles.join("\n"),
    ab: texts(record.abstracts).join("\n"),
    cl: record.claims.map((c) => c.text).join("\n"),
    tx: [...texts(record.descriptions), ...extra].join("\n"),
    pa: names([...record.applicants, ...record.owners]).join("\n"),
    inventor: names(record.inventors).join("\n"),
    ag: names(record.agents).join("\n"),
    ipc: record.ipc.join("\n"),
    pd: Number(record.publicationDate.replace(/-/g, "")) || 0,
  };
}

/** A query as FTS5 runs it: a MATCH expression and an optional publication-date window. */
export interface Fts5Query {
  readonly match: string;
  /** Inclusive `yyyymmdd` bounds on `pd`. */
  readonly pdFrom?: number;
  readonly pdTo?: number;
}

/** Why FTS5 cannot run a query, or the query. */
export type Fts5Translation = { readonly ok: true; readonly query: Fts5Query } | { readonly ok: false; readonly reason: string };

const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;

function dayNumber(date: string, end: boolean): number {
  const [y, m, d] = date.split("-");
  return Number(`${y}${m ?? (end ? "12" : "01")}${d ?? (end ? "31" : "01")}`);
}

class Untranslatable extends Error {}

function expr(node: QueryNode, tokenizer: Fts5Tokenizer, window: { from?: number; to?: number } | undefined): string {
  switch (node.type) {
    case "term":
    case "phrase": {
      const column = node.field === undefined ? FREE_TEXT : FIELD_COLUMNS[node.field];
      if (column === undefined) throw new Untranslatable(`field ${node.field ?? ""} has no FTS5 column`);
      const value = node.value.trim();
      if (tokenizer === "trigram" && [...value].length < 3) throw new Untranslatable("trigram matches 3 characters or more");
      // A class symbol matches everything below it, as ipfed's class hierarchy does: a prefix.
      const prefix = node.type === "term" && (node.prefix || node.field === "ipc") ? "*" : "";
      if (prefix !== "" && tokenizer === "trigram") throw new Untranslatable("trigram has no prefix queries");
      return `${column} : ${quote(value)}${prefix}`;
    }
    case "and": {
      const positive: string[] = [];
      const negative: string[] = [];
      for (const child of node.children) {
        if (child.type === "not") negative.push(expr(child.child, tokenizer, undefined));
        else if (child.type === "range") {
          if (window === undefined || child.field !== "pd") throw new Untranslatable(`a range on ${child.field} is not an FTS5 expression`);
          if (child.from !== undefined) window.from = dayNumber(child.from, false) + (child.inclusiveFrom ? 0 : 1);
          if (child.to !== undefined) window.to = dayNumber(child.to, true) - (child.inclusiveTo ? 0 : 1);
        } else positive.push(expr(child, tokenizer, undefined));
      }
      if (positive.length === 0) throw new Untranslatable("FTS5 needs a positive term");
      const all = positive.map((p) => `(${p})`).join(" AND ");
      return negative.length === 0 ? all : `(${all}) NOT (${negative.map((n) => `(${n})`).join(" OR ")})`;
    }
    case "or":
      return node.children.map((c) => `(${expr(c, tokenizer, undefined)})`).join(" OR ");
    default:
      throw new Untranslatable(`${node.type} alone is not an FTS5 expression`);
  }
}

/**
 * Translates a parsed ipfed query into FTS5: free text searches the same columns as ipfed's,
 * `ti:`/`ab:`/`pa:`/`in:` a column, `ipc:` a prefix, `a NOT b` FTS5's binary NOT, and a
 * `pd:[...]` range beside an AND becomes a date window on the stored `pd` column.
 *
 * @example
 * ```ts
 * translateFts5(parseQuery("ti:graphene AND pd:[2015 TO 2018]"), "unicode61");
 * // { ok: true, query: { match: '(ti : "graphene")', pdFrom: 20150101, pdTo: 20181231 } }
 * ```
 */
export function translateFts5(node: QueryNode, tokenizer: Fts5Tokenizer): Fts5Translation {
  try {
    const window: { from?: number; to?: number } = {};
    const match = expr(node, tokenizer, window);
    return { ok: true, query: { match, ...(window.from !== undefined ? { pdFrom: window.from } : {}), ...(window.to !== undefined ? { pdTo: window.to } : {}) } };
  } catch (err) {
    if (err instanceof Untranslatable) return { ok: false, reason: err.message };
    throw err;
  }
}

/**
 * An FTS5 index of the benchmark records in one SQLite file: `build` inserts rows in
 * transactions, `top` runs a query as a user would (bm25, LIMIT 20), `count` counts its matches.
 *
 * @example
 * ```ts
 * const fts = Fts5Index.create("/tmp/fts.sqlite", "unicode61");
 * fts.insert([fts5Row(record)]);
 * fts.top({ match: '"graphene"' }, 20);
 * ```
 */
export class Fts5Index {
  readonly #db: Database.Database;
  readonly #insert: Statement;
  readonly #statements = new Map<string, Statement>();
  readonly file: string;

  private constructor(file: string, db: Database.Database) {
    this.file = file;
    this.#db = db;
    this.#insert = db.prepare(`INSERT INTO docs (${COLUMNS.join(", ")}, pd) VALUES (${COLUMNS.map((c) => `@${c}`).join(", ")}, @pd)`);
  }

  /** Creates a new, empty index in `file` (an existing file is replaced). */
  static async create(file: string, tokenizer: Fts5Tokenizer): Promise<Fts5Index> {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) await rm(file + suffix, { force: true });
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.exec(`CREATE VIRTUAL TABLE docs USING fts5(${COLUMNS.join(", ")}, pd UNINDEXED, tokenize = '${FTS5_TOKENIZE[tokenizer]}')`);
    return new Fts5Index(file, db);
  }

  /** Opens an index built earlier. */
  static open(file: string): Fts5Index {
    return new Fts5Index(file, new Database(file, { readonly: false }));
  }

  /** Inserts rows in one transaction. */
  insert(rows: readonly Fts5Row[]): void {
    this.#db.transaction(() => {
      for (const r of rows) this.#insert.run(r);
    })();
  }

  /** Merges the index's segments into one, as `INSERT ... VALUES('optimize')` does, and checkpoints the WAL. */
  optimize(): void {
    this.#db.exec("INSERT INTO docs(docs) VALUES('optimize')");
    this.#db.pragma("wal_checkpoint(TRUNCATE)");
  }

  #statement(kind: "top" | "count", q: Fts5Query): Statement {
    const window = `${q.pdFrom !== undefined ? " AND pd >= @pdFrom" : ""}${q.pdTo !== undefined ? " AND pd <= @pdTo" : ""}`;
    const sql =
      kind === "top"
        ? `SELECT rowid, bm25(docs) AS score FROM docs WHERE docs MATCH @match${window} ORDER BY score LIMIT @limit`
        : `SELECT count(*) AS n FROM docs WHERE docs MATCH @match${window}`;
    let s = this.#statements.get(sql);
    if (s === undefined) this.#statements.set(sql, (s = this.#db.prepare(sql)));
    return s;
  }

  /** The best `limit` rows by bm25. */
  top(q: Fts5Query, limit: number): { rowid: number; score: number }[] {
    return this.#statement("top", q).all({ ...q, limit }) as { rowid: number; score: number }[];
  }

  /** All matching rows. */
  count(q: Fts5Query): number {
    return (this.#statement("count", q).get(q) as { n: number }).n;
  }

  /** Size of the database file and its WAL, bytes. */
  bytes(): number {
    let n = 0;
    for (const suffix of ["", "-wal"]) {
      try {
        n += statSync(this.file + suffix).size;
      } catch {
        // No WAL.
      }
    }
    return n;
  }

  close(): void {
    this.#db.close();
  }
}
