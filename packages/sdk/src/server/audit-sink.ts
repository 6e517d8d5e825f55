/**
 * One audited call: what happened, to whom, and how it ended.
 *
 * @example
 * ```ts
 * const audit: AuditSink = { append: async (e: AuditEvent) => log.info({ rpc: e.rpc, subject: e.subject, status: e.status }, "audit") };
 * ```
 */
export interface AuditEvent {
  /** When the call started, ISO 8601 with milliseconds. */
  readonly time: string;
  /** Full method path, `/ipfed.v1.SearchService/Search`. */
  readonly rpc: string;
  /** Caller's subject (`anonymous` when there was no token; `?` when the token was refused). */
  readonly subject: string;
  /** Token issuer; empty when none. */
  readonly issuer: string;
  /** The act chain, outermost actor first (`["hub", "sc-regional"]`). */
  readonly act: readonly string[];
  /** Caller's tier, lower case (`public`); empty when the token was refused. */
  readonly tier: string;
  /** Datasets the request named. */
  readonly datasets: readonly string[];
  /** SHA-256 (hex) of the request message(s), so a query can be matched without being stored. */
  readonly requestDigest: string;
  /** Records or hits returned. */
  readonly resultCount: number;
  /** gRPC status name (`OK`, `PERMISSION_DENIED`). */
  readonly status: string;
  /** ipfed error code when it failed. */
  readonly code: string;
  /** Peer address. */
  readonly peer: string;
  /** Duration in milliseconds. */
  readonly ms: number;
}

/**
 * Where the server kit writes one entry per call, allowed or denied. The reference node
 * writes a hash-chained append-only log; a platform can plug in its own.
 *
 * @example
 * ```ts
 * const audit: AuditSink = { append: async (event) => void (await appendFile("audit.jsonl", JSON.stringify(event) + "\n")) };
 * const server = createMemberServer({ identity, dataSource, options: { audit } });
 * ```
 */
export interface AuditSink {
  /** Appends an event. Must not throw for a well-formed event; failures are the sink's to report. */
  append(event: AuditEvent): Promise<void>;
}
