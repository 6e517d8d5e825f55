import { QUERY_RECORD_KINDS } from "@ipfed/sdk";
import { TEXT_FIELDS } from "./index-document.js";
import type { IndexDocument } from "./index-document.js";
import { ByteReader, ByteWriter } from "./byte-io.js";

/**
 * Interns the strings of facet values (countries, datasets, applicants, IPC classes) so that
 * columns hold small integers and one string is kept once for the whole index.
 */
export class StringPool {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  /** Returns the id of a string, adding it when new. */
  intern(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  /** Returns the id of a string already interned, or -1. */
  find(value: string): number {
    return this.ids.get(value) ?? -1;
  }
}

/**
 * The per-document data of one segment, by segment-local ordinal, in typed arrays: what BM25,
 * date ranges, the dataset filter and facets read for every matching document.
 */
export class DocColumns {
  constructor(
    readonly count: number,
    /** Document numbers (not necessarily ascending after a merge). */
    readonly docnos: Float64Array,
    /** Token counts, one array per text field in `TEXT_FIELDS` order. */
    readonly lengths: readonly Int32Array[],
    /** Publication and application dates, `yyyymmdd`, 0 when unknown. */
    readonly pd: Int32Array,
    readonly ad: Int32Array,
    /** `RecordKind` number, 0 when unknown. */
    readonly kind: Uint8Array,
    /** Pool ids, -1 when absent. */
    readonly country: Int32Array,
    readonly dataset: Int32Array,
    readonly applicant: Int32Array,
    /** IPC classes of document `i`: `ipcClasses[ipcStarts[i] .. ipcStarts[i + 1])`, pool ids. */
    readonly ipcStarts: Int32Array,
    readonly ipcClasses: Int32Array,
    /** Nice classes of document `i`: `nice[niceStarts[i] .. niceStarts[i + 1])`. */
    readonly niceStarts: Int32Array,
    readonly nice: Uint8Array,
    /** The tier each document needs (`IndexDocument.accessTier`, 1 to 4). */
    readonly accessTier: Uint8Array,
  ) {}

  /** Bytes held by the arrays. */
  get byteSize(): number {
    let n = this.docnos.byteLength + this.pd.byteLength + this.ad.byteLength + this.kind.byteLength;
    n += this.country.byteLength * 3 + this.ipcStarts.byteLength + this.ipcClasses.byteLength + this.niceStarts.byteLength + this.nice.byteLength + this.accessTier.byteLength;
    for (const l of this.lengths) n += l.byteLength;
    return n;
  }

  /** Builds the columns of new documents, in the given order. */
  static build(docs: readonly { readonly docno: number; readonly doc: IndexDocument }[], pool: StringPool): DocColumns {
    const b = new ColumnsBuilder(docs.length);
    for (const { docno, doc } of docs) {
      const f = doc.facets;
      b.push(
        docno,
        TEXT_FIELDS.map((field) => doc.text[field].terms.length),
        doc.pd,
        doc.ad,
        (QUERY_RECORD_KINDS as readonly string[]).indexOf(f.kind) + 1,
        f.country === "" ? -1 : pool.intern(f.country),
        f.dataset === "" ? -1 : pool.intern(f.dataset),
        f.applicant === "" ? -1 : pool.intern(f.applicant),
        f.ipcClasses.map((c) => pool.intern(c)),
        f.nice.map(Number),
        doc.accessTier,
      );
    }
    return b.finish();
  }

  /** Concatenates the documents `keep` (ascending ordinals) of each part, in part order. */
  static concat(parts: readonly { readonly columns: DocColumns; readonly keep: ArrayLike<number> }[]): DocColumns {
    const total = parts.reduce((n, p) => n + p.keep.length, 0);
    const b = new ColumnsBuilder(total);
    for (const { columns: c, keep } of parts) {
      for (let k = 0; k < keep.length; k++) {
        const i = keep[k] as number;
        b.push(
          c.docnos[i] as number,
          c.lengths.map((l) => l[i] as number),
          c.pd[i] as number,
          c.ad[i] as number,
          c.kind[i] as number,
          c.country[i] as number,
          c.dataset[i] as number,
          c.applicant[i] as number,
          Array.from(c.ipcClasses.subarray(c.ipcStarts[i], c.ipcStarts[i + 1])),
          Array.from(c.nice.subarray(c.niceStarts[i], c.niceStarts[i + 1])),
          c.accessTier[i] as number,
        );
      }
    }
    return b.finish();
  }

  /**
   * Encodes the columns, with the strings they use, into one value: a local dictionary of the
   * strings, then every column as its raw little-endian typed array (string columns as indexes
   * into the dictionary), so that `open()` reads them back at the speed of a copy.
   */
  encode(pool: StringPool): Uint8Array {
    const n = this.count;
    const local = new Map<number, number>();
    const toLocal = (col: Int32Array): Int32Array =>
      col.map((id) => {
        if (id < 0) return -1;
        let l = local.get(id);
        if (l === undefined) local.set(id, (l = local.size));
        return l;
      });
    const refs = [this.country, this.dataset, this.applicant, this.ipcClasses].map(toLocal);
    const w = new ByteWriter(256 + n * 64);
    w.uint(COLUMNS_FORMAT);
    w.uint(n);
    w.uint(local.size);
    for (const id of local.keys()) w.string(pool.values[id] as string);
    const sections: ArrayBufferView[] = [this.docnos, ...this.lengths, this.pd, this.ad, this.kind, ...refs.slice(0, 3), this.ipcStarts, refs[3] as Int32Array, this.niceStarts, this.nice, this.accessTier];
    for (const a of sections) {
      w.uint(a.byteLength);
      w.bytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    }
    return w.finish();
  }

