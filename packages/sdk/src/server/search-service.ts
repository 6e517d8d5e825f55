import type { Dataset, Facet, GetRecordRequest, GetRecordResponse, Record, SearchEvent, SearchRequest, SearchServiceServer } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import { formatQuery } from "../query/query-format.js";
import { parseQuery } from "../query/query-parser.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import type { AccessPolicy } from "./access-policy.js";
import type { DataSource } from "./data-source.js";
import { serverStream, unary } from "./handlers.js";
import type { CallContext } from "./handlers.js";

/**
 * One page of a member's own answer, as the search handler and the federation engine use it.
 *
 * @example
 * ```ts
 * for await (const event of federation.search(request, ctx, async (req): Promise<LocalPage> => localPage(req))) call.write(event);
 * ```
 */
export interface LocalPage {
  /** When the search started, milliseconds since the epoch. */
  readonly started: number;
  /** The query in canonical form. */
  readonly query: string;
  /** The hits, redacted for the caller, best first. */
  readonly hits: readonly {
    /** The record, redacted. */
    readonly record: Record;
    /** Its local relevance. */
    readonly score: number;
  }[];
  /** Matches in all, here. */
  readonly total: number;
  /** Facet counts, suppressed where the datasets ask for it. */
  readonly facets: readonly Facet[];
  /** The local cursor of the next page; empty on the last. */
  readonly nextCursor: string;
  /** Hits sent on earlier pages. */
  readonly rank: number;
}

/**
 * What the search handler needs from the federation engine.
 *
 * @example
 * ```ts
 * const federation: FederatedSearcher = new Federation({ directory });
 * const server = createMemberServer({ identity, dataSource, options: { federation } });
 * ```
 */
export interface FederatedSearcher {
  /** Answers a `federate: true` search: this member's page plus every target's, merged. */
  search(req: SearchRequest, ctx: CallContext, local: (req: SearchRequest) => Promise<LocalPage>): AsyncGenerator<SearchEvent>;
  /** Finds a record this member does not hold (or may not show) at the members that do. */
  getRecord?(req: GetRecordRequest, ctx: CallContext): Promise<GetRecordResponse | undefined>;
}

/**
 * Facets a member can count.
 *
 * @example
 * ```ts
 * SEARCH_FACETS; // ["kind", "country", "year", "ipc_section", "ipc_class", "nice", "applicant", "dataset"]
 * ```
 */
export const SEARCH_FACETS = ["kind", "country", "year", "ipc_section", "ipc_class", "nice", "applicant", "dataset"] as const;

/**
 * Limits of the search handlers.
 *
 * @example
 * ```ts
 * const search: SearchLimits = { defaultPageSize: 20, maxPageSize: 100, maxFacetSize: 50 };
 * const server = createMemberServer({ identity, dataSource, options: { search } });
 * ```
 */
export interface SearchLimits {
  /** @defaultValue 20 */
  defaultPageSize?: number;
  /** @defaultValue 200 */
  maxPageSize?: number;
  /** @defaultValue 10 */
  defaultFacetSize?: number;
  /** @defaultValue 100 */
  maxFacetSize?: number;
}

interface SearchPosition {
  /** The source's own position. */
  a: string;
  /** Hits already returned, for ranks. */
  r: number;
}

/**
 * Builds the SearchService handlers over a data source.
 *
 * @example
 * ```ts
 * grpc.addService("ipfed.v1.SearchService", SearchServiceService, createSearchService(dataSource, access, "scu-tisc", { maxPageSize: 100 }));
 * ```
 */
