import type { QueryNode } from "@ipfed/sdk";
import type { StoredRecord } from "../store/record-store.js";

/**
 * A prepared index change. A LevelDB index returns the operations to put into the store's
 * own batch (so records and index land together); a memory index returns none. `apply()`
 * updates the index's in-memory state once the batch is written.
 */
export interface IndexUpdate {
  /** level batch operations (each with its `sublevel` set), written in the store's batch. */
  readonly ops: readonly unknown[];
  /** Makes the change visible to searches; called once, after the batch is durable. */
  apply(): void;
}

/** A facet to count, as named in `SearchRequest.facets`. */
export type FacetName = "kind" | "country" | "year" | "ipc_section" | "ipc_class" | "nice" | "applicant" | "dataset";

/** Every facet the index can count. */
export const FACET_NAMES: readonly FacetName[] = ["kind", "country", "year", "ipc_section", "ipc_class", "nice", "applicant", "dataset"];

/** Where a page of results starts: after the hit with this score and document number. */
export interface SearchAfter {
  readonly score: number;
  readonly docno: number;
}

/** Options of {@link SearchIndex.search}. */
export interface IndexSearchOptions {
  /** Query fields the caller may match on (no-oracle rule); all when absent. */
  readonly fields?: readonly string[];
  /**
   * The caller's tier (a `Tier` number): documents whose record needs more (`access_tier`, unset
   * read as PUBLIC) never match, so they are neither hits nor counted in `total` or facets. No
   * limit when absent.
   */
  readonly maxTier?: number;
  /** Only documents of these datasets; all when absent or empty. */
  readonly datasets?: readonly string[];
  /** Hits to return. */
  readonly limit: number;
  /** Start after this hit (score descending, then docno ascending). */
  readonly after?: SearchAfter;
  /** Facets to count over all matching documents. */
  readonly facets?: readonly FacetName[];
  /** Buckets per facet (largest first, ties by value). */
  readonly facetSize?: number;
}

/** One facet's counts. */
export interface FacetCounts {
  readonly name: FacetName;
  readonly buckets: readonly { readonly value: string; readonly count: number }[];
}

/** What a search finds. */
export interface IndexSearchResult {
  /** Matching documents in all. */
  readonly total: number;
  /** The page, score descending then docno ascending. */
  readonly hits: readonly { readonly docno: number; readonly score: number }[];
  readonly facets: readonly FacetCounts[];
}

/**
 * The full-text and field index of a member. Implementations: LevelDB (`LevelSearchIndex`)
 * and memory (`MemorySearchIndex`); both pass the suite in `search-index.conformance.ts`.
 */
export interface SearchIndex {
  open(): Promise<void>;
  close(): Promise<void>;
  /** Computes the change for added and removed documents; see {@link IndexUpdate}. */
  prepare(adds: readonly StoredRecord[], removes: readonly number[]): Promise<IndexUpdate>;
  /** Evaluates a parsed query. */
  search(query: QueryNode, options: IndexSearchOptions): Promise<IndexSearchResult>;
  /** Live documents. */
  docCount(): number;
}
