import type Database from "better-sqlite3";

/**
 * The library's own catalogue, as its integrated library system keeps it. Nothing here is
 * ipfed's: shelf numbers, publication numbers as printed, one row per person named on a
 * document, and the collections and service desks of the library.
 *
 * @example
 * ```ts
 * db.exec(LIBRARY_TABLES);
 * ```
 */
export const LIBRARY_TABLES = `
CREATE TABLE IF NOT EXISTS collections (
  code             TEXT PRIMARY KEY,
  name_zh          TEXT NOT NULL DEFAULT '',
  name_en          TEXT NOT NULL DEFAULT '',
  note_zh          TEXT NOT NULL DEFAULT '',
  note_en          TEXT NOT NULL DEFAULT '',
  access           TEXT NOT NULL DEFAULT 'public',
  licence          TEXT NOT NULL DEFAULT '',
  regions          TEXT NOT NULL DEFAULT '',
  update_frequency TEXT NOT NULL DEFAULT '',
  sensitive        INTEGER NOT NULL DEFAULT 0,
  mirror_allowed   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS holdings (
  call_no     TEXT PRIMARY KEY,
  collection  TEXT NOT NULL,
  pub_no      TEXT NOT NULL,
  kind        TEXT NOT NULL,
  title_zh    TEXT NOT NULL DEFAULT '',
  title_en    TEXT NOT NULL DEFAULT '',
  abstract_zh TEXT NOT NULL DEFAULT '',
  abstract_en TEXT NOT NULL DEFAULT '',
  claim_1     TEXT NOT NULL DEFAULT '',
  claim_lang  TEXT NOT NULL DEFAULT '',
  ipc         TEXT NOT NULL DEFAULT '',
  nice        TEXT NOT NULL DEFAULT '',
  pub_date    TEXT NOT NULL DEFAULT '',
  app_no      TEXT NOT NULL DEFAULT '',
  app_date    TEXT NOT NULL DEFAULT '',
  family      TEXT NOT NULL DEFAULT '',
  access      TEXT NOT NULL DEFAULT '',
  UNIQUE (collection, pub_no)
);
CREATE TABLE IF NOT EXISTS people (
  holding   TEXT NOT NULL,
  role      TEXT NOT NULL,
  seq       INTEGER NOT NULL,
  name      TEXT NOT NULL,
  country   TEXT NOT NULL DEFAULT '',
  city      TEXT NOT NULL DEFAULT '',
  province  TEXT NOT NULL DEFAULT '',
  address   TEXT NOT NULL DEFAULT '',
  postcode  TEXT NOT NULL DEFAULT '',
  is_person INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (holding, role, seq)
);
CREATE TABLE IF NOT EXISTS desks (
  code     TEXT PRIMARY KEY,
  name_zh  TEXT NOT NULL DEFAULT '',
  name_en  TEXT NOT NULL DEFAULT '',
  channels TEXT NOT NULL DEFAULT '',
  hours    TEXT NOT NULL DEFAULT '',
  phone    TEXT NOT NULL DEFAULT '',
  email    TEXT NOT NULL DEFAULT ''
);
`;

/**
 * What the member adds beside the library's tables, without touching them: a change log fed by
 * triggers (so that rows written by the library's own software are announced too), a catalogue
 * log, and a search index (FTS5, `unicode61` with Porter stemming) with the exact-value terms
 * and facet values beside it, brought up to date from the change log before every read.
 *
 * @example
 * ```ts
 * db.exec(MEMBER_TABLES);
 * ```
 */
