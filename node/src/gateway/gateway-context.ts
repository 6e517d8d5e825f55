import type { IncomingMessage, ServerResponse } from "node:http";
import type { IpfedClient } from "@ipfed/sdk";
import type { CallOptions } from "@ipfed/sdk";
import { GatewayParams, forwardedAuth } from "./gateway-params.js";

/**
 * One gateway request: its parameters, the node's own client, and the options every call made
 * for it carries — the caller's `Authorization` header, and a signal that cancels the calls
 * when the HTTP client goes away.
 *
 * @example
 * ```ts
 * const rec = await ctx.client.getRecord(id, {}, ctx.call());
 * ```
 */
export interface GatewayContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: GatewayParams;
  /** The node's own services, over loopback. */
  readonly client: IpfedClient;
  /** Options of a call on the caller's behalf; `deadlineMs` overrides the client's default. */
  call(deadlineMs?: number): CallOptions;
  /** Aborts when the HTTP client disconnects. */
  readonly signal: AbortSignal;
}

/**
 * Builds the context of one request.
 *
 * @example
 * ```ts
 * const ctx = gatewayContext(req, res, url, clients.at(grpcAddress));
 * ```
 */
export function gatewayContext(req: IncomingMessage, res: ServerResponse, url: URL, client: IpfedClient): GatewayContext {
  const ac = new AbortController();
  res.once("close", () => ac.abort());
  const metadata = forwardedAuth(req);
  return {
    req,
    res,
    url,
    params: new GatewayParams(url.searchParams),
    client,
    signal: ac.signal,
    call: (deadlineMs) => ({ metadata, signal: ac.signal, ...(deadlineMs !== undefined ? { deadlineMs } : {}) }),
  };
}
