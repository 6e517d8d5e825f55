import type { Dataset, Facet, PublicService, Record, Tier } from "@ipfed/proto";
import type { QueryNode } from "../query/query-ast.js";

/** Who is asking, as far as a data source needs to know. */
export interface CallerView {
  /** The caller's clearance. */
  readonly tier: Tier;
}

/** A search as the server kit hands it to a data source, already parsed and checked. */
export interface SourceSearchRequest {
  /** The parsed query. */
  readonly query: QueryNode;
  /** Only these datasets; all when empty. */
  readonly datasets: readonly string[];
  /** Hits wanted. */
  readonly pageSize: number;
  /** The source's own position from a previous page (`SourceSearchResult.next`). */
  readonly after?: string;
  /** Facets to count over all matches. */
  readonly facets: readonly string[];
  /** Buckets per facet. */
  readonly facetSize: number;
  /**
   * The query fields the caller may match on (the no-oracle rule): a clause on any other
   * field, and free text in any other field, must match nothing.
   */
  readonly fields: readonly string[];
  /** Who is asking: records whose `access_tier` is above `caller.tier` must not match. */
  readonly caller: CallerView;
}

/** A page of search results. */
export interface SourceSearchResult {
  /** Matches in all. */
  readonly total: number;
  /** The page, best first. */
  readonly hits: readonly { readonly record: Record; readonly score: number }[];
  /** Facet counts. */
  readonly facets: readonly Facet[];
  /** The source's position after this page, when there is more. */
  readonly next?: string;
}

/** One entry of a dataset's change log. */
export interface SourceChange {
  readonly type: "upsert" | "delete";
  readonly id: string;
  /** The record now (upserts). */
  readonly record?: Record;
  /** Position in the dataset's log: increasing, never reused. */
  readonly sequence: number;
  /** When, ISO 8601. */
  readonly time: string;
}

/** A catalogue change. */
export interface SourceCatalogueEvent {
  readonly change: "upserted" | "removed";
  readonly version: number;
  readonly time: string;
  readonly dataset?: Dataset;
  readonly service?: PublicService;
}

/** One item of a publish stream. */
export type PublishItem = { readonly record: Record } | { readonly deleteId: string };

/** The outcome of one published item. */
export interface PublishOutcome {
  readonly id: string;
  readonly status: "created" | "updated" | "unchanged" | "deleted" | "absent";
}

/**
 * What a member's data must offer for the server kit to serve the whole protocol over it.
 * A platform implements this over its own database; the reference node implements it over
 * LevelDB. The kit does everything else: parsing and checking requests, paging cursors,
 * streaming with flow control, errors (and, with trust, tokens, redaction and audit).
 */
export interface DataSource {
  /** Every dataset, with current figures. */
  listDatasets(): Promise<Dataset[]>;
  /** One dataset. */
  getDataset(id: string): Promise<Dataset | undefined>;
  /** The member's public services. */
  listServices(): Promise<PublicService[]>;
  /** Catalogue changes after `sinceVersion`, then live ones until `signal` aborts. */
  watchCatalogue(sinceVersion: number, signal: AbortSignal): AsyncIterable<SourceCatalogueEvent>;
  /** Runs a search. */
  search(request: SourceSearchRequest): Promise<SourceSearchResult>;
  /** One record by canonical id, from `datasetId` or any dataset; with every dataset holding it. */
  getRecord(id: string, datasetId?: string): Promise<{ record: Record; datasets: string[] } | undefined>;
  /** Records of a dataset in canonical-id order after `after`. */
  scan(datasetId: string, after: string | undefined, limit: number): Promise<Record[]>;
  /** Change-log entries after `after`. */
  changes(datasetId: string, after: number, limit: number): Promise<SourceChange[]>;
  /** Writes items into a dataset; omit to make the member read-only. */
  publish?(datasetId: string, items: readonly PublishItem[]): Promise<PublishOutcome[]>;
}
