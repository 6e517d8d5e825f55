import type { ServiceError } from "@grpc/grpc-js";
import { ChangeType, GetRecordRequest, HarvestRequest, PublishRequest, PublishStatus, Record, WatchCatalogueRequest } from "@ipfed/proto";
import type { GetRecordResponse, HarvestResponse, PublishResponse, WatchCatalogueResponse } from "@ipfed/proto";
import { fromGrpcError } from "@ipfed/sdk";
import { expect, it } from "vitest";
import { failure, search, unary } from "./conformance-client.js";
import type { ConformanceClients } from "./conformance-client.js";
import { CONFORMANCE_RECORDS } from "./conformance-fixture.js";
import type { ConformanceHarness } from "./conformance-harness.js";
import { comparable } from "./record-cases.js";

/** Sends a Publish stream and returns its summary. */
function publish(c: ConformanceClients, messages: Partial<PublishRequest>[]): Promise<PublishResponse> {
  return new Promise((resolve, reject) => {
    const call = c.exchange.publish((err: ServiceError | null, res: PublishResponse) => (err ? reject(fromGrpcError(err)) : resolve(res)));
    for (const m of messages) call.write(PublishRequest.fromPartial(m));
    call.end();
  });
}

const harvest = (c: ConformanceClients, r: Partial<HarvestRequest>) => unary<HarvestResponse>((cb) => c.exchange.harvest(HarvestRequest.fromPartial(r), cb));

/** Watches the catalogue from the start until a dataset shows `recordCount` records; cancel it when done. */
function announced(c: ConformanceClients, dataset: string, recordCount: number): { event: Promise<WatchCatalogueResponse>; cancel(): void } {
  const call = c.catalogue.watchCatalogue(WatchCatalogueRequest.fromPartial({ sinceVersion: 0 }));
  const event = new Promise<WatchCatalogueResponse>((resolve, reject) => {
    call.on("data", (m: WatchCatalogueResponse) => {
      if (m.entry?.$case === "dataset" && m.entry.value.id === dataset && Number(m.entry.value.recordCount) === recordCount) resolve(m);
    });
    call.on("error", (err: ServiceError) => (err.code === 1 ? undefined : reject(err)));
  });
  return { event, cancel: () => call.cancel() };
}

const TM = (id: string) => CONFORMANCE_RECORDS.find((r) => r.id === id)!;

/**
 * The ExchangeService Publish cases, for a DataSource that accepts writes: each outcome, the
 * change log after the writes (upserts and deletions), search and GetRecord seeing them, and
 * the catalogue announcing the new figures live.
 *
 * @example
 * ```ts
 * describe("cases", () => publishCases(() => harness));
 * ```
 */
