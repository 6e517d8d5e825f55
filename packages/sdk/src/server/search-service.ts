import { Tier } from "@ipfed/proto";
import type { GetRecordRequest, SearchEvent, SearchRequest, SearchServiceServer } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import { formatQuery } from "../query/query-format.js";
import { parseQuery } from "../query/query-parser.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import type { DataSource } from "./data-source.js";
import { serverStream, unary } from "./handlers.js";

/** Facets a member can count. */
export const SEARCH_FACETS = ["kind", "country", "year", "ipc_section", "ipc_class", "nice", "applicant", "dataset"] as const;

/** Limits of the search handlers. */
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

/** Builds the SearchService handlers over a data source. */
export function createSearchService(source: DataSource, memberId: string, limits: SearchLimits = {}): SearchServiceServer {
  const defaultPage = limits.defaultPageSize ?? 20;
  const maxPage = limits.maxPageSize ?? 200;
  const defaultFacets = limits.defaultFacetSize ?? 10;
  const maxFacets = limits.maxFacetSize ?? 100;
  return {
    search: serverStream(async function* (req: SearchRequest): AsyncGenerator<SearchEvent> {
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
      const result = await source.search({
        query,
        datasets: req.datasets,
        pageSize: req.pageSize || defaultPage,
        ...(pos ? { after: pos.a } : {}),
        facets: req.facets,
        facetSize: req.facetSize || defaultFacets,
        caller: { tier: Tier.TIER_CONFIDENTIAL },
      });
      let rank = pos?.r ?? 0;
      for (const hit of result.hits) {
        rank += 1;
        yield { event: { $case: "hit", value: { record: hit.record, score: hit.score, holders: [memberId], rank } } };
      }
      if (req.facets.length) yield { event: { $case: "facets", value: { facets: [...result.facets] } } };
      yield {
        event: {
          $case: "done",
          value: {
            total: result.total,
            nextCursor: result.next ? encodeCursor("search", scope, { a: result.next, r: rank }) : "",
            membersAnswered: 1,
            membersTargeted: 1,
            tookMs: Date.now() - started,
            query: canonical,
          },
        },
      };
    }),
    getRecord: unary(async (req: GetRecordRequest) => {
      if (!req.id) throw new IpfedError("INVALID_ARGUMENT", "id is required", { field: "id" });
      const found = await source.getRecord(req.id, req.datasetId || undefined);
      if (!found) throw new IpfedError("RECORD_NOT_FOUND", `no record "${req.id}"${req.datasetId ? ` in dataset "${req.datasetId}"` : ""}`, { field: "id" });
      return { record: found.record, holders: [memberId] };
    }),
  };
}
