import type { Dataset, PublicService, Record } from "@ipfed/proto";
import type { IndexUpdate } from "../search/search-index.js";

/** One write to a dataset: store (create or replace) a record, or delete one. */
export type RecordWrite =
  | { readonly type: "put"; readonly record: Record }
  | { readonly type: "delete"; readonly id: string };

/** What a write did. `absent`: a delete of a record that was not there. */
export type WriteStatus = "created" | "updated" | "unchanged" | "deleted" | "absent";

/** The outcome of one {@link RecordWrite}, in the order given. */
export interface WriteOutcome {
  readonly id: string;
  readonly status: WriteStatus;
}

/** A record as stored: the record (with provenance set) and its internal document number. */
export interface StoredRecord {
  readonly record: Record;
  /** Internal document number in the search index; a new one on every change. */
  readonly docno: number;
}

/** One entry of a dataset's change log. Upserts of a record replace its older entries. */
export interface ChangeEntry {
  /** Position in the dataset's log: increasing, never reused. */
  readonly seq: number;
  readonly type: "upsert" | "delete";
  readonly id: string;
  /** When it happened, ISO 8601. */
  readonly time: string;
}

/** Figures kept up to date for each dataset on every write. */
export interface DatasetStats {
  readonly recordCount: number;
  /** Offices (ST.3) with their record counts. */
  readonly countries: { readonly [cc: string]: number };
  /** Earliest and latest publication dates, `YYYY-MM-DD`; empty when unknown. */
  readonly dateFrom: string;
  readonly dateTo: string;
  /** Increased on every change to the dataset's records or metadata. */
  readonly version: number;
  /** Last change, ISO 8601. */
  readonly updatedTime: string;
  /** Kinds held (RecordKind numbers) with counts. */
  readonly kinds: { readonly [kind: string]: number };
}

/** A change to the catalogue, as `WatchCatalogue` streams it. */
export interface CatalogueEvent {
  readonly change: "upserted" | "removed";
  readonly version: number;
  readonly time: string;
  readonly dataset?: Dataset;
  readonly service?: PublicService;
}

/**
 * Where a member keeps its records, change log and catalogue. Implementations: LevelDB
 * (`LevelRecordStore`, the node's default) and memory (`MemoryRecordStore`); both pass the
 * suite in `record-store.conformance.ts`.
 *
 * A write is atomic: the records, the change log, the dataset's figures and the index update
 * handed in land together or not at all.
 */
export interface RecordStore {
  open(): Promise<void>;
  close(): Promise<void>;

  /** Assigns document numbers for writes; used by the index before {@link commit}. */
  write(datasetId: string, writes: readonly RecordWrite[], index?: IndexPreparer): Promise<WriteOutcome[]>;
  /** One record of a dataset. */
  get(datasetId: string, id: string): Promise<StoredRecord | undefined>;
  /** The datasets holding a record id. */
  locate(id: string): Promise<string[]>;
  /** The record with a document number (search hits), if it is still live. */
  getByDocno(docno: number): Promise<StoredRecord | undefined>;
  /** Records for many document numbers at once (a page of hits), in the order given. */
  getManyByDocno(docnos: readonly number[]): Promise<(StoredRecord | undefined)[]>;
  /** Records of a dataset in canonical-id order, after `after` (exclusive). */
  scan(datasetId: string, options: { after?: string; limit: number }): Promise<Record[]>;
  /** The same records as {@link RecordStore.scan}, each as its `Record` encoding. */
  scanEncoded(datasetId: string, options: { after?: string; limit: number }): Promise<Uint8Array[]>;
  /** Change-log entries after `after` (exclusive), oldest first. */
  changes(datasetId: string, options: { after: number; limit: number }): Promise<ChangeEntry[]>;
  /** The last sequence number of a dataset's change log (0 when empty). */
  lastChange(datasetId: string): Promise<number>;

  /** Creates or replaces dataset metadata (figures are kept by the store). */
  putDataset(dataset: Dataset): Promise<void>;
  getDataset(id: string): Promise<Dataset | undefined>;
  listDatasets(): Promise<Dataset[]>;
  /** Removes a dataset with all its records (deletions go to the change log first). */
  deleteDataset(id: string, index?: IndexPreparer): Promise<boolean>;
  datasetStats(id: string): Promise<DatasetStats | undefined>;

  putService(service: PublicService): Promise<void>;
  listServices(): Promise<PublicService[]>;
  deleteService(id: string): Promise<boolean>;

  /** Current catalogue version (increases on every dataset or service change). */
  catalogueVersion(): Promise<number>;
  /** Catalogue events after `version`, then live ones, until `signal` aborts. */
  watchCatalogue(sinceVersion: number, signal: AbortSignal): AsyncIterable<CatalogueEvent>;
}

/** What a store needs from the index during a write, to make both one atomic change. */
export interface IndexPreparer {
  /** Computes the index change for added and removed documents, without applying it. */
  prepare(adds: readonly StoredRecord[], removes: readonly number[]): Promise<IndexUpdate>;
}
