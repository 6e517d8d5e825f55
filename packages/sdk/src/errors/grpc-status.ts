import { Metadata, status } from "@grpc/grpc-js";
import type { ServiceError, StatusObject } from "@grpc/grpc-js";
import { ErrorDetail } from "@ipfed/proto";
import { codeForGrpcStatus, isErrorCode } from "./code.js";
import { IpfedError } from "./ipfed-error.js";

/**
 * Trailer carrying the stable error code as plain text, for any client.
 *
 * @example
 * ```ts
 * serviceError.metadata.get(ERROR_CODE_TRAILER); // ["QUERY_SYNTAX"], readable by any gRPC client
 * ```
 */
export const ERROR_CODE_TRAILER = "ipfed-error-code";
/**
 * Trailer carrying an `ipfed.v1.ErrorDetail`, binary, for full fidelity.
 *
 * @example
 * ```ts
 * const [bytes] = serviceError.metadata.get(ERROR_DETAIL_TRAILER);
 * const detail = ErrorDetail.decode(bytes as Buffer); // code, message, field, position...
 * ```
 */
export const ERROR_DETAIL_TRAILER = "ipfed-error-detail-bin";

/**
 * Converts an error into the gRPC status a server sends: status code, message, and the
 * ipfed trailers. Errors that are not IpfedErrors become INTERNAL without leaking their
 * message, so a stack or a path never reaches a caller.
 *
 * @example
 * ```ts
 * callback(toGrpcStatus(new IpfedError("RECORD_NOT_FOUND", "no record US-1-A")));
 * ```
 */
export function toGrpcStatus(reason: unknown): Partial<StatusObject> & {
  /** The gRPC status of the error's code. */
  code: status;
  /** The message, or "internal error" for anything that is not an IpfedError. */
  details: string;
  /** The ipfed trailers: the code as text and the binary `ErrorDetail`. */
  metadata: Metadata;
} {
  const err =
    reason instanceof IpfedError ? reason : new IpfedError("INTERNAL", "internal error", { cause: reason });
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_TRAILER, err.code);
  const detail = ErrorDetail.fromPartial({
    code: err.code,
    message: err.message,
    field: err.field ?? "",
    position: err.position ?? 0,
    retryAfterMs: err.retryAfterMs ?? 0,
    metadata: { ...err.metadata },
  });
  metadata.set(ERROR_DETAIL_TRAILER, Buffer.from(ErrorDetail.encode(detail).finish()));
  if (err.retryAfterMs !== undefined) metadata.set("retry-after-ms", String(err.retryAfterMs));
  return { code: err.status, details: err.message, metadata };
}

/**
 * Rebuilds the IpfedError a server sent from a failed call's status and trailers. A status
 * without ipfed trailers (from a proxy, or the transport) gets the generic code for its
 * gRPC status.
 *
 * @example
 * ```ts
 * client.getRecord(req, (err, res) => {
 *   if (err) throw fromGrpcError(err); // IpfedError with code RECORD_NOT_FOUND
 * });
 * ```
 */
export function fromGrpcError(err: Partial<ServiceError> & { code?: number }): IpfedError {
  const md = err.metadata;
  const grpcCode = (err.code ?? status.UNKNOWN) as status;
  const raw = md?.get(ERROR_DETAIL_TRAILER)[0];
  if (raw instanceof Buffer) {
    try {
      const d = ErrorDetail.decode(raw);
      if (isErrorCode(d.code)) {
        return new IpfedError(d.code, d.message, {
          ...(d.field ? { field: d.field } : {}),
          ...(d.position ? { position: d.position } : {}),
          ...(d.retryAfterMs ? { retryAfterMs: d.retryAfterMs } : {}),
          metadata: d.metadata,
          cause: err,
        });
      }
    } catch {
      // A garbled detail trailer falls back to the plain code below.
    }
  }
  const plain = md?.get(ERROR_CODE_TRAILER)[0];
  const message = err.details ?? err.message ?? "call failed";
  if (typeof plain === "string" && isErrorCode(plain)) return new IpfedError(plain, message, { cause: err });
  return new IpfedError(codeForGrpcStatus(grpcCode), message, { cause: err });
}
