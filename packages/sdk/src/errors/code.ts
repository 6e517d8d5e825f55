import { status } from "@grpc/grpc-js";

/**
 * Every stable error code of ipfed, with the gRPC status it travels as.
 *
 * Codes are stable and documented in docs/errors.md; messages are not. Add codes at the end
 * of their group; never rename or reuse one.
 *
 * @example
 * ```ts
 * ERROR_CODES.QUERY_SYNTAX === status.INVALID_ARGUMENT; // true: the status it travels as
 * Object.keys(ERROR_CODES).includes("TOKEN_EXPIRED"); // true
 * ```
 */
export const ERROR_CODES = {
  // General
  INTERNAL: status.INTERNAL,
  INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  REQUEST_MALFORMED: status.INVALID_ARGUMENT,
  NOT_FOUND: status.NOT_FOUND,
  ALREADY_EXISTS: status.ALREADY_EXISTS,
  UNIMPLEMENTED: status.UNIMPLEMENTED,
  UNAVAILABLE: status.UNAVAILABLE,
  DEADLINE_EXCEEDED: status.DEADLINE_EXCEEDED,
  CANCELLED: status.CANCELLED,
  FAILED_PRECONDITION: status.FAILED_PRECONDITION,
  RESOURCE_EXHAUSTED: status.RESOURCE_EXHAUSTED,
  UNKNOWN: status.UNKNOWN,

  // Queries and paging
  QUERY_SYNTAX: status.INVALID_ARGUMENT,
  QUERY_FIELD_UNKNOWN: status.INVALID_ARGUMENT,
  QUERY_TOO_COMPLEX: status.INVALID_ARGUMENT,
  CURSOR_INVALID: status.INVALID_ARGUMENT,
  PAGE_SIZE_INVALID: status.INVALID_ARGUMENT,
  FACET_UNKNOWN: status.INVALID_ARGUMENT,

  // Records, datasets and catalogue
  RECORD_INVALID: status.INVALID_ARGUMENT,
  RECORD_NOT_FOUND: status.NOT_FOUND,
  DATASET_INVALID: status.INVALID_ARGUMENT,
  DATASET_NOT_FOUND: status.NOT_FOUND,
  SERVICE_NOT_FOUND: status.NOT_FOUND,

  // Import
  IMPORT_FORMAT_UNKNOWN: status.INVALID_ARGUMENT,
  IMPORT_PARSE_ERROR: status.INVALID_ARGUMENT,
  IMPORT_IO_ERROR: status.UNAVAILABLE,
  IMPORT_MAPPING_INVALID: status.INVALID_ARGUMENT,

  // Node configuration and store
  CONFIG_INVALID: status.FAILED_PRECONDITION,
  CONFIG_NOT_FOUND: status.FAILED_PRECONDITION,
  STORE_LOCKED: status.FAILED_PRECONDITION,
  STORE_CORRUPT: status.DATA_LOSS,
  BACKUP_INVALID: status.DATA_LOSS,
  TLS_INVALID: status.FAILED_PRECONDITION,
  PLAINTEXT_REFUSED: status.FAILED_PRECONDITION,

  // Authentication: the token is missing, malformed, or cannot be trusted
  TOKEN_MISSING: status.UNAUTHENTICATED,
  TOKEN_MALFORMED: status.UNAUTHENTICATED,
  TOKEN_TOO_LARGE: status.UNAUTHENTICATED,
  TOKEN_ALG_NOT_ALLOWED: status.UNAUTHENTICATED,
  TOKEN_HEADER_KEY_NOT_ALLOWED: status.UNAUTHENTICATED,
  TOKEN_KEY_UNKNOWN: status.UNAUTHENTICATED,
  TOKEN_SIGNATURE_INVALID: status.UNAUTHENTICATED,
  TOKEN_EXPIRED: status.UNAUTHENTICATED,
  TOKEN_NOT_YET_VALID: status.UNAUTHENTICATED,
  TOKEN_AUDIENCE_MISMATCH: status.UNAUTHENTICATED,
  TOKEN_ISSUER_UNKNOWN: status.UNAUTHENTICATED,
  TOKEN_REVOKED: status.UNAUTHENTICATED,
  TOKEN_CLAIM_INVALID: status.UNAUTHENTICATED,
  PEER_CERTIFICATE_MISMATCH: status.UNAUTHENTICATED,

  // Authorisation: the token is good but does not allow this
  TIER_EXCEEDS_ISSUER: status.PERMISSION_DENIED,
  TIER_TOO_LOW: status.PERMISSION_DENIED,
  SCOPE_MISSING: status.PERMISSION_DENIED,
  DATASET_NOT_ALLOWED: status.PERMISSION_DENIED,
  ANONYMOUS_NOT_ALLOWED: status.UNAUTHENTICATED,

  // Federation
  MEMBER_NOT_FOUND: status.NOT_FOUND,
  MEMBER_NOT_ADMITTED: status.PERMISSION_DENIED,
  REGISTRATION_INVALID: status.INVALID_ARGUMENT,
  NETWORK_CONFIG_INVALID: status.FAILED_PRECONDITION,
  NETWORK_CONFIG_EXPIRED: status.FAILED_PRECONDITION,
  HOP_LIMIT_EXCEEDED: status.FAILED_PRECONDITION,

  // Limits
  RATE_LIMITED: status.RESOURCE_EXHAUSTED,
  TOO_MANY_STREAMS: status.RESOURCE_EXHAUSTED,
  MESSAGE_TOO_LARGE: status.RESOURCE_EXHAUSTED,
} as const satisfies Record<string, status>;

/**
 * A stable ipfed error code (`QUERY_SYNTAX`, `TOKEN_EXPIRED`).
 *
 * @example
 * ```ts
 * const code: ErrorCode = "RECORD_NOT_FOUND";
 * if (err instanceof IpfedError && err.code === code) console.log("not held here");
 * ```
 */
export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Returns the gRPC status an error code travels as.
 *
 * @example
 * ```ts
 * grpcStatusOf("TOKEN_EXPIRED"); // status.UNAUTHENTICATED (16)
 * ```
 */
export function grpcStatusOf(code: ErrorCode): status {
  return ERROR_CODES[code];
}

/**
 * Tells whether a string is a known error code.
 *
 * @example
 * ```ts
 * isErrorCode("QUERY_SYNTAX"); // true
 * ```
 */
export function isErrorCode(value: string): value is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}

/**
 * The generic code for each gRPC status, used when a status arrives without an ipfed code.
 *
 * @example
 * ```ts
 * codeForGrpcStatus(status.NOT_FOUND); // "NOT_FOUND"
 * ```
 */
export function codeForGrpcStatus(s: status): ErrorCode {
  switch (s) {
    case status.INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case status.NOT_FOUND:
      return "NOT_FOUND";
    case status.ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case status.UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case status.UNAVAILABLE:
      return "UNAVAILABLE";
    case status.DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case status.CANCELLED:
      return "CANCELLED";
    case status.FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case status.RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case status.UNAUTHENTICATED:
      return "TOKEN_MISSING";
    case status.PERMISSION_DENIED:
      return "SCOPE_MISSING";
    case status.INTERNAL:
    case status.DATA_LOSS:
      return "INTERNAL";
    default:
      return "UNKNOWN";
  }
}