export function publishCases(h: () => ConformanceHarness): void {
  it("Publish creates, updates, leaves unchanged, deletes and rejects; Harvest, Search and WatchCatalogue follow", async () => {
    const c = h().as(h().tokens.restricted);
    const before = await harvest(c, { datasetId: "trademarks" });
    expect(before.changes).toHaveLength(3);
    const watched = announced(c, "trademarks", 4);
    const created = Record.fromPartial({
      ...TM("CN-TM37099999-T"),
      id: "CN-TM38000001-T",
      publicationNumber: "CNTM38000001T",
      docNumber: "TM38000001",
      applicationNumber: "38000001",
      titles: [{ lang: "zh", text: "云茶坊" }, { lang: "en", text: "CLOUD TEA HOUSE" }],
      nice: [30],
    });
    const second = Record.fromPartial({ ...created, id: "CN-TM38000002-T", publicationNumber: "CNTM38000002T", docNumber: "TM38000002", applicationNumber: "38000002", titles: [{ lang: "en", text: "CLOUD TEA GARDEN" }] });
    const updated = Record.fromPartial({ ...TM("CN-TM36054321-T"), titles: [{ lang: "zh", text: "茶语" }, { lang: "en", text: "TEA WHISPERS" }] });
    const res = await publish(c, [
      { datasetId: "trademarks", item: { $case: "record", value: created } },
      { item: { $case: "record", value: second } },
      { item: { $case: "record", value: updated } },
      { item: { $case: "record", value: TM("CN-TM37099999-T") } },
      { item: { $case: "deleteId", value: "CN-TM35012345-T" } },
      { item: { $case: "deleteId", value: "CN-TM00000001-T" } },
      { item: { $case: "record", value: Record.fromPartial({ ...created, id: "not-an-id" }) } },
    ]);
    expect(res.results.map((r) => [r.index, r.id, r.status, r.errorCode])).toEqual([
      [0, "CN-TM38000001-T", PublishStatus.PUBLISH_STATUS_CREATED, ""],
      [1, "CN-TM38000002-T", PublishStatus.PUBLISH_STATUS_CREATED, ""],
      [2, "CN-TM36054321-T", PublishStatus.PUBLISH_STATUS_UPDATED, ""],
      [3, "CN-TM37099999-T", PublishStatus.PUBLISH_STATUS_UNCHANGED, ""],
      [4, "CN-TM35012345-T", PublishStatus.PUBLISH_STATUS_DELETED, ""],
      [5, "CN-TM00000001-T", PublishStatus.PUBLISH_STATUS_UNCHANGED, ""],
      [6, "not-an-id", PublishStatus.PUBLISH_STATUS_REJECTED, "RECORD_INVALID"],
    ]);
    expect([res.created, res.updated, res.unchanged, res.deleted, res.rejected]).toEqual([2, 1, 2, 1, 1]);

    const after = await harvest(c, { datasetId: "trademarks", cursor: before.nextCursor });
    expect(after.changes.map((ch) => [ch.type, ch.recordId])).toEqual([
      [ChangeType.CHANGE_TYPE_UPSERT, "CN-TM38000001-T"],
      [ChangeType.CHANGE_TYPE_UPSERT, "CN-TM38000002-T"],
      [ChangeType.CHANGE_TYPE_UPSERT, "CN-TM36054321-T"],
      [ChangeType.CHANGE_TYPE_DELETE, "CN-TM35012345-T"],
    ]);
    expect(after.changes[3]!.record).toBeUndefined();
    expect(after.changes[0]!.sequence).toBeGreaterThan(before.changes.at(-1)!.sequence);
    expect(comparable(after.changes[0]!.record!)).toEqual(comparable(created));
    // From the start, each record appears once, at its latest change.
    const all = await harvest(c, { datasetId: "trademarks" });
    expect(all.changes.map((ch) => ch.recordId)).toEqual(["CN-TM37099999-T", "CN-TM38000001-T", "CN-TM38000002-T", "CN-TM36054321-T", "CN-TM35012345-T"]);

    const tm = await search(c, { query: "kind:trademark", pageSize: 50 });
    expect(tm.hits.map((x) => x.record!.id).sort()).toEqual(["CN-TM36054321-T", "CN-TM37099999-T", "CN-TM38000001-T", "CN-TM38000002-T"]);
    expect((await search(c, { query: "ti:whispers" })).hits.map((x) => x.record!.id)).toEqual(["CN-TM36054321-T"]);
    expect((await search(c, { query: "ti:云茶" })).hits.map((x) => x.record!.id)).toEqual(["CN-TM38000001-T"]);
    expect((await search(c, { query: "ti:cloud" })).hits.map((x) => x.record!.id).sort()).toEqual(["CN-TM38000001-T", "CN-TM38000002-T"]);
    const gone = await failure(unary<GetRecordResponse>((cb) => c.search.getRecord(GetRecordRequest.fromPartial({ id: "CN-TM35012345-T" }), cb)));
    expect(gone.code).toBe("RECORD_NOT_FOUND");

    const change = await watched.event;
    watched.cancel();
    expect(change.entry?.$case).toBe("dataset");
    expect(change.entry?.$case === "dataset" && [change.entry.value.id, change.entry.value.recordCount]).toEqual(["trademarks", 4]);
  });

  it("Publish needs the publish scope", async () => {
    const e = await failure(publish(h().as(h().tokens.registered), [{ datasetId: "trademarks", item: { $case: "deleteId", value: "CN-TM37099999-T" } }]));
    expect([e.code, e.status]).toEqual(["SCOPE_MISSING", 7]);
  });
}

/** For a read-only DataSource: Publish is UNIMPLEMENTED. *
 * @example
 * ```ts
 * describe("cases", () => readOnlyCases(() => harness));
 * ```
 */
export function readOnlyCases(h: () => ConformanceHarness): void {
  it("Publish is UNIMPLEMENTED on a read-only member", async () => {
    const e = await failure(publish(h().as(h().tokens.restricted), [{ datasetId: "trademarks", item: { $case: "deleteId", value: "CN-TM37099999-T" } }]));
    expect([e.code, e.status]).toEqual(["UNIMPLEMENTED", 12]);
  });
}
