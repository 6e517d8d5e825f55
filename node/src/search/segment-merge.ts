import { DocColumns } from "./doc-columns.js";
import type { StringPool } from "./doc-columns.js";
import type { IndexBatchOperation, IndexIterator, IndexSublevel } from "./index-sublevel.js";
import { columnsKey, compareKeys, postingsPrefix, segmentEndKey } from "./level-keys.js";
import { mergePostings } from "./postings-codec.js";
import { Segment } from "./segment.js";

/** Options of {@link writeMergedSegment}. */
export interface MergeWriteOptions {
  /** Bytes of postings written per LevelDB batch. */
  readonly chunkBytes: number;
  /** Polled between chunks: true stops the merge (it throws). */
  readonly aborted: () => boolean;
}

/** A merged segment written to the database but not yet committed (it has no header). */
export interface MergedSegment {
  /** The new segment, all documents live; `undefined` when no source document was live. */
  readonly segment: Segment | undefined;
  /** Per source, its ordinals that were live when the merge started (ascending). */
  readonly kept: readonly Int32Array[];
  /** Per source, old ordinal → new ordinal, -1 for documents dropped. */
  readonly remap: readonly Int32Array[];
}

/**
 * Writes the merge of `sources` as segment `id`: the documents live at the start, in source order,
 * and every term's postings concatenated with renumbered ordinals, read from one ordered scan of
 * each source and written in key order, in batches of about `chunkBytes`.
 *
 * Nothing it writes is visible before the caller commits the header (`g/<id>`) in one batch with
 * the removal of the sources' headers. The caller marks the segment pending (`o/<id>`) before
 * calling, so the data of a merge that never committed is deleted by the next `open()`: a crash
 * at any point loses nothing.
 */
export async function writeMergedSegment(
  db: IndexSublevel,
  id: number,
  sources: readonly Segment[],
  pool: StringPool,
  options: MergeWriteOptions,
): Promise<MergedSegment> {
  const kept = sources.map((s) => s.liveOrds().slice());
  const remap: Int32Array[] = [];
  let next = 0;
  for (let k = 0; k < sources.length; k++) {
    const map = new Int32Array((sources[k] as Segment).count).fill(-1);
    for (const ord of kept[k] as Int32Array) map[ord] = next++;
    remap.push(map);
  }
  if (next === 0) return { segment: undefined, kept, remap };

  const cursors = sources.map((s) => new Cursor(db, postingsPrefix(s.id)));
  const outPrefix = postingsPrefix(id);
  let ops: IndexBatchOperation[] = [];
  let writing: Promise<void> = Promise.resolve();
  let pending = 0;
  let bytes = 0;
  try {
    for (const c of cursors) await c.fill();
    for (;;) {
      // The smallest term among the sources' current keys (at most a dozen sources).
      let term: string | undefined;
      for (const c of cursors) {
        const t = c.term();
        if (t !== undefined && (term === undefined || compareKeys(t, term) < 0)) term = t;
      }
      if (term === undefined) break;
      const parts: { bytes: Uint8Array; remap: Int32Array }[] = [];
      for (let k = 0; k < cursors.length; k++) {
        const c = cursors[k] as Cursor;
        if (c.term() !== term) continue;
        parts.push({ bytes: c.value(), remap: remap[k] as Int32Array });
        if (c.advance()) await c.fill();
      }
      const value = mergePostings(parts);
      if (value === undefined) continue;
      ops.push({ type: "put", key: outPrefix + term, value });
      pending += value.length + term.length + 16;
      bytes += value.length;
      if (pending >= options.chunkBytes) {
        if (options.aborted()) throw new Error("merge aborted");
        // One batch in flight while the next is prepared: reading, merging and writing overlap.
        await writing;
        writing = db.batch(ops);
        ops = [];
        pending = 0;
      }
    }
    await writing;
  } finally {
    await writing.catch(() => undefined);
    await Promise.all(cursors.map((c) => c.close()));
  }
  const columns = DocColumns.concat(sources.map((s, k) => ({ columns: s.columns, keep: kept[k] as Int32Array })));
  ops.push({ type: "put", key: columnsKey(id), value: columns.encode(pool) }, { type: "put", key: segmentEndKey(id), value: new Uint8Array(0) });
  await db.batch(ops);
  return { segment: new Segment(id, columns, { count: columns.count, bytes }), kept, remap };
}

/** How many bytes of postings a cursor reads at once: far fewer trips to LevelDB than its 16 KiB default. */
const CHUNK_BYTES = 1024 * 1024;

/** Reads one segment's postings in key order, a chunk at a time. */
class Cursor {
  private readonly it: IndexIterator<[string, Uint8Array]>;
  private entries: [string, Uint8Array][] = [];
  private i = 0;
  private ended = false;

  constructor(
    db: IndexSublevel,
    private readonly prefix: string,
  ) {
    // `p/` ends with "/", whose successor "0" bounds the range.
    this.it = db.iterator({ gte: prefix, lt: prefix.slice(0, -1) + "0", highWaterMarkBytes: CHUNK_BYTES });
  }

  /** The current key without the segment prefix (field code + term), or `undefined` at the end. */
  term(): string | undefined {
    const e = this.entries[this.i];
    return e === undefined ? undefined : e[0].slice(this.prefix.length);
  }

  value(): Uint8Array {
    return (this.entries[this.i] as [string, Uint8Array])[1];
  }

  async fill(): Promise<void> {
    if (this.i < this.entries.length || this.ended) return;
    this.entries = await this.it.nextv(2048);
    this.i = 0;
    if (this.entries.length === 0) this.ended = true;
  }

  /** Moves to the next key; true when the next chunk must be read with {@link fill} first. */
  advance(): boolean {
    this.i++;
    return this.i >= this.entries.length && !this.ended;
  }

  async close(): Promise<void> {
    await this.it.close();
  }
}