export function createSearchService(
  source: DataSource,
  access: AccessPolicy,
  memberId: string,
  limits: SearchLimits = {},
  federation?: FederatedSearcher,
): SearchServiceServer {
  const defaultPage = limits.defaultPageSize ?? 20;
  const maxPage = limits.maxPageSize ?? 200;
  const defaultFacets = limits.defaultFacetSize ?? 10;
  const maxFacets = limits.maxFacetSize ?? 100;
  /** One page of this member's own answer, checked, scoped, redacted and suppressed. */
  async function localPage(req: SearchRequest, ctx: CallContext): Promise<LocalPage> {
    const started = Date.now();
    const query = parseQuery(req.query);
    if (req.pageSize > maxPage) throw new IpfedError("PAGE_SIZE_INVALID", `page_size ${req.pageSize} is above the maximum ${maxPage}`, { field: "page_size" });
    if (req.facetSize > maxFacets) throw new IpfedError("PAGE_SIZE_INVALID", `facet_size ${req.facetSize} is above the maximum ${maxFacets}`, { field: "facet_size" });
    for (const [i, f] of req.facets.entries()) {
      if (!(SEARCH_FACETS as readonly string[]).includes(f))
        throw new IpfedError("FACET_UNKNOWN", `facets[${i}] "${f}" is not a facet (${SEARCH_FACETS.join(", ")})`, { field: `facets[${i}]` });
    }
    const canonical = formatQuery(query);
    const scope = JSON.stringify([canonical, [...req.datasets].sort()]);
    const pos = req.cursor ? decodeCursor<SearchPosition>(req.cursor, "search", scope) : undefined;
    const caller = ctx.caller;
    const { datasets, fields } = await access.searchScope(caller, req.datasets);
    for (const d of datasets) if (req.datasets.includes(d.id)) ctx.touch(d.id);
    const facets = access.facets(caller, datasets, req.facets);
    // Nothing visible to search: an empty answer, not an error (existence does not leak).
    const result = datasets.length
      ? await source.search({
          query,
          datasets: datasets.map((d) => d.id),
          pageSize: req.pageSize || defaultPage,
          ...(pos ? { after: pos.a } : {}),
          facets,
          facetSize: req.facetSize || defaultFacets,
          fields,
          caller: { tier: caller.tier },
        })
      : { total: 0, hits: [], facets: [] };
    const byId = new Map<string, Dataset>(datasets.map((d) => [d.id, d]));
    const hits: { record: Record; score: number }[] = [];
    for (const hit of result.hits) {
      const record = access.present(caller, hit.record, byId.get(hit.record.datasetId));
      if (record) hits.push({ record, score: hit.score });
    }
    const rank = pos?.r ?? 0;
    return {
      started,
      query: canonical,
      hits,
      total: result.total,
      facets: req.facets.length ? access.suppress(result.facets, datasets) : [],
      nextCursor: result.next ? encodeCursor("search", scope, { a: result.next, r: rank + hits.length }) : "",
      rank,
    };
  }

  return {
    search: serverStream(async function* (req: SearchRequest, ctx): AsyncGenerator<SearchEvent> {
      if (req.federate && federation) {
        yield* federation.search(req, ctx, (r) => localPage(r, ctx));
        return;
      }
      const page = await localPage(req, ctx);
      let rank = page.rank;
      for (const hit of page.hits) {
        rank += 1;
        yield { event: { $case: "hit", value: { record: hit.record, score: hit.score, holders: [memberId], rank } } };
      }
      if (req.facets.length) yield { event: { $case: "facets", value: { facets: [...page.facets] } } };
      yield {
        event: {
          $case: "done",
          value: { total: page.total, nextCursor: page.nextCursor, membersAnswered: 1, membersTargeted: 1, tookMs: Date.now() - page.started, query: page.query },
        },
      };
    }),
    getRecord: unary(async (req: GetRecordRequest, ctx) => {
      if (!req.id) throw new IpfedError("INVALID_ARGUMENT", "id is required", { field: "id" });
      const notFound = () => new IpfedError("RECORD_NOT_FOUND", `no record "${req.id}"${req.datasetId ? ` in dataset "${req.datasetId}"` : ""}`, { field: "id" });
      if (req.datasetId) await access.requireDataset(ctx.caller, req.datasetId);
      const visible = new Map((await access.visibleDatasets(ctx.caller)).map((d) => [d.id, d]));
      const found = await source.getRecord(req.id, req.datasetId || undefined);
      const routed = async () => (req.federate && federation?.getRecord ? federation.getRecord(req, ctx) : undefined);
      if (!found) {
        const r = await routed();
        if (r) return r;
        throw notFound();
      }
      // The first dataset holding it that the caller may see.
      for (const id of [found.record.datasetId, ...found.datasets]) {
        const d = visible.get(id);
        if (!d) continue;
        const raw = id === found.record.datasetId ? found.record : (await source.getRecord(req.id, id))?.record;
        const record = raw && access.present(ctx.caller, raw, d);
        if (record) {
          ctx.touch(id);
          return { record, holders: [memberId] };
        }
      }
      const r = await routed();
      if (r) return r;
      throw notFound();
    }),
  };
}
