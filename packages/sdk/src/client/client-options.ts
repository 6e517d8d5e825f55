import type { ChannelOptions } from "@grpc/grpc-js";
import { IpfedError } from "../errors/ipfed-error.js";
import { assertPlaintextAllowed } from "../tls/tls-credentials.js";
import { DEFAULT_RETRY } from "./retry.js";
import type { RetryOptions, RetryPolicy } from "./retry.js";
import type { TokenProvider } from "./token-source.js";

/**
 * TLS material for the channel. Every part is optional: with none, the system's root
 * certificates verify the server and its host name; `cert` and `key` together enable mutual
 * TLS.
 *
 * @example
 * ```ts
 * const tls: TlsOptions = { ca: readFileSync("ca.pem"), cert: readFileSync("me.pem"), key: readFileSync("me.key") };
 * ```
 */
export interface TlsOptions {
  /**
   * Certificates (PEM) trusted besides the system's roots: a CA's, or the member's own
   * certificate (a self-signed node's `tls/cert.pem`), which is then pinned — accepted
   * exactly, whatever host name the member is reached by.
   * @defaultValue the system's roots only
   */
  ca?: Buffer;
  /** The client's certificate chain (PEM), for mutual TLS; needs `key`. */
  cert?: Buffer;
  /** The client's private key (PEM), for mutual TLS; needs `cert`. */
  key?: Buffer;
}

/**
 * Options of {@link createClient}: where the member is, who is calling, and how calls behave
 * when they are slow, cancelled or the member is briefly away.
 *
 * @example
 * ```ts
 * const options: ClientOptions = {
 *   endpoint: "127.0.0.1:7400",
 *   tokenProvider: () => fetchTokenFromMyPlatform(),
 *   deadlineMs: 10_000,
 *   retry: { maxAttempts: 6 },
 * };
 * ```
 */
export interface ClientOptions {
  /** The member's gRPC address, `host:port`. */
  endpoint: string;
  /**
   * A fixed token, sent as `authorization: Bearer <token>`. With a `tokenProvider` as well, it
   * is the first token used, until it nears expiry.
   * @defaultValue none: calls are anonymous unless `tokenProvider` is given
   */
  token?: string;
  /**
   * Supplies a token when there is none yet, or the current one expires within
   * `refreshBeforeSeconds` (read from the JWT's `exp`, which is not verified here). Calls that
   * need a token at the same time share one provider call.
   */
  tokenProvider?: TokenProvider;
  /** How long before its `exp` a token is replaced through `tokenProvider`. @defaultValue 30 */
  refreshBeforeSeconds?: number;
  /**
   * TLS for the channel: `true` for TLS with the system's roots, or the material to use.
   * @defaultValue false (plaintext, which only a loopback endpoint allows without `allowPlaintext`)
   */
  tls?: TlsOptions | boolean;
  /**
   * Plaintext to an endpoint that is not loopback (a trusted private network). Without it,
   * such an endpoint needs `tls`, and `createClient` throws `PLAINTEXT_REFUSED`.
   * @defaultValue false
   */
  allowPlaintext?: boolean;
  /**
   * Time limit of one call, retries included, in milliseconds; `Infinity` for none. It applies
   * to unary calls, `search` and `publish`. The long streams (`export`, `catalogue.watch`) run
   * without one unless a call gives its own.
   * @defaultValue 30000
   */
  deadlineMs?: number;
  /**
   * Retries of idempotent calls when the member is UNAVAILABLE; `false` for none.
   * @defaultValue `{ maxAttempts: 4, initialBackoffMs: 100, maxBackoffMs: 2000, multiplier: 2, jitter: 0.2 }`
   */
  retry?: RetryOptions | false;
  /** Cancels every call of the client, current and future, when it aborts. */
  signal?: AbortSignal;
  /**
   * grpc-js channel options (message sizes, keepalive). The reconnect backoff defaults to the
   * retry backoff, so that a member that comes back is reached by the next retry.
   */
  channelOptions?: ChannelOptions;
}

/**
 * {@link ClientOptions} with every default applied and checked; what the layers below read.
 *
 * @example
 * ```ts
 * const { endpoint, retry, deadlineMs } = resolveClientOptions(options);
 * ```
 */
export interface ResolvedClientOptions {
  readonly endpoint: string;
  readonly token: string | undefined;
  readonly tokenProvider: TokenProvider | undefined;
  readonly refreshBeforeSeconds: number;
  readonly tls: TlsOptions | undefined;
  readonly deadlineMs: number;
  readonly retry: RetryPolicy;
  readonly signal: AbortSignal | undefined;
  readonly channelOptions: ChannelOptions;
}

