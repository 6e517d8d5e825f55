import { fileURLToPath } from "node:url";

/**
 * The stack of the code that started a call, captured synchronously when a client method is
 * called, before any `await` loses it.
 *
 * @example
 * ```ts
 * const site: CallSite = captureCallSite(); // "    at loadDatasets (/app/src/report.ts:12:30)\n..."
 * ```
 */
export type CallSite = string | undefined;

// Frames of this folder are the client's own; the caller wants to see where *it* made the call.
const CLIENT_DIR_URL = new URL(".", import.meta.url).href;
const CLIENT_DIR = fileURLToPath(CLIENT_DIR_URL);
const ownFrame = (line: string): boolean =>
  (line.includes(CLIENT_DIR) || line.includes(CLIENT_DIR_URL)) && !/\.test\.[cm]?[jt]s:/.test(line);

/** Marks errors that already carry a caller's stack, so nesting calls append it once. */
const annotated = new WeakSet<Error>();

/**
 * Captures the caller's stack. Call it first thing in a public client method.
 *
 * @example
 * ```ts
 * list(req, options) {
 *   const site = captureCallSite();
 *   return invoker.unary(..., site);
 * }
 * ```
 */
export function captureCallSite(): CallSite {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  // The client's own frames come first; keep enough beyond them to reach the caller's.
  Error.stackTraceLimit = Math.max(limit, 20);
  try {
    Error.captureStackTrace(holder, captureCallSite);
  } finally {
    Error.stackTraceLimit = limit;
  }
  const lines = (holder.stack ?? "").split("\n").slice(1);
  // Drop the client's own frames on top (a method calling another), keep the rest as is.
  const first = lines.findIndex((line) => !ownFrame(line));
  const frames = first === -1 ? lines : lines.slice(first);
  return frames.length ? frames.join("\n") : undefined;
}

/**
 * Appends the caller's stack to an error's own (which, for an error rebuilt from a gRPC status,
 * only shows the transport's callbacks), the way grpc-js does: the stack then leads back to the
 * line of user code that made the call.
 *
 * @example
 * ```ts
 * throw withCallerStack(fromGrpcError(serviceError), site);
 * // IpfedError: ...
 * //     at fromGrpcError (...)
 * // for call at (caller)
 * //     at loadDatasets (/app/src/report.ts:12:30)
 * ```
 */
export function withCallerStack<E extends Error>(err: E, site: CallSite): E {
  if (site === undefined || annotated.has(err)) return err;
  annotated.add(err);
  err.stack = `${err.stack ?? `${err.name}: ${err.message}`}\nfor call at (caller)\n${site}`;
  return err;
}
