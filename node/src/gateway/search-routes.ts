import { once } from "node:events";
import { Facet, MemberKind, MemberState, MemberStatus, SearchDone, SearchEvent, SearchHit, memberKindFromJSON } from "@ipfed/proto";
import { IpfedError } from "@ipfed/sdk";
import type { SearchInit } from "@ipfed/sdk";
import type { GatewayContext } from "./gateway-context.js";
import { errorBody, sendJson } from "./http-status.js";
import { DOWNLOAD_FORMATS, RecordDownload } from "./record-download.js";
import type { DownloadFormat } from "./record-download.js";

/**
 * Most records a result-set download holds unless `limit` says otherwise.
 *
 * @example
 * ```ts
 * const limit = params.uint("limit", DEFAULT_DOWNLOAD_LIMIT, "INVALID_ARGUMENT", MAX_DOWNLOAD_LIMIT);
 * ```
 */
export const DEFAULT_DOWNLOAD_LIMIT = 10_000;
/**
 * Most records a result-set download may hold.
 *
 * @example
 * ```ts
 * if (limit > MAX_DOWNLOAD_LIMIT) throw new IpfedError("INVALID_ARGUMENT", "limit too high", { field: "limit" });
 * ```
 */
export const MAX_DOWNLOAD_LIMIT = 100_000;
// Federated pages ask each member for a page plus the hits of its previous page not yet
// sent, which must stay under the members' page-size cap (200 by default).
const DOWNLOAD_PAGE = 50;

/**
 * Reads a SearchRequest from the query string: `q`, `federate`, `page_size`, `cursor`,
 * `facets`, `facet_size`, `datasets`, and the federation scope `members`, `member_kinds`,
 * `regions` (lists are comma-separated or repeated).
 *
 * @example
 * ```ts
 * const init = searchInit(ctx); // { query: "ti:石墨烯", federate: true, pageSize: 20, ... }
 * ```
 */
export function searchInit(ctx: GatewayContext): Exclude<SearchInit, string> {
  const p = ctx.params;
  const kinds = p.list("member_kinds").map((k, i) => {
    const kind = memberKindFromJSON(`MEMBER_KIND_${k.toUpperCase()}`);
    if (kind === MemberKind.UNRECOGNIZED || kind === MemberKind.MEMBER_KIND_UNSPECIFIED) {
      throw new IpfedError("INVALID_ARGUMENT", `member_kinds[${i}] "${k}" is not a member kind (hub, regional, local, tisc, university, library, other)`, {
        field: `member_kinds[${i}]`,
      });
    }
    return kind;
  });
  return {
    query: p.string("q"),
    federate: p.bool("federate"),
    pageSize: p.uint("page_size", 0, "PAGE_SIZE_INVALID"),
    cursor: p.string("cursor"),
    facets: p.list("facets"),
    facetSize: p.uint("facet_size", 0),
    datasets: p.list("datasets"),
    scope: { memberIds: p.list("members"), kinds, regions: p.list("regions") },
  };
}

/** True when the client asked for the answer as a stream of events (`Accept: application/x-ndjson` or `stream=true`). */
function wantsStream(ctx: GatewayContext): boolean {
  return (ctx.req.headers.accept ?? "").includes("application/x-ndjson") || ctx.params.bool("stream");
}

/**
 * `GET /api/v1/search`: one page of a search. As JSON, the whole page at once: `{ hits,
 * memberStatuses, facets, done }`. As a stream (`Accept: application/x-ndjson`), one
 * `SearchEvent` per line as it arrives — hits, member statuses, facets, done — so a page can
 * show members answering; an error after the first event arrives as a last line `{ "error":
 * {...} }`.
 *
 * @example
 * ```ts
 * gateway.route("/api/v1/search", (ctx) => searchRoute(ctx));
 * ```
 */