/**
 * The default time limit of one call, in milliseconds.
 *
 * @example
 * ```ts
 * createClient({ endpoint, deadlineMs: 2 * DEFAULT_DEADLINE_MS });
 * ```
 */
export const DEFAULT_DEADLINE_MS = 30_000;
/**
 * How long before expiry a token is replaced by default, in seconds.
 *
 * @example
 * ```ts
 * createClient({ endpoint, tokenProvider, refreshBeforeSeconds: DEFAULT_REFRESH_BEFORE_SECONDS * 2 });
 * ```
 */
export const DEFAULT_REFRESH_BEFORE_SECONDS = 30;

const ENDPOINT_RE = /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):(\d{1,5})$/;

/**
 * Applies the defaults of {@link ClientOptions} once and checks every value, so that a
 * mistake is reported when the client is made rather than on its first call.
 *
 * @example
 * ```ts
 * resolveClientOptions({ endpoint: "127.0.0.1:7400" }).deadlineMs; // 30000
 * ```
 */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  const { endpoint } = options;
  if (typeof endpoint !== "string" || !ENDPOINT_RE.test(endpoint)) {
    throw invalid("endpoint", `endpoint must be host:port, found ${JSON.stringify(endpoint)}`);
  }
  if (options.token !== undefined && (typeof options.token !== "string" || options.token === "")) {
    throw invalid("token", "token must be a non-empty string");
  }
  if (options.tokenProvider !== undefined && typeof options.tokenProvider !== "function") {
    throw invalid("tokenProvider", "tokenProvider must be a function");
  }
  const refreshBeforeSeconds = options.refreshBeforeSeconds ?? DEFAULT_REFRESH_BEFORE_SECONDS;
  if (!(refreshBeforeSeconds >= 0) || !Number.isFinite(refreshBeforeSeconds)) {
    throw invalid("refreshBeforeSeconds", "refreshBeforeSeconds must be a finite number, 0 or more");
  }
  const deadlineMs = checkDeadline(options.deadlineMs ?? DEFAULT_DEADLINE_MS, "deadlineMs");
  const retry = resolveRetry(options.retry);
  const tls = options.tls === true ? {} : options.tls === false || options.tls === undefined ? undefined : options.tls;
  if (tls && (tls.cert === undefined) !== (tls.key === undefined)) {
    throw invalid("tls", "tls.cert and tls.key go together: give both for mutual TLS, or neither");
  }
  if (!tls) assertPlaintextAllowed(endpoint, options.allowPlaintext, "plaintext gRPC to");
  return {
    endpoint,
    token: options.token,
    tokenProvider: options.tokenProvider,
    refreshBeforeSeconds,
    tls,
    deadlineMs,
    retry,
    signal: options.signal,
    channelOptions: {
      "grpc.initial_reconnect_backoff_ms": retry.initialBackoffMs,
      "grpc.max_reconnect_backoff_ms": retry.maxBackoffMs,
      ...options.channelOptions,
    },
  };
}

/**
 * Checks a time limit in milliseconds: a positive number, or `Infinity` for none.
 *
 * @example
 * ```ts
 * checkDeadline(500, "deadlineMs"); // 500
 * ```
 */
export function checkDeadline(value: number, field: string): number {
  if (typeof value !== "number" || !(value > 0)) throw invalid(field, `${field} must be a positive number of milliseconds (or Infinity), found ${String(value)}`);
  return value;
}

function resolveRetry(retry: RetryOptions | false | undefined): RetryPolicy {
  if (retry === false) return { ...DEFAULT_RETRY, maxAttempts: 1 };
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...stripUndefined(retry ?? {}) };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw invalid("retry.maxAttempts", "retry.maxAttempts must be a whole number, 1 or more");
  if (!(policy.initialBackoffMs >= 0)) throw invalid("retry.initialBackoffMs", "retry.initialBackoffMs must be 0 or more");
  if (!(policy.maxBackoffMs >= policy.initialBackoffMs)) throw invalid("retry.maxBackoffMs", "retry.maxBackoffMs must be at least retry.initialBackoffMs");
  if (!(policy.multiplier >= 1)) throw invalid("retry.multiplier", "retry.multiplier must be 1 or more");
  if (!(policy.jitter >= 0 && policy.jitter <= 1)) throw invalid("retry.jitter", "retry.jitter must be between 0 and 1");
  return policy;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function invalid(field: string, message: string): IpfedError {
  return new IpfedError("INVALID_ARGUMENT", message, { field });
}
