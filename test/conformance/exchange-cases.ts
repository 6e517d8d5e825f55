import { ChangeType, ExportRequest, HarvestRequest } from "@ipfed/proto";
import type { ExportResponse, HarvestResponse } from "@ipfed/proto";
import { expect, it } from "vitest";
import { failure, stream, unary } from "./conformance-client.js";
import type { ConformanceClients } from "./conformance-client.js";
import { CONFORMANCE_RECORDS } from "./conformance-fixture.js";
import type { ConformanceHarness } from "./conformance-harness.js";
import { comparable } from "./record-cases.js";

const exportAll = (c: ConformanceClients, r: Partial<ExportRequest>) => stream<ExportResponse>(c.exchange.export(ExportRequest.fromPartial(r)));
const harvest = (c: ConformanceClients, r: Partial<HarvestRequest>) => unary<HarvestResponse>((cb) => c.exchange.harvest(HarvestRequest.fromPartial(r), cb));

/** The ids of a dataset's records in canonical-id order. */
const inIdOrder = (dataset: string) => CONFORMANCE_RECORDS.filter((r) => r.datasetId === dataset).map((r) => r.id).sort();
/** The ids of a dataset's records in the order they were written. */
const inLoadOrder = (dataset: string) => CONFORMANCE_RECORDS.filter((r) => r.datasetId === dataset).map((r) => r.id);
const HIDDEN = "CN-113111222-A";

/**
 * The ExchangeService Export and Harvest cases: batches in canonical-id order, resuming from a
 * cursor, the change log in write order with paging, what each tier receives, and the errors.
 *
 * @example
 * ```ts
 * describe("cases", () => exchangeCases(() => harness));
 * ```
 */
