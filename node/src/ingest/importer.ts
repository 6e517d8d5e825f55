import { mkdir, writeFile, appendFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { Dataset, RecordKind } from "@ipfed/proto";
import type { Record } from "@ipfed/proto";
import { IpfedError } from "@ipfed/sdk";
import type { IndexPreparer, RecordStore, RecordWrite } from "../store/record-store.js";
import { readCsv } from "./csv-reader.js";
import type { CsvMapping } from "./csv-mapping.js";
import { detectFormat, readInput } from "./input-file.js";
import type { ImportFormat, ImportItem, ItemPlace } from "./import-item.js";
import { readJsonl } from "./jsonl-reader.js";
import { parseUsptoXml } from "./uspto/uspto-xml.js";

/** Options of {@link importFiles}. */
export interface ImportOptions {
  /** The store to write to. */
  store: RecordStore;
  /** The index to keep in step (same atomic batches). */
  index?: IndexPreparer;
  /** Target dataset; created (with a title from its id) when it does not exist. */
  datasetId: string;
  /** Member id, for provenance. */
  memberId: string;
  /** Input files. */
  files: readonly string[];
  /** Format of every file; inferred per file when absent. */
  format?: ImportFormat;
  /** Column mapping, required for CSV. */
  csvMapping?: CsvMapping;
  /**
   * Records per atomic write.
   * @defaultValue 4000
   */
  batchSize?: number;
  /** Where to write rejects (JSON lines) and the summary (JSON); nothing is written when absent. */
  reportDir?: string;
  /** Called as records are read. */
  onProgress?: (read: number, file: string) => void;
}

/** One rejected input item, as written to the rejects file. */
export interface Reject {
  readonly file: string;
  readonly line?: number;
  readonly document?: number;
  readonly field?: string;
  readonly code: string;
  readonly reason: string;
}

/** What an import did. */
export interface ImportSummary {
  readonly dataset: string;
  readonly files: readonly string[];
  /** Items read (records and rejects). */
  readonly read: number;
  /** New records. */
  readonly imported: number;
  /** Changed records. */
  readonly updated: number;
  /** Records identical to what was stored. */
  readonly unchanged: number;
  /** Items refused; see `rejectsFile`. */
  readonly rejected: number;
  /** Elements of newer formats that were not mapped, with counts. */
  readonly skipped: { readonly [element: string]: number };
  /** Wall time in milliseconds. */
  readonly ms: number;
  /** Records per second over the whole run. */
  readonly recordsPerSecond: number;
  /** The rejects file (JSON lines), when there were rejects and a report directory. */
  readonly rejectsFile?: string;
  /** The summary file, when there is a report directory. */
  readonly summaryFile?: string;
}

async function* itemsOf(file: string, format: ImportFormat, opts: ImportOptions): AsyncGenerator<ImportItem> {
  const chunks = readInput(file);
  const name = basename(file);
  if (format === "jsonl") yield* readJsonl(chunks, name);
  else if (format === "csv") {
    if (!opts.csvMapping) throw new IpfedError("IMPORT_MAPPING_INVALID", "CSV import needs a column mapping (--mapping FILE); see docs/import.md", { field: "--mapping" });
    yield* readCsv(chunks, name, opts.csvMapping);
  } else {
    for await (const it of parseUsptoXml(chunks, { file: name, datasetId: opts.datasetId, memberId: opts.memberId })) {
      const place: ItemPlace = { file: name, document: it.document, line: it.line };
      if (it.ok) yield { ok: true, record: it.record, place, skipped: it.skipped };
      else yield { ok: false, place, code: it.code, ...(it.field ? { field: it.field } : {}), reason: it.reason };
    }
  }
}

/**
 * Imports files into a dataset: reads each item, writes valid records in atomic batches
 * (records, index, change log and figures together), and reports every rejected item with
 * its file, line or document, field and reason. Valid records beside a bad one still land;
 * running the same import again changes nothing; after a crash, re-running completes it.
 *
 * @example
 * ```ts
 * const summary = await importFiles({ store, index, datasetId: "uspto", memberId: "sc", files: ["ipg120103.xml"] });
 * console.log(summary.imported, summary.rejected);
 * ```
 */
export async function importFiles(opts: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const batchSize = opts.batchSize ?? 4000;
  const stamp = new Date(started).toISOString().replace(/[:.]/g, "-");
  const rejectsFile = opts.reportDir ? join(opts.reportDir, `${stamp}-${opts.datasetId}.rejects.jsonl`) : undefined;
  const summaryFile = opts.reportDir ? join(opts.reportDir, `${stamp}-${opts.datasetId}.summary.json`) : undefined;
  if (opts.reportDir) await mkdir(opts.reportDir, { recursive: true });
  const formats = new Map<string, ImportFormat>();
  for (const f of opts.files) formats.set(f, opts.format ?? (await detectFormat(f)));

  if (!(await opts.store.getDataset(opts.datasetId))) {
    await opts.store.putDataset(
      Dataset.fromPartial({ id: opts.datasetId, titles: [{ lang: "en", text: opts.datasetId }], publisher: opts.memberId, kinds: [] }),
    );
  }
  let read = 0, imported = 0, updated = 0, unchanged = 0, rejected = 0;
  const skipped: { [e: string]: number } = {};
  const kinds = new Set<RecordKind>();
  let pendingRejects: string[] = [];
  const reject = async (r: Reject): Promise<void> => {
    rejected += 1;
    if (rejectsFile) {
      pendingRejects.push(JSON.stringify(r));
      if (pendingRejects.length >= 200) await flushRejects();
    }
  };
  const flushRejects = async (): Promise<void> => {
    if (!rejectsFile || pendingRejects.length === 0) return;
    await appendFile(rejectsFile, pendingRejects.join("\n") + "\n");
    pendingRejects = [];
  };
  let batch: { record: Record; place: ItemPlace }[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const writes: RecordWrite[] = batch.map((b) => ({ type: "put", record: b.record }));
    const outcomes = await opts.store.write(opts.datasetId, writes, opts.index);
    for (const o of outcomes) {
      if (o.status === "created") imported += 1;
      else if (o.status === "updated") updated += 1;
      else if (o.status === "unchanged") unchanged += 1;
    }
    batch = [];
  };
  for (const file of opts.files) {
    const name = basename(file);
    // The same id twice in one file: the later one wins, as a second import would.
    try {
      for await (const item of itemsOf(file, formats.get(file)!, opts)) {
        read += 1;
        if (!item.ok) {
          await reject({ ...item.place, ...(item.field ? { field: item.field } : {}), code: item.code, reason: item.reason });
        } else {
          for (const s of item.skipped ?? []) skipped[s] = (skipped[s] ?? 0) + 1;
          kinds.add(item.record.kind);
          batch.push({ record: { ...item.record, datasetId: opts.datasetId }, place: item.place });
          if (batch.length >= batchSize) await flush();
        }
        if (read % 256 === 0) opts.onProgress?.(read, name);
      }
    } catch (err) {
      const e = IpfedError.from(err, "IMPORT_IO_ERROR");
      // A file that fails as a whole (unreadable, truncated gzip, a CSV header without a
      // mapped column) is one reject; what was read before it still lands.
      if (e.code === "INTERNAL") throw err;
      await reject({ file: name, ...(e.field ? { field: e.field } : {}), code: e.code, reason: e.message });
    }
    await flush();
    opts.onProgress?.(read, name);
  }
  await flush();
  await flushRejects();
  const ds = await opts.store.getDataset(opts.datasetId);
  if (ds) {
    const merged = [...new Set([...ds.kinds, ...kinds])].sort((a, b) => a - b);
    if (merged.length !== ds.kinds.length) await opts.store.putDataset({ ...ds, kinds: merged });
  }
  const ms = Date.now() - started;
  const summary: ImportSummary = {
    dataset: opts.datasetId,
    files: opts.files.map((f) => basename(f)),
    read,
    imported,
    updated,
    unchanged,
    rejected,
    skipped,
    ms,
    recordsPerSecond: ms > 0 ? Math.round(((imported + updated + unchanged) * 1000) / ms) : 0,
    ...(rejectsFile && rejected > 0 ? { rejectsFile } : {}),
    ...(summaryFile ? { summaryFile } : {}),
  };
  if (summaryFile) await writeFile(summaryFile, JSON.stringify(summary, null, 2) + "\n");
  return summary;
}
