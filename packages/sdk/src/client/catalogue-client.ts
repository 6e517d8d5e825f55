import {
  CatalogueServiceService,
  GetDatasetRequest,
  ListDatasetsRequest,
  ListServicesRequest,
  WatchCatalogueRequest,
} from "@ipfed/proto";
import type {
  Dataset,
  GetDatasetResponse,
  ListDatasetsResponse,
  ListServicesResponse,
  PublicService,
  WatchCatalogueResponse,
} from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import type { CallOptions } from "./call-options.js";
import { captureCallSite, withCallerStack } from "./caller-stack.js";
import type { CallSite } from "./caller-stack.js";
import { buildMessage } from "./message-init.js";
import type { MessageInit } from "./message-init.js";
import type { RpcInvoker } from "./rpc-invoker.js";
import type { Transport } from "./transport.js";

/**
 * Which datasets to list: all of them (the default), or those holding some record kinds.
 *
 * @example
 * ```ts
 * const request: ListDatasetsInit = { kinds: [RecordKind.RECORD_KIND_TRADEMARK], pageSize: 50 };
 * ```
 */
export type ListDatasetsInit = MessageInit<ListDatasetsRequest>;

/**
 * CatalogueService: what a member offers, its datasets and public services.
 *
 * @example
 * ```ts
 * const datasets = await client.catalogue.list();
 * const cn = await client.catalogue.get("cn");
 * ```
 */
export interface CatalogueClient {
  /**
   * Lists every dataset the caller may see, following page tokens to the last page (each page
   * is a call of its own, with its own deadline and retries).
   *
   * @example
   * ```ts
   * const ids = (await client.catalogue.list()).map((d) => d.id);
   * ```
   */
  list(request?: ListDatasetsInit, options?: CallOptions): Promise<Dataset[]>;
  /**
   * Lists one page of datasets; pass `nextPageToken` back as `pageToken` for the next.
   *
   * @example
   * ```ts
   * const { datasets, nextPageToken } = await client.catalogue.listPage({ pageSize: 10 });
   * ```
   */
  listPage(request?: ListDatasetsInit, options?: CallOptions): Promise<ListDatasetsResponse>;
  /**
   * Returns one dataset; DATASET_NOT_FOUND when it does not exist for the caller.
   *
   * @example
   * ```ts
   * const { recordCount } = await client.catalogue.get("cn");
   * ```
   */
  get(id: string, options?: CallOptions): Promise<Dataset>;
  /**
   * Lists the member's public services (help desks, training, analysis).
   *
   * @example
   * ```ts
   * for (const s of await client.catalogue.services()) console.log(s.id, s.hours);
   * ```
   */
  services(options?: CallOptions): Promise<PublicService[]>;
  /**
   * Follows catalogue changes: the current state first (with `sinceVersion` 0), then each
   * change as it happens. It runs until you leave the loop (which cancels the call quietly) or
   * the signal aborts (which ends it with CANCELLED); it has no deadline unless given one.
   *
   * @example
   * ```ts
   * const ac = new AbortController();
   * for await (const change of client.catalogue.watch({ sinceVersion: 0 }, { signal: ac.signal })) {
   *   if (change.entry?.$case === "dataset") console.log(change.version, change.entry.value.id);
   * }
   * ```
   */
  watch(request?: { sinceVersion?: number }, options?: CallOptions): AsyncGenerator<WatchCatalogueResponse, void, undefined>;
}

const METHODS = CatalogueServiceService;

/**
 * Builds the catalogue methods over the call layer.
 *
 * @example
 * ```ts
 * const catalogue = createCatalogueClient(transport, invoker);
 * ```
 */
export function createCatalogueClient(transport: Transport, invoker: RpcInvoker): CatalogueClient {
  const page = (request: ListDatasetsRequest, options: CallOptions | undefined, site: CallSite): Promise<ListDatasetsResponse> =>
    invoker.unary<ListDatasetsResponse>({ method: METHODS.listDatasets.path, site, options }, (md, o, cb) =>
      transport.catalogue.listDatasets(request, md, o, cb),
    );
  return {
    listPage(request, options) {
      return page(buildMessage(ListDatasetsRequest, request), options, captureCallSite());
    },
    async list(request, options) {
      const site = captureCallSite();
      const first = buildMessage(ListDatasetsRequest, request);
      const datasets: Dataset[] = [];
      const seen = new Set<string>();
      let token = first.pageToken;
      for (;;) {
        const res = await page({ ...first, pageToken: token }, options, site);
        datasets.push(...res.datasets);
        token = res.nextPageToken;
        if (!token) return datasets;
        if (seen.has(token)) throw withCallerStack(new IpfedError("INTERNAL", "ListDatasets returned a page token it had returned before"), site);
        seen.add(token);
      }
    },
    async get(id, options) {
      const site = captureCallSite();
      const res = await invoker.unary<GetDatasetResponse>({ method: METHODS.getDataset.path, site, options }, (md, o, cb) =>
        transport.catalogue.getDataset(GetDatasetRequest.fromPartial({ id }), md, o, cb),
      );
      if (!res.dataset) throw withCallerStack(new IpfedError("INTERNAL", `GetDataset answered without a dataset for ${JSON.stringify(id)}`), site);
      return res.dataset;
    },
    async services(options) {
      const site = captureCallSite();
      const res = await invoker.unary<ListServicesResponse>({ method: METHODS.listServices.path, site, options }, (md, o, cb) =>
        transport.catalogue.listServices(ListServicesRequest.fromPartial({}), md, o, cb),
      );
      return res.services;
    },
    watch(request, options) {
      const site = captureCallSite();
      const req = WatchCatalogueRequest.fromPartial({ sinceVersion: request?.sinceVersion ?? 0 });
      return invoker.serverStream({ method: METHODS.watchCatalogue.path, site, options, clientDeadline: false }, () => (md, o) =>
        transport.catalogue.watchCatalogue(req, md, o),
      );
    },
  };
}
