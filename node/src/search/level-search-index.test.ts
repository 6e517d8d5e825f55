import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Level } from "level";
import { afterEach, describe, expect, it } from "vitest";
import { parseQuery } from "@ipfed/sdk";
import type { StoredRecord } from "../store/record-store.js";
import type { IndexSublevel } from "./index-sublevel.js";
import { encodePostings } from "./postings-codec.js";
import { LevelSearchIndex } from "./level-search-index.js";
import type { LevelSearchIndexOptions } from "./level-search-index.js";
import { MemorySearchIndex } from "./memory-search-index.js";
import { CORPUS, searchIndexConformance } from "./search-index.conformance.js";
import { FIXTURES, fixtureRecord } from "./search-index.fixtures.js";
import type { IndexSearchOptions, IndexUpdate, SearchIndex } from "./search-index.js";

/** Writes an index update's ops (sublevel operations) in one batch of the root database. */
function rootBatch(db: Level<string, Uint8Array>, ops: readonly unknown[]): Promise<void> {
  return (db.batch as unknown as (operations: unknown[]) => Promise<void>).call(db, [...ops]);
}

/** A LevelDB in a temporary directory with the index in a sublevel, reopenable. */
class TestDb {
  db!: Level<string, Uint8Array>;
  index!: LevelSearchIndex;

  private constructor(
    readonly dir: string,
    private readonly options: LevelSearchIndexOptions,
  ) {}

  static async create(options: LevelSearchIndexOptions = {}): Promise<TestDb> {
    const t = new TestDb(await mkdtemp(join(tmpdir(), "ipfed-index-")), options);
    await t.open();
    return t;
  }

  get sublevel(): IndexSublevel {
    return this.db.sublevel<string, Uint8Array>("index", { keyEncoding: "utf8", valueEncoding: "view" });
  }

  async open(): Promise<LevelSearchIndex> {
    this.db = new Level<string, Uint8Array>(this.dir, { keyEncoding: "utf8", valueEncoding: "view" });
    await this.db.open();
    this.index = new LevelSearchIndex(this.sublevel, this.options);
    await this.index.open();
    return this.index;
  }

  async commit(update: IndexUpdate): Promise<void> {
    // As the store does: the index's ops in the root database's batch, then apply().
    await rootBatch(this.db, update.ops);
    update.apply();
  }

  async reopen(): Promise<LevelSearchIndex> {
    await this.close();
    return this.open();
  }

  async close(): Promise<void> {
    await this.index.close();
    await this.db.close();
  }

