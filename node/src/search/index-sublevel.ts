/**
 * The part of an abstract-level sublevel that `LevelSearchIndex` uses, typed structurally so
 * the index does not depend on abstract-level's types. Any sublevel opened with
 * `{ keyEncoding: "utf8", valueEncoding: "view" }` (or `"buffer"`) fits.
 */
export interface IndexSublevel {
  get(key: string): Promise<Uint8Array | undefined>;
  getMany(keys: string[]): Promise<(Uint8Array | undefined)[]>;
  put(key: string, value: Uint8Array): Promise<void>;
  batch(operations: IndexBatchOperation[]): Promise<void>;
  iterator(options: IndexRange): IndexIterator<[string, Uint8Array]>;
  keys(options: IndexRange): IndexIterator<string>;
  clear(options: IndexRange): Promise<void>;
}

/** A key range, as abstract-level takes it. */
export interface IndexRange {
  gte?: string;
  gt?: string;
  lt?: string;
  limit?: number;
  /** How many bytes of values an iterator reads from LevelDB at once (classic-level: 16 KiB). */
  highWaterMarkBytes?: number;
}

/** A batch operation on the sublevel itself. */
export type IndexBatchOperation = { type: "put"; key: string; value: Uint8Array } | { type: "del"; key: string };

/** An abstract-level iterator, read in chunks. */
export interface IndexIterator<T> {
  nextv(size: number): Promise<T[]>;
  all(): Promise<T[]>;
  close(): Promise<void>;
}

/** A batch operation for the store's batch on the root database, aimed at the index sublevel. */
export type IndexStoreOperation =
  | { type: "put"; sublevel: IndexSublevel; key: string; value: Uint8Array }
  | { type: "del"; sublevel: IndexSublevel; key: string };