export function exchangeCases(h: () => ConformanceHarness): void {
  it("Export streams a dataset in canonical-id order, in batches, the last one marked", async () => {
    const batches = await exportAll(h().as(h().tokens.restricted), { datasetId: "patents", batchSize: 4 });
    expect(batches.map((b) => [b.records.length, b.total, b.last])).toEqual([
      [4, 12, false],
      [4, 12, false],
      [4, 12, true],
    ]);
    expect(batches.flatMap((b) => b.records.map((r) => r.id))).toEqual(inIdOrder("patents"));
    expect(batches.every((b) => b.cursor !== "")).toBe(true);
    const tm = await exportAll(h().as(h().tokens.restricted), { datasetId: "trademarks" });
    expect(tm.flatMap((b) => b.records.map(comparable))).toEqual(inIdOrder("trademarks").map((id) => comparable(CONFORMANCE_RECORDS.find((r) => r.id === id)!)));
    expect(tm.map((b) => b.last)).toEqual([true]);
  });

  it("Export resumes after a batch from its cursor", async () => {
    const c = h().as(h().tokens.restricted);
    const [first] = await exportAll(c, { datasetId: "patents", batchSize: 4 });
    const rest = await exportAll(c, { datasetId: "patents", batchSize: 4, cursor: first!.cursor });
    expect(rest.flatMap((b) => b.records.map((r) => r.id))).toEqual(inIdOrder("patents").slice(4));
    expect(rest.map((b) => b.last)).toEqual([false, true]);
  });

  it("Export leaves out what a PUBLIC caller may not see, and redacts what it sends", async () => {
    const batches = await exportAll(h().as(h().tokens.public), { datasetId: "patents", batchSize: 4 });
    expect(batches.map((b) => b.records.length)).toEqual([3, 4, 4]);
    const records = batches.flatMap((b) => b.records);
    expect(records.map((r) => r.id)).toEqual(inIdOrder("patents").filter((id) => id !== HIDDEN));
    expect(records.every((r) => r.claims.length === 0 && r.inventors.every((p) => p.address === "" && p.city === ""))).toBe(true);
  });

  it("Export sends a CONFIDENTIAL caller every record whole, as stored", async () => {
    const batches = await exportAll(h().as(h().tokens.confidential), { datasetId: "patents", batchSize: 5 });
    expect(batches.map((b) => [b.records.length, b.last])).toEqual([
      [5, false],
      [5, false],
      [2, true],
    ]);
    const records = batches.flatMap((b) => b.records);
    expect(records.map(comparable)).toEqual(inIdOrder("patents").map((id) => comparable(CONFORMANCE_RECORDS.find((r) => r.id === id)!)));
    expect(records.every((r) => r.withheldFields.length === 0)).toBe(true);
  });

  it("Export refuses a cursor it did not issue, one of another dataset, a batch above 5000, and hides a dataset above the caller's tier", async () => {
    const c = h().as(h().tokens.restricted);
    const bad = await failure(exportAll(c, { datasetId: "patents", cursor: "bm90LWEtY3Vyc29y" }));
    expect([bad.code, bad.status, bad.field]).toEqual(["CURSOR_INVALID", 3, "cursor"]);
    const [first] = await exportAll(c, { datasetId: "patents", batchSize: 4 });
    const other = await failure(exportAll(c, { datasetId: "trademarks", cursor: first!.cursor }));
    expect([other.code, other.message]).toEqual(["CURSOR_INVALID", "cursor belongs to another dataset"]);
    const big = await failure(exportAll(c, { datasetId: "patents", batchSize: 5001 }));
    expect([big.code, big.field]).toEqual(["PAGE_SIZE_INVALID", "batch_size"]);
    const hidden = await failure(exportAll(h().as(h().tokens.public), { datasetId: "pending" }));
    expect([hidden.code, hidden.status]).toEqual(["DATASET_NOT_FOUND", 5]);
    const missing = await failure(exportAll(c, { datasetId: "" }));
    expect([missing.code, missing.field]).toEqual(["INVALID_ARGUMENT", "dataset_id"]);
  });

  it("Harvest from the start returns every record as an upsert, in the order written, with increasing sequences", async () => {
    const res = await harvest(h().as(h().tokens.restricted), { datasetId: "patents", limit: 100 });
    expect(res.changes.map((ch) => ch.recordId)).toEqual(inLoadOrder("patents"));
    expect(res.changes.every((ch) => ch.type === ChangeType.CHANGE_TYPE_UPSERT && ch.record?.id === ch.recordId && ch.time !== "")).toBe(true);
    const seqs = res.changes.map((ch) => ch.sequence);
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);
    expect(res.hasMore).toBe(false);
    expect(comparable(res.changes[0]!.record!)).toEqual(comparable(CONFORMANCE_RECORDS[0]!));
    const again = await harvest(h().as(h().tokens.restricted), { datasetId: "patents", cursor: res.nextCursor });
    expect([again.changes.length, again.hasMore]).toEqual([0, false]);
  });

  it("Harvest pages from a change number: each change once, in order", async () => {
    const c = h().as(h().tokens.restricted);
    const pages: string[][] = [];
    const more: boolean[] = [];
    let cursor = "";
    for (let i = 0; i < 10; i++) {
      const res = await harvest(c, { datasetId: "patents", limit: 5, cursor });
      pages.push(res.changes.map((ch) => ch.recordId));
      more.push(res.hasMore);
      cursor = res.nextCursor;
      if (!res.hasMore) break;
    }
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    expect(more).toEqual([true, true, false]);
    expect(pages.flat()).toEqual(inLoadOrder("patents"));
  });

  it("Harvest leaves out the upserts of records a PUBLIC caller may not see", async () => {
    const res = await harvest(h().as(h().tokens.public), { datasetId: "patents" });
    expect(res.changes.map((ch) => ch.recordId)).toEqual(inLoadOrder("patents").filter((id) => id !== HIDDEN));
    expect(res.changes.every((ch) => ch.record!.claims.length === 0)).toBe(true);
  });

  it("Harvest refuses a cursor it did not issue, needs the export scope, and hides a dataset above the caller's tier", async () => {
    const bad = await failure(harvest(h().as(h().tokens.restricted), { datasetId: "patents", cursor: "bm90LWEtY3Vyc29y" }));
    expect([bad.code, bad.field]).toEqual(["CURSOR_INVALID", "cursor"]);
    const scope = await failure(harvest(h().as(h().tokens.noExport), { datasetId: "patents" }));
    expect([scope.code, scope.status]).toEqual(["SCOPE_MISSING", 7]);
    const anonymous = await failure(harvest(h().as(), { datasetId: "patents" }));
    expect(anonymous.code).toBe("SCOPE_MISSING");
    const hidden = await failure(harvest(h().as(h().tokens.registered), { datasetId: "pending" }));
    expect(hidden.code).toBe("DATASET_NOT_FOUND");
  });
}
