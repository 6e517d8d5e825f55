import type { CallOptions as GrpcCallOptions, ClientWritableStream, Metadata, ServiceError } from "@grpc/grpc-js";
import { IpfedError } from "../errors/ipfed-error.js";
import type { CallScope } from "./call-options.js";
import { abortError } from "./cancellation.js";

/**
 * Starts a client-streaming call on a generated client.
 *
 * @example
 * ```ts
 * const start: ClientStreamStart<PublishRequest, PublishResponse> = (md, o, cb) => transport.exchange.publish(md, o, cb);
 * ```
 */
export type ClientStreamStart<Req, Res> = (
  metadata: Metadata,
  options: Partial<GrpcCallOptions>,
  callback: (err: ServiceError | null, res?: Res) => void,
) => ClientWritableStream<Req>;

/**
 * Runs a client-streaming call: writes `items` as the transport accepts them (waiting for
 * "drain"), ends the stream, and settles with the call's answer. When the items fail, the call
 * is cancelled and rejects with their error (an IpfedError as is, anything else as CANCELLED);
 * when the call ends first, the items are not read further.
 *
 * @example
 * ```ts
 * const res = await writeClientStream((md, o, cb) => transport.exchange.publish(md, o, cb), metadata, scope, requests);
 * ```
 */
export function writeClientStream<Req, Res>(
  start: ClientStreamStart<Req, Res>,
  metadata: Metadata,
  scope: CallScope,
  items: AsyncIterable<Req> | Iterable<Req>,
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    if (scope.signal.aborted) return reject(abortError(scope.signal));
    let settled = false;
    let sourceFailure: { error: unknown } | undefined;
    let wakeWriter: (() => void) | undefined;
    let call: ClientWritableStream<Req> | undefined;
    const onAbort = (): void => call?.cancel();
    scope.signal.addEventListener("abort", onAbort, { once: true });
    const settle = (err: unknown, res?: Res): void => {
      if (settled) return;
      settled = true;
      scope.signal.removeEventListener("abort", onAbort);
      wakeWriter?.();
      if (err === null || err === undefined) resolve(res as Res);
      else reject(sourceFailure ? sourceError(sourceFailure.error) : err);
    };
    try {
      const options = scope.deadline ? { deadline: scope.deadline } : {};
      call = start(metadata, options, (err, res) => settle(err, res));
    } catch (err) {
      return settle(err);
    }
    const writer = call;
    // The call's own status reports failures; a stray "error" event must not go uncaught.
    writer.on("error", () => {});
    void (async () => {
      try {
        for await (const item of items) {
          if (settled) break;
          if (!writer.write(item)) {
            await new Promise<void>((resume) => {
              wakeWriter = resume;
              writer.once("drain", resume);
            });
            writer.off("drain", wakeWriter!);
            wakeWriter = undefined;
          }
          if (settled) break;
        }
        if (!settled) writer.end();
      } catch (error) {
        sourceFailure = { error };
        writer.cancel();
      }
    })();
  });
}

/** The error of a call whose request items failed: the items' IpfedError, or CANCELLED. */
function sourceError(error: unknown): IpfedError {
  if (error instanceof IpfedError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new IpfedError("CANCELLED", `the call was cancelled: its request items failed: ${message}`, { cause: error });
}
