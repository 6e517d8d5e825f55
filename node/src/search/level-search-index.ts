import type { QueryNode } from "@ipfed/sdk";
import type { StoredRecord } from "../store/record-store.js";
import { ANALYZER_VERSION } from "./analyzer.js";
import { DocColumns, StringPool } from "./doc-columns.js";
import { TEXT_FIELDS, toIndexDocument } from "./index-document.js";
import type { IndexBatchOperation, IndexSublevel, IndexStoreOperation } from "./index-sublevel.js";
import {
  columnsKey,
  deletedKey,
  DELETED_RANGE,
  docnoOfDeleted,
  HEADER_RANGE,
  headerKey,
  PENDING_RANGE,
  RANGE_ENDS,
  pendingKey,
  postingsPrefix,
  segmentOfHeader,
  segmentOfPending,
  segmentRange,
  VERSION_KEY,
} from "./level-keys.js";
import { DEFAULT_MERGE_POLICY, pickMerge } from "./merge-policy.js";
import type { MergePolicyOptions } from "./merge-policy.js";
import { compilePlan } from "./query-plan.js";
import type { IndexSearchOptions, IndexSearchResult, IndexUpdate, SearchIndex } from "./search-index.js";
import { buildSegment, decodeHeader, encodeHeader, Segment } from "./segment.js";
import { writeMergedSegment } from "./segment-merge.js";
import { fetchQueryData, PostingsCache } from "./segment-fetch.js";
import { searchSegments } from "./segment-search.js";
import type { IndexStats } from "./segment-search.js";

/** Options of {@link LevelSearchIndex}. */
export interface LevelSearchIndexOptions {
  /** Bytes of decoded postings kept in memory; default 64 MiB. */
  readonly cacheBytes?: number;
  /** The merge policy; see `merge-policy.ts`. */
  readonly mergePolicy?: MergePolicyOptions;
  /** Merge segments in the background after changes; default true. */
  readonly autoMerge?: boolean;
  /** Bytes of postings a merge writes per batch; default 4 MiB. */
  readonly mergeChunkBytes?: number;
  /**
   * Segments at which `prepare()` waits for the running merge before adding another, so that a
   * fast stream of publishes cannot outrun merging and slow every query down; default 50.
   */
  readonly maxSegments?: number;
}

// 2: the `addr` text field and the access-tier column (document columns format 3). An index of
// another format is refused by `open()`; it has to be rebuilt from the records.
const FORMAT = 2;

/**
 * The search index of a node, in a sublevel of its LevelDB (UTF-8 keys, `Uint8Array` values).
 *
 * Every `prepare()` turns its documents into one new immutable segment (per term one postings
 * value of delta-varint ordinals, frequencies and positions, plus document columns; `tx` as its
 * parts), returned as operations for the store's own batch; removals write a marker per document
 * number. `open()` loads only segment headers, columns and markers. Segments are merged in the
 * background by a tiered policy; a merge writes its segment unseen and commits it in one small
 * batch, so a crash never loses or duplicates a document, and publishes wait for merges once
 * `maxSegments` pile up. Decoded postings are kept in an LRU cache bounded in bytes. See
 * `level-keys.ts` for the key layout and `segment-search.ts` for query evaluation.
 *
 * Document numbers must never be reused: a changed record gets a new one (and the old one is
 * removed), which is what the record store does.
 */
export class LevelSearchIndex implements SearchIndex {
  private segments: readonly Segment[] = [];
  private readonly pool = new StringPool();
  private readonly cache: PostingsCache;
  private readonly policy: MergePolicyOptions;
  private readonly autoMerge: boolean;
  private readonly chunkBytes: number;
  private readonly maxSegments: number;
  private nextSegment = 1;
  private live = 0;
  private readonly totalLength = new Float64Array(TEXT_FIELDS.length);
  // Bumped before the data of merged-away segments is deleted, so searches reading them retry.
  private generation = 0;
  private merging: Promise<void> | undefined;
  private mergeError: unknown;
  private cleanup: Promise<void> = Promise.resolve();
  private closing = false;
  private storedAnalyzer = ANALYZER_VERSION;

  constructor(
    private readonly db: IndexSublevel,
    options: LevelSearchIndexOptions = {},
  ) {
    this.cache = new PostingsCache(options.cacheBytes ?? 64 * 1024 * 1024);
    this.policy = options.mergePolicy ?? DEFAULT_MERGE_POLICY;
    this.autoMerge = options.autoMerge ?? true;
    this.chunkBytes = options.mergeChunkBytes ?? 4 * 1024 * 1024;
    this.maxSegments = options.maxSegments ?? 50;
  }

  /**
   * True when the index was built by another version of the analyzer: its terms no longer match
   * what queries look up, and the node should rebuild it from the records.
   */
  get needsRebuild(): boolean {
    return this.storedAnalyzer !== ANALYZER_VERSION;
  }

