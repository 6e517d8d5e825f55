/**
 * How one ipfed.v1 call ended, as {@link ServerObserver.rpc} sees it.
 *
 * @example
 * ```ts
 * const rpc = (e: RpcOutcome) => console.log(`${e.service}/${e.method} ${e.code}${e.errorCode ? ` ${e.errorCode}` : ""} in ${e.ms} ms`);
 * const server = createMemberServer({ identity, dataSource, options: { observe: { rpc } } });
 * ```
 */
export interface RpcOutcome {
  /** Full service name, `ipfed.v1.SearchService`. */
  readonly service: string;
  /** Method name, `Search`. */
  readonly method: string;
  /**
   * gRPC status name: `OK`, `NOT_FOUND`, `UNAUTHENTICATED`, `PERMISSION_DENIED`, … A call the
   * client cancelled is `CANCELLED`; one whose deadline passed first is `DEADLINE_EXCEEDED`.
   */
  readonly code: string;
  /** The ipfed error code (`RECORD_NOT_FOUND`, `TOKEN_INVALID`) when the call failed with one. */
  readonly errorCode?: string;
  /** Milliseconds from the call's arrival to its status. */
  readonly ms: number;
  /** Messages the server sent: events of a Search, batches of an Export, 1 for a unary answer. */
  readonly streamed: number;
}

/**
 * The state of one member in a federated answer, as `MemberStatus` names it, without the prefix.
 *
 * @example
 * ```ts
 * const failed: readonly MemberOutcomeStatus[] = ["TIMEOUT", "UNAVAILABLE", "DENIED", "ERROR"];
 * ```
 */
export type MemberOutcomeStatus = "OK" | "TIMEOUT" | "UNAVAILABLE" | "DENIED" | "ERROR" | "SKIPPED";

/**
 * How one member took part in a federated query, as {@link ServerObserver.federation} sees it.
 *
 * @example
 * ```ts
 * const federation = (e: MemberOutcome) => {
 *   if (e.status !== "OK" && e.status !== "SKIPPED") console.warn(`${e.memberId} ${e.status} after ${e.ms} ms`);
 * };
 * ```
 */
export interface MemberOutcome {
  /** The member asked (or skipped); this member's own part has its own id. */
  readonly memberId: string;
  /** How the member took part. */
  readonly status: MemberOutcomeStatus;
  /** Milliseconds the member took to answer or fail; 0 when skipped. */
  readonly ms: number;
  /** Hits the member contributed to the page. */
  readonly hits: number;
}

/**
 * Hooks the server kit calls as it serves, so that a platform can feed its own metrics
 * (Prometheus, OpenTelemetry, logs) without the kit depending on any of them. Both are
 * called synchronously and must be cheap; what they throw is ignored.
 *
 * - `rpc`: once per finished ipfed.v1 call, unary or streaming, including calls the auth
 *   interceptor refused (status `UNAUTHENTICATED` or `PERMISSION_DENIED`) and calls the client
 *   cancelled. Health and reflection calls are not reported.
 * - `federation`: once per member in every federated `Search` this member answers: each
 *   member asked, each member skipped, and this member's own part. Statuses that downstream
 *   members report about members further down are theirs to count, not reported here.
 *
 * @example
 * ```ts
 * const counts = new Map<string, number>();
 * const server = createMemberServer({
 *   identity,
 *   dataSource,
 *   options: {
 *     observe: {
 *       rpc: (e) => counts.set(`${e.method} ${e.code}`, (counts.get(`${e.method} ${e.code}`) ?? 0) + 1),
 *       federation: (e) => console.log(`${e.memberId}: ${e.status} in ${e.ms} ms`),
 *     },
 *   },
 * });
 * ```
 */
export interface ServerObserver {
  /** Called once per finished call. */
  rpc?(event: RpcOutcome): void;
  /** Called once per member outcome of a federated query. */
  federation?(event: MemberOutcome): void;
}

/**
 * Calls an observer's hook, keeping whatever it throws away from the call being served.
 *
 * @example
 * ```ts
 * notify(observer, (o) => o.rpc?.({ service: "ipfed.v1.SearchService", method: "Search", code: "OK", ms: 12, streamed: 4 }));
 * ```
 */
export function notify(observer: ServerObserver | undefined, call: (observer: ServerObserver) => void): void {
  if (!observer) return;
  try {
    call(observer);
  } catch {
    // An observer is instrumentation: a bug in it must not fail or alter the call.
  }
}
