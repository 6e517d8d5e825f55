import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { ChangeType, ExportResponse, PublishRequest, PublishStatus, Record as RecordMessage } from "@ipfed/proto";
import type { Change, ExchangeServiceServer, ExportRequest, HarvestRequest, PublishResult } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import { canSeeRecord } from "../privacy/record-access.js";
import { validateRecord } from "../records/record-validation.js";
import { recordHead } from "../records/record-wire.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import type { AccessPolicy } from "./access-policy.js";
import type { DataSource, PublishItem } from "./data-source.js";
import { encodedMessage } from "./encoded-message.js";
import type { EncodedMessage } from "./encoded-message.js";
import { clientStream, serverStream, unary } from "./handlers.js";
import type { CallContext } from "./handlers.js";

/**
 * Limits of the exchange handlers.
 *
 * @example
 * ```ts
 * const exchange: ExchangeLimits = { defaultBatchSize: 500, maxBatchSize: 2000, maxBatchBytes: 2 * 1024 * 1024 };
 * const server = createMemberServer({ identity, dataSource, options: { exchange } });
 * ```
 */
export interface ExchangeLimits {
  /** @defaultValue 500 */
  defaultBatchSize?: number;
  /** @defaultValue 5000 */
  maxBatchSize?: number;
  /** Items a publish stream writes at once. @defaultValue 500 */
  publishBatchSize?: number;
  /**
   * Most bytes of records in one Export batch or Harvest page, so that every answer fits a
   * client's default 4 MiB receive limit; a batch always holds at least one record.
   * @defaultValue 3 MiB
   */
  maxBatchBytes?: number;
}

/** How many of `records` fit in `budget` bytes (at least one). */
function fitting(records: readonly (RecordMessage | undefined)[], budget: number): number {
  let bytes = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    bytes += r ? RecordMessage.encode(r).finish().length : 16;
    if (bytes > budget && i > 0) return i;
  }
  return records.length;
}

/** Scanned records taken into one Export batch: the caller's encodings of those it may see. */
interface ExportBatch {
  /** Encoded records for the caller, in order. */
  parts: Uint8Array[];
  /** Scanned records the batch covers (seen or not), from the first. */
  taken: number;
  /** The id of the last record covered. */
  lastId: string | undefined;
}

/**
 * Takes scanned records in order while the caller's encodings fit in `budget` bytes (at
 * least one); `encode` gives a record's id and its encoding for the caller, or no bytes for
 * a record the caller may not see.
 */
function exportBatch<T>(scanned: readonly T[], budget: number, encode: (item: T) => { id: string; bytes: Uint8Array | undefined }): ExportBatch {
  const parts: Uint8Array[] = [];
  let bytes = 0;
  let taken = 0;
  let lastId: string | undefined;
  for (const item of scanned) {
    const out = encode(item);
    if (out.bytes) {
      if (parts.length > 0 && bytes + out.bytes.length > budget) break;
      bytes += out.bytes.length + 6;
      parts.push(out.bytes);
    }
    taken += 1;
    lastId = out.id;
  }
  return { parts, taken, lastId };
}

/** The wire form of an ExportResponse around records that are already encoded. */
function exportResponseBytes(parts: readonly Uint8Array[], rest: Omit<ExportResponse, "records">): Uint8Array {
  const writer = new BinaryWriter();
  for (const p of parts) writer.uint32(10).bytes(p);
  return ExportResponse.encode({ records: [], ...rest }, writer).finish();
}

const STATUS: Record<string, PublishStatus> = {
  created: PublishStatus.PUBLISH_STATUS_CREATED,
  updated: PublishStatus.PUBLISH_STATUS_UPDATED,
  unchanged: PublishStatus.PUBLISH_STATUS_UNCHANGED,
  deleted: PublishStatus.PUBLISH_STATUS_DELETED,
  absent: PublishStatus.PUBLISH_STATUS_UNCHANGED,
};