  async open(): Promise<void> {
    this.closing = false;
    const [version, ...ends] = await this.db.getMany([VERSION_KEY, ...RANGE_ENDS]);
    const setup: IndexBatchOperation[] = RANGE_ENDS.filter((_, i) => ends[i] === undefined).map((key) => ({ type: "put", key, value: new Uint8Array(0) }));
    if (version === undefined) {
      setup.push({ type: "put", key: VERSION_KEY, value: new TextEncoder().encode(JSON.stringify({ format: FORMAT, analyzer: ANALYZER_VERSION })) });
    } else {
      const v = JSON.parse(new TextDecoder().decode(version)) as { format?: number; analyzer?: number };
      if (v.format !== FORMAT) throw new Error(`search index format ${String(v.format)} is not supported (expected ${FORMAT})`);
      this.storedAnalyzer = v.analyzer ?? 0;
    }
    if (setup.length > 0) await this.db.batch(setup);
    const headers = await this.db.iterator({ ...HEADER_RANGE }).all();
    const ids = headers.map(([key]) => segmentOfHeader(key));
    const columns = await this.db.getMany(ids.map((id) => columnsKey(id)));
    const segments = headers.map(([, value], i) => {
      const bytes = columns[i];
      if (bytes === undefined) throw new Error(`search index segment ${ids[i]} has no columns`);
      return new Segment(ids[i] as number, DocColumns.decode(bytes, this.pool), decodeHeader(value));
    });
    this.segments = segments;
    this.live = 0;
    this.totalLength.fill(0);
    for (const s of segments) this.countIn(s, 1);
    const stale: string[] = [];
    for (const key of await this.db.keys({ ...DELETED_RANGE }).all()) {
      if (!this.markRemoved(docnoOfDeleted(key))) stale.push(key);
    }
    const pending = (await this.db.keys({ ...PENDING_RANGE }).all()).map(segmentOfPending);
    this.nextSegment = Math.max(0, ...ids, ...pending) + 1;
    // Leftovers of an interrupted merge or of replaced segments: invisible, so cleared in the background.
    const committed = new Set(ids);
    this.cleanup = (async () => {
      if (stale.length > 0) await this.db.batch(stale.map((key) => ({ type: "del", key })));
      for (const id of pending) await this.discard(id, !committed.has(id));
    })();
    this.scheduleMerge();
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.idle().catch(() => undefined);
    await this.cleanup.catch(() => undefined);
    this.cache.clear();
    this.segments = [];
    this.live = 0;
    this.totalLength.fill(0);
  }

  docCount(): number {
    return this.live;
  }

  /** Segments currently searched. */
  segmentCount(): number {
    return this.segments.length;
  }

  /** Figures for monitoring and benchmarks. */
  describe(): { segments: number; documents: number; deleted: number; cacheBytes: number } {
    const total = this.segments.reduce((n, s) => n + s.count, 0);
    return { segments: this.segments.length, documents: this.live, deleted: total - this.live, cacheBytes: this.cache.bytes };
  }

  /** Resolves once no merge is running or due; rejects with the error of a merge that failed. */
  async idle(): Promise<void> {
    while (this.merging !== undefined) await this.merging;
    if (this.mergeError !== undefined) {
      const err = this.mergeError;
      this.mergeError = undefined;
      throw err;
    }
  }

  async prepare(adds: readonly StoredRecord[], removes: readonly number[]): Promise<IndexUpdate> {
    while (adds.length > 0 && this.segments.length >= this.maxSegments && this.merging !== undefined) await this.merging;
    const removing = new Set(removes);
    for (const { docno } of adds) {
      if (!removing.has(docno) && this.locate(docno) !== undefined) throw new Error(`docno ${docno} is already indexed`);
    }
    const ops: IndexStoreOperation[] = [];
    let segment: Segment | undefined;
    if (adds.length > 0) {
      const docs = adds.map(({ record, docno }) => ({ docno, doc: toIndexDocument(record) }));
      const built = buildSegment(this.nextSegment++, docs, this.pool);
      segment = built.segment;
      for (const [key, value] of built.entries) ops.push({ type: "put", sublevel: this.db, key, value });
    }
    // Only documents the index holds get a marker; their keys sort after the segment's.
    const added = new Set(adds.map((a) => a.docno));
    const marked = [...removing].filter((d) => added.has(d) || this.locate(d) !== undefined).sort((a, b) => a - b);
    for (const docno of marked) ops.push({ type: "put", sublevel: this.db, key: deletedKey(docno), value: new Uint8Array(0) });
    return {
      ops,
      apply: () => {
        if (segment !== undefined) {
          this.segments = [...this.segments, segment];
          this.countIn(segment, 1);
        }
        for (const docno of marked) this.markRemoved(docno);
        this.scheduleMerge();
      },
    };
  }

