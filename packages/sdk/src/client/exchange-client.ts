import { ExchangeServiceService, ExportRequest, HarvestRequest, PublishRequest, Record as RecordMessage } from "@ipfed/proto";
import type { ExportResponse, HarvestResponse, PublishResponse } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import type { CallOptions } from "./call-options.js";
import { captureCallSite } from "./caller-stack.js";
import type { CallSite } from "./caller-stack.js";
import { HarvestStream } from "./harvest-stream.js";
import { buildMessage } from "./message-init.js";
import type { MessageInit } from "./message-init.js";
import type { RpcInvoker } from "./rpc-invoker.js";
import { resumeByCursor } from "./stream-resume.js";
import type { Transport } from "./transport.js";

/**
 * What to export: a dataset, from the start or after a cursor of an earlier batch.
 *
 * @example
 * ```ts
 * const request: ExportInit = { datasetId: "cn", batchSize: 200 };
 * ```
 */
export interface ExportInit {
  /** Dataset id. */
  datasetId: string;
  /** Resume after this cursor (an earlier batch's `cursor`). @defaultValue the beginning */
  cursor?: string;
  /** Records per batch. @defaultValue the member's (500) */
  batchSize?: number;
}

/**
 * What to harvest: the changes to a dataset after a cursor.
 *
 * @example
 * ```ts
 * const request: HarvestInit = { datasetId: "cn", cursor: saved, limit: 1000 };
 * ```
 */
export interface HarvestInit {
  /** Dataset id. */
  datasetId: string;
  /** Changes after this cursor (a `nextCursor` of an earlier page). @defaultValue the first change */
  cursor?: string;
  /** Most changes per page. @defaultValue the member's (500) */
  limit?: number;
}

/**
 * One item of a publish stream: a record to create or replace, or the id of one to delete.
 *
 * @example
 * ```ts
 * const items: PublishItemInit[] = [{ record: { id: "CN-200000001-A", kind: RecordKind.RECORD_KIND_PATENT } }, { deleteId: "CN-1-A" }];
 * ```
 */
export type PublishItemInit =
  | {
      /** A record to create or replace, by canonical id. */
      record: MessageInit<RecordMessage>;
      /** Not with `record`. */
      deleteId?: never;
    }
  | {
      /** The canonical id of a record to delete. */
      deleteId: string;
      /** Not with `deleteId`. */
      record?: never;
    };

/**
 * ExchangeService: bulk export, harvest of changes, publishing.
 *
 * @example
 * ```ts
 * for await (const batch of client.export({ datasetId: "cn" })) await save(batch.records);
 * ```
 */
export interface ExchangeClient {
  /**
   * Streams every record of a dataset in batches. Export is idempotent by cursor: when the
   * stream fails with UNAVAILABLE part-way, it is reopened after the last batch received, as
   * long as retries are left (counted in a row), and the loop does not notice. It has no
   * deadline unless the call gives one.
   *
   * @example
   * ```ts
   * let n = 0;
   * for await (const batch of client.export({ datasetId: "cn", batchSize: 1000 })) n += batch.records.length;
   * ```
   */
  export(request: ExportInit, options?: CallOptions): AsyncGenerator<ExportResponse, void, undefined>;
  /**
   * Returns one page of the changes to a dataset after a cursor.
   *
   * @example
   * ```ts
   * const { changes, nextCursor, hasMore } = await client.harvest({ datasetId: "cn", cursor: saved });
   * ```
   */
  harvest(request: HarvestInit, options?: CallOptions): Promise<HarvestResponse>;
  /**
   * Streams every change after a cursor, page by page while the member has more (each page a
   * call of its own); the stream's `cursor` is then where the next harvest starts.
   *
   * @example
   * ```ts
   * const changes = client.harvestAll({ datasetId: "cn", cursor: saved });
   * for await (const c of changes) apply(c);
   * saved = changes.cursor;
   * ```
   */
  harvestAll(request: HarvestInit, options?: CallOptions): HarvestStream;
  /**
   * Publishes records and deletions into a dataset, from any iterable, sync or async, as the
   * transport accepts them. Never retried: the member may have stored part of the stream. An
   * item refused by the member is reported in the response; the call itself fails only when
   * the stream as a whole does.
   *
   * @example
   * ```ts
   * const res = await client.publish("cn", [{ record }, { deleteId: "CN-1-A" }]);
   * console.log(res.created, res.deleted, res.rejected);
   * ```
   */
  publish(datasetId: string, items: AsyncIterable<PublishItemInit> | Iterable<PublishItemInit>, options?: CallOptions): Promise<PublishResponse>;
}

const METHODS = ExchangeServiceService;

/**
 * Builds the exchange methods over the call layer.
 *
 * @example
 * ```ts
 * const exchange = createExchangeClient(transport, invoker);
 * ```
 */
export function createExchangeClient(transport: Transport, invoker: RpcInvoker): ExchangeClient {
  const harvestPage = (request: HarvestRequest, options: CallOptions | undefined, site: CallSite): Promise<HarvestResponse> =>
    invoker.unary<HarvestResponse>({ method: METHODS.harvest.path, site, options }, (md, o, cb) => transport.exchange.harvest(request, md, o, cb));
  return {
    export(request, options) {
      const site = captureCallSite();
      const base = buildMessage(ExportRequest, request);
      return invoker.serverStream(
        { method: METHODS.export.path, site, options, clientDeadline: false },
        (cursor) => (md, o) => transport.exchange.export({ ...base, cursor: cursor ?? base.cursor }, md, o),
        resumeByCursor<ExportResponse>(base.cursor),
      );
    },
    harvest(request, options) {
      return harvestPage(buildMessage(HarvestRequest, request), options, captureCallSite());
    },
    harvestAll(request, options) {
      const site = captureCallSite();
      const base = buildMessage(HarvestRequest, request);
      return new HarvestStream((cursor) => harvestPage({ ...base, cursor }, options, site), base.cursor, site);
    },
    publish(datasetId, items, options) {
      const site = captureCallSite();
      return invoker.clientStream<PublishRequest, PublishResponse>(
        { method: METHODS.publish.path, site, options },
        (md, o, cb) => transport.exchange.publish(md, o, cb),
        publishRequests(datasetId, items),
      );
    },
  };
}

/** The publish stream's messages: the dataset on the first one only, as the protocol allows. */
async function* publishRequests(
  datasetId: string,
  items: AsyncIterable<PublishItemInit> | Iterable<PublishItemInit>,
): AsyncGenerator<PublishRequest, void, undefined> {
  let index = 0;
  for await (const item of items) {
    const target = index === 0 ? datasetId : "";
    if (item && "record" in item && item.record !== undefined) {
      yield PublishRequest.fromPartial({ datasetId: target, item: { $case: "record", value: buildMessage(RecordMessage, item.record) } });
    } else if (item && typeof item.deleteId === "string") {
      yield PublishRequest.fromPartial({ datasetId: target, item: { $case: "deleteId", value: item.deleteId } });
    } else {
      throw new IpfedError("INVALID_ARGUMENT", `publish item ${index} has neither record nor deleteId`, { field: `items[${index}]` });
    }
    index++;
  }
}
