import type {
  CallOptions as GrpcCallOptions,
  ClientReadableStream,
  ClientUnaryCall,
  Metadata,
  ServiceError,
} from "@grpc/grpc-js";
import { fromGrpcError } from "../errors/grpc-status.js";
import { IpfedError } from "../errors/ipfed-error.js";
import { callMetadata, openCallScope } from "./call-options.js";
import type { CallOptions, CallScope } from "./call-options.js";
import { withCallerStack } from "./caller-stack.js";
import type { CallSite } from "./caller-stack.js";
import { abortError } from "./cancellation.js";
import { RetryBudget } from "./retry.js";
import type { RetryPolicy } from "./retry.js";
import type { StreamResume } from "./stream-resume.js";
import { readStream } from "./stream-reader.js";
import { writeClientStream } from "./stream-writer.js";
import type { ClientStreamStart } from "./stream-writer.js";
import type { TokenSource } from "./token-source.js";

type Callback<Res> = (err: ServiceError | null, res?: Res) => void;

/**
 * Starts one attempt of a unary call on a generated client.
 *
 * @example
 * ```ts
 * const start: UnaryStart<GetRecordResponse> = (md, o, cb) => transport.search.getRecord(req, md, o, cb);
 * ```
 */
export type UnaryStart<Res> = (metadata: Metadata, options: Partial<GrpcCallOptions>, callback: Callback<Res>) => ClientUnaryCall;
/**
 * Starts one attempt of a server-streaming call on a generated client.
 *
 * @example
 * ```ts
 * const start: ServerStreamStart<SearchEvent> = (md, o) => transport.search.search(req, md, o);
 * ```
 */
export type ServerStreamStart<Res> = (metadata: Metadata, options: Partial<GrpcCallOptions>) => ClientReadableStream<Res>;
/**
 * One call as the typed clients describe it to the invoker.
 *
 * @example
 * ```ts
 * const rpc: Rpc = { method: SearchServiceService.getRecord.path, site: captureCallSite(), options };
 * ```
 */
export interface Rpc {
  /** Full method path, for retry events (`/ipfed.v1.SearchService/GetRecord`). */
  readonly method: string;
  /** Where the user made the call. */
  readonly site: CallSite;
  /** The caller's options of this call. */
  readonly options: CallOptions | undefined;
  /** False for the long streams, which only get a deadline when the call asks for one. @defaultValue true */
  readonly clientDeadline?: boolean;
}

/**
 * What the call layer needs from the client.
 *
 * @example
 * ```ts
 * const invoker = new RpcInvoker({ tokens: new TokenSource({ token }), retry: DEFAULT_RETRY, deadlineMs: 30_000, signal: undefined });
 * ```
 */
export interface RpcInvokerInit {
  readonly tokens: TokenSource;
  readonly retry: RetryPolicy;
  /** The client's default time limit of a call, in milliseconds. */
  readonly deadlineMs: number;
  /** The client's own signal, if any. */
  readonly signal: AbortSignal | undefined;
}

/**
 * The call layer: runs one RPC on a generated client with the client's token, deadline,
 * cancellation and retry rules, and rebuilds every failure as an IpfedError that carries the
 * caller's stack. It knows nothing of the services; the typed clients above it say how to
 * start each call.
 *
 * @example
 * ```ts
 * const res = await invoker.unary(
 *   { method: "/ipfed.v1.SearchService/GetRecord", site: captureCallSite(), options },
 *   (md, o, cb) => transport.search.getRecord(GetRecordRequest.fromPartial({ id }), md, o, cb),
 * );
 * ```
 */
export class RpcInvoker {
  readonly #init: RpcInvokerInit;
  readonly #closing = new AbortController();

  constructor(init: RpcInvokerInit) {
    this.#init = init;
  }

  /** True once {@link RpcInvoker.close} was called. */
  get closed(): boolean {
    return this.#closing.signal.aborted;
  }

  /** Cancels every call in flight (CANCELLED); later calls fail with FAILED_PRECONDITION. */
  close(): void {
    if (!this.closed) this.#closing.abort(new IpfedError("CANCELLED", "the client was closed"));
  }

