import { status } from "@grpc/grpc-js";
import type { IpfedError } from "../errors/ipfed-error.js";
import { sleep } from "./cancellation.js";

/**
 * What happened before a retry; given to {@link RetryOptions.onRetry}.
 *
 * @example
 * ```ts
 * const onRetry = (e: RetryEvent) => log.warn(`${e.method}: attempt ${e.attempt} failed (${e.error.code}), retrying in ${e.delayMs} ms`);
 * ```
 */
export interface RetryEvent {
  /** The RPC, `/ipfed.v1.CatalogueService/ListDatasets`. */
  readonly method: string;
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  /** How long the client waits before the next attempt, in milliseconds. */
  readonly delayMs: number;
  /** Why the attempt failed (always a gRPC UNAVAILABLE). */
  readonly error: IpfedError;
}

/**
 * How idempotent calls are retried when the member is UNAVAILABLE: exponential backoff with
 * jitter. Nothing else is retried, and `publish` never is.
 *
 * @example
 * ```ts
 * createClient({ endpoint, retry: { maxAttempts: 8, maxBackoffMs: 5000, onRetry: (e) => console.warn(e) } });
 * ```
 */
export interface RetryOptions {
  /** Attempts in all, the first included; 1 disables retries. @defaultValue 4 */
  maxAttempts?: number;
  /** Wait before the first retry, in milliseconds. @defaultValue 100 */
  initialBackoffMs?: number;
  /** Longest wait between attempts, in milliseconds. @defaultValue 2000 */
  maxBackoffMs?: number;
  /** Growth of the wait from one retry to the next. @defaultValue 2 */
  multiplier?: number;
  /**
   * Share of each wait that is random, from 0 (none) to 1 (anywhere between 0 and the full
   * wait), so that clients cut off together do not return together.
   * @defaultValue 0.2
   */
  jitter?: number;
  /** Called before each retry, for logs and metrics. */
  onRetry?: (event: RetryEvent) => void;
}

/**
 * {@link RetryOptions} with the defaults applied.
 *
 * @example
 * ```ts
 * const policy: RetryPolicy = { ...DEFAULT_RETRY, maxAttempts: 6 };
 * ```
 */
export type RetryPolicy = Required<Omit<RetryOptions, "onRetry">> & Pick<RetryOptions, "onRetry">;

/**
 * The default retry policy: 4 attempts, waits of 100, 200, 400 ms (up to 2 s), 20% jitter.
 *
 * @example
 * ```ts
 * createClient({ endpoint, retry: { ...DEFAULT_RETRY, maxAttempts: 8 } });
 * ```
 */
export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 4,
  initialBackoffMs: 100,
  maxBackoffMs: 2000,
  multiplier: 2,
  jitter: 0.2,
});

/**
 * The wait before retry number `retry` (from 1): `initialBackoffMs * multiplier^(retry-1)`,
 * capped at `maxBackoffMs`, of which the `jitter` share is random.
 *
 * @example
 * ```ts
 * backoffDelay(DEFAULT_RETRY, 3, () => 1); // 400
 * ```
 */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * policy.multiplier ** Math.max(0, retry - 1));
  return Math.round(base * (1 - policy.jitter + policy.jitter * random()));
}

/**
 * Tells whether a failure may be retried: only a gRPC UNAVAILABLE, which means the request did
 * not take effect (the member was unreachable, restarting or shedding load).
 *
 * @example
 * ```ts
 * isRetryable(new IpfedError("UNAVAILABLE", "connection refused")); // true
 * ```
 */
export function isRetryable(err: IpfedError): boolean {
  return err.status === status.UNAVAILABLE;
}

/**
 * The retry state of one call: counts failed attempts and waits before the next one, or
 * gives up. A stream that made progress calls {@link RetryBudget.reset}, so that the budget
 * counts failures in a row.
 *
 * @example
 * ```ts
 * const budget = new RetryBudget(policy, { method, signal, deadline });
 * for (;;) {
 *   try { return await attempt(); } catch (err) { await budget.failed(rebuild(err)); }
 * }
 * ```
 */
export class RetryBudget {
  readonly #policy: RetryPolicy;
  readonly #method: string;
  readonly #signal: AbortSignal;
  readonly #deadline: Date | undefined;
  #failures = 0;

  constructor(policy: RetryPolicy, context: { method: string; signal: AbortSignal; deadline?: Date | undefined }) {
    this.#policy = policy;
    this.#method = context.method;
    this.#signal = context.signal;
    this.#deadline = context.deadline;
  }

  /**
   * Records a failed attempt. Throws `err` when it may not be retried, the attempts are used
   * up, or the wait would pass the deadline; otherwise waits, then returns (or throws CANCELLED
   * when the call is cancelled meanwhile).
   */
  async failed(err: IpfedError): Promise<void> {
    this.#failures++;
    if (!isRetryable(err) || this.#failures >= this.#policy.maxAttempts) throw err;
    const delayMs = Math.max(backoffDelay(this.#policy, this.#failures), err.retryAfterMs ?? 0);
    // Waiting past the deadline would only turn an informative UNAVAILABLE into DEADLINE_EXCEEDED.
    if (this.#deadline && Date.now() + delayMs >= this.#deadline.getTime()) throw err;
    this.#policy.onRetry?.({ method: this.#method, attempt: this.#failures, delayMs, error: err });
    await sleep(delayMs, this.#signal);
  }

  /** Forgets earlier failures, after a stream made progress. */
  reset(): void {
    this.#failures = 0;
  }
}
