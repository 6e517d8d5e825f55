import type { status } from "@grpc/grpc-js";
import { grpcStatusOf, isErrorCode } from "./code.js";
import type { ErrorCode } from "./code.js";

/**
 * Where and why, beside the code: what an error can say about its cause.
 *
 * @example
 * ```ts
 * throw new IpfedError("RECORD_INVALID", "publication_date is not a date", { field: "publication_date", metadata: { file: "in.jsonl", line: "3" } });
 * ```
 */
export interface IpfedErrorOptions {
  /** The field concerned (`query`, `records[3].id`, `inventors[0].name`). */
  field?: string;
  /** Position in the input, from 1: a character in a query, a line in a file. */
  position?: number;
  /** When to retry, in milliseconds, for rate limits and unavailability. */
  retryAfterMs?: number;
  /** More context, as strings (`file`, `line`, `document`). */
  metadata?: Readonly<Record<string, string>>;
  /** The error that caused this one. */
  cause?: unknown;
}

/**
 * The one error class of ipfed: a stable `code`, the gRPC status it maps to, and where the
 * problem is. Servers convert it to a gRPC status at the edge; clients rebuild it from the
 * status and trailers, so `switch (err.code)` works the same on both sides.
 *
 * @example
 * ```ts
 * try {
 *   parseQuery("ti:(graphene");
 * } catch (err) {
 *   if (err instanceof IpfedError && err.code === "QUERY_SYNTAX") console.log(err.position);
 * }
 * ```
 */
export class IpfedError extends Error {
  /** Always `"IpfedError"`. */
  override readonly name = "IpfedError";
  /** Stable error code. */
  readonly code: ErrorCode;
  /** gRPC status this error travels as. */
  readonly status: status;
  /** The field concerned, if any. */
  readonly field: string | undefined;
  /** Position in the input, from 1, if any. */
  readonly position: number | undefined;
  /** Retry hint in milliseconds, if any. */
  readonly retryAfterMs: number | undefined;
  /** More context. */
  readonly metadata: Readonly<Record<string, string>>;

  /**
   * Creates an error with a stable code; `options` adds the field, position, retry hint,
   * metadata and cause. The gRPC status follows from the code.
   */
  constructor(code: ErrorCode, message: string, options: IpfedErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = grpcStatusOf(code);
    this.field = options.field;
    this.position = options.position;
    this.retryAfterMs = options.retryAfterMs;
    this.metadata = Object.freeze({ ...(options.metadata ?? {}) });
  }

  /**
   * Turns anything caught into an IpfedError: an IpfedError is returned as is, anything else
   * becomes `fallback` (default `INTERNAL`) with the original as `cause`.
   *
   * @example
   * ```ts
   * const err = IpfedError.from(new Error("disk full"));
   * err.code; // "INTERNAL"
   * ```
   */
  static from(reason: unknown, fallback: ErrorCode = "INTERNAL"): IpfedError {
    if (reason instanceof IpfedError) return reason;
    if (reason instanceof Error) return new IpfedError(fallback, reason.message, { cause: reason });
    return new IpfedError(fallback, String(reason), { cause: reason });
  }

  /**
   * Tells whether a value is an IpfedError, optionally with the given code.
   *
   * @example
   * ```ts
   * if (IpfedError.is(err, "TOKEN_EXPIRED")) await refresh();
   * ```
   */
  static is(value: unknown, code?: ErrorCode): value is IpfedError {
    return value instanceof IpfedError && (code === undefined || value.code === code);
  }

  /** A plain object for logs and JSON output. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.field !== undefined ? { field: this.field } : {}),
      ...(this.position !== undefined ? { position: this.position } : {}),
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
      ...(Object.keys(this.metadata).length ? { metadata: this.metadata } : {}),
    };
  }
}

export { isErrorCode };
