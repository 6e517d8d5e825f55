import type { ServiceError } from "@grpc/grpc-js";
import { GetDatasetRequest, ListDatasetsRequest, ListServicesRequest, RecordKind, Tier, WatchCatalogueRequest } from "@ipfed/proto";
import type { Dataset, GetDatasetResponse, ListDatasetsResponse, ListServicesResponse, WatchCatalogueResponse } from "@ipfed/proto";
import { expect, it } from "vitest";
import { failure, unary } from "./conformance-client.js";
import type { ConformanceClients } from "./conformance-client.js";
import { CONFORMANCE_DATASETS } from "./conformance-fixture.js";
import type { ConformanceHarness } from "./conformance-harness.js";

const listDatasets = (c: ConformanceClients, r: Partial<ListDatasetsRequest> = {}) =>
  unary<ListDatasetsResponse>((cb) => c.catalogue.listDatasets(ListDatasetsRequest.fromPartial(r), cb));
const getDataset = (c: ConformanceClients, id: string) => unary<GetDatasetResponse>((cb) => c.catalogue.getDataset(GetDatasetRequest.fromPartial({ id }), cb));

/** What the protocol fixes about a dataset: the metadata as loaded, and the figures of its records. */
function figures(d: Dataset) {
  return { id: d.id, titles: d.titles, tier: d.tier, kinds: d.kinds, recordCount: d.recordCount, coverage: d.coverage };
}

const fixture = (id: string) => CONFORMANCE_DATASETS.find((d) => d.id === id)!;

/**
 * Watches the catalogue from `since` and returns the events that came until `enough` said so
 * (then the call is cancelled): a watch never ends by itself.
 */
function watchUntil(c: ConformanceClients, since: number, enough: (events: readonly WatchCatalogueResponse[]) => boolean): Promise<WatchCatalogueResponse[]> {
  return new Promise((resolve, reject) => {
    const out: WatchCatalogueResponse[] = [];
    let done = false;
    const call = c.catalogue.watchCatalogue(WatchCatalogueRequest.fromPartial({ sinceVersion: since }));
    call.on("data", (m: WatchCatalogueResponse) => {
      if (done) return;
      out.push(m);
      if (enough(out)) {
        done = true;
        call.cancel();
        resolve([...out]);
      }
    });
    call.on("error", (err: ServiceError) => (err.code === 1 ? undefined : reject(err)));
  });
}

const datasetOf = (e: WatchCatalogueResponse) => (e.entry?.$case === "dataset" ? e.entry.value : undefined);
const serviceOf = (e: WatchCatalogueResponse) => (e.entry?.$case === "service" ? e.entry.value : undefined);

/**
 * The CatalogueService cases: datasets and their figures per tier, paging, kinds, not-found
 * without an oracle, services, and the catalogue watch.
 *
 * @example
 * ```ts
 * describe("cases", () => catalogueCases(() => harness));
 * ```
 */
