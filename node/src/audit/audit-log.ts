import { mkdir, open } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { IpfedError } from "@ipfed/sdk";
import type { AuditEvent, AuditSink } from "@ipfed/sdk";
import type { Logger } from "../logger.js";
import { entryLine, sealEntry } from "./audit-entry.js";
import { recoverAuditLog } from "./audit-recovery.js";
import type { AuditRecovery, ChainHead } from "./audit-recovery.js";
import { segmentName, syncDir } from "./segment-files.js";

/** Options of {@link AuditLog.open}. */
export interface AuditLogOptions {
  /**
   * `batch`: each write is followed by `fdatasync`, and `append` resolves once its entry is on
   * disk. `none`: leave flushing to the operating system (faster; a power cut may lose the
   * last entries, and a torn tail is cut at the next open).
   * @defaultValue `"batch"`
   */
  sync?: "batch" | "none";
  /**
   * Size at which a new segment file is started. No line is split across files: a batch that
   * would cross this size goes partly into a new segment, and an entry larger than the whole
   * size gets a segment of its own.
   * @defaultValue 64 MiB
   */
  maxSegmentBytes?: number;
  /**
   * Called for each failure after open (a write that failed, an append after close). `append`
   * never rejects, so this is where failures surface.
   * @defaultValue logs with `logger.error`, or emits a process warning without a logger
   */
  onError?: (error: IpfedError) => void;
  /** Where recovery at open and failures are logged. */
  logger?: Pick<Logger, "warn" | "error" | "info">;
  /**
   * Longest wait between retries after a failed write.
   * @defaultValue 5000
   */
  maxRetryMs?: number;
}

const MIB = 1024 * 1024;

/**
 * The node's audit log: hash-chained JSON lines in segment files (`audit-000001.jsonl`, …),
 * written by this process only and readable by any other at any time (`ipfed audit verify`,
 * `ipfed audit tail --follow`), which a LevelDB sublevel would not allow while the node runs.
 *
 * Appends are sealed (seq, prev, hash) synchronously in call order, then written by group
 * commit: the entries that arrive while a write is in flight go together into the next one,
 * with one `write` and one `fdatasync` per batch.
 *
 * @example
 * ```ts
 * const audit = await AuditLog.open(join(dataDir, AUDIT_DIR), { logger: log });
 * // hand `audit` to the server kit as its AuditSink; on shutdown:
 * await audit.close();
 * ```
 */
export class AuditLog implements AuditSink {
  /** The audit folder. */
  readonly dir: string;
  /** What open had to cut after a crash; undefined when the log ended cleanly. */
  readonly recovery: AuditRecovery | undefined;
  private readonly sync: "batch" | "none";
  private readonly maxSegmentBytes: number;
  private readonly maxRetryMs: number;
  private readonly onError: (error: IpfedError) => void;
  private readonly logger: AuditLogOptions["logger"];
  private fh: FileHandle;
  private segment: number;
  private size: number;
  private head: ChainHead;
  private queue: Buffer[] = [];
  private waiters: Array<() => void> = [];
  private draining: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs = 0;
  // A write that failed may have left bytes past `size`; they are cut before the next one.
  private dirty = false;
  private closing: Promise<void> | undefined;

  private constructor(dir: string, fh: FileHandle, segment: number, size: number, head: ChainHead, recovery: AuditRecovery | undefined, options: AuditLogOptions) {
    this.dir = dir;
    this.fh = fh;
    this.segment = segment;
    this.size = size;
    this.head = head;
    this.recovery = recovery;
    this.sync = options.sync ?? "batch";
    this.maxSegmentBytes = options.maxSegmentBytes ?? 64 * MIB;
    this.maxRetryMs = options.maxRetryMs ?? 5000;
    this.logger = options.logger;
    this.onError = options.onError ?? ((err) => (this.logger ? this.logger.error({ err }, err.message) : process.emitWarning(err)));
  }

