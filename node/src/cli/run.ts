import { IpfedError } from "@ipfed/sdk";
import { EXIT, exitCodeFor } from "./exit-codes.js";

let debug = process.argv.includes("--debug");

/** Turns on stack traces in error output (`--debug`). */
export function setDebug(on: boolean): void {
  debug = on;
}

/**
 * Wraps a command's action: an error is printed as one plain line (`error CODE: message`),
 * with the stack only under `--debug`, and the process exits with the matching code.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      process.exitCode = report(err);
    }
  };
}

/** Prints an error for a person and returns the exit code. */
export function report(reason: unknown): number {
  const err = IpfedError.from(reason);
  const where = [err.field ? `field ${err.field}` : "", err.position ? `position ${err.position}` : ""].filter(Boolean).join(", ");
  process.stderr.write(`error ${err.code}: ${err.message}${where && !err.message.includes(where) ? ` (${where})` : ""}\n`);
  if (debug) process.stderr.write(`${(err.cause instanceof Error ? err.cause : err).stack ?? ""}\n`);
  return err.code === "INTERNAL" && !(reason instanceof IpfedError) ? EXIT.FAILURE : exitCodeFor(err);
}
