import type {
  handleClientStreamingCall,
  handleServerStreamingCall,
  handleUnaryCall,
  ServerReadableStream,
  ServerUnaryCall,
  ServerWritableStream,
} from "@grpc/grpc-js";
import { Tier } from "@ipfed/proto";
import { callRecordOf } from "../auth/auth-interceptor.js";
import type { Caller } from "../auth/caller.js";
import { toGrpcStatus } from "../errors/grpc-status.js";
import { IpfedError } from "../errors/ipfed-error.js";
import type { ServerObserver } from "./server-observer.js";
import type { EncodedMessage } from "./encoded-message.js";

/**
 * What every handler gets besides the request: the call, and a signal that fires on cancel.
 *
 * @example
 * ```ts
 * const getDataset = unary(async (req: GetDatasetRequest, ctx: CallContext) => {
 *   ctx.touch(req.id); // the audit entry names the dataset
 *   return { dataset: await dataSource.getDataset(req.id) };
 * });
 * ```
 */
export interface CallContext {
  /** The underlying grpc-js call (metadata, peer). */
  readonly call: ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown> | ServerReadableStream<unknown, unknown>;
  /** Aborted when the client cancels or the deadline passes. */
  readonly signal: AbortSignal;
  /** Who is calling, as the auth interceptor established. */
  readonly caller: Caller;
  /** Records a dataset the call touched, for the audit log. */
  touch(datasetId: string): void;
  /** The server's observer (`MemberServerOptions.observe`), for what a handler reports itself. */
  readonly observe?: ServerObserver;
}

/**
 * The caller a server without the auth interceptor assumes: anonymous and PUBLIC, so that a
 * server built by hand fails closed. `createMemberServer` always installs the interceptor.
 */
const UNGUARDED: Caller = {
  anonymous: true,
  subject: "anonymous",
  issuer: "",
  tier: Tier.TIER_PUBLIC,
  scopes: new Set(["search", "read"] as const),
  tokenId: "",
  expiresAt: 0,
};

function contextOf(call: CallContext["call"]): CallContext {
  const ac = new AbortController();
  (call as ServerUnaryCall<unknown, unknown>).on("cancelled", () => ac.abort(new IpfedError("CANCELLED", "the client cancelled the call")));
  const record = callRecordOf(call.metadata);
  return {
    call,
    signal: ac.signal,
    caller: record?.caller ?? UNGUARDED,
    touch: (d) => record?.datasets.add(d),
    ...(record?.observe ? { observe: record.observe } : {}),
  };
}

/**
 * Adapts an async function to a grpc-js unary handler; a thrown error of any kind becomes a
 * gRPC status with the ipfed trailers.
 *
 * @example
 * ```ts
 * const getDataset = unary(async (req: GetDatasetRequest) => ({ dataset: await find(req.id) }));
 * ```
 */
export function unary<Req, Res>(fn: (req: Req, ctx: CallContext) => Promise<Res>): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const ctx = contextOf(call as CallContext["call"]);
    fn(call.request, ctx).then(
      (res) => callback(null, res),
      (err: unknown) => callback(toGrpcStatus(err)),
    );
  };
}

/**
 * Adapts an async generator to a grpc-js server-streaming handler. It waits for the
 * transport to drain before pulling the next message, so a slow reader holds the server at
 * one message in flight instead of growing its memory.
 *
 * @example
 * ```ts
 * const exportHandler = serverStream(async function* (req: ExportRequest) {
 *   for await (const batch of batches(req)) yield batch;
 * });
 * ```
 */
export function serverStream<Req, Res>(
  fn: (req: Req, ctx: CallContext) => AsyncIterable<Res | EncodedMessage<Res>>,
): handleServerStreamingCall<Req, Res> {
  return (call) => {
    const ctx = contextOf(call as CallContext["call"]);
    void (async () => {
      // A status sent while messages are still queued would overtake them; an error is only
      // sent once everything written before it has reached the transport.
      let flushed: Promise<void> = Promise.resolve();
      try {
        for await (const msg of fn(call.request, ctx)) {
          if (ctx.signal.aborted) return;
          let ok = true;
          flushed = new Promise<void>((resolve) => {
            ok = call.write(msg as Res, () => resolve());
          });
          if (!ok) await waitForDrain(call, ctx.signal);
        }
        if (!ctx.signal.aborted) call.end();
      } catch (err) {
        await flushed;
        if (!ctx.signal.aborted) call.emit("error", toGrpcStatus(err));
      }
    })();
  };
}

/**
 * Adapts an async function that consumes the request stream to a grpc-js client-streaming
 * handler.
 *
 * @example
 * ```ts
 * const publish = clientStream(async (items: AsyncIterable<PublishRequest>) => summarise(items));
 * ```
 */
export function clientStream<Req, Res>(
  fn: (requests: AsyncIterable<Req>, ctx: CallContext) => Promise<Res>,
): handleClientStreamingCall<Req, Res> {
  return (call, callback) => {
    const ctx = contextOf(call as CallContext["call"]);
    fn(call as AsyncIterable<Req>, ctx).then(
      (res) => callback(null, res),
      (err: unknown) => callback(toGrpcStatus(err)),
    );
  };
}

function waitForDrain(call: ServerWritableStream<unknown, unknown>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      call.off("drain", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    call.once("drain", done);
    signal.addEventListener("abort", done, { once: true });
  });
}
