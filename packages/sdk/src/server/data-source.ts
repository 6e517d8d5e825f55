import type { Dataset, Facet, PublicService, Record, Tier } from "@ipfed/proto";
import type { QueryNode } from "../query/query-ast.js";

/**
 * Who is asking, as far as a data source needs to know.
 *
 * @example
 * ```ts
 * async search(request: SourceSearchRequest): Promise<SourceSearchResult> {
 *   const visible = this.records.filter((r) => tierAtLeast(request.caller.tier, recordAccessTier(r)));
 *   // ...
 * }
 * ```
 */
export interface CallerView {
  /** The caller's clearance. */
  readonly tier: Tier;
}

/**
 * A search as the server kit hands it to a data source, already parsed and checked.
 *
 * @example
 * ```ts
 * async search({ query, datasets, pageSize, after, facets, caller }: SourceSearchRequest): Promise<SourceSearchResult> {
 *   const sql = toSql(query, datasets, caller.tier); // walk the parsed query
 *   // ... read pageSize rows after `after`, count `facets`
 * }
 * ```
 */
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

/**
 * A page of search results.
 *
 * @example
 * ```ts
 * const result: SourceSearchResult = { total: 42, hits: rows.map((r) => ({ record: toRecord(r), score: r.rank })), facets: [], next: "20" };
 * ```
 */
export interface SourceSearchResult {
  /** Matches in all. */
  readonly total: number;
  /** The page, best first. */
  readonly hits: readonly {
    /** The record, unredacted: the kit redacts it for the caller. */
    readonly record: Record;
    /** Its relevance here; only the order counts. */
    readonly score: number;
  }[];
  /** Facet counts. */
  readonly facets: readonly Facet[];
  /** The source's position after this page, when there is more. */
  readonly next?: string;
}

/**
 * One entry of a dataset's change log.
 *
 * @example
 * ```ts
 * const change: SourceChange = { type: "delete", id: "CN-114000001-A", sequence: 17, time: "2026-11-30T09:00:00.000Z" };
 * ```
 */
export interface SourceChange {
  /** What happened to the record. */
  readonly type: "upsert" | "delete";
  /** The record's canonical id. */
  readonly id: string;
  /** The record now (upserts). */
  readonly record?: Record;
  /** Position in the dataset's log: increasing, never reused. */
  readonly sequence: number;
  /** When, ISO 8601. */
  readonly time: string;
}

/**
 * A catalogue change.
 *
 * @example
 * ```ts
 * const event: SourceCatalogueEvent = { change: "upserted", version: 8, time: new Date().toISOString(), dataset };
 * ```
 */
export interface SourceCatalogueEvent {
  /** Whether the dataset or service was added or changed, or removed. */
  readonly change: "upserted" | "removed";
  /** The catalogue version after the change: increasing. */
  readonly version: number;
  /** When, ISO 8601. */
  readonly time: string;
  /** The dataset concerned, when it is one. */
  readonly dataset?: Dataset;
  /** The public service concerned, when it is one. */
  readonly service?: PublicService;
}

/**
 * One item of a publish stream.
 *
 * @example
 * ```ts
 * const items: PublishItem[] = [{ record }, { deleteId: "CN-114000002-A" }];
 * await dataSource.publish?.("library", items);
 * ```
 */
export type PublishItem =
  | {
      /** A record to create or replace. */
      readonly record: Record;
    }
  | {
      /** The canonical id of a record to delete. */
      readonly deleteId: string;
    };

/**
 * The outcome of one published item.
 *
 * @example
 * ```ts
 * const outcomes: PublishOutcome[] = await dataSource.publish!("library", items);
 * // [{ id: "CN-114000001-A", status: "created" }, { id: "CN-114000002-A", status: "deleted" }]
 * ```
 */
export interface PublishOutcome {
  /** The record's canonical id. */
  readonly id: string;
  /** What the write did; `absent` is a delete of a record that was not there. */
  readonly status: "created" | "updated" | "unchanged" | "deleted" | "absent";
}

/**
 * What a member's data must offer for the server kit to serve the whole protocol over it.
 * A platform implements this over its own database; the reference node implements it over
 * LevelDB. The kit does everything else: parsing and checking requests, paging cursors,
 * streaming with flow control, errors (and, with trust, tokens, redaction and audit).
 *
 * @example
 * ```ts
 * class CatalogueDataSource implements DataSource {
 *   async listDatasets() { return [...this.datasets.values()]; }
 *   async getDataset(id: string) { return this.datasets.get(id); }
 *   // ... listServices, watchCatalogue, search, getRecord, scan, changes (and publish)
 * }
 * const server = createMemberServer({ identity, dataSource: new CatalogueDataSource(db) });
 * ```
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
  getRecord(
    id: string,
    datasetId?: string,
  ): Promise<
    | {
        /** The record, unredacted: the kit redacts it for the caller. */
        record: Record;
        /** Every dataset of this member that holds it. */
        datasets: string[];
      }
    | undefined
  >;
  /** Records of a dataset in canonical-id order after `after`. */
  scan(datasetId: string, after: string | undefined, limit: number): Promise<Record[]>;
  /**
   * Optional: the same records as {@link DataSource.scan}, each as its `Record` encoding. A
   * source that keeps records encoded implements it so that an Export to a caller who may
   * see them whole sends the stored bytes without decoding and encoding each record.
   */
  scanEncoded?(datasetId: string, after: string | undefined, limit: number): Promise<Uint8Array[]>;
  /** Change-log entries after `after`. */
  changes(datasetId: string, after: number, limit: number): Promise<SourceChange[]>;
  /** Writes items into a dataset; omit to make the member read-only. */
  publish?(datasetId: string, items: readonly PublishItem[]): Promise<PublishOutcome[]>;
}
