import { Dataset, PublicService, Record, RecordKind } from "@ipfed/proto";
import { describe, expect, it } from "vitest";
import type { CatalogueEvent, RecordStore, StoredRecord } from "./record-store.js";
import type { IndexUpdate } from "../search/search-index.js";

/** What the conformance suite needs from an implementation. */
export interface RecordStoreHarness {
  store: RecordStore;
  /** Closes and opens the same store again (persistent implementations only). */
  reopen?: () => Promise<RecordStore>;
  teardown(): Promise<void>;
}

/** A test record with sensible defaults. */
export function testRecord(id: string, over: Partial<Record> = {}): Record {
  const [cc = "CN"] = id.split("-");
  return Record.fromPartial({
    id,
    kind: RecordKind.RECORD_KIND_PATENT,
    country: cc,
    publicationDate: "2020-01-02",
    titles: [{ lang: "en", text: `Title of ${id}` }],
    ...over,
  });
}

const DS = Dataset.fromPartial({ id: "ds-a", titles: [{ lang: "en", text: "A" }], publisher: "m" });

/**
 * The behaviour every {@link RecordStore} must have, as one vitest suite that each
 * implementation runs with its own setup.
 *
 * @example
 * ```ts
 * recordStoreConformance("memory", async () => ({ store: new MemoryRecordStore({ memberId: "m" }), teardown: async () => {} }));
 * recordStoreConformance("level", setupLevel, { persistence: true });
 * ```
 */
