import { GetRecordRequest, SearchRequest, SearchServiceService } from "@ipfed/proto";
import type { Facet, GetRecordResponse, MemberStatus, SearchDone, SearchEvent, SearchHit } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import type { CallOptions } from "./call-options.js";
import { captureCallSite, withCallerStack } from "./caller-stack.js";
import type { CallSite } from "./caller-stack.js";
import { buildMessage } from "./message-init.js";
import type { MessageInit } from "./message-init.js";
import type { RpcInvoker } from "./rpc-invoker.js";
import type { Transport } from "./transport.js";

/**
 * A search: a query in the ipfed query language, or a whole SearchRequest as a plain object.
 *
 * @example
 * ```ts
 * const q: SearchInit = { query: "ti:石墨烯 AND pd:[2010 TO 2012]", pageSize: 50, facets: ["year"] };
 * ```
 */
export type SearchInit =
  | string
  | (MessageInit<SearchRequest> & {
      /** The query, in the ipfed query language. */
      query: string;
    });

/**
 * Everything one search answer held, collected by {@link SearchClient.searchAll}.
 *
 * @example
 * ```ts
 * const { hits, done } = await client.searchAll("ti:battery");
 * console.log(`${hits.length} of ${done.total}`);
 * ```
 */
export interface SearchResult {
  /** The hits, in rank order. */
  hits: SearchHit[];
  /** How each member asked answered (federated searches). */
  memberStatuses: MemberStatus[];
  /** Facet counts, one per requested facet. */
  facets: Facet[];
  /** The end of the answer: total, next cursor, timing. */
  done: SearchDone;
}

/**
 * Where to look for a record in {@link SearchClient.getRecord}.
 *
 * @example
 * ```ts
 * const where: RecordLookup = { datasetId: "cn", federate: true };
 * ```
 */
export interface RecordLookup {
  /** Read from this dataset only. @defaultValue any */
  datasetId?: string;
  /** Ask the other members when this one does not hold the record. @defaultValue false */
  federate?: boolean;
}

/**
 * SearchService: queries and single records.
 *
 * @example
 * ```ts
 * for await (const e of client.search("ti:battery")) if (e.event?.$case === "hit") console.log(e.event.value.record?.id);
 * ```
 */
export interface SearchClient {
  /**
   * Streams the answer to a query as events: hits as they are found, member statuses
   * (federated searches), facets, and a final `done`. Retried on UNAVAILABLE until the first
   * event arrives; leaving the loop early cancels the call.
   *
   * @example
   * ```ts
   * for await (const e of client.search({ query: "石墨烯", pageSize: 20 })) {
   *   if (e.event?.$case === "done") console.log("total", e.event.value.total);
   * }
   * ```
   */
  search(query: SearchInit, options?: CallOptions): AsyncGenerator<SearchEvent, void, undefined>;
  /**
   * Runs a search and collects its events: one page of hits (follow `done.nextCursor` for the
   * next), member statuses, facets and `done`.
   *
   * @example
   * ```ts
   * const { hits, facets, done } = await client.searchAll({ query: "ds:cn", facets: ["kind"] });
   * ```
   */
  searchAll(query: SearchInit, options?: CallOptions): Promise<SearchResult>;
  /**
   * Returns one record by canonical id, with every member known to hold it; RECORD_NOT_FOUND
   * when there is none the caller may see.
   *
   * @example
   * ```ts
   * const { record, holders } = await client.getRecord("CN-112345678-A", { federate: true });
   * ```
   */
  getRecord(id: string, lookup?: RecordLookup, options?: CallOptions): Promise<GetRecordResponse>;
}

const METHODS = SearchServiceService;

/**
 * Builds the search methods over the call layer.
 *
 * @example
 * ```ts
 * const { search, searchAll, getRecord } = createSearchClient(transport, invoker);
 * ```
 */
export function createSearchClient(transport: Transport, invoker: RpcInvoker): SearchClient {
  const stream = (query: SearchInit, options: CallOptions | undefined, site: CallSite): AsyncGenerator<SearchEvent, void, undefined> => {
    const req = buildMessage(SearchRequest, typeof query === "string" ? { query } : query);
    return invoker.serverStream({ method: METHODS.search.path, site, options }, () => (md, o) => transport.search.search(req, md, o));
  };
  return {
    search(query, options) {
      return stream(query, options, captureCallSite());
    },
    async searchAll(query, options) {
      const site = captureCallSite();
      const result: Omit<SearchResult, "done"> & { done?: SearchDone } = { hits: [], memberStatuses: [], facets: [] };
      for await (const { event } of stream(query, options, site)) {
        switch (event?.$case) {
          case "hit":
            result.hits.push(event.value);
            break;
          case "memberStatus":
            result.memberStatuses.push(event.value);
            break;
          case "facets":
            result.facets.push(...event.value.facets);
            break;
          case "done":
            result.done = event.value;
            break;
        }
      }
      const { done } = result;
      if (!done) throw withCallerStack(new IpfedError("INTERNAL", "the search answer ended without a done event"), site);
      return { ...result, done };
    },
    getRecord(id, lookup, options) {
      const site = captureCallSite();
      const req = GetRecordRequest.fromPartial({ id, datasetId: lookup?.datasetId ?? "", federate: lookup?.federate ?? false });
      return invoker.unary<GetRecordResponse>({ method: METHODS.getRecord.path, site, options }, (md, o, cb) =>
        transport.search.getRecord(req, md, o, cb),
      );
    },
  };
}
