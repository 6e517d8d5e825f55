import { Counter, Histogram } from "prom-client";
import type { Registry } from "prom-client";
import type { MemberServerOptions } from "@ipfed/sdk";

/** The server kit's observer (`MemberServerOptions.observe`). */
type ServerObserver = NonNullable<MemberServerOptions["observe"]>;
type RpcOutcome = Parameters<NonNullable<ServerObserver["rpc"]>>[0];
type MemberOutcome = Parameters<NonNullable<ServerObserver["federation"]>>[0];

/** Buckets of RPC durations, in seconds: from a cached lookup to a long export page. */
export const RPC_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Buckets of a member's time in a federated query, in seconds, up to the longest deadline. */
export const FEDERATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];

/**
 * The server kit's observer, recorded as Prometheus series: calls and their durations by
 * service, method and status; messages streamed; each member's part in federated queries.
 *
 * @example
 * ```ts
 * const rpc = new RpcMetrics(registry);
 * const server = createMemberServer({ identity, dataSource, options: { observe: rpc.observer } });
 * ```
 */
export class RpcMetrics {
  /** Hand this to `createMemberServer({ options: { observe } })`. */
  readonly observer: ServerObserver;
  #searches = 0;

  constructor(registry: Registry) {
    const registers = [registry];
    const requests = new Counter({
      name: "ipfed_rpc_requests_total",
      help: "ipfed.v1 calls finished, by service, method and gRPC status (refused and cancelled calls included).",
      labelNames: ["service", "method", "code"] as const,
      registers,
    });
    const duration = new Histogram({
      name: "ipfed_rpc_duration_seconds",
      help: "Time from a call's arrival to its status, by service, method and gRPC status.",
      labelNames: ["service", "method", "code"] as const,
      buckets: RPC_BUCKETS,
      registers,
    });
    const messages = new Counter({
      name: "ipfed_rpc_messages_sent_total",
      help: "Messages sent in answers (search events, export batches, one per unary answer), by service and method.",
      labelNames: ["service", "method"] as const,
      registers,
    });
    const errors = new Counter({
      name: "ipfed_rpc_errors_total",
      help: "Failed ipfed.v1 calls by method and ipfed error code (RECORD_NOT_FOUND, TOKEN_EXPIRED, ...).",
      labelNames: ["service", "method", "error_code"] as const,
      registers,
    });
    const members = new Counter({
      name: "ipfed_federation_member_requests_total",
      help: "Members' parts in the federated searches this node answered, by member and outcome (OK, TIMEOUT, UNAVAILABLE, DENIED, ERROR, SKIPPED).",
      labelNames: ["member", "status"] as const,
      registers,
    });
    const memberDuration = new Histogram({
      name: "ipfed_federation_member_duration_seconds",
      help: "Time a member took to answer (or fail) a federated search, by member and outcome; skipped members are not timed.",
      labelNames: ["member", "status"] as const,
      buckets: FEDERATION_BUCKETS,
      registers,
    });
    this.observer = {
      rpc: (e: RpcOutcome) => {
        const labels = { service: e.service, method: e.method, code: e.code };
        requests.inc(labels);
        duration.observe(labels, e.ms / 1000);
        if (e.streamed > 0) messages.inc({ service: e.service, method: e.method }, e.streamed);
        if (e.errorCode) errors.inc({ service: e.service, method: e.method, error_code: e.errorCode });
        if (e.method === "Search" && e.service === "ipfed.v1.SearchService" && e.code === "OK") this.#searches += 1;
      },
      federation: (e: MemberOutcome) => {
        members.inc({ member: e.memberId, status: e.status });
        if (e.status !== "SKIPPED") memberDuration.observe({ member: e.memberId, status: e.status }, e.ms / 1000);
      },
    };
  }

  /** Searches answered successfully since the node started, local and federated alike. */
  queriesServed(): number {
    return this.#searches;
  }
}