  async destroy(): Promise<void> {
    await this.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

describe("LevelSearchIndex", () => {
  searchIndexConformance("level", async () => {
    const t = await TestDb.create();
    return {
      get index() {
        return t.index;
      },
      commit: (update) => t.commit(update),
      reopen: () => t.reopen(),
      teardown: () => t.destroy(),
    };
  }, { persistence: true });

  const open: TestDb[] = [];
  afterEach(async () => {
    for (const t of open.splice(0)) await t.destroy();
  });

  const QUERIES = [
    "battery",
    "graphene OR 石墨烯",
    '"lithium ion"',
    "batter*",
    "ipc:H01M",
    "kind:trademark",
    "*",
    "NOT battery",
    "method OR apple",
    "pd:[2015 TO 2020] AND battery",
    "石墨烯 AND pd:[2015 TO 2020]",
    '"lithium ion" AND NOT cc:US',
    "石墨 电池",
    'ti:"graphene battery" OR ab:graph*',
    "graph* -石墨烯 (cc:CN OR cc:US)",
  ];
  const OPTIONS: IndexSearchOptions = { limit: 25, facets: ["kind", "country", "year", "ipc_section", "ipc_class", "nice", "applicant", "dataset"] };

  async function expectSameAnswers(a: SearchIndex, b: SearchIndex): Promise<void> {
    expect(a.docCount()).toBe(b.docCount());
    for (const q of QUERIES) {
      for (const options of [OPTIONS, { ...OPTIONS, datasets: ["cnipa"] }, { ...OPTIONS, fields: ["ti", "kind"] }]) {
        expect(await a.search(parseQuery(q), options), q).toEqual(await b.search(parseQuery(q), options));
      }
    }
  }

  it("keeps the segment count bounded over many small commits and answers as the memory index", async () => {
    const t = await TestDb.create();
    open.push(t);
    const memory = new MemorySearchIndex();
    let docno = 0;
    const live: number[] = [];
    for (let c = 0; c < 300; c++) {
      const adds: StoredRecord[] = [];
      for (let k = 0; k < 3; k++) {
        docno++;
        const f = FIXTURES[docno % FIXTURES.length] as (typeof FIXTURES)[number];
        adds.push({ docno, record: fixtureRecord({ ...f, id: `${f.id}-${docno}` }) });
      }
      // Every fifth commit removes two older documents (some while a merge is running).
      const removes = c % 5 === 4 ? live.splice((c * 7) % Math.max(1, live.length - 2), 2) : [];
      live.push(...adds.map((a) => a.docno));
      await t.commit(await t.index.prepare(adds, removes));
      (await memory.prepare(adds, removes)).apply();
    }
    await t.index.idle();
    expect(t.index.segmentCount()).toBeLessThanOrEqual(10);
    expect(t.index.docCount()).toBe(live.length);
    // Merged-away segments are gone from disk, markers included.
    expect(await t.sublevel.keys({ gte: "o/", lt: "o0" }).all()).toEqual([]);
    const dataSegments = new Set((await t.sublevel.keys({ gte: "s/", lt: "s0" }).all()).map((k) => k.slice(0, 10)));
    expect(dataSegments.size).toBe(t.index.segmentCount());
    await expectSameAnswers(t.index, memory);
    await t.reopen();
    expect(t.index.segmentCount()).toBeLessThanOrEqual(10);
    await expectSameAnswers(t.index, memory);
  });

  it("merges into one segment with the same answers", async () => {
    const t = await TestDb.create({ mergePolicy: { segmentsPerTier: 2, floorDocs: 1_000_000, tierFactor: 10, maxDeletedShare: 0.4 } });
    open.push(t);
    const memory = new MemorySearchIndex();
    for (const part of [CORPUS.slice(0, 16), CORPUS.slice(16)]) {
      await t.commit(await t.index.prepare(part, []));
      (await memory.prepare(part, [])).apply();
    }
    await t.index.idle();
    expect(t.index.segmentCount()).toBe(1);
    for (const removes of [[1, 2, 3], [30]]) {
      await t.commit(await t.index.prepare([], removes));
      (await memory.prepare([], removes)).apply();
    }
    await expectSameAnswers(t.index, memory);
    await t.reopen();
    await expectSameAnswers(t.index, memory);
  });

  it("holds publishes back while merges catch up", async () => {
    const maxSegments = 3;
    const t = await TestDb.create({ maxSegments, mergePolicy: { segmentsPerTier: 2, floorDocs: 1_000_000, tierFactor: 10, maxDeletedShare: 0.4 } });
    open.push(t);
    for (let c = 0; c < 30; c++) {
      const f = FIXTURES[c % FIXTURES.length] as (typeof FIXTURES)[number];
      await t.commit(await t.index.prepare([{ docno: c + 1, record: fixtureRecord({ ...f, id: `${f.id}-${c}` }) }], []));
      expect(t.index.segmentCount()).toBeLessThanOrEqual(maxSegments + 1);
    }
    await t.index.idle();
    expect(t.index.docCount()).toBe(30);
    expect((await t.index.search(parseQuery("*"), { limit: 0 })).total).toBe(30);
  });

  it("drops the data of a merge that never committed when it opens", async () => {
    const t = await TestDb.create();
    open.push(t);
    await t.commit(await t.index.prepare(CORPUS, []));
    // What a crash between a merge's data batches and its commit leaves: a pending marker and
    // data without a header.
    const orphan = "s/000000ff/";
    await t.sublevel.put("o/000000ff", new Uint8Array(0));
    await t.sublevel.put(`${orphan}c`, new Uint8Array([1, 0]));
    await t.sublevel.put(`${orphan}p/tbatteri`, encodePostings([0], [1], [0]));
    await t.reopen();
    expect((await t.index.search(parseQuery("battery"), { limit: 100 })).total).toBe(9);
    await t.reopen(); // close() waits for the clean-up
    expect(await t.sublevel.keys({ gte: orphan, lt: "s/000000ff0" }).all()).toEqual([]);
    expect(await t.sublevel.keys({ gte: "o/", lt: "o0" }).all()).toEqual([]);
    // New segments never reuse the orphan's id.
    await t.commit(await t.index.prepare([{ docno: 100, record: fixtureRecord({ id: "XX-1-A", ds: "x", ti: "battery" }) }], []));
    expect((await t.index.search(parseQuery("battery"), { limit: 100 })).total).toBe(10);
  });

  it("aims every operation at its sublevel, in key order", async () => {
    const t = await TestDb.create();
    open.push(t);
    await t.commit(await t.index.prepare(CORPUS.slice(0, 5), []));
    const update = await t.index.prepare(CORPUS.slice(5, 8), [1, 2, 777]);
    const ops = update.ops as { type: string; sublevel: unknown; key: string }[];
    expect(ops.every((op) => op.type === "put" && op.sublevel !== undefined)).toBe(true);
    expect(ops.filter((op) => op.key.startsWith("x/")).length).toBe(2);
    const keys = ops.map((op) => op.key);
    expect([...keys].sort()).toEqual(keys);
    // Nothing is visible before apply().
    await rootBatch(t.db, update.ops);
    expect(t.index.docCount()).toBe(5);
    update.apply();
    expect(t.index.docCount()).toBe(6);
  });

  it("refuses a docno that is already indexed", async () => {
    const t = await TestDb.create();
    open.push(t);
    await t.commit(await t.index.prepare(CORPUS.slice(0, 2), []));
    await expect(t.index.prepare(CORPUS.slice(0, 1), [])).rejects.toThrow(/already indexed/);
  });

  it("asks for a rebuild when built by another analyzer version", async () => {
    const t = await TestDb.create();
    open.push(t);
    expect(t.index.needsRebuild).toBe(false);
    await t.sublevel.put("v", new TextEncoder().encode(JSON.stringify({ format: 2, analyzer: 0 })));
    await t.reopen();
    expect(t.index.needsRebuild).toBe(true);
  });

  it("refuses an index of an older format (no addr field, no access tiers)", async () => {
    const t = await TestDb.create();
    open.push(t);
    await t.sublevel.put("v", new TextEncoder().encode(JSON.stringify({ format: 1, analyzer: 1 })));
    await expect(t.reopen()).rejects.toThrow(/format 1 is not supported/);
    await t.sublevel.put("v", new TextEncoder().encode(JSON.stringify({ format: 2, analyzer: 1 })));
    await t.index.open();
  });
});