  /**
   * Runs a unary call (every unary ipfed.v1 call is idempotent): retried on UNAVAILABLE, and
   * once more with a fresh token when the member finds the token expired.
   */
  async unary<Res>(rpc: Rpc, start: UnaryStart<Res>): Promise<Res> {
    const scope = this.#open(rpc);
    try {
      const budget = new RetryBudget(this.#init.retry, { method: rpc.method, signal: scope.signal, deadline: scope.deadline });
      let refreshed = false;
      for (;;) {
        let token: string | undefined;
        try {
          token = await this.#init.tokens.get(scope.signal);
          return await unaryAttempt(start, callMetadata(rpc.options?.metadata, token), scope);
        } catch (reason) {
          const err = rebuild(reason, scope.signal);
          if (!refreshed && this.#refreshable(err)) {
            refreshed = true;
            this.#init.tokens.invalidate(token);
            continue;
          }
          await budget.failed(err);
        }
      }
    } catch (reason) {
      throw withCallerStack(rebuild(reason, scope.signal), rpc.site);
    } finally {
      scope.dispose();
    }
  }

  /**
   * Runs a server-streaming call. Without `resume` it is retried only until its first message
   * arrives; with one it is reopened from the last position on every UNAVAILABLE, the retry
   * budget counting failures in a row.
   */
  async *serverStream<Res, P = undefined>(
    rpc: Rpc,
    startAt: (position: P | undefined) => ServerStreamStart<Res>,
    resume?: StreamResume<P, Res>,
  ): AsyncGenerator<Res, void, undefined> {
    const scope = this.#open(rpc);
    try {
      const budget = new RetryBudget(this.#init.retry, { method: rpc.method, signal: scope.signal, deadline: scope.deadline });
      let position = resume?.start;
      let received = false;
      let refreshed = false;
      for (;;) {
        let token: string | undefined;
        let unlisten = (): void => {};
        try {
          token = await this.#init.tokens.get(scope.signal);
          if (scope.signal.aborted) throw abortError(scope.signal);
          const call = startAt(position)(callMetadata(rpc.options?.metadata, token), grpcOptions(scope));
          const onAbort = (): void => call.cancel();
          scope.signal.addEventListener("abort", onAbort, { once: true });
          unlisten = () => scope.signal.removeEventListener("abort", onAbort);
          for await (const message of readStream(call)) {
            received = true;
            if (resume) {
              position = resume.after(message, position as P);
              budget.reset();
            }
            yield message;
          }
          return;
        } catch (reason) {
          const err = rebuild(reason, scope.signal);
          if (received && !resume) throw err;
          if (!refreshed && !received && this.#refreshable(err)) {
            refreshed = true;
            this.#init.tokens.invalidate(token);
            continue;
          }
          await budget.failed(err);
        } finally {
          unlisten();
        }
      }
    } catch (reason) {
      throw withCallerStack(rebuild(reason, scope.signal), rpc.site);
    } finally {
      scope.dispose();
    }
  }

  /**
   * Runs a client-streaming call, writing `items` as the transport accepts them. Never
   * retried: the member may have acted on part of the stream.
   */
  async clientStream<Req, Res>(rpc: Rpc, start: ClientStreamStart<Req, Res>, items: AsyncIterable<Req> | Iterable<Req>): Promise<Res> {
    const scope = this.#open(rpc);
    let token: string | undefined;
    try {
      token = await this.#init.tokens.get(scope.signal);
      return await writeClientStream(start, callMetadata(rpc.options?.metadata, token), scope, items);
    } catch (reason) {
      const err = rebuild(reason, scope.signal);
      // Not retried, but the next call should not send the same expired token.
      if (this.#refreshable(err)) this.#init.tokens.invalidate(token);
      throw withCallerStack(err, rpc.site);
    } finally {
      scope.dispose();
    }
  }

  #open(rpc: Rpc): CallScope {
    if (this.closed) throw withCallerStack(new IpfedError("FAILED_PRECONDITION", "the client is closed"), rpc.site);
    const deadlineMs = rpc.options?.deadlineMs ?? (rpc.clientDeadline === false ? undefined : this.#init.deadlineMs);
    try {
      return openCallScope([this.#init.signal, this.#closing.signal, rpc.options?.signal], deadlineMs);
    } catch (reason) {
      throw withCallerStack(IpfedError.from(reason), rpc.site);
    }
  }

  /** A token the member found expired is replaced once, when a provider can replace it. */
  #refreshable(err: IpfedError): boolean {
    return err.code === "TOKEN_EXPIRED" && this.#init.tokens.canRefresh;
  }
}

function grpcOptions(scope: CallScope): Partial<GrpcCallOptions> {
  return scope.deadline ? { deadline: scope.deadline } : {};
}

function unaryAttempt<Res>(start: UnaryStart<Res>, metadata: Metadata, scope: CallScope): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    if (scope.signal.aborted) return reject(abortError(scope.signal));
    let call: ClientUnaryCall | undefined;
    const onAbort = (): void => call?.cancel();
    scope.signal.addEventListener("abort", onAbort, { once: true });
    try {
      call = start(metadata, grpcOptions(scope), (err, res) => {
        scope.signal.removeEventListener("abort", onAbort);
        if (err) reject(err);
        else resolve(res as Res);
      });
    } catch (err) {
      scope.signal.removeEventListener("abort", onAbort);
      reject(err);
    }
  });
}

function isServiceError(reason: unknown): reason is ServiceError {
  return typeof reason === "object" && reason !== null && typeof (reason as { code?: unknown }).code === "number" && "metadata" in reason;
}

/** Rebuilds anything a call failed with as an IpfedError; a call stopped by its signal is CANCELLED. */
function rebuild(reason: unknown, signal: AbortSignal): IpfedError {
  if (reason instanceof IpfedError) return reason;
  if (signal.aborted) return abortError(signal);
  if (isServiceError(reason)) return fromGrpcError(reason);
  return IpfedError.from(reason);
}