  /** Decodes columns written by {@link encode}, interning their strings in `pool`. */
  static decode(bytes: Uint8Array, pool: StringPool): DocColumns {
    const r = new ByteReader(bytes);
    const format = r.uint();
    if (format !== COLUMNS_FORMAT) throw new Error(`unknown document columns format ${format}`);
    const n = r.uint();
    const dict = new Int32Array(r.uint());
    for (let k = 0; k < dict.length; k++) dict[k] = pool.intern(r.string());
    // Each section is copied into its own buffer, which also aligns it for its typed array.
    const section = (): ArrayBuffer => {
      const len = r.uint();
      const start = bytes.byteOffset + r.pos;
      r.pos += len;
      return bytes.buffer.slice(start, start + len) as ArrayBuffer;
    };
    const global = (local: Int32Array): Int32Array => local.map((l) => (l < 0 ? -1 : (dict[l] as number)));
    const docnos = new Float64Array(section());
    const lengths = TEXT_FIELDS.map(() => new Int32Array(section()));
    const pd = new Int32Array(section());
    const ad = new Int32Array(section());
    const kind = new Uint8Array(section());
    const country = global(new Int32Array(section()));
    const dataset = global(new Int32Array(section()));
    const applicant = global(new Int32Array(section()));
    const ipcStarts = new Int32Array(section());
    const ipcClasses = global(new Int32Array(section()));
    const niceStarts = new Int32Array(section());
    const nice = new Uint8Array(section());
    const accessTier = new Uint8Array(section());
    if (docnos.length !== n || accessTier.length !== n || !r.done) throw new Error("malformed document columns");
    return new DocColumns(n, docnos, lengths, pd, ad, kind, country, dataset, applicant, ipcStarts, ipcClasses, niceStarts, nice, accessTier);
  }
}

// Raw typed arrays are written in the machine's byte order; every platform Node runs on in
// practice is little-endian, and `open()` refuses anything else rather than misreading it.
// 3: the `addr` length column and the access-tier column.
const COLUMNS_FORMAT = 3;
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error("the search index needs a little-endian machine");

/** Fills the arrays of {@link DocColumns} one document at a time. */
class ColumnsBuilder {
  private i = 0;
  private readonly docnos: Float64Array;
  private readonly lengths: Int32Array[];
  private readonly pd: Int32Array;
  private readonly ad: Int32Array;
  private readonly kind: Uint8Array;
  private readonly country: Int32Array;
  private readonly dataset: Int32Array;
  private readonly applicant: Int32Array;
  private readonly ipcStarts: Int32Array;
  private readonly ipc: number[] = [];
  private readonly niceStarts: Int32Array;
  private readonly nice: number[] = [];
  private readonly accessTier: Uint8Array;

  constructor(private readonly n: number) {
    this.docnos = new Float64Array(n);
    this.lengths = TEXT_FIELDS.map(() => new Int32Array(n));
    this.pd = new Int32Array(n);
    this.ad = new Int32Array(n);
    this.kind = new Uint8Array(n);
    this.country = new Int32Array(n);
    this.dataset = new Int32Array(n);
    this.applicant = new Int32Array(n);
    this.ipcStarts = new Int32Array(n + 1);
    this.niceStarts = new Int32Array(n + 1);
    this.accessTier = new Uint8Array(n);
  }

  push(
    docno: number,
    lengths: readonly number[],
    pd: number,
    ad: number,
    kind: number,
    country: number,
    dataset: number,
    applicant: number,
    ipc: readonly number[],
    nice: readonly number[],
    accessTier: number,
  ): void {
    const i = this.i++;
    this.docnos[i] = docno;
    lengths.forEach((l, f) => ((this.lengths[f] as Int32Array)[i] = l));
    this.pd[i] = pd;
    this.ad[i] = ad;
    this.kind[i] = kind;
    this.country[i] = country;
    this.dataset[i] = dataset;
    this.applicant[i] = applicant;
    this.ipc.push(...ipc);
    this.ipcStarts[i + 1] = this.ipc.length;
    this.nice.push(...nice);
    this.niceStarts[i + 1] = this.nice.length;
    this.accessTier[i] = accessTier;
  }

  finish(): DocColumns {
    if (this.i !== this.n) throw new Error("document columns incomplete");
    return new DocColumns(
      this.n,
      this.docnos,
      this.lengths,
      this.pd,
      this.ad,
      this.kind,
      this.country,
      this.dataset,
      this.applicant,
      this.ipcStarts,
      Int32Array.from(this.ipc),
      this.niceStarts,
      Uint8Array.from(this.nice),
      this.accessTier,
    );
  }
}