  /**
   * Opens (or creates) the audit log in `dir`. Reads only the end of the last segment to find
   * where the chain stands; a torn last line (a crash during a write, so never acknowledged)
   * is cut away and reported in {@link AuditLog.recovery}. Throws STORE_CORRUPT when the last
   * entry is unreadable or does not match its own hash: appending to a damaged chain would
   * hide the damage behind fresh entries.
   *
   * @example
   * ```ts
   * const audit = await AuditLog.open("/var/lib/ipfed/audit", { sync: "batch" });
   * if (audit.recovery) console.warn(`cut ${audit.recovery.bytes} bytes from ${audit.recovery.file}`);
   * ```
   */
  static async open(dir: string, options: AuditLogOptions = {}): Promise<AuditLog> {
    let fh: FileHandle | undefined;
    try {
      await mkdir(dir, { recursive: true });
      const { last, head, recovery } = await recoverAuditLog(dir);
      if (recovery) options.logger?.warn({ recovery }, "audit log: cut a torn last line left by a crash (it was never acknowledged)");
      const n = last?.n ?? 1;
      fh = await open(join(dir, segmentName(n)), "a", 0o640);
      if (!last && options.sync !== "none") await syncDir(dir);
      const size = (await fh.stat()).size;
      return new AuditLog(dir, fh, n, size, head, recovery, options);
    } catch (err) {
      await fh?.close().catch(() => undefined);
      if (err instanceof IpfedError) throw err;
      throw new IpfedError("STORE_CORRUPT", `cannot open the audit log in ${dir}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Seq of the last entry appended (written or still queued); 0 for an empty log. */
  get lastSeq(): number {
    return this.head.seq;
  }

  /** Hash of the last entry appended; 64 zeros for an empty log. */
  get lastHash(): string {
    return this.head.hash;
  }

  /** Entries appended but not yet written (more than a batch only while writes fail). */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Appends an event. Resolves when its batch is written (and synced, with `sync: "batch"`).
   * Never rejects: a failure is reported through `onError`, the entry stays queued and is
   * retried, so the chain on disk stays whole.
   *
   * @example
   * ```ts
   * await audit.append({ time: new Date().toISOString(), rpc: "/ipfed.v1.SearchService/Search", ... });
   * ```
   */
  append(event: AuditEvent): Promise<void> {
    if (this.closing) {
      this.report(new IpfedError("FAILED_PRECONDITION", `audit log ${this.dir} is closed; an event of ${String(event?.rpc)} was not recorded`));
      return Promise.resolve();
    }
    try {
      const entry = sealEntry(event, this.head.seq + 1, this.head.hash);
      this.queue.push(Buffer.from(entryLine(entry), "utf8"));
      this.head = { seq: entry.seq, hash: entry.hash };
    } catch (err) {
      this.report(IpfedError.from(err));
      return Promise.resolve();
    }
    // While writes fail, callers are not held up: the failure is reported, the retry writes it.
    if (this.retryTimer) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.kick();
    });
  }

  /**
   * Waits until everything appended so far has been written, or a write attempt failed.
   *
   * @example
   * ```ts
   * await audit.flush();
   * ```
   */
  flush(): Promise<void> {
    if (this.queue.length === 0 && !this.draining) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.kick();
    });
  }

  /**
   * Writes what is queued and closes the file; idempotent. Rejects when entries could not be
   * written, since they are then lost.
   *
   * @example
   * ```ts
   * await audit.close();
   * ```
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      await this.flush();
      const left = this.queue.length;
      await this.fh.close().catch(() => undefined);
      if (left > 0) throw new IpfedError("INTERNAL", `audit log ${this.dir} closed with ${left} entries not written (see the errors reported before)`);
    })();
    return this.closing;
  }

  private kick(): void {
    if (this.draining) return;
    // Started a microtask later, so that appends made in the same tick share the first write.
    this.draining = Promise.resolve()
      .then(() => this.drain())
      .finally(() => {
        this.draining = undefined;
        // Appends may land between the loop's last check and this callback.
        if (this.waiters.length > 0 || (this.queue.length > 0 && !this.retryTimer)) this.kick();
      });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 || this.waiters.length > 0) {
      const lines = this.queue;
      const waiters = this.waiters;
      this.queue = [];
      this.waiters = [];
      const written = await this.write(lines);
      if (written < lines.length) this.queue = lines.slice(written).concat(this.queue);
      for (const resolve of waiters) resolve();
      if (written < lines.length) return;
    }
  }

  /** Writes lines, one `write` (+ sync) per segment touched; returns how many were written. */
  private async write(lines: Buffer[]): Promise<number> {
    let done = 0;
    try {
      if (this.dirty) {
        await this.fh.truncate(this.size);
        this.dirty = false;
      }
      while (done < lines.length) {
        let bytes = 0;
        let end = done;
        while (end < lines.length) {
          const len = lines[end]!.length;
          if (this.size + bytes + len > this.maxSegmentBytes && this.size + bytes > 0) break;
          bytes += len;
          end++;
        }
        if (end === done) {
          await this.roll();
          continue;
        }
        await this.writeChunk(Buffer.concat(lines.slice(done, end), bytes));
        done = end;
      }
      if (this.retryMs > 0) this.logger?.info({ dir: this.dir }, "audit log: writing again");
      this.retryMs = 0;
    } catch (err) {
      this.retryMs = Math.min(this.maxRetryMs, Math.max(100, this.retryMs * 2));
      const next = this.closing ? "closing, so not retried" : `retrying in ${this.retryMs} ms`;
      this.report(new IpfedError("INTERNAL", `cannot write the audit log in ${this.dir}: ${(err as Error).message}; ${lines.length - done} entries kept in memory, ${next}`, { cause: err }));
      if (!this.closing) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.kick();
        }, this.retryMs);
        this.retryTimer.unref();
      }
    }
    return done;
  }

  private async writeChunk(data: Buffer): Promise<void> {
    this.dirty = true;
    let off = 0;
    while (off < data.length) {
      const { bytesWritten } = await this.fh.write(data, off, data.length - off);
      off += bytesWritten;
    }
    if (this.sync === "batch") await this.fh.datasync();
    this.size += data.length;
    this.dirty = false;
  }

  private async roll(): Promise<void> {
    const next = this.segment + 1;
    // "ax": never append to a file this process did not start.
    const fh = await open(join(this.dir, segmentName(next)), "ax", 0o640);
    if (this.sync === "batch") await syncDir(this.dir);
    const old = this.fh;
    this.fh = fh;
    this.segment = next;
    this.size = 0;
    await old.close().catch(() => undefined);
  }

  private report(err: IpfedError): void {
    try {
      this.onError(err);
    } catch {
      // A failing error callback must not turn into a rejected append.
    }
  }
}
