import { Metadata } from "@grpc/grpc-js";
import { IpfedError } from "../errors/ipfed-error.js";
import { checkDeadline } from "./client-options.js";
import { linkSignals } from "./cancellation.js";

/**
 * Metadata to send with a call: a grpc-js `Metadata`, or a plain object (keys ending in `-bin`
 * take Buffers).
 *
 * @example
 * ```ts
 * const metadata: CallMetadata = { "x-request-id": "4f2c", "x-trace-bin": Buffer.from([1, 2]) };
 * ```
 */
export type CallMetadata = Metadata | Readonly<Record<string, string | Buffer | readonly (string | Buffer)[]>>;

/**
 * Options of one call, beside those of the client.
 *
 * @example
 * ```ts
 * const ac = new AbortController();
 * await client.getRecord("CN-112345678-A", {}, { signal: ac.signal, deadlineMs: 2000, metadata: { "x-request-id": "4f2c" } });
 * ```
 */
export interface CallOptions {
  /** Cancels this call (IpfedError CANCELLED) when it aborts. */
  signal?: AbortSignal;
  /**
   * Time limit of this call, retries included, in milliseconds; `Infinity` for none.
   * @defaultValue the client's `deadlineMs` (none for `export` and `catalogue.watch`)
   */
  deadlineMs?: number;
  /** Extra metadata. An `authorization` entry here replaces the client's token for this call. */
  metadata?: CallMetadata;
}

/**
 * The life of one call: its signal (client, close and call signals linked) and deadline.
 *
 * @example
 * ```ts
 * const scope = openCallScope([clientSignal], 5000);
 * client.getRecord(req, metadata, { deadline: scope.deadline }, callback);
 * ```
 */
export interface CallScope {
  /** Aborts when the client's signal, `close()`, or the call's own signal does. */
  readonly signal: AbortSignal;
  /** When the call must be over; undefined for none. */
  readonly deadline: Date | undefined;
  /** Releases the links to the client's signals. */
  dispose(): void;
}

/**
 * Opens the scope of one call: links the signals and fixes the deadline once, so that every
 * retry shares it.
 *
 * @example
 * ```ts
 * const scope = openCallScope([clientSignal, options.signal], options.deadlineMs ?? 30_000);
 * try { ... } finally { scope.dispose(); }
 * ```
 */
export function openCallScope(signals: (AbortSignal | undefined)[], deadlineMs: number | undefined): CallScope {
  if (deadlineMs !== undefined) checkDeadline(deadlineMs, "deadlineMs");
  const linked = linkSignals(...signals);
  const deadline = deadlineMs === undefined || deadlineMs === Infinity ? undefined : new Date(Date.now() + deadlineMs);
  return { signal: linked.signal, deadline, dispose: linked.dispose };
}

/**
 * Builds the metadata of one attempt: the caller's entries, and `authorization: Bearer
 * <token>` unless the caller set its own.
 *
 * @example
 * ```ts
 * const md = callMetadata({ "x-request-id": "4f2c" }, token);
 * ```
 */
export function callMetadata(extra: CallMetadata | undefined, token: string | undefined): Metadata {
  let md: Metadata;
  if (extra instanceof Metadata) {
    md = extra.clone();
  } else {
    md = new Metadata();
    for (const [key, value] of Object.entries(extra ?? {})) {
      const values: readonly (string | Buffer)[] = typeof value === "string" || Buffer.isBuffer(value) ? [value] : value;
      for (const v of values) {
        try {
          md.add(key, v);
        } catch (err) {
          throw new IpfedError("INVALID_ARGUMENT", `metadata ${JSON.stringify(key)}: ${err instanceof Error ? err.message : String(err)}`, {
            field: `metadata.${key}`,
            cause: err,
          });
        }
      }
    }
  }
  if (token !== undefined && md.get("authorization").length === 0) md.set("authorization", `Bearer ${token}`);
  return md;
}