export function catalogueCases(h: () => ConformanceHarness): void {
  it("ListDatasets shows an anonymous caller the PUBLIC datasets only, with the figures of their records", async () => {
    const res = await listDatasets(h().as());
    expect(res.datasets.map(figures)).toEqual([
      {
        ...figures(fixture("patents")),
        recordCount: 12,
        coverage: { countries: ["CN", "US"], dateFrom: "2021-03-05", dateTo: "2023-01-10", regions: ["440300"] },
      },
      { ...figures(fixture("trademarks")), recordCount: 3, coverage: { countries: ["CN"], dateFrom: "2021-05-14", dateTo: "2023-02-01", regions: [] } },
    ]);
    expect(res.nextPageToken).toBe("");
    expect(res.datasets.every((d) => d.version > 0)).toBe(true);
  });

  it("ListDatasets shows a RESTRICTED caller the RESTRICTED dataset too, in id order", async () => {
    const res = await listDatasets(h().as(h().tokens.restricted));
    expect(res.datasets.map((d) => [d.id, d.recordCount, d.tier])).toEqual([
      ["patents", 12, Tier.TIER_PUBLIC],
      ["pending", 2, Tier.TIER_RESTRICTED],
      ["trademarks", 3, Tier.TIER_PUBLIC],
    ]);
  });

  it("ListDatasets pages with page tokens and filters by kind", async () => {
    const c = h().as(h().tokens.restricted);
    const ids: string[] = [];
    let pageToken = "";
    let pages = 0;
    do {
      const res = await listDatasets(c, { pageSize: 1, pageToken });
      ids.push(...res.datasets.map((d) => d.id));
      pageToken = res.nextPageToken;
      pages++;
    } while (pageToken && pages < 10);
    expect({ ids, pages }).toEqual({ ids: ["patents", "pending", "trademarks"], pages: 3 });
    expect((await listDatasets(c, { kinds: [RecordKind.RECORD_KIND_TRADEMARK] })).datasets.map((d) => d.id)).toEqual(["trademarks"]);
    expect((await listDatasets(h().as(), { kinds: [RecordKind.RECORD_KIND_PATENT] })).datasets.map((d) => d.id)).toEqual(["patents"]);
  });

  it("ListDatasets refuses a page size above 1000 and a page token it did not issue", async () => {
    const c = h().as();
    const big = await failure(listDatasets(c, { pageSize: 1001 }));
    expect([big.code, big.status, big.field]).toEqual(["PAGE_SIZE_INVALID", 3, "page_size"]);
    const bad = await failure(listDatasets(c, { pageToken: "not-a-token" }));
    expect([bad.code, bad.status, bad.field]).toEqual(["CURSOR_INVALID", 3, "page_token"]);
  });

  it("GetDataset answers for a visible dataset, and NOT_FOUND alike for a missing one and one above the caller's tier", async () => {
    const anonymous = h().as();
    expect(figures((await getDataset(anonymous, "trademarks")).dataset!)).toMatchObject({ id: "trademarks", recordCount: 3, kinds: [RecordKind.RECORD_KIND_TRADEMARK] });
    const hidden = await failure(getDataset(anonymous, "pending"));
    const missing = await failure(getDataset(anonymous, "no-such-dataset"));
    expect([hidden.code, hidden.status, hidden.message]).toEqual(["DATASET_NOT_FOUND", 5, 'no dataset "pending"']);
    expect([missing.code, missing.status, missing.message]).toEqual(["DATASET_NOT_FOUND", 5, 'no dataset "no-such-dataset"']);
    expect((await failure(getDataset(h().as(h().tokens.registered), "pending"))).code).toBe("DATASET_NOT_FOUND");
    expect(figures((await getDataset(h().as(h().tokens.restricted), "pending")).dataset!)).toEqual({
      ...figures(fixture("pending")),
      recordCount: 2,
      coverage: { countries: ["CN"], dateFrom: "2024-01-12", dateTo: "2024-02-02", regions: [] },
    });
  });

  it("GetDataset refuses an empty id, and a dataset outside the token's limit as PERMISSION_DENIED", async () => {
    const empty = await failure(getDataset(h().as(), ""));
    expect([empty.code, empty.field]).toEqual(["INVALID_ARGUMENT", "id"]);
    const outside = await failure(getDataset(h().as(h().tokens.trademarksOnly), "patents"));
    expect([outside.code, outside.status]).toEqual(["DATASET_NOT_ALLOWED", 7]);
    expect((await getDataset(h().as(h().tokens.trademarksOnly), "trademarks")).dataset!.id).toBe("trademarks");
  });

  it("ListServices lists the service desks", async () => {
    const res = await unary<ListServicesResponse>((cb) => h().as().catalogue.listServices(ListServicesRequest.fromPartial({}), cb));
    expect(res.services.map((s) => ({ id: s.id, names: s.names, channels: s.channels, hours: s.hours }))).toEqual([
      { id: "patent-desk", names: [{ lang: "zh", text: "专利检索咨询台" }, { lang: "en", text: "Patent search desk" }], channels: ["onsite", "phone"], hours: "Tue-Sun 09:00-17:00" },
    ]);
  });

  it("WatchCatalogue replays the catalogue in version order, without the datasets the caller may not see", async () => {
    // A RESTRICTED watcher reads until it has seen every dataset with its final figures and the service desk.
    const finalCounts: { [id: string]: number } = { patents: 12, pending: 2, trademarks: 3 };
    const restricted = await watchUntil(h().as(h().tokens.restricted), 0, (events) => {
      const done = new Set(events.flatMap((e) => (datasetOf(e) && finalCounts[datasetOf(e)!.id] === Number(datasetOf(e)!.recordCount) ? [datasetOf(e)!.id] : [])));
      return done.size === 3 && events.some((e) => serviceOf(e)?.id === "patent-desk");
    });
    const versions = restricted.map((e) => e.version);
    expect(versions.every((v, i) => i === 0 || v > versions[i - 1]!)).toBe(true);
    expect(new Set(restricted.flatMap((e) => (datasetOf(e) ? [datasetOf(e)!.id] : [])))).toEqual(new Set(["patents", "pending", "trademarks"]));
    // An anonymous watcher gets the same events up to the last one it may see, less those of the RESTRICTED dataset.
    const visible = restricted.filter((e) => datasetOf(e)?.id !== "pending");
    const last = visible.at(-1)!.version;
    const anonymous = await watchUntil(h().as(), 0, (events) => events.at(-1)!.version >= last);
    expect(anonymous.map((e) => [e.version, datasetOf(e)?.id ?? serviceOf(e)?.id])).toEqual(visible.map((e) => [e.version, datasetOf(e)?.id ?? serviceOf(e)?.id]));
    // Watching from a version resumes right after it.
    const [resumed] = await watchUntil(h().as(h().tokens.restricted), versions[0]!, () => true);
    expect(resumed!.version).toBe(versions[1]);
  });

}
