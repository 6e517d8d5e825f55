import { status } from "@grpc/grpc-js";
import type { IpfedError } from "@ipfed/sdk";

/** Exit codes of the `ipfed` command; documented in docs/cli.md. */
export const EXIT = {
  /** Success. */
  OK: 0,
  /** The command failed. */
  FAILURE: 1,
  /** Bad command line: unknown command or flag, bad value. */
  USAGE: 2,
  /** Some input was rejected (an import with rejects); the rest was done. */
  PARTIAL: 3,
  /** A node could not be reached. */
  UNAVAILABLE: 4,
  /** The token was refused (UNAUTHENTICATED or PERMISSION_DENIED). */
  DENIED: 5,
  /** What was asked for does not exist. */
  NOT_FOUND: 6,
} as const;

/** The exit code for an error. */
export function exitCodeFor(err: IpfedError): number {
  switch (err.status) {
    case status.INVALID_ARGUMENT:
      return ["QUERY_SYNTAX", "QUERY_FIELD_UNKNOWN", "INVALID_ARGUMENT", "IMPORT_FORMAT_UNKNOWN", "IMPORT_MAPPING_INVALID"].includes(err.code) ? EXIT.USAGE : EXIT.FAILURE;
    case status.UNAVAILABLE:
    case status.DEADLINE_EXCEEDED:
      return EXIT.UNAVAILABLE;
    case status.UNAUTHENTICATED:
    case status.PERMISSION_DENIED:
      return EXIT.DENIED;
    case status.NOT_FOUND:
      return EXIT.NOT_FOUND;
    default:
      return EXIT.FAILURE;
  }
}