export async function searchRoute(ctx: GatewayContext): Promise<void> {
  const init = searchInit(ctx);
  if (!wantsStream(ctx)) {
    const r = await ctx.client.searchAll(init, ctx.call());
    sendJson(ctx.res, 200, {
      hits: r.hits.map((h) => SearchHit.toJSON(h)),
      memberStatuses: r.memberStatuses.map((s) => MemberStatus.toJSON(s)),
      facets: r.facets.map((f) => Facet.toJSON(f)),
      done: SearchDone.toJSON(r.done),
    });
    return;
  }
  const events = ctx.client.search(init, ctx.call());
  // The first event decides the status: a query error still gets its 400 and JSON body.
  const first = await events.next();
  const { res } = ctx;
  res.writeHead(200, { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" });
  const line = async (value: unknown): Promise<void> => {
    if (!res.write(JSON.stringify(value) + "\n")) await Promise.race([once(res, "drain"), once(res, "close")]);
  };
  try {
    if (!first.done) await line(SearchEvent.toJSON(first.value));
    for await (const e of events) {
      if (res.destroyed) return;
      await line(SearchEvent.toJSON(e));
    }
  } catch (err) {
    if (!res.destroyed) await line({ error: errorBody(IpfedError.from(err)) });
  }
  res.end();
}

/**
 * `GET /api/v1/search/download`: the records of a whole result set (every page, up to
 * `limit`), streamed as JSONL or CSV as the pages arrive. A member failing on any page fails
 * the download (UNAVAILABLE) unless `allow_partial=true`.
 *
 * @example
 * ```ts
 * gateway.route("/api/v1/search/download", (ctx) => searchDownloadRoute(ctx));
 * ```
 */
export function searchDownloadRoute(ctx: GatewayContext): Promise<void> {
  const format = ctx.params.oneOf("format", DOWNLOAD_FORMATS, "jsonl");
  return streamResultSet(ctx, searchInit(ctx), format, `search-results.${format}`);
}

/**
 * Streams every record of a search, page after page, up to the request's `limit`: the body of
 * a result-set download, and of a download of another member's dataset (a federated search of
 * that dataset at that member, so the caller's tier applies there through a derived token).
 *
 * @example
 * ```ts
 * await streamResultSet(ctx, { query: "ds:cn", federate: true, scope: { memberIds: ["scu-tisc"] } }, "csv", "scu-tisc-cn.csv");
 * ```
 */
export async function streamResultSet(ctx: GatewayContext, init: Exclude<SearchInit, string>, format: DownloadFormat, filename: string): Promise<void> {
  const limit = ctx.params.uint("limit", DEFAULT_DOWNLOAD_LIMIT, "INVALID_ARGUMENT", MAX_DOWNLOAD_LIMIT);
  const partial = ctx.params.bool("allow_partial");
  const pageSize = Math.min(limit || 1, DOWNLOAD_PAGE);
  let cursor = init.cursor ?? "";
  let out: RecordDownload | undefined;
  for (;;) {
    const page = await ctx.client.searchAll({ ...init, facets: [], pageSize, cursor }, ctx.call());
    // A member that failed on any page would leave a hole in the file: refuse (before the
    // first byte, an error answer; later, a cut connection) unless the caller accepts it.
    const failed = page.memberStatuses.filter((s) => s.state !== MemberState.MEMBER_STATE_OK && s.state !== MemberState.MEMBER_STATE_SKIPPED);
    if (failed.length > 0 && !partial) {
      const why = failed.map((s) => `${s.memberId} ${MemberState[s.state]?.replace("MEMBER_STATE_", "") ?? s.state}${s.errorCode ? ` ${s.errorCode}` : ""}${s.message ? `: ${s.message}` : ""}`);
      throw new IpfedError("UNAVAILABLE", `the result set would be incomplete: ${why.join("; ")} (add allow_partial=true to download what the others hold)`, {
        metadata: Object.fromEntries(failed.map((s) => [s.memberId, MemberState[s.state] ?? String(s.state)])),
      });
    }
    // Headers go out only once the first page came back, so a bad query is still a 400.
    out ??= await RecordDownload.start(ctx.res, format, filename);
    for (const h of page.hits) {
      if (out.count >= limit || !h.record) continue;
      await out.write(h.record);
    }
    cursor = page.done.nextCursor;
    if (!cursor || out.count >= limit || page.hits.length === 0) break;
  }
  out.end();
}
