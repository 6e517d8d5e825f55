import { status } from "@grpc/grpc-js";
import type { ServerResponse } from "node:http";
import { IpfedError } from "@ipfed/sdk";

const HTTP_STATUS: { readonly [s: number]: number } = {
  [status.OK]: 200,
  [status.CANCELLED]: 499,
  [status.UNKNOWN]: 500,
  [status.INVALID_ARGUMENT]: 400,
  [status.DEADLINE_EXCEEDED]: 504,
  [status.NOT_FOUND]: 404,
  [status.ALREADY_EXISTS]: 409,
  [status.PERMISSION_DENIED]: 403,
  [status.RESOURCE_EXHAUSTED]: 429,
  [status.FAILED_PRECONDITION]: 400,
  [status.ABORTED]: 409,
  [status.OUT_OF_RANGE]: 400,
  [status.UNIMPLEMENTED]: 501,
  [status.INTERNAL]: 500,
  [status.UNAVAILABLE]: 503,
  [status.DATA_LOSS]: 500,
  [status.UNAUTHENTICATED]: 401,
};

/**
 * The HTTP status the gateway answers for a gRPC status (the mapping of Google's HTTP/JSON
 * transcoding: INVALID_ARGUMENT 400, UNAUTHENTICATED 401, PERMISSION_DENIED 403, NOT_FOUND
 * 404, RESOURCE_EXHAUSTED 429, UNAVAILABLE 503, DEADLINE_EXCEEDED 504, ...).
 *
 * @example
 * ```ts
 * httpStatusOf(status.UNAUTHENTICATED); // 401
 * ```
 */
export function httpStatusOf(grpcStatus: status): number {
  return HTTP_STATUS[grpcStatus] ?? 500;
}

/**
 * The JSON body of a gateway error: the stable code, the message, and where the problem is
 * (`field`, `position`, `retryAfterMs`, `metadata`) when the error says so.
 *
 * @example
 * ```ts
 * errorBody(new IpfedError("QUERY_SYNTAX", "expected ')'", { field: "query", position: 13 }));
 * // { code: "QUERY_SYNTAX", message: "expected ')'", detail: { field: "query", position: 13 } }
 * ```
 */
export function errorBody(err: IpfedError): { code: string; message: string; detail?: Record<string, unknown> } {
  const { code, message, ...detail } = err.toJSON() as { code: string; message: string } & Record<string, unknown>;
  return Object.keys(detail).length > 0 ? { code, message, detail } : { code, message };
}

/**
 * Writes a JSON answer (`application/json; charset=utf-8`, never cached).
 *
 * @example
 * ```ts
 * sendJson(res, 200, { members });
 * ```
 */
export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(code, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(body));
}

/**
 * Answers with an error: the HTTP status mapped from its gRPC status and the body of
 * {@link errorBody}; `retry-after` (seconds) when the error carries a retry hint. When the
 * answer has already begun (a stream), the connection is cut instead, so the client sees a
 * truncated body rather than a wrong one.
 *
 * @example
 * ```ts
 * sendError(res, new IpfedError("DATASET_NOT_FOUND", "no dataset x", { field: "dataset" }));
 * ```
 */
export function sendError(res: ServerResponse, reason: unknown): void {
  // Anything but an IpfedError is a fault of the gateway: its message (a path, a stack) stays here.
  const err = reason instanceof IpfedError ? reason : new IpfedError("INTERNAL", "internal error", { cause: reason });
  if (res.headersSent) {
    res.destroy(err);
    return;
  }
  const headers: Record<string, string> = {};
  if (err.retryAfterMs !== undefined) headers["retry-after"] = String(Math.max(1, Math.ceil(err.retryAfterMs / 1000)));
  sendJson(res, httpStatusOf(err.status), errorBody(err), headers);
}
