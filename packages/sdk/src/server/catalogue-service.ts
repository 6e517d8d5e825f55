import { CatalogueChange } from "@ipfed/proto";
import type { CatalogueServiceServer, Dataset, GetDatasetRequest, ListDatasetsRequest, WatchCatalogueRequest, WatchCatalogueResponse } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import type { AccessPolicy } from "./access-policy.js";
import type { DataSource } from "./data-source.js";
import { serverStream, unary } from "./handlers.js";

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

/**
 * Builds the CatalogueService handlers over a data source.
 *
 * @example
 * ```ts
 * grpc.addService("ipfed.v1.CatalogueService", CatalogueServiceService, createCatalogueService(dataSource, access));
 * ```
 */
export function createCatalogueService(source: DataSource, access: AccessPolicy): CatalogueServiceServer {
  return {
    listDatasets: unary(async (req: ListDatasetsRequest, ctx) => {
      if (req.pageSize > MAX_PAGE) throw new IpfedError("PAGE_SIZE_INVALID", `page_size ${req.pageSize} is above the maximum ${MAX_PAGE}`, { field: "page_size" });
      const size = req.pageSize || DEFAULT_PAGE;
      const offset = req.pageToken ? decodeCursor<number>(req.pageToken, "datasets", "", "page_token") : 0;
      let all: Dataset[] = await access.visibleDatasets(ctx.caller);
      if (req.kinds.length) all = all.filter((d) => d.kinds.some((k) => req.kinds.includes(k)));
      const page = all.slice(offset, offset + size);
      return { datasets: page, nextPageToken: offset + size < all.length ? encodeCursor("datasets", "", offset + size) : "" };
    }),
    getDataset: unary(async (req: GetDatasetRequest, ctx) => ({ dataset: await access.requireDataset(ctx.caller, req.id, "id") })),
    listServices: unary(async () => ({ services: await source.listServices() })),
    watchCatalogue: serverStream(async function* (req: WatchCatalogueRequest, ctx): AsyncGenerator<WatchCatalogueResponse> {
      for await (const e of source.watchCatalogue(req.sinceVersion, ctx.signal)) {
        // A dataset the caller may not see is not announced to it (removals of one neither).
        if (e.dataset && e.change !== "removed" && !access.canSeeDataset(ctx.caller, e.dataset)) continue;
        if (e.dataset && e.change === "removed" && ctx.caller.datasets && !ctx.caller.datasets.has(e.dataset.id)) continue;
        const entry = e.dataset
          ? ({ $case: "dataset", value: e.dataset } as const)
          : e.service
            ? ({ $case: "service", value: e.service } as const)
            : undefined;
        yield {
          change: e.change === "removed" ? CatalogueChange.CATALOGUE_CHANGE_REMOVED : CatalogueChange.CATALOGUE_CHANGE_UPSERTED,
          version: e.version,
          time: e.time,
          ...(entry ? { entry } : {}),
        };
      }
    }),
  };
}