  async search(query: QueryNode, options: IndexSearchOptions): Promise<IndexSearchResult> {
    const plan = compilePlan(query, options.fields);
    for (let attempt = 0; ; attempt++) {
      const segments = this.segments;
      const generation = this.generation;
      const data = await fetchQueryData(this.db, this.cache, plan, segments);
      // A merge deleted data this search may have read, or a change added a segment it did not
      // fetch: evaluate again on the current segments (all cached by now but the new ones).
      if (generation !== this.generation || (segments !== this.segments && attempt < 3)) continue;
      return searchSegments(plan, segments, data, this.stats(), this.pool, options);
    }
  }

  /** Merges until the policy is satisfied, then waits for merges to finish. */
  async mergeNow(): Promise<void> {
    this.scheduleMerge();
    await this.idle();
  }

  private stats(): IndexStats {
    return { n: this.live, totalLength: this.totalLength };
  }

  private countIn(segment: Segment, sign: 1 | -1): void {
    for (let i = 0; i < segment.count; i++) if (segment.live[i] === 1) this.countDoc(segment, i, sign);
  }

  private countDoc(segment: Segment, ord: number, sign: 1 | -1): void {
    this.live += sign;
    segment.columns.lengths.forEach((l, f) => (this.totalLength[f] = (this.totalLength[f] as number) + sign * (l[ord] as number)));
  }

  private locate(docno: number): { segment: Segment; ord: number } | undefined {
    for (const segment of this.segments) {
      const ord = segment.ordOf(docno);
      if (ord >= 0 && segment.live[ord] === 1) return { segment, ord };
    }
    return undefined;
  }

  private markRemoved(docno: number): boolean {
    const at = this.locate(docno);
    if (at === undefined) return false;
    this.countDoc(at.segment, at.ord, -1);
    at.segment.markDead(at.ord);
    return true;
  }

  /** Deletes a marked segment's data (unless it is committed after all), then its marker. */
  private async discard(id: number, data: boolean): Promise<void> {
    if (data) await this.db.clear(segmentRange(id));
    await this.db.batch([{ type: "del", key: pendingKey(id) }]);
  }

  private scheduleMerge(): void {
    if (!this.autoMerge || this.closing || this.merging !== undefined || this.mergeError !== undefined) return;
    const pick = pickMerge(this.segments, this.policy);
    if (pick === undefined) return;
    this.merging = this.merge(pick)
      .then(
        () => {
          this.merging = undefined;
          this.scheduleMerge();
        },
        (err: unknown) => {
          this.merging = undefined;
          if (!this.closing) this.mergeError = err;
        },
      );
  }

  private async merge(ids: readonly number[]): Promise<void> {
    const sources = this.segments.filter((s) => ids.includes(s.id));
    const id = this.nextSegment++;
    await this.db.put(pendingKey(id), new Uint8Array(0));
    const merged = await writeMergedSegment(this.db, id, sources, this.pool, { chunkBytes: this.chunkBytes, aborted: () => this.closing }).catch(
      async (err: unknown) => {
        await this.discard(id, true).catch(() => undefined);
        throw err;
      },
    );
    // The commit: the new header in, the sources' headers out (their data marked for deletion),
    // and the markers of the documents the merge dropped (removed before it started) with them.
    // Removals since then keep theirs.
    const ops: { type: "put" | "del"; key: string; value?: Uint8Array }[] = [{ type: "del", key: pendingKey(id) }];
    if (merged.segment !== undefined) ops.push({ type: "put", key: headerKey(id), value: encodeHeader(merged.segment.header) });
    sources.forEach((s, k) => {
      ops.push({ type: "del", key: headerKey(s.id) }, { type: "put", key: pendingKey(s.id), value: new Uint8Array(0) });
      const map = merged.remap[k] as Int32Array;
      for (let ord = 0; ord < s.count; ord++) if (map[ord] === -1) ops.push({ type: "del", key: deletedKey(s.columns.docnos[ord] as number) });
    });
    ops.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    await this.db.batch(ops.map((o) => (o.type === "put" ? { type: "put", key: o.key, value: o.value as Uint8Array } : { type: "del", key: o.key })));

    // Synchronously from here: removals applied during the merge carry over to the new segment.
    const segment = merged.segment;
    if (segment !== undefined) {
      sources.forEach((s, k) => {
        const map = merged.remap[k] as Int32Array;
        for (const ord of merged.kept[k] as Int32Array) if (s.live[ord] === 0) segment.markDead(map[ord] as number);
      });
    }
    const rest = this.segments.filter((s) => !ids.includes(s.id));
    this.segments = segment === undefined ? rest : [...rest, segment].sort((a, b) => a.id - b.id);
    this.generation++;
    const prefixes = sources.map((s) => postingsPrefix(s.id));
    this.cache.dropSegments(prefixes);
    for (const s of sources) await this.discard(s.id, true);
  }
}