/**
 * Builds the ExchangeService handlers over a data source. Export batches are written in wire
 * form ({@link encodedMessage}): serve the handlers with `createGrpcServer` (as
 * `createMemberServer` does), which writes such messages as they are.
 *
 * @example
 * ```ts
 * grpc.addService("ipfed.v1.ExchangeService", ExchangeServiceService, createExchangeService(dataSource, access, { maxBatchSize: 2000 }));
 * ```
 */
export function createExchangeService(source: DataSource, access: AccessPolicy, limits: ExchangeLimits = {}): ExchangeServiceServer {
  const defaultBatch = limits.defaultBatchSize ?? 500;
  const maxBatch = limits.maxBatchSize ?? 5000;
  const publishBatch = limits.publishBatchSize ?? 500;
  const maxBytes = limits.maxBatchBytes ?? 3 * 1024 * 1024;
  const dataset = (id: string, ctx: CallContext) => {
    ctx.touch(id);
    return access.requireDataset(ctx.caller, id);
  };
  const batchSize = (n: number, field: string): number => {
    if (n > maxBatch) throw new IpfedError("PAGE_SIZE_INVALID", `${field} ${n} is above the maximum ${maxBatch}`, { field });
    return n || defaultBatch;
  };
  return {
    export: serverStream(async function* (req: ExportRequest, ctx): AsyncGenerator<EncodedMessage<ExportResponse>> {
      const d = await dataset(req.datasetId, ctx);
      const size = batchSize(req.batchSize, "batch_size");
      let after = req.cursor ? decodeCursor<string>(req.cursor, "export", req.datasetId) : undefined;
      const total = d.recordCount;
      const caller = ctx.caller;
      const present = (r: RecordMessage) => {
        const visible = access.present(caller, r, d);
        return { id: r.id, bytes: visible ? RecordMessage.encode(visible).finish() : undefined };
      };
      // A caller who may see the records whole gets them in their stored encoding: only the
      // id and access tier are read, unless the record already reports withheld fields.
      const scanEncoded = access.presentsWhole(caller, d) ? source.scanEncoded?.bind(source) : undefined;
      const passOn = (b: Uint8Array) => {
        const head = recordHead(b);
        if (!canSeeRecord(head, caller.tier, d.tier)) return { id: head.id, bytes: undefined };
        return head.withheld ? present(RecordMessage.decode(b)) : { id: head.id, bytes: b };
      };
      const scan = async (from: string | undefined, n: number): Promise<{ count: number; batch: ExportBatch }> => {
        if (scanEncoded) {
          const scanned = await scanEncoded(req.datasetId, from, n);
          return { count: scanned.length, batch: exportBatch(scanned, maxBytes, passOn) };
        }
        const scanned = await source.scan(req.datasetId, from, n);
        return { count: scanned.length, batch: exportBatch(scanned, maxBytes, present) };
      };
      // The batches in order; it ends after one that reached the end of the dataset.
      async function* batches(): AsyncGenerator<{ count: number; batch: ExportBatch }> {
        let from = after;
        for (;;) {
          const next = await scan(from, size);
          yield next;
          if (next.batch.taken === next.count && next.count < size) return;
          from = next.batch.lastId;
        }
      }
      // Each batch is sent while the one after next is read, so that reading the store
      // overlaps the transport; the next one tells whether the current one is the last
      // (an empty one after a full batch is not sent).
      const reader = batches();
      let current = await reader.next();
      let following = current.done ? current : await reader.next();
      while (!current.done) {
        const last = following.done === true || following.value.count === 0;
        const pending = last ? undefined : reader.next();
        pending?.catch(() => undefined);
        const { batch } = current.value;
        if (batch.lastId !== undefined) after = batch.lastId;
        const cursor = after === undefined ? "" : encodeCursor("export", req.datasetId, after);
        yield encodedMessage<ExportResponse>(exportResponseBytes(batch.parts, { cursor, total, last }), batch.parts.length);
        if (last || !pending) return;
        current = following;
        following = await pending;
      }
    }),
    harvest: unary(async (req: HarvestRequest, ctx) => {
      const d = await dataset(req.datasetId, ctx);
      const limit = batchSize(req.limit, "limit");
      const after = req.cursor ? decodeCursor<number>(req.cursor, "harvest", req.datasetId) : 0;
      const entries = await source.changes(req.datasetId, after, limit + 1);
      const page = entries.slice(0, fitting(entries.slice(0, limit).map((e) => e.record), maxBytes));
      const changes: Change[] = [];
      for (const e of page) {
        // A record the caller may not see is neither sent nor announced; its deletion is,
        // since a mirror may hold an older, visible version of it.
        const record = e.record ? access.present(ctx.caller, e.record, d) : undefined;
        if (e.type === "upsert" && !record) continue;
        changes.push({
          type: e.type === "delete" ? ChangeType.CHANGE_TYPE_DELETE : ChangeType.CHANGE_TYPE_UPSERT,
          recordId: e.id,
          ...(record ? { record } : {}),
          sequence: e.sequence,
          time: e.time,
        });
      }
      const last = page.length ? page[page.length - 1]!.sequence : after;
      return { changes, nextCursor: encodeCursor("harvest", req.datasetId, last), hasMore: entries.length > page.length };
    }),
    publish: clientStream(async (requests: AsyncIterable<PublishRequest>, ctx) => {
      if (!source.publish) throw new IpfedError("UNIMPLEMENTED", "this member does not accept published records");
      const results: PublishResult[] = [];
      let datasetId = "";
      let index = 0;
      let pending: { index: number; item: PublishItem }[] = [];
      const flush = async (): Promise<void> => {
        if (!pending.length) return;
        const outcomes = await source.publish!(datasetId, pending.map((p) => p.item));
        outcomes.forEach((o, i) => results.push({ index: pending[i]!.index, id: o.id, status: STATUS[o.status]!, errorCode: "", message: o.status === "absent" ? "no such record" : "" }));
        pending = [];
      };
      for await (const raw of requests) {
        const req = PublishRequest.fromPartial(raw);
        const i = index++;
        if (!datasetId) {
          if (!req.datasetId) throw new IpfedError("INVALID_ARGUMENT", "the first publish message must name dataset_id", { field: "dataset_id" });
          datasetId = req.datasetId;
          await dataset(datasetId, ctx);
        } else if (req.datasetId && req.datasetId !== datasetId) {
          results.push({ index: i, id: "", status: PublishStatus.PUBLISH_STATUS_REJECTED, errorCode: "INVALID_ARGUMENT", message: `dataset_id "${req.datasetId}" differs from the stream's "${datasetId}"` });
          continue;
        }
        if (req.item?.$case === "record") {
          const problem = validateRecord(req.item.value);
          if (problem) {
            results.push({ index: i, id: req.item.value.id, status: PublishStatus.PUBLISH_STATUS_REJECTED, errorCode: problem.code, message: problem.message });
            continue;
          }
          pending.push({ index: i, item: { record: { ...req.item.value, datasetId } } });
        } else if (req.item?.$case === "deleteId") {
          pending.push({ index: i, item: { deleteId: req.item.value } });
        } else {
          results.push({ index: i, id: "", status: PublishStatus.PUBLISH_STATUS_REJECTED, errorCode: "INVALID_ARGUMENT", message: "item is empty: set record or delete_id" });
          continue;
        }
        if (pending.length >= publishBatch) await flush();
      }
      await flush();
      results.sort((a, b) => a.index - b.index);
      const count = (s: PublishStatus) => results.filter((r) => r.status === s).length;
      return {
        results,
        created: count(PublishStatus.PUBLISH_STATUS_CREATED),
        updated: count(PublishStatus.PUBLISH_STATUS_UPDATED),
        unchanged: count(PublishStatus.PUBLISH_STATUS_UNCHANGED),
        deleted: count(PublishStatus.PUBLISH_STATUS_DELETED),
        rejected: count(PublishStatus.PUBLISH_STATUS_REJECTED),
      };
    }),
  };
}
