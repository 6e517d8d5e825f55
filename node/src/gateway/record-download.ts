import { once } from "node:events";
import type { ServerResponse } from "node:http";
import { Record } from "@ipfed/proto";
import { CSV_COLUMNS, recordToCsvRow } from "../ingest/csv-export.js";

/**
 * The formats a download comes in: JSON lines of canonical JSON, or the CSV of `ipfed export`.
 *
 * @example
 * ```ts
 * const format = params.oneOf("format", DOWNLOAD_FORMATS, "jsonl");
 * ```
 */
export const DOWNLOAD_FORMATS = ["jsonl", "csv"] as const;

/**
 * A download format.
 *
 * @example
 * ```ts
 * const f: DownloadFormat = "csv";
 * ```
 */
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];

/**
 * A download being streamed to an HTTP client: records are written one line each, in the
 * format of `ipfed export` (JSONL: `Record.toJSON`; CSV: the export's columns), and every
 * write waits for the socket to drain, so a slow client slows the gRPC stream behind it
 * instead of filling memory.
 *
 * @example
 * ```ts
 * const out = await RecordDownload.start(res, "csv", "uspto.csv");
 * for (const r of records) await out.write(r);
 * out.end();
 * ```
 */
export class RecordDownload {
  readonly #res: ServerResponse;
  readonly #format: DownloadFormat;
  #count = 0;

  private constructor(res: ServerResponse, format: DownloadFormat) {
    this.#res = res;
    this.#format = format;
  }

  /** Sends the headers (`content-disposition: attachment; filename=...`) and, for CSV, the header row. */
  static async start(res: ServerResponse, format: DownloadFormat, filename: string): Promise<RecordDownload> {
    res.writeHead(200, {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="${filename.replace(/[^\w.-]/g, "_")}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    const out = new RecordDownload(res, format);
    if (format === "csv") await out.#line(CSV_COLUMNS.join(","));
    return out;
  }

  /** Records written so far. */
  get count(): number {
    return this.#count;
  }

  /** Writes one record; resolves once the socket can take more. */
  async write(record: Record): Promise<void> {
    await this.#line(this.#format === "csv" ? recordToCsvRow(record) : JSON.stringify(Record.toJSON(record)));
    this.#count++;
  }

  /** Ends the body. */
  end(): void {
    this.#res.end();
  }

  async #line(text: string): Promise<void> {
    if (this.#res.destroyed) throw new Error("the client went away");
    if (!this.#res.write(text + "\n")) await Promise.race([once(this.#res, "drain"), once(this.#res, "close")]);
  }
}