export const MEMBER_TABLES = `
CREATE TABLE IF NOT EXISTS ipfed_changes (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  collection TEXT NOT NULL,
  pub_no     TEXT NOT NULL,
  holding    INTEGER NOT NULL,
  op         TEXT NOT NULL,
  at         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ipfed_changes_record ON ipfed_changes (collection, pub_no);
CREATE INDEX IF NOT EXISTS ipfed_changes_collection ON ipfed_changes (collection, seq);
CREATE TABLE IF NOT EXISTS ipfed_catalogue (
  version INTEGER PRIMARY KEY AUTOINCREMENT,
  entry   TEXT NOT NULL,
  code    TEXT NOT NULL,
  change  TEXT NOT NULL,
  at      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ipfed_catalogue_code ON ipfed_catalogue (entry, code, version);
CREATE TABLE IF NOT EXISTS ipfed_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS ipfed_docs (
  row       INTEGER PRIMARY KEY,
  dataset   TEXT NOT NULL,
  id        TEXT NOT NULL,
  kind      TEXT NOT NULL,
  country   TEXT NOT NULL,
  pd        TEXT NOT NULL,
  ad        TEXT NOT NULL,
  access    INTEGER NOT NULL,
  applicant TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ipfed_docs_id ON ipfed_docs (dataset, id);
CREATE INDEX IF NOT EXISTS ipfed_docs_by_id ON ipfed_docs (id, dataset);
CREATE TABLE IF NOT EXISTS ipfed_keys (row INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ipfed_keys_value ON ipfed_keys (field, value);
CREATE INDEX IF NOT EXISTS ipfed_keys_row ON ipfed_keys (row);
CREATE VIRTUAL TABLE IF NOT EXISTS ipfed_fts USING fts5 (
  ti, ab, cl, pa, inv, ag, addr,
  tokenize = 'porter unicode61 remove_diacritics 0'
);

CREATE TRIGGER IF NOT EXISTS ipfed_holding_insert AFTER INSERT ON holdings BEGIN
  DELETE FROM ipfed_changes WHERE collection = NEW.collection AND pub_no = NEW.pub_no;
  INSERT INTO ipfed_changes (collection, pub_no, holding, op, at)
    VALUES (NEW.collection, NEW.pub_no, NEW.rowid, 'upsert', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER IF NOT EXISTS ipfed_holding_update AFTER UPDATE ON holdings BEGIN
  DELETE FROM ipfed_changes WHERE collection IN (OLD.collection, NEW.collection) AND pub_no IN (OLD.pub_no, NEW.pub_no);
  INSERT INTO ipfed_changes (collection, pub_no, holding, op, at)
    SELECT OLD.collection, OLD.pub_no, OLD.rowid, 'delete', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    WHERE OLD.collection <> NEW.collection OR OLD.pub_no <> NEW.pub_no;
  INSERT INTO ipfed_changes (collection, pub_no, holding, op, at)
    VALUES (NEW.collection, NEW.pub_no, NEW.rowid, 'upsert', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER IF NOT EXISTS ipfed_holding_delete AFTER DELETE ON holdings BEGIN
  DELETE FROM people WHERE holding = OLD.call_no;
  DELETE FROM ipfed_changes WHERE collection = OLD.collection AND pub_no = OLD.pub_no;
  INSERT INTO ipfed_changes (collection, pub_no, holding, op, at)
    VALUES (OLD.collection, OLD.pub_no, OLD.rowid, 'delete', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER IF NOT EXISTS ipfed_people_insert AFTER INSERT ON people
  WHEN EXISTS (SELECT 1 FROM holdings WHERE call_no = NEW.holding) BEGIN
  DELETE FROM ipfed_changes WHERE (collection, pub_no) IN (SELECT collection, pub_no FROM holdings WHERE call_no = NEW.holding);
  INSERT INTO ipfed_changes (collection, pub_no, holding, op, at)
    SELECT collection, pub_no, rowid, 'upsert', strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM holdings WHERE call_no = NEW.holding;
END;
CREATE TRIGGER IF NOT EXISTS ipfed_people_update AFTER UPDATE ON people
  WHEN EXISTS (SELECT 1 FROM holdings WHERE call_no = NEW.holding) BEGIN
  DELETE FROM ipfed_changes WHERE (collection, pub_no) IN (SELECT collection, pub_no FROM holdings WHERE call_no = NEW.holding);
  INSERT INTO ipfed_changes (collection, pub_no, holding, op, at)
    SELECT collection, pub_no, rowid, 'upsert', strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM holdings WHERE call_no = NEW.holding;
END;
CREATE TRIGGER IF NOT EXISTS ipfed_people_delete AFTER DELETE ON people
  WHEN EXISTS (SELECT 1 FROM holdings WHERE call_no = OLD.holding) BEGIN
  DELETE FROM ipfed_changes WHERE (collection, pub_no) IN (SELECT collection, pub_no FROM holdings WHERE call_no = OLD.holding);
  INSERT INTO ipfed_changes (collection, pub_no, holding, op, at)
    SELECT collection, pub_no, rowid, 'upsert', strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM holdings WHERE call_no = OLD.holding;
END;
CREATE TRIGGER IF NOT EXISTS ipfed_collection_insert AFTER INSERT ON collections BEGIN
  INSERT INTO ipfed_catalogue (entry, code, change, at) VALUES ('dataset', NEW.code, 'upserted', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER IF NOT EXISTS ipfed_collection_update AFTER UPDATE ON collections BEGIN
  INSERT INTO ipfed_catalogue (entry, code, change, at) VALUES ('dataset', NEW.code, 'upserted', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER IF NOT EXISTS ipfed_collection_delete AFTER DELETE ON collections BEGIN
  INSERT INTO ipfed_catalogue (entry, code, change, at) VALUES ('dataset', OLD.code, 'removed', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER IF NOT EXISTS ipfed_desk_insert AFTER INSERT ON desks BEGIN
  INSERT INTO ipfed_catalogue (entry, code, change, at) VALUES ('service', NEW.code, 'upserted', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER IF NOT EXISTS ipfed_desk_update AFTER UPDATE ON desks BEGIN
  INSERT INTO ipfed_catalogue (entry, code, change, at) VALUES ('service', NEW.code, 'upserted', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER IF NOT EXISTS ipfed_desk_delete AFTER DELETE ON desks BEGIN
  INSERT INTO ipfed_catalogue (entry, code, change, at) VALUES ('service', OLD.code, 'removed', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
`;

/**
 * Creates the library's tables (when missing) and the member's additions beside them, and
 * logs every holding already present as a change, so that a catalogue that predates the
 * member is indexed and harvestable from the first start.
 *
 * @example
 * ```ts
 * prepareCatalogue(new Database("catalogue.db"));
 * ```
 */
export function prepareCatalogue(db: Database.Database): void {
  db.pragma("journal_mode = WAL");
  const fresh = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'ipfed_changes'").get() === undefined;
  db.exec(LIBRARY_TABLES);
  db.transaction(() => {
    db.exec(MEMBER_TABLES);
    if (!fresh) return;
    const at = new Date().toISOString();
    db.prepare("INSERT INTO ipfed_changes (collection, pub_no, holding, op, at) SELECT collection, pub_no, rowid, 'upsert', ? FROM holdings ORDER BY rowid").run(at);
    db.prepare("INSERT INTO ipfed_catalogue (entry, code, change, at) SELECT 'dataset', code, 'upserted', ? FROM collections ORDER BY code").run(at);
    db.prepare("INSERT INTO ipfed_catalogue (entry, code, change, at) SELECT 'service', code, 'upserted', ? FROM desks ORDER BY code").run(at);
  })();
}