export function recordStoreConformance(
  name: string,
  setup: () => Promise<RecordStoreHarness>,
  supports: { persistence: boolean } = { persistence: false },
): void {
  describe(`RecordStore conformance: ${name}`, () => {
    async function withStore(fn: (h: RecordStoreHarness) => Promise<void>): Promise<void> {
      const h = await setup();
      await h.store.open();
      await h.store.putDataset(DS);
      try {
        await fn(h);
      } finally {
        await h.teardown();
      }
    }

    it("refuses writes to an unknown dataset", () =>
      withStore(async ({ store }) => {
        await expect(store.write("nope", [{ type: "put", record: testRecord("CN-1-A") }])).rejects.toMatchObject({ code: "DATASET_NOT_FOUND" });
      }));

    it("creates, leaves unchanged, updates and deletes, with outcomes in order", () =>
      withStore(async ({ store }) => {
        const a = testRecord("CN-1-A");
        expect(await store.write("ds-a", [{ type: "put", record: a }, { type: "put", record: testRecord("CN-2-A") }])).toEqual([
          { id: "CN-1-A", status: "created" },
          { id: "CN-2-A", status: "created" },
        ]);
        expect(await store.write("ds-a", [{ type: "put", record: a }])).toEqual([{ id: "CN-1-A", status: "unchanged" }]);
        const changed = testRecord("CN-1-A", { titles: [{ lang: "en", text: "New title" }] });
        expect(await store.write("ds-a", [{ type: "put", record: changed }])).toEqual([{ id: "CN-1-A", status: "updated" }]);
        expect(await store.write("ds-a", [{ type: "delete", id: "CN-2-A" }, { type: "delete", id: "CN-9-A" }])).toEqual([
          { id: "CN-2-A", status: "deleted" },
          { id: "CN-9-A", status: "absent" },
        ]);
        const got = await store.get("ds-a", "CN-1-A");
        expect(got?.record.titles).toEqual([{ lang: "en", text: "New title" }]);
        expect(got?.record.datasetId).toBe("ds-a");
        expect(got?.record.provenance).toMatchObject({ memberId: expect.any(String), version: 2 });
        expect(await store.get("ds-a", "CN-2-A")).toBeUndefined();
      }));

    it("gives every change a new document number and forgets the old one", () =>
      withStore(async ({ store }) => {
        await store.write("ds-a", [{ type: "put", record: testRecord("CN-1-A") }]);
        const first = (await store.get("ds-a", "CN-1-A"))!.docno;
        await store.write("ds-a", [{ type: "put", record: testRecord("CN-1-A", { ipc: ["H01M 10/052"] }) }]);
        const second = (await store.get("ds-a", "CN-1-A"))!.docno;
        expect(second).toBeGreaterThan(first);
        expect(await store.getByDocno(first)).toBeUndefined();
        expect((await store.getByDocno(second))?.record.ipc).toEqual(["H01M 10/052"]);
        const many = await store.getManyByDocno([second, first, 999999]);
        expect(many.map((m) => m?.record.id)).toEqual(["CN-1-A", undefined, undefined]);
      }));

    it("hands the index the added and removed documents, and applies its update", () =>
      withStore(async ({ store }) => {
        const calls: { adds: number[]; removes: number[] }[] = [];
        let applied = 0;
        const index = {
          async prepare(adds: readonly StoredRecord[], removes: readonly number[]): Promise<IndexUpdate> {
            calls.push({ adds: adds.map((a) => a.docno), removes: [...removes] });
            return { ops: [], apply: () => void applied++ };
          },
        };
        await store.write("ds-a", [{ type: "put", record: testRecord("CN-1-A") }, { type: "put", record: testRecord("CN-2-A") }], index);
        const d1 = (await store.get("ds-a", "CN-1-A"))!.docno;
        const d2 = (await store.get("ds-a", "CN-2-A"))!.docno;
        await store.write("ds-a", [{ type: "put", record: testRecord("CN-1-A", { familyId: "x" }) }, { type: "delete", id: "CN-2-A" }], index);
        expect(calls[0]).toEqual({ adds: [d1, d2], removes: [] });
        expect(calls[1]!.removes.sort()).toEqual([d1, d2].sort());
        expect(applied).toBe(2);
      }));

    it("a failing index update leaves the store unchanged", () =>
      withStore(async ({ store }) => {
        await store.write("ds-a", [{ type: "put", record: testRecord("CN-1-A") }]);
        const failing = {
          async prepare(): Promise<IndexUpdate> {
            throw new Error("index full");
          },
        };
        await expect(store.write("ds-a", [{ type: "put", record: testRecord("CN-2-A") }, { type: "delete", id: "CN-1-A" }], failing)).rejects.toThrow("index full");
        expect(await store.get("ds-a", "CN-2-A")).toBeUndefined();
        expect(await store.get("ds-a", "CN-1-A")).toBeDefined();
        expect((await store.datasetStats("ds-a"))?.recordCount).toBe(1);
        expect((await store.changes("ds-a", { after: 0, limit: 10 })).map((c) => c.id)).toEqual(["CN-1-A"]);
      }));

    it("locates the datasets that hold an id", () =>
      withStore(async ({ store }) => {
        await store.putDataset(Dataset.fromPartial({ id: "ds-b" }));
        await store.write("ds-a", [{ type: "put", record: testRecord("CN-1-A") }]);
        await store.write("ds-b", [{ type: "put", record: testRecord("CN-1-A") }, { type: "put", record: testRecord("CN-10-A") }]);
        expect(await store.locate("CN-1-A")).toEqual(["ds-a", "ds-b"]);
        expect(await store.locate("CN-10-A")).toEqual(["ds-b"]);
        expect(await store.locate("CN-1")).toEqual([]);
      }));

    it("scans a dataset in canonical-id order, page by page", () =>
      withStore(async ({ store }) => {
        const ids = ["US-7-B1", "CN-3-A", "EP-5-B1", "CN-12-A", "JP-1-A"];
        await store.write("ds-a", ids.map((id) => ({ type: "put" as const, record: testRecord(id) })));
        const seen: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await store.scan("ds-a", { ...(after !== undefined ? { after } : {}), limit: 2 });
          if (page.length === 0) break;
          seen.push(...page.map((r) => r.id));
          after = page[page.length - 1]!.id;
        }
        expect(seen).toEqual([...ids].sort());
        expect(await store.scan("ds-zzz", { limit: 10 })).toEqual([]);
      }));

    it("scans the same records in their encoding", () =>
      withStore(async ({ store }) => {
        const ids = ["US-7-B1", "CN-3-A", "EP-5-B1"];
        await store.write("ds-a", ids.map((id) => ({ type: "put" as const, record: testRecord(id, { ipc: ["H01M 10/00"] }) })));
        const encoded = await store.scanEncoded("ds-a", { after: "CN-3-A", limit: 5 });
        expect(encoded.map((b) => Record.decode(b).id)).toEqual(["EP-5-B1", "US-7-B1"]);
        expect(encoded.map((b) => Buffer.from(b).toString("hex"))).toEqual(
          (await store.scan("ds-a", { after: "CN-3-A", limit: 5 })).map((r) => Buffer.from(Record.encode(r).finish()).toString("hex")),
        );
        expect(Record.decode(encoded[0]!).ipc).toEqual(["H01M 10/00"]);
        expect(await store.scanEncoded("ds-zzz", { limit: 10 })).toEqual([]);
      }));

    it("keeps a change log with upserts and tombstones, only the latest per record", () =>
      withStore(async ({ store }) => {
        await store.write("ds-a", [{ type: "put", record: testRecord("CN-1-A") }, { type: "put", record: testRecord("CN-2-A") }]);
        const cursor = await store.lastChange("ds-a");
        expect(cursor).toBe(2);
        await store.write("ds-a", [{ type: "put", record: testRecord("CN-1-A", { ipc: ["A01B"] }) }]);
        await store.write("ds-a", [{ type: "delete", id: "CN-2-A" }]);
        await store.write("ds-a", [{ type: "put", record: testRecord("CN-3-A") }]);
        const all = await store.changes("ds-a", { after: 0, limit: 100 });
        expect(all.map((c) => [c.seq, c.type, c.id])).toEqual([
          [3, "upsert", "CN-1-A"],
          [4, "delete", "CN-2-A"],
          [5, "upsert", "CN-3-A"],
        ]);
        expect((await store.changes("ds-a", { after: cursor, limit: 100 })).map((c) => c.id)).toEqual(["CN-1-A", "CN-2-A", "CN-3-A"]);
        expect((await store.changes("ds-a", { after: 3, limit: 1 })).map((c) => c.id)).toEqual(["CN-2-A"]);
        expect(await store.changes("ds-a", { after: 5, limit: 10 })).toEqual([]);
        expect(all[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT/);
        // A record changed twice within one batch keeps one entry too: its last.
        await store.write("ds-a", [
          { type: "put", record: testRecord("CN-4-A") },
          { type: "put", record: testRecord("CN-4-A", { ipc: ["H01M"] }) },
          { type: "delete", id: "CN-3-A" },
          { type: "put", record: testRecord("CN-3-A", { ipc: ["B01D"] }) },
        ]);
        expect((await store.changes("ds-a", { after: 5, limit: 10 })).map((c) => [c.seq, c.type, c.id])).toEqual([
          [7, "upsert", "CN-4-A"],
          [9, "upsert", "CN-3-A"],
        ]);
        expect((await store.get("ds-a", "CN-4-A"))?.record.ipc).toEqual(["H01M"]);
      }));

    it("keeps dataset figures exact through updates and deletes", () =>
      withStore(async ({ store }) => {
        await store.write("ds-a", [
          { type: "put", record: testRecord("CN-1-A", { publicationDate: "2011-05-01" }) },
          { type: "put", record: testRecord("US-2-B1", { publicationDate: "2009-01-01" }) },
          { type: "put", record: testRecord("CN-3-A", { publicationDate: "2015-12-31", kind: RecordKind.RECORD_KIND_TRADEMARK }) },
        ]);
        await store.write("ds-a", [{ type: "delete", id: "CN-3-A" }]);
        const stats = await store.datasetStats("ds-a");
        expect(stats).toMatchObject({ recordCount: 2, countries: { CN: 1, US: 1 }, dateFrom: "2009-01-01", dateTo: "2011-05-01", kinds: { "1": 2 } });
        const ds = await store.getDataset("ds-a");
        expect(ds?.recordCount).toBe(2);
        expect(ds?.coverage).toEqual({ countries: ["CN", "US"], dateFrom: "2009-01-01", dateTo: "2011-05-01", regions: [] });
        expect(ds?.version).toBeGreaterThanOrEqual(3);
        expect((await store.listDatasets()).map((d) => [d.id, d.recordCount])).toEqual([["ds-a", 2]]);
        // Declared regions are kept; the rest of the coverage comes from the records.
        await store.putDataset({ ...ds!, coverage: { countries: ["XX"], dateFrom: "1900-01-01", dateTo: "", regions: ["510000"] } });
        expect((await store.getDataset("ds-a"))?.coverage).toEqual({ countries: ["CN", "US"], dateFrom: "2009-01-01", dateTo: "2011-05-01", regions: ["510000"] });
      }));

    it("answers dataset reads with the figures of the latest write, also when read between writes", () =>
      withStore(async ({ store }) => {
        const figures = async () => (await store.listDatasets()).map((d) => `${d.id}:${d.recordCount}:${d.titles[0]?.text ?? ""}`);
        expect(await figures()).toEqual(["ds-a:0:A"]);
        await store.write("ds-a", [{ type: "put", record: testRecord("CN-1-A") }]);
        expect(await figures()).toEqual(["ds-a:1:A"]);
        expect((await store.getDataset("ds-a"))?.recordCount).toBe(1);
        // A caller changing what it was given does not change what the store answers next.
        (await store.listDatasets())[0]!.recordCount = 99;
        expect((await store.getDataset("ds-a"))?.recordCount).toBe(1);
        await store.putDataset(Dataset.fromPartial({ id: "ds-b", publisher: "m", titles: [{ lang: "en", text: "B" }] }));
        expect(await figures()).toEqual(["ds-a:1:A", "ds-b:0:B"]);
        // Reads racing a write never keep the figures from before it.
        const during = Promise.all([figures(), store.write("ds-b", [{ type: "put", record: testRecord("CN-2-A") }]), figures()]);
        await during;
        expect(await figures()).toEqual(["ds-a:1:A", "ds-b:1:B"]);
        await store.deleteDataset("ds-b");
        expect(await figures()).toEqual(["ds-a:1:A"]);
        expect(await store.getDataset("ds-b")).toBeUndefined();
      }));

    it("deleting a dataset deletes its records through the change log", () =>
      withStore(async ({ store }) => {
        await store.write("ds-a", [{ type: "put", record: testRecord("CN-1-A") }]);
        expect(await store.deleteDataset("ds-a")).toBe(true);
        expect(await store.getDataset("ds-a")).toBeUndefined();
        expect(await store.locate("CN-1-A")).toEqual([]);
        expect(await store.deleteDataset("ds-a")).toBe(false);
      }));

    it("stores public services", () =>
      withStore(async ({ store }) => {
        const svc = PublicService.fromPartial({ id: "desk", names: [{ lang: "zh", text: "专利检索咨询" }], channels: ["onsite"], hours: "Mon-Fri 09:00-17:00" });
        await store.putService(svc);
        await store.putService(PublicService.fromPartial({ id: "training" }));
        expect((await store.listServices()).map((s) => s.id)).toEqual(["desk", "training"]);
        expect((await store.listServices())[0]).toEqual(svc);
        expect(await store.deleteService("training")).toBe(true);
        expect(await store.deleteService("training")).toBe(false);
        expect((await store.listServices()).map((s) => s.id)).toEqual(["desk"]);
      }));

    it("numbers catalogue changes and replays then follows them", () =>
      withStore(async ({ store }) => {
        const v0 = await store.catalogueVersion();
        expect(v0).toBe(1);
        const ac = new AbortController();
        const seen: CatalogueEvent[] = [];
        const done = (async () => {
          for await (const e of store.watchCatalogue(0, ac.signal)) {
            seen.push(e);
            if (seen.length === 3) ac.abort();
          }
        })();
        await store.putService(PublicService.fromPartial({ id: "desk" }));
        await store.write("ds-a", [{ type: "put", record: testRecord("CN-1-A") }]);
        await done;
        expect(seen.map((e) => [e.version, e.change, e.dataset?.id ?? e.service?.id])).toEqual([
          [1, "upserted", "ds-a"],
          [2, "upserted", "desk"],
          [3, "upserted", "ds-a"],
        ]);
        expect(seen[2]!.dataset?.recordCount).toBe(1);
        expect(await store.catalogueVersion()).toBe(3);
      }));

    if (!supports.persistence) return;
    it("keeps everything across a reopen", () =>
      withStore(async (h) => {
        if (!h.reopen) throw new Error("a persistent store's harness must provide reopen()");
        await h.store.write("ds-a", [{ type: "put", record: testRecord("CN-1-A") }, { type: "put", record: testRecord("CN-2-A") }]);
        await h.store.write("ds-a", [{ type: "delete", id: "CN-2-A" }]);
        const before = (await h.store.get("ds-a", "CN-1-A"))!;
        const store = await h.reopen();
        expect(await store.get("ds-a", "CN-1-A")).toEqual(before);
        expect(await store.lastChange("ds-a")).toBe(3);
        expect((await store.datasetStats("ds-a"))?.recordCount).toBe(1);
        await store.write("ds-a", [{ type: "put", record: testRecord("CN-3-A") }]);
        expect((await store.get("ds-a", "CN-3-A"))!.docno).toBeGreaterThan(before.docno);
        expect(await store.catalogueVersion()).toBe(4);
      }));
  });
}
