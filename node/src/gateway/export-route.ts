import { IpfedError } from "@ipfed/sdk";
import type { GatewayContext } from "./gateway-context.js";
import { DOWNLOAD_FORMATS, RecordDownload } from "./record-download.js";
import { streamResultSet } from "./search-routes.js";

const DATASET_ID = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * `GET /api/v1/export?dataset=ID&format=jsonl|csv[&member=ID]`: a whole dataset, streamed.
 * A dataset of this node comes batch by batch from `ExchangeService.Export` (the `export`
 * scope, like the RPC). A dataset of another member (`member=ID`) comes through this node's
 * federation, as a federated search of `ds:ID` at that member only: the node never forwards
 * the caller's token but derives one for the member (tier no higher than the caller's), so
 * that member applies the caller's tier and audits the call (the `search` scope; at most
 * `limit` records).
 *
 * @example
 * ```ts
 * gateway.route("/api/v1/export", (ctx) => exportRoute(ctx, "hub"));
 * ```
 */
export async function exportRoute(ctx: GatewayContext, selfId: string): Promise<void> {
  const dataset = ctx.params.required("dataset");
  if (!DATASET_ID.test(dataset)) throw new IpfedError("DATASET_INVALID", `"${dataset}" is not a dataset id (lower-case letters, digits, "-" and "_")`, { field: "dataset" });
  const format = ctx.params.oneOf("format", DOWNLOAD_FORMATS, "jsonl");
  const memberId = ctx.params.string("member");
  if (memberId && memberId !== selfId) {
    await streamResultSet(ctx, { query: `ds:${dataset}`, federate: true, scope: { memberIds: [memberId] } }, format, `${memberId}-${dataset}.${format}`);
    return;
  }
  const batches = ctx.client.export({ datasetId: dataset }, ctx.call(Infinity));
  // The first batch decides the status, so an unknown dataset is still a 404 with a JSON body.
  const first = await batches.next();
  const out = await RecordDownload.start(ctx.res, format, `${selfId}-${dataset}.${format}`);
  if (!first.done) for (const r of first.value.records) await out.write(r);
  for await (const batch of batches) for (const r of batch.records) await out.write(r);
  out.end();
}
